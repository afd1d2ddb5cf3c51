package optout.trustcentre;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.UUID;
import optout.platform.testing.ServiceIntegrationTest;
import optout.platform.testing.TestKeys;
import optout.platform.testing.TamperedTokens;
import optout.platform.testing.TestKeycloak;
import optout.pseudonymizer.custody.KeyCustody;
import optout.pseudonymizer.id.PersonId;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The trust centre as its users meet it: real tokens of the demo users, real keys, real database. */
class ReidentificationIT extends ServiceIntegrationTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final PersonId DEMO_CITIZEN = PersonId.parse("A123456789");

  @DynamicPropertySource
  static void keys(DynamicPropertyRegistry properties) throws Exception {
    TestKeys.register(properties);
  }

  @Autowired private JdbcTemplate jdbc;

  private static String token(String user) {
    return TestKeycloak.get().accessToken(user);
  }

  private static String subject(String user) {
    return TamperedTokens.claims(token(user)).get("sub").asString();
  }

  private HttpResponse<String> post(String path, String user, String body, String idempotencyKey) {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri(path))
        .header("Authorization", "Bearer " + token(user))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (idempotencyKey != null) {
      request.header("Idempotency-Key", idempotencyKey);
    }
    return send(request.build());
  }

  private static JsonNode json(HttpResponse<String> response) {
    return JSON.readTree(response.body());
  }

  private long projectPseudonymOf(PersonId person) throws Exception {
    try (KeyCustody custody = TestKeys.open()) {
      return custody.projectPseudonymizer(TestKeys.PROJECT).pseudonym(custody.warehousePseudonymizer().pseudonym(person));
    }
  }

  @Test
  void aCitizenGetsTheirOwnWarehousePseudonymAndNothingElse() throws Exception {
    HttpResponse<String> response = get("/api/v1/citizens/me/pseudonym", token("citizen-demo"));
    assertThat(response.statusCode()).isEqualTo(200);
    long expected;
    try (KeyCustody custody = TestKeys.open()) {
      expected = custody.warehousePseudonymizer().pseudonym(DEMO_CITIZEN);
    }
    assertThat(json(response).get("pseudonym").asLong()).isEqualTo(expected);
    assertThat(json(response).get("keyVersion").asInt()).isEqualTo(1);
    assertThat(response.body()).doesNotContain(DEMO_CITIZEN.unmaskedValue());
    assertThat(TamperedTokens.claims(token("citizen-demo")).has("national_id")).as("the ID is never in the token").isFalse();
    assertThat(get("/api/v1/citizens/me/pseudonym", token("clerk-demo")).statusCode()).isEqualTo(403);
  }

  @Test
  void twoCustodiansApproveAndOnlyTheRequesterGetsThePersonOnce() throws Exception {
    long pseudonym = projectPseudonymOf(DEMO_CITIZEN);
    String key = "case-" + UUID.randomUUID();
    String body = """
        {"project": "nhird-2026-0042", "pseudonyms": [%d], "legalBasis": "Medical Care Act art. 70",
         "reason": "suspected adverse drug reaction to report to the treating physician"}""".formatted(pseudonym);

    HttpResponse<String> filed = post("/api/v1/reidentifications", "reviewer-demo", body, key);
    assertThat(filed.statusCode()).as(filed.body()).isEqualTo(201);
    String id = json(filed).get("id").asString();
    assertThat(filed.headers().firstValue("Location")).hasValue("/api/v1/reidentifications/" + id);
    assertThat(json(filed).get("status").asString()).isEqualTo("AWAITING_APPROVAL");

    HttpResponse<String> replay = post("/api/v1/reidentifications", "reviewer-demo", body, key);
    assertThat(replay.statusCode()).isEqualTo(200);
    assertThat(json(replay).get("id").asString()).isEqualTo(id);
    HttpResponse<String> reused = post("/api/v1/reidentifications", "reviewer-demo", body.replace("art. 70", "art. 71"), key);
    assertThat(reused.statusCode()).isEqualTo(409);
    assertThat(json(reused).get("type").asString()).isEqualTo("urn:nhi-optout:problem:idempotency-key-reused");

    String approvals = "/api/v1/reidentifications/" + id + "/approvals";
    String resolution = "/api/v1/reidentifications/" + id + "/resolution";
    assertThat(post(approvals, "reviewer-demo", "", null).statusCode()).as("reviewers cannot approve").isEqualTo(403);
    assertThat(post(resolution, "reviewer-demo", "", null).statusCode()).as("not approved yet").isEqualTo(409);
    assertThat(json(post(approvals, "custodian-a", "", null)).get("status").asString()).isEqualTo("AWAITING_APPROVAL");
    HttpResponse<String> twice = post(approvals, "custodian-a", "", null);
    assertThat(twice.statusCode()).isEqualTo(409);
    assertThat(json(twice).get("rule").asString()).isEqualTo("ALREADY_APPROVED_BY_CUSTODIAN");
    assertThat(json(post(approvals, "custodian-b", "", null)).get("status").asString()).isEqualTo("APPROVED");
    assertThat(post(resolution, "custodian-a", "", null).statusCode()).as("custodians do not receive results").isEqualTo(403);

    HttpResponse<String> resolved = post(resolution, "reviewer-demo", "", null);
    assertThat(resolved.statusCode()).isEqualTo(200);
    assertThat(resolved.headers().firstValue("Cache-Control")).hasValueSatisfying(v -> assertThat(v).contains("no-store"));
    assertThat(json(resolved).at("/results/0/pseudonym").asLong()).isEqualTo(pseudonym);
    assertThat(json(resolved).at("/results/0/personId").asString()).isEqualTo(DEMO_CITIZEN.unmaskedValue());
    HttpResponse<String> again = post(resolution, "reviewer-demo", "", null);
    assertThat(again.statusCode()).isEqualTo(409);
    assertThat(json(again).get("rule").asString()).isEqualTo("ALREADY_RESOLVED");

    HttpResponse<String> events = get("/api/v1/audit-events?request=" + id, token("auditor-demo"));
    assertThat(events.statusCode()).isEqualTo(200);
    List<String> steps = JSON.readTree(events.body()).valueStream().map(e -> e.get("type").asString() + " " + e.get("actor").asString()).toList();
    String reviewer = subject("reviewer-demo");
    String custodianA = subject("custodian-a");
    assertThat(steps).containsExactly(
        "REQUESTED " + reviewer, "REFUSED " + reviewer, "APPROVED " + custodianA, "REFUSED " + custodianA,
        "APPROVED " + subject("custodian-b"), "RESOLVED " + reviewer, "REFUSED " + reviewer);
    assertThat(events.body()).doesNotContain(Long.toString(pseudonym)).doesNotContain(DEMO_CITIZEN.unmaskedValue());
    assertThat(get("/api/v1/audit-events", token("reviewer-demo")).statusCode()).isEqualTo(403);
  }

  @Test
  void requestsAreValidatedAndNeedAnIdempotencyKeyAndAProjectWithKeys() throws Exception {
    long pseudonym = projectPseudonymOf(DEMO_CITIZEN);
    String body = """
        {"project": "%s", "pseudonyms": [%d], "legalBasis": "basis", "reason": "reason"}""";
    HttpResponse<String> noKey = post("/api/v1/reidentifications", "reviewer-demo", body.formatted("nhird-2026-0042", pseudonym), null);
    assertThat(noKey.statusCode()).isEqualTo(400);
    HttpResponse<String> noProject = post("/api/v1/reidentifications", "reviewer-demo", body.formatted("no-such-project", pseudonym), "case-0000001");
    assertThat(noProject.statusCode()).isEqualTo(409);
    assertThat(json(noProject).get("type").asString()).isEqualTo("urn:nhi-optout:problem:key-unavailable");
    HttpResponse<String> layer1 = post("/api/v1/reidentifications", "reviewer-demo", body.formatted("nhird-2026-0042", 12345678901L), "case-0000002");
    assertThat(layer1.statusCode()).isEqualTo(400);
    assertThat(json(layer1).get("detail").asString()).contains("every pseudonym must be a project (layer-2) pseudonym");
    HttpResponse<String> empty = post("/api/v1/reidentifications", "reviewer-demo",
        "{\"project\": \"nhird-2026-0042\", \"pseudonyms\": [], \"legalBasis\": \"\", \"reason\": \"r\"}", "case-0000003");
    assertThat(empty.statusCode()).isEqualTo(400);
    assertThat(json(empty).get("errors").toString()).contains("pseudonyms", "legalBasis");
    assertThat(get("/api/v1/reidentifications/" + UUID.randomUUID(), token("auditor-demo")).statusCode()).isEqualTo(404);
  }

  @Test
  void theAuditTrailCannotBeChangedEvenByTheService() {
    jdbc.update("insert into audit_event (type, request_id, actor, project, pseudonym_count, at, note) values ('REQUESTED', ?, 'x', 'p', 1, now(), 'n')",
        UUID.randomUUID());
    assertThatThrownBy(() -> jdbc.update("update audit_event set note = 'edited'")).hasMessageContaining("audit events are append-only");
    assertThatThrownBy(() -> jdbc.update("delete from audit_event")).hasMessageContaining("audit events are append-only");
    assertThatThrownBy(() -> jdbc.execute("truncate audit_event")).hasMessageContaining("audit events are append-only");
  }
}
