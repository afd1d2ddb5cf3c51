package optout.registry.statistics;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * The counts the public statistics are made of, as the database gives them: raw, unsuppressed, never to be
 * published as they are. An interface so that what {@link PublicStatistics} does with them (tabulating,
 * suppressing, caching) can be tested without a database.
 */
interface StatisticsSource {

  /** People currently opted out of the facets of their latest event: county, sex, age band, as stored. */
  record FacetCount(String county, String sex, String ageBand, long people) {}

  /**
   * Everyone currently opted out, counted in one consistent view of the database.
   *
   * @param byFacets people per combination of facets (only combinations with people; a combination may come more than
   *     once, its counts add)
   * @param byScope people per opted-out scope (a person counts once under each of their scopes)
   * @param byChannel people per channel code of their latest event (counter, online, proxy: how they last filed)
   * @param people distinct people with any opt-out (the sum of {@code byFacets}, and of {@code byChannel})
   */
  record CurrentCounts(List<FacetCount> byFacets, Map<String, Long> byScope, Map<String, Long> byChannel, long people) {}

  CurrentCounts currentlyOptedOut();

  /** Filings per calendar day of {@code zone} in [from, to] by event type code; days without filings may be missing. */
  SortedMap<LocalDate, Map<String, Long>> filingsPerDay(LocalDate from, LocalDate to, ZoneId zone);
}
