package optout.platform.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Real tokens from the run's real Keycloak.
 *
 * <p>The realm file in the repository has no client that accepts passwords directly (pages use
 * authorization code + PKCE). For tests, this class adds test-only clients to the running realm
 * through the admin API, once per JVM, and a second realm whose tokens every service must refuse.
 * Nothing of this is in the realm that {@code ./optout up} imports.
 */
public final class TestKeycloak {

  public static final String REALM = "nhi-optout";
  /** Another realm on the same server: same user names and roles, other issuer, other keys. */
  public static final String FOREIGN_REALM = "nhi-optout-impostor";
  /** The documented local-only password of the demo users. */
  public static final String DEMO_PASSWORD = "local-demo-only";

  static final String HARNESS_CLIENT = "it-harness";
  static final String SHORT_LIVED_CLIENT = "it-harness-short-lived";
  static final String OTHER_AUDIENCE_CLIENT = "it-harness-other-audience";
  /** Access-token lifespan of {@link #SHORT_LIVED_CLIENT}, in seconds. */
  public static final int SHORT_LIFESPAN_SECONDS = 2;

  private static TestKeycloak shared;

  private final PlatformTestEnvironment environment;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private final JsonMapper json = JsonMapper.builder().build();

  private TestKeycloak(PlatformTestEnvironment environment) {
    this.environment = environment;
  }

  /** The run's Keycloak, with the test clients and the foreign realm in place. */
  public static synchronized TestKeycloak get() {
    if (shared == null) {
      TestKeycloak keycloak = new TestKeycloak(PlatformTestEnvironment.current());
      keycloak.prepare();
      shared = keycloak;
    }
    return shared;
  }

  public URI issuer() {
    return environment.realmIssuer(REALM);
  }

  /** An access token of a demo user (e.g. {@code clerk-demo}) that names every service as audience. */
  public String accessToken(String username) {
    return passwordGrant(REALM, HARNESS_CLIENT, username);
  }

  /** Like {@link #accessToken} but expiring after {@value #SHORT_LIFESPAN_SECONDS} seconds. */
  public String shortLivedAccessToken(String username) {
    return passwordGrant(REALM, SHORT_LIVED_CLIENT, username);
  }

  /** A valid token of the right realm whose audience is another client (Keycloak's account console), no service. */
  public String accessTokenForAnotherAudience(String username) {
    return passwordGrant(REALM, OTHER_AUDIENCE_CLIENT, username);
  }

  /** A token of the same user name, roles and audiences, but from {@link #FOREIGN_REALM}. */
  public String foreignRealmAccessToken(String username) {
    return passwordGrant(FOREIGN_REALM, HARNESS_CLIENT, username);
  }

  /** A service account's token (client credentials), e.g. the consent service's, with its documented demo secret. */
  public String serviceAccountToken(String clientId) {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("grant_type", "client_credentials");
    form.put("client_id", clientId);
    form.put("client_secret", clientId + "-local-demo-secret");
    return tokenRequest(REALM, form);
  }

  private void prepare() {
    String admin = adminToken();
    HttpResponse<String> clients = send(HttpRequest.newBuilder(adminUri("/realms/" + REALM + "/partialImport"))
        .header("Authorization", "Bearer " + admin)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(resource("test-clients.json")))
        .build());
    expect(clients, "add the test clients to realm " + REALM, 200);
    HttpResponse<String> realm = send(HttpRequest.newBuilder(adminUri("/realms"))
        .header("Authorization", "Bearer " + admin)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(resource("foreign-realm.json")))
        .build());
    expect(realm, "create realm " + FOREIGN_REALM, 201, 409);
  }

  private String adminToken() {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("grant_type", "password");
    form.put("client_id", "admin-cli");
    form.put("username", environment.keycloakAdmin());
    form.put("password", environment.keycloakAdminPassword());
    return tokenRequest("master", form);
  }

  private String passwordGrant(String realm, String client, String username) {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("grant_type", "password");
    form.put("client_id", client);
    form.put("username", username);
    form.put("password", DEMO_PASSWORD);
    form.put("scope", "openid");
    return tokenRequest(realm, form);
  }

  private String tokenRequest(String realm, Map<String, String> form) {
    String body = form.entrySet().stream()
        .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
    HttpResponse<String> response = send(HttpRequest.newBuilder(
            URI.create(environment.realmIssuer(realm) + "/protocol/openid-connect/token"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .build());
    expect(response, "get a token for " + form.get("username") + " from realm " + realm, 200);
    JsonNode token = json.readTree(response.body());
    return token.get("access_token").asString();
  }

  private URI adminUri(String path) {
    return URI.create(environment.keycloakUrl() + "/admin" + path);
  }

  private HttpResponse<String> send(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot reach the test Keycloak at " + environment.keycloakUrl(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while talking to Keycloak", e);
    }
  }

  private static void expect(HttpResponse<String> response, String what, int... statuses) {
    for (int status : statuses) {
      if (response.statusCode() == status) {
        return;
      }
    }
    throw new IllegalStateException("Cannot " + what + ": Keycloak answered " + response.statusCode() + " " + response.body());
  }

  private static String resource(String name) {
    try (InputStream in = TestKeycloak.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("Missing test resource " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
