package optout.registry.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import optout.platform.testing.TestDatabases;
import optout.registry.RegistryIT;
import optout.registry.statistics.StatisticsProperties;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/**
 * Surge alerts in the real alert table, raised once per day, seen by auditors only.
 *
 * <p>The judgement needs weeks of history, and the test database cannot be given any: events are only
 * stored through the filing path (their row MAC is the registry's, their {@code recorded_at} is the
 * registry's clock), and backdated rows would also enter the transparency log that other test classes
 * audit. So the watch is run here over a history held in memory ({@link SurgeWatchTest.Filings}) with a
 * fixed clock in 2021, against the real {@link AlertStore} (real table, real grants, real lock); the SQL
 * that feeds the production watch is checked separately against filings made through the API.
 */
class SurgeAlertIT extends RegistryIT {

  private static final ZoneId TAIPEI = ZoneId.of("Asia/Taipei");
  /** Monday 2021-03-01, 10:00 in Taipei. */
  private static final LocalDate DAY = LocalDate.of(2021, 3, 1);

  @Autowired private AlertStore alerts;
  @Autowired private SurgeWatch watch;
  @Autowired private RecordedOptOutFilings recorded;
  @Autowired private JdbcTemplate jdbc;

  private SurgeWatch watchAt(SurgeWatchTest.Filings filings, Instant now) {
    StatisticsProperties properties = new StatisticsProperties(10, Duration.ofMinutes(5), 90, TAIPEI,
        new StatisticsProperties.Surge(true, Duration.ofSeconds(30), Duration.ofHours(1), 14, true, 28, 14, 5.0, 20, 1.5, true));
    return new SurgeWatch(filings, alerts, properties, Clock.fixed(now, ZoneOffset.UTC));
  }

  private long alertsFor(LocalDate day) {
    return jdbc.queryForObject("select count(*) from registry_alert where kind = 'opt-out-surge' and detail ->> 'day' = ?",
        Long.class, day.toString());
  }

  @Test
  void eachSurgeDayIsAlertedOnceAndOnlyAuditorsSeeTheAlerts() {
    SurgeWatchTest.Filings filings = SurgeWatchTest.Filings.steady(LocalDate.of(2021, 1, 1), DAY.minusDays(1), 40);
    filings.daily.put(LocalDate.of(2021, 2, 19), 400L);
    filings.daily.put(LocalDate.of(2021, 2, 26), 300L);
    filings.today = 200;
    filings.share = OptionalDouble.of(0.25);
    Instant tenOClock = DAY.atTime(10, 0).atZone(TAIPEI).toInstant();

    List<SurgeWatch.Finding> raised = watchAt(filings, tenOClock).check();

    assertThat(raised).extracting(f -> f.surge().day() + (f.intraday() ? " so far" : ""))
        .containsExactly("2021-02-19", "2021-02-26", "2021-03-01 so far");
    assertThat(alertsFor(LocalDate.of(2021, 2, 19))).isEqualTo(1);
    assertThat(alertsFor(LocalDate.of(2021, 2, 26))).isEqualTo(1);
    assertThat(alertsFor(DAY)).isEqualTo(1);

    // the next run, and the next day's runs (which judge the 1st as a whole day), add nothing
    assertThat(watchAt(filings, tenOClock.plus(Duration.ofHours(1))).check()).isEmpty();
    filings.daily.put(DAY, 900L);
    filings.today = 10;  // the 2nd so far is quiet
    SurgeWatch tomorrow = watchAt(filings, tenOClock.plus(Duration.ofDays(1)));
    assertThat(tomorrow.find(tenOClock.plus(Duration.ofDays(1)))).extracting(f -> f.surge().day()).contains(DAY);
    assertThat(tomorrow.check()).isEmpty();
    for (LocalDate day : List.of(LocalDate.of(2021, 2, 19), LocalDate.of(2021, 2, 26), DAY)) {
      assertThat(alertsFor(day)).as(day.toString()).isEqualTo(1);
    }

    String auditor = token("auditor-demo");
    HttpResponse<String> listed = get(AlertController.ALERTS + "?kind=opt-out-surge&size=500", auditor);
    assertThat(listed.statusCode()).as(listed.body()).isEqualTo(200);
    List<String> days = new ArrayList<>();
    JsonNode first = null;
    for (JsonNode alert : json(listed).get("alerts")) {
      assertThat(alert.get("kind").asString()).isEqualTo("opt-out-surge");
      String day = alert.at("/detail/day").asString();
      if (day.startsWith("2021-")) {
        days.add(day);
        first = first == null ? alert : first;
      }
    }
    assertThat(days).containsExactly("2021-03-01", "2021-02-26", "2021-02-19");  // newest first
    JsonNode detail = first.get("detail");
    assertThat(detail.get("count").asLong()).isEqualTo(200);
    assertThat(detail.get("baseline").asDouble()).isEqualTo(10.0);
    assertThat(detail.get("threshold").asDouble()).isGreaterThan(20);
    assertThat(detail.get("ratio").asDouble()).isEqualTo(20.0);
    assertThat(detail.get("intraday").asBoolean()).isTrue();
    assertThat(detail.get("timeZone").asString()).isEqualTo("Asia/Taipei");
    assertThat(first.get("raisedAt").asString()).isEqualTo("2021-03-01T02:00:00Z");
    assertThat(json(listed).get("total").asLong()).isGreaterThanOrEqualTo(3);

    JsonNode page = json(get(AlertController.ALERTS + "?size=1&page=0", auditor));
    assertThat(page.get("alerts").size()).isEqualTo(1);
    assertThat(page.get("total").asLong()).isGreaterThanOrEqualTo(3);

    assertThat(get(AlertController.ALERTS, token("clerk-demo")).statusCode()).isEqualTo(403);
    assertThat(get(AlertController.ALERTS, token("citizen-demo")).statusCode()).isEqualTo(403);
    assertThat(get(AlertController.ALERTS, null).statusCode()).isEqualTo(401);
    assertThat(get(AlertController.ALERTS + "?size=0", auditor).statusCode()).isEqualTo(400);
    assertThat(get(AlertController.ALERTS + "?kind=Not%20A%20Kind", auditor).statusCode()).isEqualTo(400);
  }

