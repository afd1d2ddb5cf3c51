package optout.registry.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.SortedMap;
import java.util.TreeMap;
import optout.registry.statistics.StatisticsProperties;
import org.junit.jupiter.api.Test;

/** Which days the watch judges, and how, over a history held in memory (no alerts are stored here). */
class SurgeWatchTest {

  static final ZoneId TAIPEI = ZoneId.of("Asia/Taipei");
  /** Monday 2026-03-02, 10:00 in Taipei. */
  static final LocalDate TODAY = LocalDate.of(2026, 3, 2);
  static final Instant TEN_O_CLOCK = TODAY.atTime(10, 0).atZone(TAIPEI).toInstant();

  @Test
  void aSurgeDayWithinTheLookbackIsFoundOnceAndOlderOnesAreNotJudged() {
    Filings filings = Filings.steady(TODAY.minusDays(60), TODAY.minusDays(1), 40);
    filings.daily.put(TODAY.minusDays(3), 400L);   // within the last 7 days
    filings.daily.put(TODAY.minusDays(20), 400L);  // before them

    assertThat(watch(filings, 7, false).find(TEN_O_CLOCK)).singleElement().satisfies(finding -> {
      assertThat(finding.intraday()).isFalse();
      assertThat(finding.surge().day()).isEqualTo(TODAY.minusDays(3));
      assertThat(finding.surge().count()).isEqualTo(400);
      assertThat(finding.surge().baseline()).isCloseTo(40.0, within(1e-9));
    });
    assertThat(watch(filings, 30, false).find(TEN_O_CLOCK)).extracting(f -> f.surge().day())
        .containsExactly(TODAY.minusDays(20), TODAY.minusDays(3));
  }

  @Test
  void todaySoFarIsJudgedAgainstTheUsualShareOfADayByThisHour() {
    Filings filings = Filings.steady(TODAY.minusDays(60), TODAY.minusDays(1), 40);
    filings.share = OptionalDouble.of(0.25);  // a quarter of a day's filings usually come in by 10:00
    filings.today = 40;                        // expected 10 by now; a surge from about 32.4

    assertThat(watch(filings, 7, true).find(TEN_O_CLOCK)).singleElement().satisfies(finding -> {
      assertThat(finding.intraday()).isTrue();
      assertThat(finding.surge().day()).isEqualTo(TODAY);
      assertThat(finding.surge().count()).isEqualTo(40);
      assertThat(finding.surge().baseline()).isCloseTo(10.0, within(1e-9));
      assertThat(finding.surge().threshold()).isCloseTo(32.35, within(0.01));
    });
    assertThat(filings.askedFrom).isEqualTo(TODAY.atStartOfDay(TAIPEI).toInstant());
    assertThat(filings.askedUntil).isEqualTo(TEN_O_CLOCK);
    assertThat(filings.askedTime).isEqualTo(LocalTime.of(10, 0));

    filings.today = 32;
    assertThat(watch(filings, 7, true).find(TEN_O_CLOCK)).isEmpty();
    filings.today = 400;
    assertThat(watch(filings, 7, false).find(TEN_O_CLOCK)).as("without intraday, today waits for tomorrow").isEmpty();
  }

  @Test
  void justAfterMidnightTheMinimumCountDecidesNotANearZeroExpectation() {
    Filings filings = Filings.steady(TODAY.minusDays(60), TODAY.minusDays(1), 40);
    filings.share = OptionalDouble.of(0.0);   // nobody ever files before 00:10
    filings.today = 19;
    Instant tenPastMidnight = TODAY.atTime(0, 10).atZone(TAIPEI).toInstant();

    assertThat(watch(filings, 7, true).find(tenPastMidnight)).isEmpty();
    filings.today = 20;
    assertThat(watch(filings, 7, true).find(tenPastMidnight)).singleElement()
        .satisfies(finding -> assertThat(finding.surge().threshold()).isEqualTo(20.0));
  }

  @Test
  void theRegistrysFirstDaysAreNotJudgedAgainstZerosBeforeIt() {
    // opened ten days ago with a rush of filings: no surge, because there is no history to compare with
    Filings filings = Filings.steady(TODAY.minusDays(10), TODAY.minusDays(1), 300);
    filings.today = 300;
    filings.share = OptionalDouble.of(0.3);

    assertThat(watch(filings, 7, true).find(TEN_O_CLOCK)).isEmpty();
    assertThat(watch(new Filings(), 7, true).find(TEN_O_CLOCK)).isEmpty();
  }

  @Test
  void daysAreTaipeiDays() {
    Filings filings = Filings.steady(TODAY.minusDays(60), TODAY.minusDays(1), 40);
    filings.daily.put(TODAY.minusDays(1), 400L);
    // 2026-03-01T17:00Z is 01:00 on the 2nd in Taipei: "yesterday" is the 1st, judged complete
    assertThat(watch(filings, 7, false).find(Instant.parse("2026-03-01T17:00:00Z"))).extracting(f -> f.surge().day())
        .containsExactly(TODAY.minusDays(1));
    // 15:00Z on the 1st is 23:00 in Taipei: the 1st is still today, not judged as a whole day
    assertThat(watch(filings, 7, false).find(Instant.parse("2026-03-01T15:00:00Z"))).isEmpty();
  }

  static SurgeWatch watch(OptOutFilings filings, int lookbackDays, boolean intraday) {
    StatisticsProperties properties = new StatisticsProperties(10, Duration.ofMinutes(5), 90, TAIPEI,
        new StatisticsProperties.Surge(true, Duration.ofSeconds(30), Duration.ofHours(1), lookbackDays, intraday, 28, 14, 5.0, 20,
            1.5, true));
    return new SurgeWatch(filings, null, properties, Clock.fixed(TEN_O_CLOCK, ZoneOffset.UTC));
  }

  /** A history in memory, and what the watch asked of it. */
  static final class Filings implements OptOutFilings {
    final SortedMap<LocalDate, Long> daily = new TreeMap<>();
    long today;
    OptionalDouble share = OptionalDouble.empty();
    Instant askedFrom;
    Instant askedUntil;
    LocalTime askedTime;

    static Filings steady(LocalDate from, LocalDate to, long perDay) {
      Filings filings = new Filings();
      for (LocalDate day = from; !day.isAfter(to); day = day.plusDays(1)) {
        filings.daily.put(day, perDay);
      }
      return filings;
    }

    @Override
    public Optional<LocalDate> firstDay() {
      return daily.isEmpty() ? Optional.empty() : Optional.of(daily.firstKey());
    }

    @Override
    public SortedMap<LocalDate, Long> perDay(LocalDate from, LocalDate to) {
      return new TreeMap<>(daily.subMap(from, to.plusDays(1)));
    }

    @Override
    public long between(Instant from, Instant to) {
      askedFrom = from;
      askedUntil = to;
      return today;
    }

    @Override
    public OptionalDouble shareBefore(LocalDate from, LocalDate to, LocalTime time) {
      askedTime = time;
      return share;
    }
  }
}
