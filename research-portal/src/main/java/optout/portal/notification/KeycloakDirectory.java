package optout.portal.notification;

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
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Looks a person's e-mail address up in Keycloak by their subject, through the admin REST API as a
 * confidential client's service account that may only view users. The portal keeps no address: it asks
 * when it sends, so a changed address is used at once. Plain Java over the JDK's HTTP client.
 */
final class KeycloakDirectory {

  /** What Keycloak says of a subject. */
  sealed interface Lookup {}

  record Address(String address) implements Lookup {}

  /** No such account, or an account without an address: nothing to send to, now or later. */
  record NoAddress() implements Lookup {}

  // Keycloak's user IDs; anything else is not put into a URL
  private static final Pattern SUBJECT = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
  // enough to be an address and nothing that breaks a header; the SMTP server judges the rest
  private static final Pattern ADDRESS = Pattern.compile("[^\\s<>,;\"@]{1,64}@[^\\s<>,;\"@]{1,255}");

  private final URI tokenEndpoint;
  private final URI usersEndpoint;
  private final String clientId;
  private final String secret;
  private final JsonMapper json;
  private final Clock clock;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private String token;
  private Instant tokenExpires = Instant.EPOCH;

  /** @param issuer the realm's issuer, {@code <keycloak>/realms/<realm>}: the admin API is {@code <keycloak>/admin/realms/<realm>} */
  KeycloakDirectory(URI issuer, String clientId, String secret, JsonMapper json, Clock clock) {
    String base = issuer.toString().replaceAll("/+$", "");
    int realms = base.lastIndexOf("/realms/");
    if (realms < 0) {
      throw new IllegalArgumentException("Cannot start the e-mail relay: the issuer is not a Keycloak realm's (…/realms/<realm>)");
    }
    this.tokenEndpoint = URI.create(base + "/protocol/openid-connect/token");
    this.usersEndpoint = URI.create(base.substring(0, realms) + "/admin" + base.substring(realms) + "/users/");
    this.clientId = clientId;
    this.secret = secret;
    this.json = json;
    this.clock = clock;
  }

  /** The subject's address, or that it has none; an {@link IOException} when Keycloak cannot say now (try later). */
  Lookup lookUp(String subject) throws IOException, InterruptedException {
    if (subject == null || !SUBJECT.matcher(subject).matches()) {
      return new NoAddress();
    }
    HttpResponse<String> user = http.send(HttpRequest.newBuilder(usersEndpoint.resolve(subject)).timeout(Duration.ofSeconds(10))
        .header("Authorization", "Bearer " + token()).GET().build(), HttpResponse.BodyHandlers.ofString());
    if (user.statusCode() == 401) {
      tokenExpires = Instant.EPOCH;  // revoked or expired early: a fresh token next time
    }
    if (user.statusCode() == 404) {
      return new NoAddress();
    }
    if (user.statusCode() != 200) {
      throw new IOException("Keycloak answered HTTP " + user.statusCode() + " to the user look-up");
    }
    String address = read(user.body()).path("email").asString("").strip();
    return ADDRESS.matcher(address).matches() ? new Address(address) : new NoAddress();
  }

  private synchronized String token() throws IOException, InterruptedException {
    if (token != null && clock.instant().isBefore(tokenExpires)) {
      return token;
    }
    String form = "grant_type=client_credentials&client_id=" + URLEncoder.encode(clientId, StandardCharsets.UTF_8)
        + "&client_secret=" + URLEncoder.encode(secret, StandardCharsets.UTF_8);
    HttpResponse<String> answer = http.send(HttpRequest.newBuilder(tokenEndpoint).timeout(Duration.ofSeconds(10))
        .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)).build(),
        HttpResponse.BodyHandlers.ofString());
    if (answer.statusCode() != 200) {
      throw new IOException("Keycloak refused the relay's client credentials: HTTP " + answer.statusCode());
    }
    JsonNode body = read(answer.body());
    String fresh = body.path("access_token").asString("");
    if (fresh.isEmpty()) {
      throw new IOException("Keycloak's token answer holds no access token");
    }
    token = fresh;
    // renewed a little before it runs out
    tokenExpires = clock.instant().plusSeconds(Math.max(0, body.path("expires_in").asLong(60) - 20));
    return token;
  }

  private JsonNode read(String body) throws IOException {
    try {
      return json.readTree(body);
    } catch (JacksonException e) {
      throw new IOException("Keycloak's answer is not JSON");
    }
  }
}
