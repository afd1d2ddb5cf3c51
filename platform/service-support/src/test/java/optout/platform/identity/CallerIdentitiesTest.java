package optout.platform.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import optout.platform.security.ResourceServerProperties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.client.RestClient;

/** The caller's national ID from a stand-in userinfo endpoint, asked once per token for a short while. */
class CallerIdentitiesTest {

  private final Map<String, String> answers = Map.of("token-a", "{\"national_id\": \"A123456789\"}",
      "token-b", "{\"national_id\": \"F131104093\"}", "token-none", "{\"sub\": \"x\"}");
  private final Map<String, AtomicInteger> asked = new ConcurrentHashMap<>();
  private HttpServer keycloak;
  private CallerIdentities identities;

  @BeforeEach
  void start() throws Exception {
    keycloak = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    keycloak.createContext("/realms/test/protocol/openid-connect/userinfo", exchange -> {
      String token = exchange.getRequestHeaders().getFirst("Authorization").substring("Bearer ".length());
      asked.computeIfAbsent(token, t -> new AtomicInteger()).incrementAndGet();
      byte[] body = answers.getOrDefault(token, "{}").getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    keycloak.start();
    URI issuer = URI.create("http://127.0.0.1:" + keycloak.getAddress().getPort() + "/realms/test");
    identities = new CallerIdentities(new ResourceServerProperties(issuer, "optout-registry", null, null), RestClient.builder());
  }

  @AfterEach
  void stop() {
    keycloak.stop(0);
  }

  @Test
  void eachTokenIsAskedOnceForAWhileAndNeverAnswersForAnother() {
    JwtAuthenticationToken a = caller("token-a", Duration.ofMinutes(5));
    JwtAuthenticationToken b = caller("token-b", Duration.ofMinutes(5));
    assertThat(identities.personId(a).unmaskedValue()).isEqualTo("A123456789");
    assertThat(identities.personId(b).unmaskedValue()).isEqualTo("F131104093");
    assertThat(identities.personId(a).unmaskedValue()).isEqualTo("A123456789");
    assertThat(identities.personId(b).unmaskedValue()).isEqualTo("F131104093");
    assertThat(asked.get("token-a")).hasValue(1);
    assertThat(asked.get("token-b")).hasValue(1);
  }

  @Test
  void anAccountWithoutAnIdIsAskedEveryTimeSoAnIdAddedByAClerkShowsAtOnce() {
    JwtAuthenticationToken none = caller("token-none", Duration.ofMinutes(5));
    for (int i = 0; i < 2; i++) {
      assertThatThrownBy(() -> identities.personId(none)).isInstanceOf(ErrorResponseException.class)
          .satisfies(e -> assertThat(((ErrorResponseException) e).getStatusCode().value()).isEqualTo(404));
    }
    assertThat(asked.get("token-none")).hasValue(2);
  }

  @Test
  void anAnswerIsNotUsedBeyondItsTokensExpiry() throws Exception {
    JwtAuthenticationToken shortLived = caller("token-a", Duration.ofMillis(300));
    assertThat(identities.personId(shortLived).unmaskedValue()).isEqualTo("A123456789");
    Thread.sleep(400);
    assertThat(identities.personId(shortLived).unmaskedValue()).isEqualTo("A123456789");
    assertThat(asked.get("token-a")).hasValue(2);
  }

  private static JwtAuthenticationToken caller(String token, Duration lifetime) {
    Instant now = Instant.now();
    return new JwtAuthenticationToken(Jwt.withTokenValue(token).header("alg", "RS256").subject("someone").issuedAt(now.minusSeconds(1))
        .expiresAt(now.plus(lifetime)).build());
  }
}
