package optout.registry.exemption;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import optout.platform.testing.TestDatabases;
import optout.platform.testing.TestKeycloak;
import optout.registry.RegistryIT;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/**
 * A legal exemption empties a release's exclusion set, so a releasing service may invoke only one an
 * auditor granted to it; every use is recorded and public. Through the HTTP API, as each role would try.
 */
class ExemptionIT extends RegistryIT {

  private static final String EXEMPTION = "insurance-administration-audit";
  private static final String GRANT = "{\"grantee\": \"optout-portal\", \"approvalReference\": \"Ministry of Health and Welfare letter 1130001\"}";

  @Autowired private JdbcTemplate jdbc;

  private long uses() {
    return jdbc.queryForObject("select count(*) from exemption_use where exemption = ?", Long.class, EXEMPTION);
  }

  private HttpResponse<String> snapshot(String token) {
    return post("/api/v1/snapshots", token, null, "{\"purpose\": \"government-statistics\", \"exemption\": \"" + EXEMPTION + "\"}");
  }

  private HttpResponse<String> bulk(String token) {
    return send(HttpRequest.newBuilder(uri("/api/v1/bulk-check?purpose=cross-agency-linkage&exemption=" + EXEMPTION))
        .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + token).header("Content-Type", "text/plain")
        .POST(HttpRequest.BodyPublishers.ofString("10000000001\n")).build());
  }

  private JsonNode register() {
    for (JsonNode exemption : json(get(ExemptionController.EXEMPTIONS, null))) {
      if (exemption.get("code").asString().equals(EXEMPTION)) {
        return exemption;
      }
    }
    throw new AssertionError(EXEMPTION + " is not in the register");
  }

  private HttpResponse<String> decide(String action, String token, String exemption, String body) {
    return post(ExemptionController.EXEMPTIONS + "/" + exemption + "/" + action, token, null, body);
  }

  @Test
  void aReleasingServiceInvokesOnlyAnExemptionAnAuditorGrantedItAndEveryUseIsPublic() throws Exception {
    String releaser = TestKeycloak.get().serviceAccountToken("optout-portal");
    String auditor = token("auditor-demo");
    for (int i = 0; i < 200 && get("/api/v1/log/checkpoint", null).statusCode() != 200; i++) {
      Thread.sleep(50);
    }

    // asserted, not granted: refused before anything is computed, and nothing recorded
    HttpResponse<String> asserted = snapshot(releaser);
    assertThat(asserted.statusCode()).as(asserted.body()).isEqualTo(403);
    assertThat(json(asserted).get("type").asString()).isEqualTo("urn:nhi-optout:problem:exemption-not-granted");
    assertThat(bulk(releaser).statusCode()).isEqualTo(403);
    assertThat(uses()).isZero();

    // only auditors grant, with a reason, an exemption that exists, to a well-formed client ID
    assertThat(decide("grants", releaser, EXEMPTION, GRANT).statusCode()).isEqualTo(403);
    assertThat(decide("grants", token("clerk-demo"), EXEMPTION, GRANT).statusCode()).isEqualTo(403);
    assertThat(decide("grants", null, EXEMPTION, GRANT).statusCode()).isEqualTo(401);
    HttpResponse<String> unknown = decide("grants", auditor, "national-security", GRANT);
    assertThat(unknown.statusCode()).isEqualTo(400);
    assertThat(json(unknown).get("detail").asString()).isEqualTo("Unknown legal exemption national-security");
    assertThat(decide("grants", auditor, EXEMPTION, "{\"grantee\": \"optout-portal\"}").statusCode()).isEqualTo(400);
    assertThat(decide("grants", auditor, EXEMPTION, "{\"grantee\": \"Robert'); drop table\", \"approvalReference\": \"letter 1\"}")
        .statusCode()).isEqualTo(400);
    assertThat(register().get("grantedTo").size()).isZero();

    HttpResponse<String> granted = decide("grants", auditor, EXEMPTION, GRANT);
    assertThat(granted.statusCode()).as(granted.body()).isEqualTo(201);
    assertThat(json(granted).get("action").asString()).isEqualTo("grant");
    HttpResponse<String> again = decide("grants", auditor, EXEMPTION, GRANT);
    assertThat(again.statusCode()).isEqualTo(400);
    assertThat(json(again).get("detail").asString()).isEqualTo("Legal exemption " + EXEMPTION + " is already granted to optout-portal");

    // granted: the use goes through and is recorded, in the public register and in every citizen's view
    HttpResponse<String> made = snapshot(releaser);
    assertThat(made.statusCode()).as(made.body()).isIn(200, 201);
    assertThat(json(made).get("count").asLong()).isZero();
    assertThat(bulk(releaser).body()).isEqualTo("10000000001\n");
    assertThat(uses()).isEqualTo(2);
    JsonNode register = register();
    assertThat(register.get("grantedTo").toString()).isEqualTo("[\"optout-portal\"]");
    assertThat(register.get("uses").asLong()).isEqualTo(2);
    assertThat(register.get("lastUsedAt").isNull()).isFalse();
    assertThat(register.at("/decisions/0/approvalReference").asString()).isEqualTo("Ministry of Health and Welfare letter 1130001");
    assertThat(register.at("/decisions/0").has("decidedBy")).isFalse();
    boolean shown = false;
    for (JsonNode exemption : json(get("/api/v1/me/status", token("citizen-demo"))).get("exemptions")) {
      if (exemption.get("code").asString().equals(EXEMPTION)) {
        assertThat(exemption.get("uses").asLong()).isEqualTo(2);
        shown = true;
      }
    }
    assertThat(shown).isTrue();

    // auditors recompute releases without a grant of their own; their uses are recorded too
    assertThat(snapshot(auditor).statusCode()).isIn(200, 201);
    assertThat(jdbc.queryForObject("select grantee from exemption_use where exemption = ? order by id desc limit 1", String.class, EXEMPTION))
        .isEqualTo("auditor");

    // revoked: refused again
    HttpResponse<String> revoked = decide("revocations", auditor, EXEMPTION,
        "{\"grantee\": \"optout-portal\", \"approvalReference\": \"Ministry of Health and Welfare letter 1130099\"}");
    assertThat(revoked.statusCode()).as(revoked.body()).isEqualTo(201);
    assertThat(snapshot(releaser).statusCode()).isEqualTo(403);
    assertThat(register().get("grantedTo").size()).isZero();
    assertThat(register().get("decisions").size()).isEqualTo(2);
  }

  @Test
  void decisionsAndUsesCannotBeChangedByTheApplicationOrItsOwner() throws Exception {
    // rows to change (row triggers fire only on rows), for a grantee no other test uses
    String grant = "{\"grantee\": \"append-only-check\", \"approvalReference\": \"letter 2\"}";
    assertThat(decide("grants", token("auditor-demo"), "communicable-disease-control", grant).statusCode()).isEqualTo(201);
    assertThat(decide("revocations", token("auditor-demo"), "communicable-disease-control", grant).statusCode()).isEqualTo(201);
    TestDatabases.TestDatabase db = testDatabase();
    try (Connection app = DriverManager.getConnection(db.url(), db.applicationUser(), db.password())) {
      assertThatThrownBy(() -> app.createStatement().executeUpdate("delete from exemption_decision")).hasMessageContaining("permission denied");
      assertThatThrownBy(() -> app.createStatement().executeUpdate("update exemption_use set grantee = 'x'")).hasMessageContaining("permission denied");
    }
    try (Connection owner = DriverManager.getConnection(db.url(), db.user(), db.password())) {
      assertThatThrownBy(() -> owner.createStatement().executeUpdate("update exemption_decision set action = 'grant'"))
          .hasMessageContaining("append-only");
      assertThatThrownBy(() -> owner.createStatement().executeUpdate("truncate exemption_use")).hasMessageContaining("append-only");
    }
  }
}
