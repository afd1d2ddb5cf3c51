package optout.registry;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import optout.platform.testing.ServiceIntegrationTest;
import optout.platform.testing.TestKeycloak;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The whole registry on a random port, with real keys, Keycloak and PostgreSQL; tests speak HTTP to it. */
public abstract class RegistryIT extends ServiceIntegrationTest {

  protected static final JsonMapper JSON = JsonMapper.builder().build();

  @DynamicPropertySource
  static void registry(DynamicPropertyRegistry properties) throws Exception {
    RegistryTestSetup.register(properties);
  }

  protected static String token(String user) {
    return TestKeycloak.get().accessToken(user);
  }

  protected static String consentServiceToken() {
    return TestKeycloak.get().serviceAccountToken("optout-consent");
  }

  /** A filing body; {@code %s} fields filled by the caller. */
  protected static String filing(String type, String nationalId, String scopes, String channel, String extra) {
    return """
        {"type": "%s", "nationalId": "%s", "scopes": [%s], "channel": "%s",
         "document": {"reference": "consent/%s.pdf", "sha256": "%s"},
         "effectiveAt": "2026-11-20T03:00:00Z"%s}""".formatted(type, nationalId, scopes, channel, UUID.randomUUID(),
        "ab".repeat(32), extra);
  }

  protected HttpResponse<String> post(String path, String token, String idempotencyKey, String body) {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    if (idempotencyKey != null) {
      request.header("Idempotency-Key", idempotencyKey);
    }
    return send(request.build());
  }

  /** Files as the consent service does: with its service account, the only identity allowed to file. */
  protected HttpResponse<String> file(String idempotencyKey, String body) {
    return post("/api/v1/filings", consentServiceToken(), idempotencyKey, body);
  }

  protected static JsonNode json(HttpResponse<String> response) {
    return JSON.readTree(response.body());
  }

  protected static String key() {
    return "it-" + UUID.randomUUID();
  }
}
