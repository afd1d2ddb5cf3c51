package optout.portal.statistics;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The statistics over time: the first publication the portal showed each day (Asia/Taipei), kept in
 * {@code statistics_publication} (V6), and each one-way table of it (by purpose, county, sex, age band) per day. Only
 * publications that passed {@link SmallCellGuard} are recorded, so only what was already public is kept.
 */
@Component
class StatisticsHistory {

  static final ZoneId TAIPEI = ZoneId.of("Asia/Taipei");
  private static final List<String> TABLES = List.of("byScope", "byChannel", "byCounty", "bySex", "byAgeBand");

  /** One day: when the registry counted, and each table's categories as published (a suppressed count is null). */
  record Day(LocalDate day, Instant asOf, Map<String, List<JsonNode>> tables) {}

  private final JdbcTemplate jdbc;
  private final JsonMapper json;
  private final Clock clock;

  StatisticsHistory(JdbcTemplate jdbc, JsonMapper json, Clock clock) {
    this.jdbc = jdbc;
    this.json = json;
    this.clock = clock;
  }

  /** Records a checked publication as its day's, unless that day has one. */
  void record(JsonNode publication) {
    Instant asOf;
    try {
      asOf = Instant.parse(publication.path("asOf").asString());
    } catch (RuntimeException e) {
      return;
    }
    jdbc.update("""
        insert into statistics_publication (publication_day, as_of, publication, recorded_at) values (?, ?, ?::jsonb, ?)
        on conflict (publication_day) do nothing""",
        LocalDate.ofInstant(asOf, TAIPEI), Timestamp.from(asOf), json.writeValueAsString(publication), Timestamp.from(clock.instant()));
  }

  /** The newest {@code count} days, newest first. */
  List<Day> days(int count) {
    return jdbc.query("select publication_day, as_of, publication::text from statistics_publication order by publication_day desc limit ?",
        (rs, n) -> {
          JsonNode optedOut = json.readTree(rs.getString(3)).path("optedOut");
          Map<String, List<JsonNode>> tables = new LinkedHashMap<>();
          for (String table : TABLES) {
            List<JsonNode> categories = new ArrayList<>();
            optedOut.path(table).path("categories").forEach(categories::add);
            tables.put(table, categories);
          }
          return new Day(rs.getObject(1, LocalDate.class), rs.getTimestamp(2).toInstant(), tables);
        }, count);
  }
}
