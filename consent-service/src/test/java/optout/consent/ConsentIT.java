package optout.consent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import optout.platform.testing.ServiceIntegrationTest;
import optout.platform.testing.TestFilingKeys;
import optout.platform.testing.TestKeycloak;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The whole consent service on a random port, against the run's PostgreSQL (as its application role)
 * and Keycloak, with a demo PKI and master key of its own in a temporary directory. There is no
 * registry and the relay is idle, so filings stay in the outbox; a test of delivery runs a registry
 * and its own relay in a context of its own (see OutboxDeliveryIT).
 */
public abstract class ConsentIT extends ServiceIntegrationTest {

  private static Path directory;
  /** The registry a delivery test runs, while it runs; otherwise none, and the relay idles. */
  protected static volatile java.net.URI deliveryRegistry;

  protected static final JsonMapper JSON = JsonMapper.builder().build();

  /** The test JVM's escrow examiner: a key store of its own, apart from everything the service is given. */
  public record TestExaminer(Path keystore, Path passphraseFile, Path certificate) {}

  private static TestExaminer examiner;

  public static synchronized TestExaminer examiner() {
    if (examiner == null) {
      try {
        Path home = Files.createTempDirectory("consent-it-examiner");
        examiner = new TestExaminer(home.resolve("escrow-examiner.p12"), home.resolve("escrow-examiner.pass"),
            home.resolve("escrow-examiner.pem"));
        optout.pad.envelope.ExaminerKeystore.create(examiner.keystore(), examiner.passphraseFile(), examiner.certificate(),
            "Escrow examiner (consent ITs)", java.time.Instant.now());
      } catch (IOException | java.security.GeneralSecurityException e) {
        throw new IllegalStateException("Cannot make the test examiner", e);
      }
    }
    return examiner;
  }

  protected static synchronized Path directory() {
    if (directory == null) {
      try {
        directory = Files.createTempDirectory("consent-it");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return directory;
  }

  @DynamicPropertySource
  static void consent(DynamicPropertyRegistry properties) {
    register(properties);
  }

  /** The consent service's settings for a test JVM; also for tests that cannot extend this class. */
  public static void register(DynamicPropertyRegistry properties) {
    connectAsApplicationRole();
    properties.add("optout.consent.secret-key-file", () -> directory().resolve("consent.key").toString());
    properties.add("optout.consent.create-secret-key", () -> "true");
    // the test JVM's filing key, which the registries these tests start trust
    properties.add("optout.consent.filing-key.file", () -> {
      try {
        return TestFilingKeys.signerKeyFile().toString();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    properties.add("optout.consent.seal.pki-directory", () -> directory().resolve("pki").toString());
    // only the examiner's certificate: the examiner's key store is never given to the service
    properties.add("optout.consent.seal.examiner-certificate", () -> examiner().certificate().toString());
    properties.add("optout.consent.registry.client-secret", () -> "optout-consent-local-demo-secret");
    // the contexts of the tests share one database: only the delivery test's relay may work on its outbox
    properties.add("optout.consent.registry.url", () -> deliveryRegistry == null ? "http://127.0.0.1:9" : deliveryRegistry.toString());
    properties.add("optout.consent.registry.relay-interval", () -> deliveryRegistry == null ? "1h" : "200ms");
    properties.add("optout.consent.registry.max-backoff", () -> "2s");
    properties.add("optout.consent.web.verification-base", () -> "http://localhost:8082");
    properties.add("optout.consent.counter.pad", () -> "virtual:STU-540");
    properties.add("optout.consent.counter.local-demo-virtual-pad", () -> "true");
    // the test realm's public client for the pages, whose redirect URIs allow the tests' random ports
    properties.add("optout.consent.web.client-id", () -> "it-web");
  }

  /**
   * The query an online signature carries: the SHA-256 of the form template ({@code opt-out} or
   * {@code withdrawal}) whose declaration and privacy notice the page showed before signing.
   */
  protected static String shown(String kind) {
    return "?declaration=" + optout.consent.form.FormTemplate.latest(kind).sha256();
  }

  protected static String token(String user) {
    return TestKeycloak.get().accessToken(user);
  }

  protected HttpResponse<String> post(String path, String token, String json) {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(60))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return send(request.build());
  }

  protected HttpResponse<String> put(String path, String token, String contentType, byte[] body) {
    return send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(60)).header("Authorization", "Bearer " + token)
        .header("Content-Type", contentType).PUT(HttpRequest.BodyPublishers.ofByteArray(body)).build());
  }

  protected HttpResponse<byte[]> download(String path, String token) {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30)).GET();
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  protected static JsonNode json(HttpResponse<String> response) {
    return JSON.readTree(response.body());
  }

  /** Files an opt-out at the counter with the virtual pad, as clerk-demo; returns the filing. */
  protected JsonNode fileAtCounter(String nationalId, String scopesJson) {
    return fileAtCounter("opt-out", nationalId, scopesJson);
  }

  /** Files an opt-out or a withdrawal at the counter with the virtual pad, as clerk-demo; returns the filing. */
  protected JsonNode fileAtCounter(String kind, String nationalId, String scopesJson) {
    String clerk = token("clerk-demo");
    HttpResponse<String> draft = post("/api/v1/counter/drafts", clerk, """
        {"kind": "%s", "nationalId": "%s", "scopes": %s, "identityCheck": {"method": "national-id-card"}}"""
        .formatted(kind, nationalId, scopesJson));
    if (draft.statusCode() != 201) {
      throw new AssertionError("draft: " + draft.statusCode() + " " + draft.body());
    }
    String id = json(draft).get("draftId").asString();
    HttpResponse<String> capture = post("/api/v1/counter/drafts/" + id + "/capture", clerk, "{\"virtualRecording\": \"signature-b\"}");
    if (capture.statusCode() != 200 || !json(capture).get("accepted").asBoolean()) {
      throw new AssertionError("capture: " + capture.statusCode() + " " + capture.body());
    }
    HttpResponse<String> accepted = post("/api/v1/counter/drafts/" + id + "/accept", clerk, "");
    if (accepted.statusCode() != 201) {
      throw new AssertionError("accept: " + accepted.statusCode() + " " + accepted.body());
    }
    return json(accepted);
  }
}
