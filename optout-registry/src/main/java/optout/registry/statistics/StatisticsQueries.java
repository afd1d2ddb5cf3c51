package optout.registry.statistics;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The SQL behind the public statistics and the surge watch: counts only, never a person. Who is opted out
 * now comes from the current-state projection ({@code person_state}, non-empty {@code opted_out}); a
 * person's facets are those of their latest event, which is the event the projection was last written
 * from ({@code last_seq}), so one primary-key join finds them. Filings are counted by {@code recorded_at},
 * when the registry received them (a signed form's {@code effective_at} may lie days earlier, and a day's
 * count of received filings never changes once the day is over), per calendar day of a time zone.
 */
@Repository
public class StatisticsQueries implements StatisticsSource {

  private final JdbcClient jdbc;
  private final TransactionTemplate snapshot;

  StatisticsQueries(JdbcClient jdbc, PlatformTransactionManager transactions) {
    this.jdbc = jdbc;
    // One snapshot for all the counts of a publication, so the scope table's total and the cross tables'
    // grand total are the same people even while filings commit.
    this.snapshot = new TransactionTemplate(transactions);
    snapshot.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
    snapshot.setReadOnly(true);
  }

  @Override
  public CurrentCounts currentlyOptedOut() {
    return snapshot.execute(status -> {
      // one scan of the opted-out people gives both their facets and the channel of their latest event
      List<FacetCount> byFacets = new ArrayList<>();
      Map<String, Long> byChannel = new LinkedHashMap<>();
      jdbc.sql("""
          select e.stat_county, e.stat_sex, e.stat_age_band, e.channel, count(*)
            from person_state p join registry_event e on e.seq = p.last_seq
           where p.opted_out <> '{}'::jsonb
           group by e.stat_county, e.stat_sex, e.stat_age_band, e.channel
           order by 1, 2, 3, 4""")
          .query(rs -> {
            byFacets.add(new FacetCount(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(5)));
            byChannel.merge(rs.getString(4), rs.getLong(5), Long::sum);
          });
      Map<String, Long> byScope = new LinkedHashMap<>();
      jdbc.sql("""
          select s.scope, count(*)
            from person_state p cross join lateral jsonb_object_keys(p.opted_out) as s(scope)
           group by s.scope
           order by s.scope""")
          .query(rs -> {
            byScope.put(rs.getString(1), rs.getLong(2));
          });
      long people = byFacets.stream().mapToLong(FacetCount::people).sum();
      return new CurrentCounts(byFacets, byScope, byChannel, people);
    });
  }

  @Override
  public SortedMap<LocalDate, Map<String, Long>> filingsPerDay(LocalDate from, LocalDate to, ZoneId zone) {
    SortedMap<LocalDate, Map<String, Long>> days = new TreeMap<>();
    if (to.isBefore(from)) {
      return days;
    }
    jdbc.sql("""
        select (recorded_at at time zone ?)::date as day, type, count(*)
          from registry_event
         where recorded_at >= ? and recorded_at < ?
         group by 1, 2""")
        .param(zone.getId()).param(utc(startOf(from, zone))).param(utc(startOf(to.plusDays(1), zone)))
        .query(rs -> {
          days.computeIfAbsent(rs.getObject(1, LocalDate.class), d -> new LinkedHashMap<>()).put(rs.getString(2), rs.getLong(3));
        });
    return days;
  }

  /** Filings of one type recorded in [from, to). */
  public long filings(String type, Instant from, Instant to) {
    return jdbc.sql("select count(*) from registry_event where type = ? and recorded_at >= ? and recorded_at < ?")
        .param(type).param(utc(from)).param(utc(to)).query(Long.class).single();
  }

  /** When the first filing of a type was recorded, if there is one. */
  public Optional<Instant> firstFiling(String type) {
    return jdbc.sql("select min(recorded_at) from registry_event where type = ?").param(type)
        .query((rs, n) -> Optional.ofNullable(rs.getObject(1, OffsetDateTime.class)).map(OffsetDateTime::toInstant))
        .single();
  }

  /**
   * Filings of a type on the days [from, to] of {@code zone}: how many were recorded before {@code time} of their
   * day, and how many in all; the share of a usual day's filings made by that time of day.
   */
  public record TimeOfDayCounts(long before, long all) {}

  public TimeOfDayCounts filingsByTimeOfDay(String type, LocalDate from, LocalDate to, ZoneId zone, LocalTime time) {
    if (to.isBefore(from)) {
      return new TimeOfDayCounts(0, 0);
    }
    return jdbc.sql("""
        select count(*) filter (where (recorded_at at time zone ?)::time < ?), count(*)
          from registry_event
         where type = ? and recorded_at >= ? and recorded_at < ?""")
        .param(zone.getId()).param(time).param(type).param(utc(startOf(from, zone))).param(utc(startOf(to.plusDays(1), zone)))
        .query((rs, n) -> new TimeOfDayCounts(rs.getLong(1), rs.getLong(2))).single();
  }

  static Instant startOf(LocalDate day, ZoneId zone) {
    return day.atStartOfDay(zone).toInstant();
  }

  private static OffsetDateTime utc(Instant instant) {
    return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
  }
}
