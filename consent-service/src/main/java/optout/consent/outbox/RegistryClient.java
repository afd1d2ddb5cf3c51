package optout.consent.outbox;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import optout.consent.ConsentProperties;
import optout.platform.problem.ProblemResponses;
import optout.platform.security.ResourceServerProperties;
import org.springframework.stereotype.Component;

/**
 * Posts filings to the registry as the consent service's own service account (client credentials at
 * Keycloak; the registry gives that account the role filing-service). The token is reused until shortly
 * before it expires.
 */
@Component
public class RegistryClient {

  /** How the registry answered a delivery. */
  public sealed interface Answer {
    /** The registry has the filing (now, or from an earlier delivery of the same key). */
    record Accepted(UUID eventId, boolean replayed) implements Answer {}

    /**
     * The registry refused the filing for a domain reason it names by problem type (e.g. the person has
     * already opted out): retrying the same filing will not help, a clerk must look at it.
     */
    record Refused(int status, String problemType, String detail) implements Answer {}

    /** The registry could not be reached or was not able to answer: retry later. */
    record Unavailable(String reason) implements Answer {}
  }

  private static final String FILINGS = "/api/v1/filings";

  /**
   * The registry's domain refusals (its {@code RegistryProblems}) with the status each comes with. Any
   * other answer, a 403 or 404 from a misconfigured role or proxy included, may pass and is retried.
   */
  static final Map<String, Integer> DOMAIN_REFUSALS = Map.of(
      ProblemResponses.type("filing-refused").toString(), 409,          // already opted out, nothing to withdraw, unchanged
      ProblemResponses.type("unknown-scope").toString(), 400,           // a scope the registry's catalogue does not have
      ProblemResponses.type("exemption-not-granted").toString(), 403,   // a legal exemption the registry does not grant
      ProblemResponses.type("idempotency-conflict").toString(), 409);   // another filing under this filing's ID

  private final HttpClient http;
  private final ConsentProperties.Registry registry;
  private final URI tokenEndpoint;
  private final JsonMapper json;
  private final Clock clock;
  private String token;
  private Instant tokenExpires = Instant.MIN;

  RegistryClient(ConsentProperties properties, ResourceServerProperties security, JsonMapper json, Clock clock) {
    this.registry = properties.registry();
    this.tokenEndpoint = URI.create(security.issuer().toString().replaceAll("/$", "") + "/protocol/openid-connect/token");
    this.json = json;
    this.clock = clock;
    this.http = HttpClient.newBuilder().connectTimeout(registry.timeout()).build();
  }

