package optout.demo.portal;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import optout.demo.DemoLogin;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The research portal's REST API as the demo users call it: each user signed in at Keycloak as the pages sign
 * in ({@link DemoLogin}), their token kept for a minute (well within its five-minute life) and sent as a bearer
 * token. An answer other than the one expected is a {@link StepFailed} carrying the problem details' type, title
 * and detail, never the token.
 */
final class PortalApi {

  /** A step of the demo that did not give what it should; its message says which and why. */
  static final class StepFailed extends RuntimeException {
    StepFailed(String message) {
      super(message);
    }
  }

  /** An answer: status, body, headers. */
  record Answer(int status, String body, HttpResponse<String> response) {
    JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (JacksonException e) {
        throw new StepFailed("the portal answered " + status + " with something that is not JSON");
      }
    }

    String header(String name) {
      return response.headers().firstValue(name).orElse("");
    }
  }

  static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Duration TOKEN_REUSE = Duration.ofSeconds(60);

  private record Token(String value, long fetchedAtNanos) {}

  private final URI portal;
  private final URI issuer;
  private final URI redirect;
  private final String password;
  private final HttpClient http;
  private final Map<String, Token> tokens = new ConcurrentHashMap<>();

  /**
   * @param portal the portal's base address
   * @param issuer the realm's issuer
   * @param password the demo users' password (local demo only)
   */
  PortalApi(URI portal, URI issuer, String password, HttpClient http) {
    this.portal = URI.create(portal.toString().replaceAll("/+$", ""));
    this.issuer = issuer;
    // the pages' own address: the public client optout-web allows redirects back to the portal only
    this.redirect = URI.create(this.portal + "/research/");
    this.password = password;
    this.http = http;
  }

  URI portal() {
    return portal;
  }

  /** The user's access token, signing them in when the kept one is older than a minute. */
  String token(String user) {
    Token kept = tokens.get(user);
    if (kept != null && System.nanoTime() - kept.fetchedAtNanos() < TOKEN_REUSE.toNanos()) {
      return kept.value();
    }
    try {
      String value = DemoLogin.accessToken(issuer, "optout-web", redirect, user, password);
      tokens.put(user, new Token(value, System.nanoTime()));
      return value;
    } catch (IOException e) {
      throw new StepFailed("cannot sign " + user + " in at " + issuer + ": " + describe(e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StepFailed("interrupted while signing " + user + " in");
    }
  }

  /** A request as the user (null: nobody), expecting one of the statuses. */
  Answer call(String user, String method, String path, String contentType, byte[] body, String idempotencyKey, int... expected) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(portal + path)).timeout(Duration.ofSeconds(60))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    if (user != null) {
      request.header("Authorization", "Bearer " + token(user));
    }
    if (idempotencyKey != null) {
      request.header("Idempotency-Key", idempotencyKey);
    }
    HttpResponse<String> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new StepFailed(method + " " + path + ": the portal at " + portal + " did not answer (" + describe(e) + ")");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StepFailed("interrupted during " + method + " " + path);
    }
    Answer answer = new Answer(response.statusCode(), response.body(), response);
    for (int status : expected) {
      if (status == answer.status()) {
        return answer;
      }
    }
    throw new StepFailed(method + " " + path + " as " + (user == null ? "nobody" : user) + ": HTTP " + answer.status() + problem(answer));
  }

  Answer get(String user, String path, int... expected) {
    return call(user, "GET", path, null, null, null, expected.length == 0 ? new int[] {200} : expected);
  }

  Answer postJson(String user, String path, String json, String idempotencyKey, int... expected) {
    return call(user, "POST", path, "application/json", json == null ? null : json.getBytes(java.nio.charset.StandardCharsets.UTF_8),
        idempotencyKey, expected);
  }

  /** An I/O failure in words: the JDK's connection errors often carry no message, only their class. */
  static String describe(IOException e) {
    return e.getMessage() == null || e.getMessage().isBlank() ? e.getClass().getSimpleName() : e.getMessage();
  }

  /** The problem details of a refusal, as far as they say something: type, title, detail and each field's problem. */
  static String problem(Answer answer) {
    JsonNode node;
    try {
      node = JSON.readTree(answer.body());
    } catch (JacksonException e) {
      return "";
    }
    if (node == null || !node.isObject()) {
      return "";
    }
    StringBuilder said = new StringBuilder();
    for (String field : new String[] {"type", "title", "detail"}) {
      if (node.hasNonNull(field)) {
        said.append(said.isEmpty() ? ": " : "; ").append(node.get(field).asString());
      }
    }
    if (node.has("errors")) {
      for (JsonNode error : node.get("errors")) {
        said.append("; ").append(error.path("field").asString("")).append(": ").append(error.path("message").asString(""));
      }
    }
    return said.toString();
  }
}
