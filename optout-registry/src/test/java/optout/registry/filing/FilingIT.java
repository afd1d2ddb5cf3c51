package optout.registry.filing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;
import optout.platform.testing.TestDatabases;
import optout.platform.testing.TestKeycloak;
import optout.registry.RegistryIT;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/** Filing as the consent service does it, and every way a filing is refused with nothing stored. */
class FilingIT extends RegistryIT {

  @Autowired private JdbcTemplate jdbc;

  private long events() {
    return jdbc.queryForObject("select count(*) from registry_event", Long.class);
  }

  @Test
  void theConsentServiceFilesAnOptOutAndAReplayReturnsTheSameFiling() {
    String key = key();
    String body = filing("opt-out-filed", "B120000008", "\"academic-research\", \"commercial-use\"", "counter", ", \"ageBand\": \"40-44\"");
    HttpResponse<String> first = file(key, body);
    assertThat(first.statusCode()).as(first.body()).isEqualTo(201);
    JsonNode filed = json(first);
    assertThat(filed.get("type").asString()).isEqualTo("opt-out-filed");
    assertThat(filed.get("scopes").toString()).isEqualTo("[\"academic-research\",\"commercial-use\"]");
    assertThat(first.headers().firstValue("Location")).hasValue(FilingController.FILINGS + "/" + filed.get("id").asString());
    assertThat(first.body()).doesNotContain("B120000008");
    long stored = events();

    HttpResponse<String> replay = file(key, body);
    assertThat(replay.statusCode()).isEqualTo(200);
    assertThat(replay.headers().firstValue("Idempotency-Replayed")).hasValue("true");
    assertThat(json(replay).get("id")).isEqualTo(filed.get("id"));

    HttpResponse<String> otherBody = file(key,
        filing("opt-out-filed", "B120000008", "\"academic-research\"", "counter", ""));
    assertThat(otherBody.statusCode()).isEqualTo(409);
    assertThat(json(otherBody).get("type").asString()).isEqualTo("urn:nhi-optout:problem:idempotency-conflict");
    assertThat(events()).isEqualTo(stored);

    Long state = jdbc.queryForObject("select count(*) from person_state where opted_out ? 'academic-research' and opted_out ? 'commercial-use'", Long.class);
    assertThat(state).isGreaterThanOrEqualTo(1);
    assertThat(jdbc.queryForObject("select stat_sex || ' ' || stat_county || ' ' || stat_age_band from registry_event where id = ?::uuid",
        String.class, filed.get("id").asString())).isEqualTo("male taichung-city 40-44");
  }

  @Test
  void theConsentServiceFilesWithItsServiceAccountAndWithdrawalsFollowTheState() {
    String person = "F220000004";
    HttpResponse<String> optOut = file(key(),
        filing("opt-out-filed", person, "\"all-secondary-use\"", "online", ""));
    assertThat(optOut.statusCode()).as(optOut.body()).isEqualTo(201);
    assertThat(jdbc.queryForObject("select filed_by from registry_event where id = ?::uuid", String.class,
        json(optOut).get("id").asString())).isEqualTo("consent-service");

    HttpResponse<String> again = file(key(),
        filing("opt-out-filed", person, "\"all-secondary-use\"", "online", ""));
    assertThat(again.statusCode()).isEqualTo(409);
    assertThat(json(again).get("detail").asString()).isEqualTo("The person has already opted out of all-secondary-use: nothing to file");

    HttpResponse<String> wrongWithdrawal = file(key(),
        filing("opt-out-withdrawn", person, "\"academic-research\"", "online", ""));
    assertThat(wrongWithdrawal.statusCode()).isEqualTo(409);
    assertThat(json(wrongWithdrawal).get("detail").asString())
        .isEqualTo("The person has not opted out of academic-research: nothing to withdraw there");

    HttpResponse<String> withdrawal = file(key(),
        filing("opt-out-withdrawn", person, "\"all-secondary-use\"", "online", ""));
    assertThat(withdrawal.statusCode()).as(withdrawal.body()).isEqualTo(201);
  }

  @Test
  void aWithdrawalWithoutAnOptOutIsRefusedAndNothingIsStored() {
    long before = events();
    HttpResponse<String> refused = file(key(),
        filing("opt-out-withdrawn", "E230000006", "\"academic-research\"", "counter", ""));
    assertThat(refused.statusCode()).isEqualTo(409);
    JsonNode problem = json(refused);
    assertThat(problem.get("type").asString()).isEqualTo("urn:nhi-optout:problem:filing-refused");
    assertThat(problem.get("detail").asString()).isEqualTo("The person has no opt-out to withdraw");
    assertThat(problem.has("requestId")).isTrue();
    assertThat(events()).isEqualTo(before);
  }

