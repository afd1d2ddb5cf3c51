package optout.registry.statistics;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import optout.disclosure.LinearAttack;
import optout.registry.RegistryIT;
import optout.registry.event.EventType;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The public statistics over real filings. A publication is kept for one second here (five minutes by
 * default), so the test sees its own filings without waiting; this makes a context of its own.
 *
 * <p>Other test classes file into the same database in the same JVM (in an order JUnit chooses), so the
 * assertions hold whatever else is there: the numbers rule, margins, the joint linear attack and equality
 * with an independent count are checked on the whole publication, and the fixture's own cells only where
 * nobody else files (counties W, X, Z; the scope government-statistics).
 */
@TestPropertySource(properties = "optout.registry.statistics.cache-for=1s")
class StatisticsIT extends RegistryIT {

  private static final ZoneId TAIPEI = ZoneId.of("Asia/Taipei");

  @Autowired private JdbcTemplate jdbc;
  @Autowired private StatisticsQueries queries;

  /** 63 opt-outs: Kinmen and Penghu, 15 men and 15 women each; 3 women in Lienchiang, a small cell. */
  private void fileFixture() {
    file('W', 1, 15, "30-34");
    file('W', 2, 15, "30-34");
    file('X', 1, 15, "35-39");
    file('X', 2, 15, "35-39");
    file('Z', 2, 3, "40-44");
  }

  private void file(char letter, int sex, int people, String ageBand) {
    for (int i = 0; i < people; i++) {
      String id = NationalIds.nationalId(letter, sex, 4_711_000 + i);
      HttpResponse<String> filed = file(key(),
          filing("opt-out-filed", id, "\"government-statistics\"", "counter", ", \"ageBand\": \"" + ageBand + "\""));
      assertThat(filed.statusCode()).as(filed.body()).isIn(201, 409);
    }
  }