  /** Delivers one filing under its idempotency key. Never throws for a network fault: that is {@link Answer.Unavailable}. */
  public Answer deliver(String idempotencyKey, byte[] request) {
    String bearer;
    try {
      bearer = token();
    } catch (IOException | RuntimeException e) {
      return new Answer.Unavailable("cannot get a token from Keycloak: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Answer.Unavailable("interrupted");
    }
    HttpRequest post = HttpRequest.newBuilder(registry.url().resolve(FILINGS))
        .timeout(registry.timeout())
        .header("Authorization", "Bearer " + bearer)
        .header("Content-Type", "application/json")
        .header("Idempotency-Key", idempotencyKey)
        .POST(HttpRequest.BodyPublishers.ofByteArray(request))
        .build();
    try {
      HttpResponse<byte[]> response = http.send(post, HttpResponse.BodyHandlers.ofByteArray());
      int status = response.statusCode();
      if (status == 200 || status == 201) {
        JsonNode body = json.readTree(response.body());
        return new Answer.Accepted(UUID.fromString(body.path("id").asString()), status == 200);
      }
      if (status == 401) {
        forgetToken();
      }
      String detail = detail(response.body()).orElse("HTTP " + status);
      Optional<String> type = problemType(response);
      if (type.isPresent() && Integer.valueOf(status).equals(DOMAIN_REFUSALS.get(type.get()))) {
        return new Answer.Refused(status, type.get(), detail);
      }
      return new Answer.Unavailable("HTTP " + status + type.map(t -> " " + t).orElse("") + ": " + detail);
    } catch (IOException e) {
      return new Answer.Unavailable("cannot reach the registry: " + e.getClass().getSimpleName());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Answer.Unavailable("interrupted");
    } catch (IllegalArgumentException | tools.jackson.core.JacksonException e) {
      return new Answer.Unavailable("the registry's answer has no event ID");
    }
  }

  /**
   * A GET from the registry, as this service's account when {@code asService} (else anonymous): the body
   * on 200, empty on 404.
   *
   * @throws UnexpectedAnswerException for any other answer of the registry
   * @throws IOException if the registry or Keycloak cannot be reached
   */
  public Optional<byte[]> read(String pathAndQuery, boolean asService) throws IOException, InterruptedException {
    HttpRequest.Builder get = HttpRequest.newBuilder(registry.url().resolve(pathAndQuery)).timeout(registry.timeout()).GET();
    if (asService) {
      get.header("Authorization", "Bearer " + token());
    }
    HttpResponse<byte[]> response = http.send(get.build(), HttpResponse.BodyHandlers.ofByteArray());
    if (response.statusCode() == 200) {
      return Optional.of(response.body());
    }
    if (response.statusCode() == 404) {
      return Optional.empty();
    }
    if (response.statusCode() == 401) {
      forgetToken();
    }
    throw new UnexpectedAnswerException(response.statusCode(), detail(response.body()).orElse("no detail"));
  }

  /** The registry answered, but neither with what was asked for nor with 404. */
  public static final class UnexpectedAnswerException extends IOException {
    UnexpectedAnswerException(int status, String detail) {
      super("the registry answered HTTP " + status + ": " + detail);
    }
  }

  /** The problem type of an RFC 9457 answer; none for any other body. */
  private Optional<String> problemType(HttpResponse<byte[]> response) {
    boolean problem = response.headers().firstValue("Content-Type").map(t -> t.toLowerCase(java.util.Locale.ROOT))
        .filter(t -> t.startsWith("application/problem+json")).isPresent();
    if (!problem) {
      return Optional.empty();
    }
    try {
      String type = json.readTree(response.body()).path("type").asString("");
      return type.isBlank() ? Optional.empty() : Optional.of(type);
    } catch (RuntimeException notJson) {
      return Optional.empty();
    }
  }

  private Optional<String> detail(byte[] body) {
    try {
      JsonNode problem = json.readTree(body);
      String detail = problem.path("detail").asString("");
      return detail.isBlank() ? Optional.empty() : Optional.of(detail.length() > 500 ? detail.substring(0, 500) : detail);
    } catch (RuntimeException notJson) {
      return Optional.empty();
    }
  }

  private synchronized void forgetToken() {
    token = null;
    tokenExpires = Instant.MIN;
  }

  private synchronized String token() throws IOException, InterruptedException {
    Instant now = clock.instant();
    if (token != null && now.isBefore(tokenExpires)) {
      return token;
    }
    if (registry.clientSecret() == null || registry.clientSecret().isBlank()) {
      throw new IllegalStateException("no client secret configured (optout.consent.registry.client-secret)");
    }
    String form = "grant_type=client_credentials&client_id=" + URLEncoder.encode(registry.clientId(), StandardCharsets.UTF_8)
        + "&client_secret=" + URLEncoder.encode(registry.clientSecret(), StandardCharsets.UTF_8);
    HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(tokenEndpoint)
        .timeout(registry.timeout())
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(form))
        .build(), HttpResponse.BodyHandlers.ofByteArray());
    if (response.statusCode() != 200) {
      throw new IOException("Keycloak answered HTTP " + response.statusCode());
    }
    JsonNode body = json.readTree(response.body());
    token = body.path("access_token").asString();
    long lifetime = body.path("expires_in").asLong(60);
    tokenExpires = now.plus(Duration.ofSeconds(Math.max(5, lifetime - 30)));
    return token;
  }
}
