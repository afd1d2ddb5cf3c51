package optout.registry.bench;

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
 * The consent service's access token (client credentials), shared by every client thread. It is
 * fetched again a minute before it expires, so no filing is refused for an expired token in a run
 * longer than the token's life (five minutes in the local realm); a 401 forces a new one at once.
 */
final class TokenSource {

  /** Fetch a new token this long before the current one expires. */
  private static final Duration MARGIN = Duration.ofSeconds(60);

  private final HttpClient http;
  private final URI endpoint;
  private final String form;
  private final JsonMapper json = JsonMapper.builder().build();
  private volatile String token;
  private volatile long refreshAtNanos;
  private int fetched;

  TokenSource(HttpClient http, URI keycloak, String realm, String clientId, String clientSecret) {
    this.http = http;
    this.endpoint = keycloak.resolve("/realms/" + realm + "/protocol/openid-connect/token");
    this.form = "grant_type=client_credentials&client_id=" + URLEncoder.encode(clientId, StandardCharsets.UTF_8)
        + "&client_secret=" + URLEncoder.encode(clientSecret, StandardCharsets.UTF_8);
  }

  String get() throws IOException, InterruptedException {
    String current = token;
    if (current != null && System.nanoTime() - refreshAtNanos < 0) {
      return current;
    }
    return refresh(current);
  }

  /** The server refused {@code rejected}: fetch another unless another thread already has. */
  void rejected(String rejected) throws IOException, InterruptedException {
    refresh(rejected);
  }

  synchronized int fetched() {
    return fetched;
  }

  private synchronized String refresh(String stale) throws IOException, InterruptedException {
    if (token != null && !token.equals(stale) && System.nanoTime() - refreshAtNanos < 0) {
      return token;  // another thread refreshed it meanwhile
    }
    HttpResponse<String> response;
    try {
      response = http.send(HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(10))
          .header("Content-Type", "application/x-www-form-urlencoded")
          .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IOException("Cannot reach Keycloak's token endpoint " + endpoint + " (" + e + "): is the platform up? Start it with ./optout up", e);
    }
    if (response.statusCode() != 200) {
      throw new IOException("Keycloak refused the consent service's client credentials at " + endpoint + ": HTTP "
          + response.statusCode() + " (is the realm imported, and the client secret the local demo one?)");
    }
    JsonNode body = json.readTree(response.body());
    long lifetime = body.path("expires_in").asLong(60);
    token = body.path("access_token").asString();
    refreshAtNanos = System.nanoTime() + Duration.ofSeconds(Math.max(5, lifetime - MARGIN.toSeconds())).toNanos();
    fetched++;
    return token;
  }
}
