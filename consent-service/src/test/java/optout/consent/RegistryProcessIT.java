package optout.consent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import optout.platform.testing.TestFilingKeys;
import optout.platform.testing.TestKeycloak;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The harness the outbox tests stand on: the real registry as a child process, stopped and started again
 * with what it stored intact, and a filing delivered to it found exactly once in its database.
 */
class RegistryProcessIT {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final String FILINGS = "/api/v1/filings";

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @Test
  void aFilingDeliveredBeforeAStopIsThereExactlyOnceAfterTheRegistryStartsAgain() throws Exception {
    try (RegistryProcess registry = RegistryProcess.prepare()) {
      registry.start();
      assertThat(registry.running()).isTrue();
      HttpResponse<String> health = send(HttpRequest.newBuilder(registry.baseUri().resolve("/actuator/health")).GET().build());
      assertThat(health.statusCode()).isEqualTo(200);
      assertThat(JSON.readTree(health.body()).get("status").asString()).isEqualTo("UP");

      String token = TestKeycloak.get().serviceAccountToken("optout-consent");
      String reference = "consent/registry-process-it-" + UUID.randomUUID() + ".pdf";
      String idempotencyKey = "registry-process-it-" + UUID.randomUUID();
      HttpRequest delivery = filing(registry, token, idempotencyKey, reference);
      HttpResponse<String> filed = send(delivery);
      assertThat(filed.statusCode()).as(filed.body()).isEqualTo(201);
      String id = JSON.readTree(filed.body()).get("id").asString();

      registry.stop();
      assertThat(registry.running()).isFalse();
      assertThatThrownBy(() -> send(delivery)).isInstanceOf(ConnectException.class);

      registry.start();
      // An outbox that is not sure its delivery arrived delivers again: the registry answers with the
      // first filing and stores nothing new.
      HttpResponse<String> again = send(delivery);
      assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
      assertThat(again.headers().firstValue("Idempotency-Replayed")).hasValue("true");
      assertThat(JSON.readTree(again.body()).get("id").asString()).isEqualTo(id);

      assertThat(registry.filingsWithDocumentReference(reference)).isEqualTo(1);
      assertThat(registry.filings()).singleElement().satisfies(stored -> {
        assertThat(stored.id()).hasToString(id);
        assertThat(stored.documentReference()).isEqualTo(reference);
        assertThat(stored.idempotencyKey()).isEqualTo(idempotencyKey);
        assertThat(stored.filedBy()).isEqualTo("consent-service");
        assertThat(stored.filerRole()).isEqualTo("clerk");
        assertThat(stored.filerPseudonym()).matches("[0-9a-f]{32}");
        assertThat(stored.scopes()).isEqualTo(List.of("academic-research"));
      });
    }
  }

  private static HttpRequest filing(RegistryProcess registry, String token, String idempotencyKey, String reference) {
    ObjectNode body = JSON.createObjectNode()
        .put("type", "opt-out-filed")
        .put("nationalId", "A123456789")
        .put("channel", "counter")
        .put("effectiveAt", "2026-11-20T03:00:00Z");
    body.putArray("scopes").add("academic-research");
    body.putObject("document").put("reference", reference).put("sha256", "ab".repeat(32));
    TestFilingKeys.seal(body, idempotencyKey);
    return HttpRequest.newBuilder(registry.baseUri().resolve(FILINGS)).timeout(Duration.ofSeconds(30))
        .header("Authorization", "Bearer " + token)
        .header("Idempotency-Key", idempotencyKey)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
        .build();
  }

  private HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }
}
