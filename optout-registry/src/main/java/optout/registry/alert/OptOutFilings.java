package optout.registry.alert;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.SortedMap;

/**
 * Opt-out filings as the surge watch counts them: by when the registry recorded them, per calendar day of
 * the statistics' time zone. An interface so the watch's judgement can be run over a history the test
 * database cannot hold (events carry row MACs and times the registry sets itself).
 */
interface OptOutFilings {

  /** The day of the first opt-out ever recorded, if any: the series starts there, not with weeks of zeros. */
  Optional<LocalDate> firstDay();

  /** Opt-out filings per day in [from, to]; days without filings may be missing. */
  SortedMap<LocalDate, Long> perDay(LocalDate from, LocalDate to);

  /** Opt-out filings recorded in [from, to). */
  long between(Instant from, Instant to);

  /**
   * The share of the filings of the days [from, to] that were recorded before {@code time} of their day;
   * empty when those days have none.
   */
  OptionalDouble shareBefore(LocalDate from, LocalDate to, LocalTime time);
}
