package optout.demo;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Signs a demo user in at Keycloak the way the pages do (authorization code with PKCE, the public
 * client {@code optout-web}), over plain HTTP: fetch the login page, post the form, take the code from
 * the redirect, redeem it with the verifier. For the local demo only: it knows the demo password. The realm
 * takes no password grant (RealmFileTest), so this is how a command-line demo gets a person's token. No JSON
 * library: warehouse-jobs (Jackson 2, Spark's) and the portal demo (Jackson 3, the services') both use it.
 */
public final class DemoLogin {

  private static final Pattern ACCESS_TOKEN = Pattern.compile("\"access_token\"\\s*:\\s*\"([A-Za-z0-9._~+/=-]+)\"");
  private static final Pattern FORM_ACTION = Pattern.compile("<form[^>]*id=\"kc-form-login\"[^>]*action=\"([^\"]+)\"");

  private DemoLogin() {}

  /** Signs the user in and answers their access token (never printed or logged). */
  public static String accessToken(URI issuer, String clientId, URI redirect, String user, String password) throws IOException, InterruptedException {
    HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(10)).build();
    // Keycloak marks its session cookies Secure, which browsers honour on http://localhost and Java's
    // CookieManager does not: keep them by hand for this one login
    Map<String, String> cookies = new LinkedHashMap<>();
    byte[] random = new byte[32];
    new SecureRandom().nextBytes(random);
    String verifier = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    String challenge = Base64.getUrlEncoder().withoutPadding().encodeToString(sha256(verifier));
    String base = issuer.toString().replaceAll("/$", "") + "/protocol/openid-connect";
    URI authorize = URI.create(base + "/auth?response_type=code&scope=openid&client_id=" + encode(clientId) + "&redirect_uri="
        + encode(redirect.toString()) + "&code_challenge=" + challenge + "&code_challenge_method=S256&state=demo");
    HttpResponse<String> page = http.send(HttpRequest.newBuilder(authorize).GET().build(), HttpResponse.BodyHandlers.ofString());
    keep(page, cookies);
    Matcher action = FORM_ACTION.matcher(page.body());
    if (page.statusCode() != 200 || !action.find()) {
      throw new IOException("Keycloak did not show its login page (HTTP " + page.statusCode() + ")");
    }
    String form = "username=" + encode(user) + "&password=" + encode(password) + "&credentialId=";
    HttpRequest.Builder post = HttpRequest.newBuilder(URI.create(action.group(1).replace("&amp;", "&")))
        .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form));
    if (!cookies.isEmpty()) {
      post.header("Cookie", String.join("; ", cookies.entrySet().stream().map(c -> c.getKey() + "=" + c.getValue()).toList()));
    }
    HttpResponse<String> login = http.send(post.build(), HttpResponse.BodyHandlers.ofString());
    String location = login.headers().firstValue("Location").orElse("");
    Matcher code = Pattern.compile("[?&]code=([^&]+)").matcher(location);
    if (login.statusCode() != 302 || !code.find()) {
      throw new IOException("Keycloak did not sign " + user + " in (HTTP " + login.statusCode() + ")");
    }
    String exchange = "grant_type=authorization_code&client_id=" + encode(clientId) + "&redirect_uri=" + encode(redirect.toString())
        + "&code=" + code.group(1) + "&code_verifier=" + verifier;
    HttpResponse<String> token = http.send(HttpRequest.newBuilder(URI.create(base + "/token"))
        .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(exchange)).build(),
        HttpResponse.BodyHandlers.ofString());
    if (token.statusCode() != 200) {
      throw new IOException("Keycloak did not redeem the code for " + user + " (HTTP " + token.statusCode() + ")");
    }
    Matcher accessToken = ACCESS_TOKEN.matcher(token.body());
    if (!accessToken.find()) {
      throw new IOException("Keycloak's token response for " + user + " holds no access token");
    }
    return accessToken.group(1);
  }

  private static void keep(HttpResponse<?> response, Map<String, String> cookies) {
    for (String header : response.headers().allValues("Set-Cookie")) {
      String pair = header.split(";", 2)[0];
      int equals = pair.indexOf('=');
      if (equals > 0) {
        cookies.put(pair.substring(0, equals).strip(), pair.substring(equals + 1).strip());
      }
    }
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  private static byte[] sha256(String value) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.US_ASCII));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
