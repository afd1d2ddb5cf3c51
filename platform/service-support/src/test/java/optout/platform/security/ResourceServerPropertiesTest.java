package optout.platform.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ResourceServerPropertiesTest {

  @Test
  void derivesTheJwksEndpointFromTheIssuer() {
    var properties = new ResourceServerProperties(URI.create("http://kc:8080/realms/nhi-optout/"), "a", null, null);
    assertThat(properties.effectiveJwkSetUri())
        .isEqualTo(URI.create("http://kc:8080/realms/nhi-optout/protocol/openid-connect/certs"));
    assertThat(properties.clockSkew()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void keepsAnExplicitJwksEndpoint() {
    URI jwks = URI.create("http://internal-kc/realms/nhi-optout/protocol/openid-connect/certs");
    assertThat(new ResourceServerProperties(URI.create("http://kc/realms/x"), "a", jwks, null).effectiveJwkSetUri())
        .isEqualTo(jwks);
  }

  @Test
  void refusesARelativeIssuerAndAnUnreasonableClockSkew() {
    assertThatThrownBy(() -> new ResourceServerProperties(URI.create("/realms/x"), "a", null, null))
        .hasMessage("Cannot use issuer: not an absolute URI: /realms/x");
    assertThatThrownBy(() -> new ResourceServerProperties(URI.create("http://kc/realms/x"), "a", null, Duration.ofHours(1)))
        .hasMessage("Cannot use clock skew: must lie between 0 and 5 minutes: PT1H");
    assertThatThrownBy(() -> new ResourceServerProperties(URI.create("http://kc/realms/x"), "a", null, Duration.ofSeconds(-1)))
        .hasMessageStartingWith("Cannot use clock skew");
  }
}