  @Test
  void badInputIsAnsweredClearlyAndNothingIsStored() {
    long before = events();

    HttpResponse<String> unknownScope = file(key(),
        filing("opt-out-filed", "A123456789", "\"academic-research\", \"astrology\"", "counter", ""));
    assertThat(unknownScope.statusCode()).isEqualTo(400);
    assertThat(json(unknownScope).get("type").asString()).isEqualTo("urn:nhi-optout:problem:unknown-scope");
    assertThat(json(unknownScope).get("unknownScopes").toString()).isEqualTo("[\"astrology\"]");

    HttpResponse<String> badChecksum = file(key(),
        filing("opt-out-filed", "A123456788", "\"academic-research\"", "counter", ""));
    assertThat(badChecksum.statusCode()).isEqualTo(400);
    assertThat(json(badChecksum).at("/errors/0/field").asString()).isEqualTo("nationalId");
    assertThat(badChecksum.body()).doesNotContain("A123456788");

    HttpResponse<String> malformed = file(key(), "{\"type\": \"opt-out-filed\", \"nationalId\": ");
    assertThat(malformed.statusCode()).isEqualTo(400);
    assertThat(json(malformed).get("type").asString()).isEqualTo("urn:nhi-optout:problem:malformed-request");

    HttpResponse<String> noScopes = file(key(), filing("opt-out-filed", "A123456789", "", "counter", ""));
    assertThat(noScopes.statusCode()).isEqualTo(400);
    assertThat(json(noScopes).at("/errors/0/field").asString()).isEqualTo("scopes");

    HttpResponse<String> proxyWithout = file(key(),
        filing("opt-out-filed", "A123456789", "\"academic-research\"", "proxy", ""));
    assertThat(proxyWithout.statusCode()).isEqualTo(400);
    assertThat(json(proxyWithout).get("detail").asString()).isEqualTo("A proxy filing must name the proxy's relation and evidence");

    HttpResponse<String> future = file(key(),
        filing("opt-out-filed", "A123456789", "\"academic-research\"", "counter", "").replace("2026-11-20T03:00:00Z", "2099-01-01T00:00:00Z"));
    assertThat(future.statusCode()).isEqualTo(400);
    assertThat(json(future).get("detail").asString()).isEqualTo("effectiveAt lies in the future");

    HttpResponse<String> noKey = file(null, filing("opt-out-filed", "A123456789", "\"academic-research\"", "counter", ""));
    assertThat(noKey.statusCode()).isEqualTo(400);

    HttpResponse<String> oversize = file(key(),
        filing("opt-out-filed", "A123456789", "\"academic-research\"", "counter", ", \"padding\": \"" + "x".repeat(70_000) + "\""));
    assertThat(oversize.statusCode()).isEqualTo(413);
    assertThat(json(oversize).get("type").asString()).isEqualTo("urn:nhi-optout:problem:body-too-large");

    assertThat(events()).isEqualTo(before);
  }

  @Test
  void onlyTheConsentServiceFilesAndNoHumanRoleStoresAnything() {
    long before = events();
    // the attack of issue 13: a clerk withdrawing anyone's opt-out on a form that does not exist
    String body = filing("opt-out-withdrawn", "A123456789", "\"academic-research\"", "counter", "")
        .replaceFirst("consent/[0-9a-f-]+\\.pdf", "no-such-document").replace("ab".repeat(32), "1".repeat(64));
    for (String user : List.of("clerk-demo", "citizen-demo", "researcher-demo", "reviewer-demo", "auditor-demo")) {
      HttpResponse<String> refused = post(FilingController.FILINGS, token(user), key(), body);
      assertThat(refused.statusCode()).as(user).isEqualTo(403);
      assertThat(json(refused).get("type").asString()).as(user).isEqualTo("urn:nhi-optout:problem:access-denied");
    }
    assertThat(post(FilingController.FILINGS, TestKeycloak.get().serviceAccountToken("optout-portal"), key(), body).statusCode())
        .isEqualTo(403);
    assertThat(post(FilingController.FILINGS, null, key(), body).statusCode()).isEqualTo(401);
    assertThat(post(FilingController.FILINGS, "not.a.token", key(), body).statusCode()).isEqualTo(401);
    assertThat(events()).isEqualTo(before);
  }

  @Test
  void onlyTheConsentServiceAndAuditorsReadAFiling() {
    // access is decided before the lookup: a filing that does not exist tells the allowed (404) from the refused (403)
    String path = FilingController.FILINGS + "/" + UUID.randomUUID();
    assertThat(get(path, consentServiceToken()).statusCode()).isEqualTo(404);
    assertThat(get(path, token("auditor-demo")).statusCode()).isEqualTo(404);
    assertThat(get(path, token("clerk-demo")).statusCode()).isEqualTo(403);
    assertThat(get(path, token("citizen-demo")).statusCode()).isEqualTo(403);
  }

  @Test
  void theApplicationRoleCannotChangeEventsAndTheOwnerIsStoppedByTriggers() throws SQLException {
    file(key(), filing("opt-out-filed", "H120000004", "\"academic-research\"", "counter", ""));
    TestDatabases.TestDatabase db = testDatabase();
    try (Connection app = DriverManager.getConnection(db.url(), db.applicationUser(), db.password())) {
      assertThatThrownBy(() -> app.createStatement().executeUpdate("update registry_event set scopes = '{commercial-use}'"))
          .hasMessageContaining("permission denied");
      assertThatThrownBy(() -> app.createStatement().executeUpdate("delete from registry_event"))
          .hasMessageContaining("permission denied");
      assertThatThrownBy(() -> app.createStatement().executeUpdate("delete from log_node"))
          .hasMessageContaining("permission denied");
    }
    try (Connection owner = DriverManager.getConnection(db.url(), db.user(), db.password())) {
      assertThatThrownBy(() -> owner.createStatement().executeUpdate("update registry_event set scopes = '{commercial-use}'"))
          .hasMessageContaining("append-only");
      assertThatThrownBy(() -> owner.createStatement().executeUpdate("truncate registry_event cascade"))
          .hasMessageContaining("append-only");
    }
  }
}
