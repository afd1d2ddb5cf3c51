package optout.registry;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;
import optout.platform.testing.PlatformTestEnvironment;
import optout.platform.testing.ServiceIntegrationTest;
import optout.platform.testing.TestFilingKeys;
import optout.platform.testing.TestKeycloak;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

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

  /**
   * Files as the consent service does: with its service account, the only identity allowed to file, and
   * the filing signed with the test filing key ({@link TestFilingKeys}). A body that cannot be read as
   * a filing (the refusal tests' bad input) gets a salt, a filer and a placeholder signature, so that the
   * registry answers about what is wrong with it rather than about the signature.
   */
  protected HttpResponse<String> file(String idempotencyKey, String body) {
    return post("/api/v1/filings", consentServiceToken(), idempotencyKey, sealed(body, idempotencyKey));
  }

  protected static String sealed(String body, String idempotencyKey) {
    ObjectNode request;
    try {
      request = (ObjectNode) JSON.readTree(body);
    } catch (RuntimeException notJson) {
      return body;
    }
    try {
      return JSON.writeValueAsString(TestFilingKeys.seal(request, idempotencyKey));
    } catch (RuntimeException notAFiling) {
      request.put("personSalt", "00".repeat(32));
      request.putObject("filer").put("role", "clerk").put("account", TestFilingKeys.TEST_CLERK);
      request.put("signature", "not signed: not a filing\n");
      return JSON.writeValueAsString(request);
    }
  }

  protected static JsonNode json(HttpResponse<String> response) {
    return JSON.readTree(response.body());
  }

  protected static String key() {
    return "it-" + UUID.randomUUID();
  }

  /** What an insider with the database's superuser does behind the registry's back (triggers and foreign keys off). */
  protected void asSuperuser(String... statements) throws Exception {
    PlatformTestEnvironment environment = PlatformTestEnvironment.current();
    try (Connection superuser = DriverManager.getConnection(testDatabase().url(), environment.postgresAdminUser(), "");
        Statement statement = superuser.createStatement()) {
      statement.execute("set session_replication_role = replica");
      for (String sql : statements) {
        statement.execute(sql);
      }
    }
  }
}
