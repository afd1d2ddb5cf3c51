package optout.platform.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The nhi-optout realm as people meet it: signing in on Keycloak's login page through the pages'
 * public client with authorization code + PKCE, the only way the realm offers.
 */
class RealmLoginIT {

  private static final String CLIENT = "optout-web";
  private static final String REDIRECT = "http://localhost:8083/login/callback";
  private static final Pattern FORM_ACTION = Pattern.compile("<form[^>]*id=\"kc-form-login\"[^>]*action=\"([^\"]+)\"");
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final PlatformTestEnvironment environment = PlatformTestEnvironment.current();
  private final URI realm = environment.realmIssuer(TestKeycloak.REALM);
  private final Browser browser = new Browser();

  /**
   * Keeps cookies as a browser does on localhost. (Keycloak marks its cookies Secure; browsers send
   * those to http://localhost, Java's CookieManager does not.)
   */
  private static final class Browser {
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    private final Map<String, String> cookies = new LinkedHashMap<>();

    HttpResponse<String> get(URI target) throws IOException, InterruptedException {
      return send(HttpRequest.newBuilder(target).GET());
    }

    HttpResponse<String> post(URI target, Map<String, String> fields) throws IOException, InterruptedException {
      return send(HttpRequest.newBuilder(target)
          .header("Content-Type", "application/x-www-form-urlencoded")
          .POST(HttpRequest.BodyPublishers.ofString(form(fields))));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
      if (!cookies.isEmpty()) {
        request.header("Cookie", cookies.entrySet().stream()
            .map(c -> c.getKey() + "=" + c.getValue()).collect(Collectors.joining("; ")));
      }
      HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      for (String header : response.headers().allValues("Set-Cookie")) {
        String pair = header.split(";", 2)[0];
        int equals = pair.indexOf('=');
        if (equals > 0) {
          String name = pair.substring(0, equals).trim();
          String value = pair.substring(equals + 1).trim();
          if (value.isEmpty() || header.toLowerCase().contains("max-age=0")) {
            cookies.remove(name);
          } else {
            cookies.put(name, value);
          }
        }
      }
      return response;
    }
  }

  @Test
  void everyDemoUserSignsInWithPkceAndGetsExactlyTheirRoleAndEveryServiceAsAudience() throws Exception {
    Map<String, String> roles = new LinkedHashMap<>();
    roles.put("citizen-demo", "citizen");
    roles.put("clerk-demo", "clerk");
    roles.put("researcher-demo", "researcher");
    roles.put("reviewer-demo", "reviewer");
    roles.put("auditor-demo", "auditor");
    roles.put("custodian-a", "key-custodian");
    roles.put("custodian-b", "key-custodian");
    for (var user : roles.entrySet()) {
      Browser fresh = new Browser();
      String verifier = verifier();
      String code = signIn(fresh, user.getKey(), TestKeycloak.DEMO_PASSWORD, challenge(verifier));
      HttpResponse<String> token = redeem(code, verifier);
      assertThat(token.statusCode()).as(user.getKey()).isEqualTo(200);
      JsonNode claims = TamperedTokens.claims(JSON.readTree(token.body()).get("access_token").asString());
      assertThat(claims.at("/realm_access/roles").toString()).as(user.getKey()).contains("\"" + user.getValue() + "\"");
      assertThat(claims.get("azp").asString()).isEqualTo(CLIENT);
      assertThat(claims.get("aud").toString()).contains("optout-registry", "optout-consent", "optout-portal");
    }
  }

  @Test
  void anAuthorizationRequestWithoutPkceIsRefused() throws Exception {
    HttpResponse<String> response = browser.get(authorizationUri(null));
    assertThat(response.statusCode()).isEqualTo(302);
    String location = response.headers().firstValue("Location").orElseThrow();
    assertThat(location).startsWith(REDIRECT).contains("error=invalid_request").doesNotContain("code=");
  }

  @Test
  void aCodeCannotBeRedeemedWithoutItsVerifier() throws Exception {
    String code = signIn(browser, "reviewer-demo", TestKeycloak.DEMO_PASSWORD, challenge(verifier()));
    HttpResponse<String> token = redeem(code, verifier());
    assertThat(token.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(token.body()).get("error").asString()).isEqualTo("invalid_grant");
  }

  @Test
  void aWrongPasswordGetsTheLoginPageAgainAndNoCode() throws Exception {
    HttpResponse<String> page = browser.get(authorizationUri(challenge(verifier())));
    HttpResponse<String> answer = browser.post(formAction(page.body()),
        Map.of("username", "auditor-demo", "password", "not-the-password"));
    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(answer.headers().firstValue("Location")).isEmpty();
    assertThat(answer.body()).contains("kc-form-login");
  }

  private String signIn(Browser client, String username, String password, String challenge) throws Exception {
    HttpResponse<String> page = client.get(authorizationUri(challenge));
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).contains("lang=\"zh-TW\"");
    HttpResponse<String> answer = client.post(formAction(page.body()), Map.of("username", username, "password", password));
    assertThat(answer.statusCode()).as("redirect back to the page after login of " + username).isEqualTo(302);
    String location = answer.headers().firstValue("Location").orElseThrow();
    assertThat(location).startsWith(REDIRECT);
    Matcher code = Pattern.compile("[?&]code=([^&]+)").matcher(location);
    assertThat(code.find()).as("authorization code in " + location).isTrue();
    return URLDecoder.decode(code.group(1), StandardCharsets.UTF_8);
  }

  private HttpResponse<String> redeem(String code, String verifier) throws IOException, InterruptedException {
    return browser.post(URI.create(realm + "/protocol/openid-connect/token"), Map.of(
        "grant_type", "authorization_code", "client_id", CLIENT, "code", code,
        "redirect_uri", REDIRECT, "code_verifier", verifier));
  }

  private URI authorizationUri(String challenge) {
    Map<String, String> query = new LinkedHashMap<>();
    query.put("client_id", CLIENT);
    query.put("response_type", "code");
    query.put("scope", "openid");
    query.put("redirect_uri", REDIRECT);
    query.put("state", "state-" + verifier().substring(0, 8));
    if (challenge != null) {
      query.put("code_challenge", challenge);
      query.put("code_challenge_method", "S256");
    }
    return URI.create(realm + "/protocol/openid-connect/auth?" + form(query));
  }

  private static URI formAction(String html) {
    Matcher action = FORM_ACTION.matcher(html);
    assertThat(action.find()).as("Keycloak's login form").isTrue();
    return URI.create(action.group(1).replace("&amp;", "&"));
  }

  private static String form(Map<String, String> fields) {
    return fields.entrySet().stream()
        .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
  }

  private static String verifier() {
    byte[] random = new byte[48];
    new SecureRandom().nextBytes(random);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
  }

  private static String challenge(String verifier) throws NoSuchAlgorithmException {
    byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
    return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
  }

  @Test
  void pkceChallengeFollowsRfc7636AppendixB() throws Exception {
    // RFC 7636, Appendix B: the published verifier and its S256 challenge.
    assertThat(challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"))
        .isEqualTo("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
    assertThat(List.of(verifier(), verifier())).doesNotHaveDuplicates();
  }
}
