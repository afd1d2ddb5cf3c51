package optout.portal.keycloak;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A confidential client's access token (client credentials grant at the realm's token endpoint), reused until 30 s
 * before it expires. The secret and the token go in the request body and header only, never in a URL or a log. For the
 * portal's machine clients: the status watch, the report's timestamp client and the e-mail relay's directory.
 */
public final class ServiceToken {

  /** Keycloak gave no token (unreachable, or it refused the client). */
  public static final class Unavailable extends RuntimeException {
    Unavailable(String message) {
      super(message);
    }
  }

  private record Kept(String value, long validUntilNanos) {}

  private final URI tokenEndpoint;
  private final String clientId;
  private final String clientSecret;
  private final JsonMapper json;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private volatile Kept kept;

  public ServiceToken(URI issuer, String clientId, String clientSecret, JsonMapper json) {
    this.tokenEndpoint = URI.create(issuer.toString().replaceAll("/+$", "") + "/protocol/openid-connect/token");
    this.clientId = clientId;
    this.clientSecret = clientSecret;
    this.json = json;
  }

  /** The kept token, or a fresh one; {@link Unavailable} when Keycloak gives none now. */
  public String get() {
    Kept now = kept;
    if (now != null && System.nanoTime() < now.validUntilNanos()) {
      return now.value();
    }
    String form = "grant_type=client_credentials&client_id=" + URLEncoder.encode(clientId, StandardCharsets.UTF_8)
        + "&client_secret=" + URLEncoder.encode(clientSecret, StandardCharsets.UTF_8);
    try {
      HttpResponse<byte[]> answer = http.send(HttpRequest.newBuilder(tokenEndpoint).timeout(Duration.ofSeconds(10))
          .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)).build(),
          HttpResponse.BodyHandlers.ofByteArray());
      if (answer.statusCode() != 200) {
        throw new Unavailable("Keycloak answered HTTP " + answer.statusCode() + " for client " + clientId + "'s token");
      }
      JsonNode granted = json.readTree(answer.body());
      long seconds = Math.max(0, (granted.path("expires_in").isNumber() ? granted.get("expires_in").asLong() : 60) - 30);
      Kept fresh = new Kept(granted.get("access_token").asString(), System.nanoTime() + seconds * 1_000_000_000L);
      kept = fresh;
      return fresh.value();
    } catch (IOException e) {
      throw new Unavailable("Cannot reach Keycloak for client " + clientId + "'s token (" + e.getClass().getSimpleName() + ")");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Unavailable("Interrupted while asking Keycloak for a token");
    }
  }

  /** Forgets the kept token (the service refused it: revoked or expired early), so the next {@link #get} asks afresh. */
  public void invalidate() {
    kept = null;
  }
}