  /** The first publication computed after {@code after}. */
  private HttpResponse<String> publicationAfter(Instant after) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (System.nanoTime() < deadline) {
      HttpResponse<String> response = get(StatisticsController.STATISTICS, null);
      assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
      if (Instant.parse(json(response).get("asOf").asString()).isAfter(after)) {
        return response;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("no new publication within 20 s");
  }

  @Test
  void anyoneSeesTheCurrentOptOutsWithEverySmallCountAndItsComplementsSuppressed() throws Exception {
    fileFixture();
    Instant filed = Instant.now();
    HttpResponse<String> response = publicationAfter(filed);

    assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/json");
    assertThat(response.headers().firstValue("Cache-Control").orElseThrow()).contains("max-age=", "public");
    JsonNode view = json(response);

    // no count from 1 to 9 anywhere, and no reason for a suppression
    List<Long> numbers = new ArrayList<>();
    numbers(view, numbers);
    assertThat(numbers).isNotEmpty().allSatisfy(n -> assertThat(n).matches(x -> x == 0 || x >= 10, "0 or at least 10"));
    // (a scope is called all-secondary-use: the reasons' names are looked for as the audit spells them)
    assertThat(response.body()).doesNotContainIgnoringCase("primary").doesNotContain("SECONDARY", "Secondary", "reason");
    assertThat(view.get("threshold").asInt()).isEqualTo(10);
    assertThat(view.get("timeZone").asString()).isEqualTo("Asia/Taipei");

    JsonNode optedOut = view.get("optedOut");
    JsonNode county = optedOut.get("countyBySex");
    JsonNode age = optedOut.get("ageBandBySex");
    assertThat(county.get("rows").size()).isEqualTo(23);
    assertThat(age.get("rows").size()).isEqualTo(20);

    // the fixture: the small cell is hidden, and so is at least one other value of its row and of its column
    JsonNode lienchiang = row(county, "lienchiang-county");
    int female = column(county, "female");
    assertThat(lienchiang.get("cells").get(female).get("suppressed").asBoolean()).isTrue();
    assertThat(suppressedIn(lienchiang)).isGreaterThanOrEqualTo(2);
    assertThat(suppressedInColumn(county, female)).isGreaterThanOrEqualTo(2);
    // ... and much is shown: the scope nobody else files, the total, cells of at least ten people
    JsonNode statistics = category(optedOut.get("byScope"), "government-statistics");
    assertThat(statistics.get("suppressed").asBoolean()).isFalse();
    assertThat(statistics.get("count").asLong()).isGreaterThanOrEqualTo(63);
    assertThat(optedOut.at("/total/suppressed").asBoolean()).isFalse();
    assertThat(optedOut.at("/total/count").asLong()).isGreaterThanOrEqualTo(63);
    assertThat(shownCells(county)).anyMatch(n -> n >= 10);
    assertThat(shownCells(age)).anyMatch(n -> n >= 10);

    // the one-way tables are the margins of the two-way tables, which share the sex totals and the total
    for (int r = 0; r < 23; r++) {
      assertThat(optedOut.at("/byCounty/categories/" + r + "/count")).isEqualTo(county.at("/rows/" + r + "/total/count"));
    }
    for (int r = 0; r < 20; r++) {
      assertThat(optedOut.at("/byAgeBand/categories/" + r + "/count")).isEqualTo(age.at("/rows/" + r + "/total/count"));
    }
    for (int c = 0; c < 3; c++) {
      assertThat(optedOut.at("/bySex/categories/" + c + "/count")).isEqualTo(county.at("/columnTotals/" + c + "/count"))
          .isEqualTo(age.at("/columnTotals/" + c + "/count"));
      assertThat(county.at("/columnTotals/" + c)).isEqualTo(age.at("/columnTotals/" + c));
    }
    assertThat(optedOut.get("total")).isEqualTo(county.get("total")).isEqualTo(age.get("total"))
        .isEqualTo(optedOut.at("/byScope/total"));

    // an attacker holding both tables solves all their equations together: no suppressed value is determined
    assertThat(PublishedTables.of(county, age).derivable()).isEmpty();

    // every published count is the true count, from an independent query of the latest event per person
    Map<String, Long> truth = trueCounts();
    assertPublishedAreTrue(county, "county", truth);
    assertPublishedAreTrue(age, "age", truth);
    // by channel: every channel named, the same total, what is shown true, and nothing hidden that the rest gives away
    JsonNode channels = optedOut.get("byChannel");
    assertThat(channels.get("total")).isEqualTo(optedOut.get("total"));
    List<String> named = new ArrayList<>();
    long shown = 0;
    int hidden = 0;
    for (JsonNode channel : channels.get("categories")) {
      named.add(channel.get("category").asString());
      if (channel.get("suppressed").asBoolean()) {
        hidden++;
      } else {
        assertThat(channel.get("count").asLong()).as(channel.toString())
            .isEqualTo(truth.getOrDefault("channel " + channel.get("category").asString(), 0L));
        shown += channel.get("count").asLong();
      }
    }
    assertThat(named).containsExactly("counter", "online", "proxy");
    assertThat(hidden).as("hidden channels: none, or at least two").isNotEqualTo(1);
    if (hidden == 0) {
      assertThat(shown).isEqualTo(optedOut.at("/total/count").asLong());
    }
    for (JsonNode scope : optedOut.at("/byScope/categories")) {
      if (!scope.get("suppressed").asBoolean()) {
        assertThat(scope.get("count").asLong()).as(scope.toString())
            .isEqualTo(truth.getOrDefault("scope " + scope.get("category").asString(), 0L));
      }
    }
    assertThat(optedOut.at("/total/count").asLong()).isEqualTo(truth.get("people"));

    // the daily series: the 90 complete Taipei days before today (filings of today come tomorrow)
    LocalDate today = LocalDate.now(TAIPEI);
    JsonNode series = view.get("dailyFilings");
    assertThat(series.get("to").asString()).isEqualTo(today.minusDays(1).toString());
    assertThat(series.get("from").asString()).isEqualTo(today.minusDays(90).toString());
    assertThat(series.get("days").size()).isEqualTo(90);
    // and the SQL behind it counts today's filings (recorded now) on today's Taipei date
    Map<String, Long> todays = queries.filingsPerDay(today, today, TAIPEI).get(today);
    assertThat(todays.get(EventType.OPT_OUT_FILED.code())).isGreaterThanOrEqualTo(63);
  }

  @Test
  void onlyReadingTheStatisticsIsPublic() {
    assertThat(get(StatisticsController.STATISTICS, null).statusCode()).isEqualTo(200);
    assertThat(get(StatisticsController.STATISTICS, token("citizen-demo")).statusCode()).isEqualTo(200);
    assertThat(get(StatisticsController.STATISTICS, "not.a.token").statusCode()).isEqualTo(401);
    assertThat(get(StatisticsController.STATISTICS + "/anything", null).statusCode()).isEqualTo(401);
    assertThat(post(StatisticsController.STATISTICS, null, null, "{}").statusCode()).isEqualTo(401);
    assertThat(post(StatisticsController.STATISTICS, token("clerk-demo"), null, "{}").statusCode()).isEqualTo(403);
    HttpResponse<String> delete = send(HttpRequest.newBuilder(uri(StatisticsController.STATISTICS)).DELETE().build());
    assertThat(delete.statusCode()).isEqualTo(401);
  }

  /** County, sex and age band of each person's latest event; people per scope; people in all. */
  private Map<String, Long> trueCounts() {
    Map<String, Long> truth = new HashMap<>();
    jdbc.query("""
        select e.stat_county, e.stat_sex, e.stat_age_band, e.channel
          from person_state p
          join lateral (select x.* from registry_event x where x.person = p.person order by x.seq desc limit 1) e on true
         where p.opted_out::text <> '{}'""", rs -> {
      String county = PublicStatistics.COUNTIES.contains(rs.getString(1)) ? rs.getString(1) : "unknown";
      String sex = PublicStatistics.SEXES.contains(rs.getString(2)) ? rs.getString(2) : "unknown";
      String age = PublicStatistics.ageBand(rs.getString(3));
      truth.merge("county " + county + " " + sex, 1L, Long::sum);
      truth.merge("county " + county, 1L, Long::sum);
      truth.merge("age " + age + " " + sex, 1L, Long::sum);
      truth.merge("age " + age, 1L, Long::sum);
      truth.merge("sex " + sex, 1L, Long::sum);
      truth.merge("channel " + rs.getString(4), 1L, Long::sum);
      truth.merge("people", 1L, Long::sum);
    });
    jdbc.query("select k, count(*) from person_state, jsonb_object_keys(opted_out) k group by k",
        rs -> {
          truth.put("scope " + rs.getString(1), rs.getLong(2));
        });
    return truth;
  }

  private static void assertPublishedAreTrue(JsonNode table, String prefix, Map<String, Long> truth) {
    List<String> columns = new ArrayList<>();
    table.get("columns").forEach(c -> columns.add(c.asString()));
    for (JsonNode row : table.get("rows")) {
      String category = row.get("category").asString();
      for (int c = 0; c < columns.size(); c++) {
        assertShownIs(row.get("cells").get(c), truth.getOrDefault(prefix + " " + category + " " + columns.get(c), 0L), category);
      }
      assertShownIs(row.get("total"), truth.getOrDefault(prefix + " " + category, 0L), category);
    }
    for (int c = 0; c < columns.size(); c++) {
      assertShownIs(table.get("columnTotals").get(c), truth.getOrDefault("sex " + columns.get(c), 0L), columns.get(c));
    }
  }

  private static void assertShownIs(JsonNode cell, long truth, String what) {
    if (cell.get("suppressed").asBoolean()) {
      assertThat(cell.get("count").isNull()).isTrue();
    } else {
      assertThat(cell.get("count").asLong()).as(what).isEqualTo(truth);
    }
  }

  private static void numbers(JsonNode node, List<Long> found) {
    if (node.isNumber()) {
      found.add(node.asLong());
    }
    node.forEach(child -> numbers(child, found));
  }

  private static JsonNode row(JsonNode table, String category) {
    for (JsonNode row : table.get("rows")) {
      if (row.get("category").asString().equals(category)) {
        return row;
      }
    }
    throw new AssertionError("no row " + category);
  }

  private static int column(JsonNode table, String column) {
    for (int c = 0; c < table.get("columns").size(); c++) {
      if (table.get("columns").get(c).asString().equals(column)) {
        return c;
      }
    }
    throw new AssertionError("no column " + column);
  }

  private static JsonNode category(JsonNode oneWay, String category) {
    for (JsonNode node : oneWay.get("categories")) {
      if (node.get("category").asString().equals(category)) {
        return node;
      }
    }
    throw new AssertionError("no category " + category);
  }

  private static int suppressedIn(JsonNode row) {
    int n = row.get("total").get("suppressed").asBoolean() ? 1 : 0;
    for (JsonNode cell : row.get("cells")) {
      n += cell.get("suppressed").asBoolean() ? 1 : 0;
    }
    return n;
  }

  private static int suppressedInColumn(JsonNode table, int column) {
    int n = table.get("columnTotals").get(column).get("suppressed").asBoolean() ? 1 : 0;
    for (JsonNode row : table.get("rows")) {
      n += row.get("cells").get(column).get("suppressed").asBoolean() ? 1 : 0;
    }
    return n;
  }

  private static List<Long> shownCells(JsonNode table) {
    List<Long> shown = new ArrayList<>();
    for (JsonNode row : table.get("rows")) {
      for (JsonNode cell : row.get("cells")) {
        if (!cell.get("suppressed").asBoolean()) {
          shown.add(cell.get("count").asLong());
        }
      }
    }
    return shown;
  }

  /** The published county and age band tables as an attacker sees them: what is hidden, and every equation. */
  private record PublishedTables(List<String> names, boolean[] suppressed, List<int[]> equations) {

    static PublishedTables of(JsonNode... tables) {
      List<String> names = new ArrayList<>();
      List<Boolean> hidden = new ArrayList<>();
      List<int[]> equations = new ArrayList<>();
      int columns = tables[0].get("columns").size();
      int[] columnTotal = new int[columns];
      for (int c = 0; c < columns; c++) {
        columnTotal[c] = names.size();
        names.add("total " + tables[0].get("columns").get(c).asString());
        hidden.add(tables[0].get("columnTotals").get(c).get("suppressed").asBoolean());
      }
      int total = names.size();
      names.add("total");
      hidden.add(tables[0].get("total").get("suppressed").asBoolean());
      for (JsonNode table : tables) {
        int rows = table.get("rows").size();
        int[][] cell = new int[rows][columns];
        int[] rowTotal = new int[rows];
        for (int r = 0; r < rows; r++) {
          JsonNode row = table.get("rows").get(r);
          for (int c = 0; c < columns; c++) {
            cell[r][c] = names.size();
            names.add(table.get("rowDimension").asString() + " " + row.get("category").asString() + " " + c);
            hidden.add(row.get("cells").get(c).get("suppressed").asBoolean());
          }
          rowTotal[r] = names.size();
          names.add(table.get("rowDimension").asString() + " " + row.get("category").asString());
          hidden.add(row.get("total").get("suppressed").asBoolean());
          int[] equation = new int[columns + 1];
          equation[0] = rowTotal[r];
          System.arraycopy(cell[r], 0, equation, 1, columns);
          equations.add(equation);
        }
        for (int c = 0; c < columns; c++) {
          int[] equation = new int[rows + 1];
          equation[0] = columnTotal[c];
          for (int r = 0; r < rows; r++) {
            equation[r + 1] = cell[r][c];
          }
          equations.add(equation);
        }
        int[] margins = new int[rows + 1];
        margins[0] = total;
        System.arraycopy(rowTotal, 0, margins, 1, rows);
        equations.add(margins);
      }
      int[] margins = new int[columns + 1];
      margins[0] = total;
      System.arraycopy(columnTotal, 0, margins, 1, columns);
      equations.add(margins);
      boolean[] flags = new boolean[hidden.size()];
      for (int i = 0; i < flags.length; i++) {
        flags[i] = hidden.get(i);
      }
      return new PublishedTables(names, flags, equations);
    }

    List<String> derivable() {
      return LinearAttack.determined(equations, suppressed).stream().map(names::get).toList();
    }
  }
}