  @Test
  void theRegistryMayInsertAndReadAlertsButChangeNone() throws Exception {
    TestDatabases.TestDatabase db = testDatabase();
    try (Connection app = DriverManager.getConnection(db.url(), db.applicationUser(), db.password())) {
      app.createStatement().executeUpdate(
          "insert into registry_alert (kind, raised_at, detail) values ('test-kind', now(), '{\"day\": \"2020-01-01\"}')");
      assertThatThrownBy(() -> app.createStatement().executeUpdate("update registry_alert set kind = 'x' where kind = 'test-kind'"))
          .hasMessageContaining("permission denied");
      assertThatThrownBy(() -> app.createStatement().executeUpdate("delete from registry_alert where kind = 'test-kind'"))
          .hasMessageContaining("permission denied");
    }
  }

  @Test
  void theProductionWatchCountsRecordedFilingsOnTaipeiDays() {
    HttpResponse<String> filed = file(key(),
        filing("opt-out-filed", "I147110013", "\"commercial-use\"", "counter", ""));
    assertThat(filed.statusCode()).as(filed.body()).isIn(201, 409);
    Instant now = Instant.now();
    LocalDate today = now.atZone(TAIPEI).toLocalDate();
    Instant midnight = today.atStartOfDay(TAIPEI).toInstant();

    assertThat(recorded.firstDay()).hasValueSatisfying(first -> assertThat(first).isBeforeOrEqualTo(today));
    assertThat(recorded.perDay(today, today).get(today)).isPositive();
    assertThat(recorded.between(midnight, now.plusSeconds(60))).isEqualTo(recorded.perDay(today, today).get(today));
    assertThat(recorded.between(midnight.minus(Duration.ofDays(400)), midnight.minus(Duration.ofDays(399)))).isZero();
    assertThat(recorded.shareBefore(today, today, LocalTime.MAX)).hasValue(1.0);
    assertThat(recorded.shareBefore(today, today, LocalTime.MIDNIGHT)).hasValue(0.0);
    assertThat(recorded.shareBefore(today.minusDays(30), today.minusDays(29), LocalTime.NOON)).isEmpty();

    // the test database holds filings of today only: nothing can be judged, and the run must not fail
    assertThat(watch.find(now)).isEmpty();
    assertThat(watch.check()).isEmpty();
  }
}
