package optout.platform.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What every platform service must do, checked against the real Keycloak and PostgreSQL: start,
 * report health, publish its OpenAPI document, own a Flyway-managed schema, and serve its API only
 * to valid tokens of the right realm, audience and role. A service's test extends this and names a
 * protected endpoint, a user whose role may call it and one whose role may not.
 */
public abstract class ResourceServerContractTest extends ServiceIntegrationTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  @Autowired private JdbcTemplate jdbc;

  /** A GET endpoint that only some roles may call. */
  protected abstract String protectedPath();

  /** A demo user whose role may call {@link #protectedPath()}. */
  protected abstract String permittedUser();

  /** A demo user whose role may not. */
  protected abstract String refusedUser();

  private String validToken() {
    return TestKeycloak.get().accessToken(permittedUser());
  }

  @Test
  void healthIsPublicAndUp() {
    HttpResponse<String> response = get("/actuator/health", null);
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(json(response).get("status").asString()).isEqualTo("UP");
    assertThat(get("/actuator/health/readiness", null).statusCode()).isEqualTo(200);
  }

  @Test
  void openApiDocumentIsPublicAndDescribesTheProtectedApi() {
    HttpResponse<String> response = get("/v3/api-docs", null);
    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode document = json(response);
    assertThat(document.get("openapi").asString()).startsWith("3.");
    assertThat(document.get("paths").has(protectedPath())).isTrue();
    assertThat(document.at("/components/securitySchemes/keycloak-bearer/scheme").asString()).isEqualTo("bearer");
  }

  @Test
  void schemaIsManagedByFlyway() {
    List<String> applied = jdbc.queryForList(
        "select version from flyway_schema_history where success order by installed_rank", String.class);
    assertThat(applied).as("the platform's own migrations come first").startsWith("0.1");
  }

  @Test
  void requestWithoutTokenIsRefusedWithProblemDetails() {
    HttpResponse<String> response = get(protectedPath(), null);
    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
    assertProblem(response, 401, "urn:nhi-optout:problem:authentication-required");
  }

  @Test
  void permittedRoleIsServed() {
    String token = validToken();
    HttpResponse<String> response = get(protectedPath(), token);
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(TamperedTokens.claims(token).get("sub").asString()).isNotBlank();
  }

  @Test
  void otherRoleIsForbiddenWithProblemDetails() {
    HttpResponse<String> response = get(protectedPath(), TestKeycloak.get().accessToken(refusedUser()));
    assertThat(response.statusCode()).isEqualTo(403);
    assertProblem(response, 403, "urn:nhi-optout:problem:access-denied");
  }

  @Test
  void expiredTokenIsRefused() throws InterruptedException {
    String token = TestKeycloak.get().shortLivedAccessToken(permittedUser());
    Instant expiry = Instant.ofEpochSecond(TamperedTokens.claims(token).get("exp").asLong());
    assertThat(get(protectedPath(), token).statusCode()).as("served while still valid").isEqualTo(200);

    Duration untilExpired = Duration.between(Instant.now(), expiry.plusMillis(1100));
    if (!untilExpired.isNegative()) {
      Thread.sleep(untilExpired.toMillis());
    }
    HttpResponse<String> response = get(protectedPath(), token);
    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).contains("expired"));
  }

  @Test
  void tokenFromAnotherRealmIsRefused() {
    String foreign = TestKeycloak.get().foreignRealmAccessToken(permittedUser());
    assertThat(TamperedTokens.claims(foreign).get("iss").asString()).endsWith("/realms/" + TestKeycloak.FOREIGN_REALM);
    assertThat(get(protectedPath(), foreign).statusCode()).isEqualTo(401);
  }

  @Test
  void tokenWithBrokenSignatureIsRefused() {
    assertThat(get(protectedPath(), TamperedTokens.withBrokenSignature(validToken())).statusCode()).isEqualTo(401);
  }

  @Test
  void tokenWhoseClaimsWereEditedIsRefused() {
    String forged = TamperedTokens.withAddedRealmRole(TestKeycloak.get().accessToken(refusedUser()), "auditor");
    assertThat(get(protectedPath(), forged).statusCode()).isEqualTo(401);
  }

  @Test
  void unsignedTokenIsRefused() {
    assertThat(get(protectedPath(), TamperedTokens.unsigned(validToken())).statusCode()).isEqualTo(401);
  }

  @Test
  void tokenForAnotherAudienceIsRefused() {
    String token = TestKeycloak.get().accessTokenForAnotherAudience(permittedUser());
    assertThat(TamperedTokens.claims(token).get("aud").toString()).contains("account");
    assertThat(get(protectedPath(), token).statusCode()).isEqualTo(401);
  }

  @Test
  void endpointsWithoutARuleAreDeniedEvenToValidTokens() {
    HttpResponse<String> response = get("/api/v1/no-such-endpoint", validToken());
    assertThat(response.statusCode()).isEqualTo(403);
    assertProblem(response, 403, "urn:nhi-optout:problem:access-denied");
    assertThat(get("/actuator/env", validToken()).statusCode()).isEqualTo(403);
  }

  @Test
  void requestIdIsEchoedWhenWellFormedAndReplacedOtherwise() {
    HttpResponse<String> kept = send(HttpRequest.newBuilder(uri(protectedPath()))
        .header("X-Request-Id", "counter-7-0001").GET().build());
    assertThat(kept.headers().firstValue("X-Request-Id")).hasValue("counter-7-0001");
    assertThat(json(kept).get("requestId").asString()).isEqualTo("counter-7-0001");

    HttpResponse<String> replaced = send(HttpRequest.newBuilder(uri(protectedPath()))
        .header("X-Request-Id", "A123456789 <script>").GET().build());
    assertThat(replaced.headers().firstValue("X-Request-Id")).hasValueSatisfying(id ->
        assertThat(id).matches("[0-9a-f-]{36}"));
  }

  private static void assertProblem(HttpResponse<String> response, int status, String type) {
    assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(v ->
        assertThat(v).startsWith("application/problem+json"));
    JsonNode problem = json(response);
    assertThat(problem.get("status").asInt()).isEqualTo(status);
    assertThat(problem.get("type").asString()).isEqualTo(type);
    assertThat(problem.get("title").asString()).isNotBlank();
    assertThat(problem.get("requestId").asString()).isEqualTo(response.headers().firstValue("X-Request-Id").orElseThrow());
  }

  protected static JsonNode json(HttpResponse<String> response) {
    return JSON.readTree(response.body());
  }
}
