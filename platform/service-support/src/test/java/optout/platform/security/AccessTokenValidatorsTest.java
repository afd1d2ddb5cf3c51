package optout.platform.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;

class AccessTokenValidatorsTest {

  private static final String ISSUER = "http://localhost:8080/realms/nhi-optout";
  private final OAuth2TokenValidator<Jwt> validators = AccessTokenValidators.forService(
      new ResourceServerProperties(URI.create(ISSUER), "optout-registry", null, Duration.ofSeconds(30)));

  private static Jwt token(Consumer<Jwt.Builder> change) {
    Instant now = Instant.now();
    Jwt.Builder builder = Jwt.withTokenValue("token")
        .header("alg", "RS256")
        .issuer(ISSUER)
        .audience(List.of("optout-registry", "optout-portal"))
        .subject("a-subject")
        .issuedAt(now.minusSeconds(10))
        .expiresAt(now.plusSeconds(290))
        .claim("typ", "Bearer");
    change.accept(builder);
    return builder.build();
  }

  private List<String> problems(Jwt jwt) {
    return validators.validate(jwt).getErrors().stream().map(OAuth2Error::getDescription).toList();
  }

  @Test
  void acceptsAnAccessTokenOfTheRealmForThisService() {
    assertThat(problems(token(b -> {}))).isEmpty();
    assertThat(problems(token(b -> b.claim("aud", "optout-registry")))).as("aud as a single string").isEmpty();
  }

  @Test
  void refusesAnotherIssuer() {
    assertThat(problems(token(b -> b.issuer("http://localhost:8080/realms/other")))).hasSize(1);
    assertThat(problems(token(b -> b.issuer(ISSUER + "/")))).as("no lenient matching").hasSize(1);
  }

  @Test
  void refusesAnotherAudienceOrNone() {
    assertThat(problems(token(b -> b.audience(List.of("account"))))).hasSize(1);
    assertThat(problems(token(b -> b.claims(c -> c.remove("aud"))))).hasSize(1);
  }

  @Test
  void refusesExpiredTokensBeyondTheClockSkewAndTokensWithoutExpiry() {
    assertThat(problems(token(b -> b.issuedAt(Instant.now().minusSeconds(320)).expiresAt(Instant.now().minusSeconds(20))))).as("within skew").isEmpty();
    assertThat(problems(token(b -> b.issuedAt(Instant.now().minusSeconds(340)).expiresAt(Instant.now().minusSeconds(40))))).isNotEmpty();
    assertThat(problems(token(b -> b.claims(c -> c.remove("exp"))))).isNotEmpty();
  }

  @Test
  void refusesTokensThatAreNotAccessTokens() {
    assertThat(problems(token(b -> b.claim("typ", "ID")))).hasSize(1);
    assertThat(problems(token(b -> b.claim("typ", "Refresh")))).hasSize(1);
    assertThat(problems(token(b -> b.claims(c -> c.remove("typ"))))).hasSize(1);
  }
}
