package optout.portal.notification;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Pattern;
import optout.portal.keycloak.ServiceToken;
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

  private final URI usersEndpoint;
  private final ServiceToken tokens;
  private final JsonMapper json;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  /** @param issuer the realm's issuer, {@code <keycloak>/realms/<realm>}: the admin API is {@code <keycloak>/admin/realms/<realm>} */
  KeycloakDirectory(URI issuer, String clientId, String secret, JsonMapper json) {
    String base = issuer.toString().replaceAll("/+$", "");
    int realms = base.lastIndexOf("/realms/");
    if (realms < 0) {
      throw new IllegalArgumentException("Cannot start the e-mail relay: the issuer is not a Keycloak realm's (…/realms/<realm>)");
    }
    this.usersEndpoint = URI.create(base.substring(0, realms) + "/admin" + base.substring(realms) + "/users/");
    this.tokens = new ServiceToken(issuer, clientId, secret, json);
    this.json = json;
  }

  /** The subject's address, or that it has none; an {@link IOException} when Keycloak cannot say now (try later). */
  Lookup lookUp(String subject) throws IOException, InterruptedException {
    if (subject == null || !SUBJECT.matcher(subject).matches()) {
      return new NoAddress();
    }
    HttpResponse<String> user = http.send(HttpRequest.newBuilder(usersEndpoint.resolve(subject)).timeout(Duration.ofSeconds(10))
        .header("Authorization", "Bearer " + token()).GET().build(), HttpResponse.BodyHandlers.ofString());
    if (user.statusCode() == 401) {
      tokens.invalidate();  // revoked or expired early: a fresh token next time
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

  /** The relay's token; Keycloak giving none now is a failure to try later, like any other it cannot answer. */
  private String token() throws IOException {
    try {
      return tokens.get();
    } catch (ServiceToken.Unavailable e) {
      throw new IOException(e.getMessage());
    }
  }

  private JsonNode read(String body) throws IOException {
    try {
      return json.readTree(body);
    } catch (JacksonException e) {
      throw new IOException("Keycloak's answer is not JSON");
    }
  }
}
