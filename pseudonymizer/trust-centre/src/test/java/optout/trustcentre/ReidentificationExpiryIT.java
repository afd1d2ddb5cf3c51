package optout.trustcentre;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import optout.platform.testing.ServiceIntegrationTest;
import optout.platform.testing.TestKeycloak;
import optout.pseudonymizer.id.PersonId;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Requests that wait too long expire on their own, and then nobody can approve or resolve them. */
class ReidentificationExpiryIT extends ServiceIntegrationTest {

  @DynamicPropertySource
  static void shortLivedRequests(DynamicPropertyRegistry properties) throws Exception {
    CustodyFixture.register(properties);
    connectAsApplicationRole();
    properties.add("optout.trust-centre.request-validity", () -> "PT2S");
    properties.add("optout.trust-centre.expiry-check-interval", () -> "PT0.5S");
  }

  @Test
  void aStaleRequestExpiresOnSchedule() throws Exception {
    long pseudonym = CustodyFixture.get().projectPseudonymOf(PersonId.parse("A123456789"));
    HttpResponse<String> filed = send(HttpRequest.newBuilder(uri("/api/v1/reidentifications"))
        .header("Authorization", "Bearer " + TestKeycloak.get().accessToken("reviewer-demo"))
        .header("Content-Type", "application/json").header("Idempotency-Key", "expiry-case-1")
        .POST(HttpRequest.BodyPublishers.ofString("""
            {"project": "nhird-2026-0042", %s, "pseudonyms": [%d], "legalBasis": "basis", "reason": "reason"}""".formatted(CustodyFixture.get().extractFields(), pseudonym)))
        .build());
    assertThat(filed.statusCode()).isEqualTo(201);
    String id = JsonMapper.builder().build().readTree(filed.body()).get("id").asString();

    String status = "";
    for (int i = 0; i < 40 && !status.equals("EXPIRED"); i++) {
      Thread.sleep(250);
      JsonNode request = JsonMapper.builder().build().readTree(get("/api/v1/reidentifications/" + id, TestKeycloak.get().accessToken("auditor-demo")).body());
      status = request.get("status").asString();
    }
    assertThat(status).isEqualTo("EXPIRED");
    HttpResponse<String> late = send(HttpRequest.newBuilder(uri("/api/v1/reidentifications/" + id + "/approvals"))
        .header("Authorization", "Bearer " + TestKeycloak.get().accessToken("custodian-a"))
        .POST(HttpRequest.BodyPublishers.noBody()).build());
    assertThat(late.statusCode()).isEqualTo(409);
    assertThat(late.body()).contains("\"rule\":\"EXPIRED\"");
    String events = get("/api/v1/audit-events?request=" + id, TestKeycloak.get().accessToken("auditor-demo")).body();
    assertThat(events).contains("\"type\":\"EXPIRED\"", "\"actor\":\"system\"");
  }
}
