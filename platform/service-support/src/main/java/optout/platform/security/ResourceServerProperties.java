package optout.platform.security;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * How a service checks the bearer tokens it receives ({@code optout.security.*}).
 *
 * @param issuer the Keycloak realm's issuer, e.g. {@code http://localhost:8080/realms/nhi-optout};
 *     tokens from any other issuer (another realm, another server) are refused
 * @param audience this service's client ID; a token must name it in {@code aud}
 * @param jwkSetUri where the realm's signing keys are published; by default the issuer's
 *     {@code /protocol/openid-connect/certs}. Keys are fetched lazily, so a service starts even while
 *     Keycloak is still starting.
 * @param clockSkew how far an expiry may lie in the past and still be accepted
 */
@Validated
@ConfigurationProperties("optout.security")
public record ResourceServerProperties(
    @NotNull URI issuer, @NotBlank String audience, URI jwkSetUri, Duration clockSkew) {

  static final Duration DEFAULT_CLOCK_SKEW = Duration.ofSeconds(30);

  public ResourceServerProperties {
    if (issuer != null && !issuer.isAbsolute()) {
      throw new IllegalArgumentException("Cannot use issuer: not an absolute URI: " + issuer);
    }
    if (clockSkew == null) {
      clockSkew = DEFAULT_CLOCK_SKEW;
    }
    if (clockSkew.isNegative() || clockSkew.compareTo(Duration.ofMinutes(5)) > 0) {
      throw new IllegalArgumentException("Cannot use clock skew: must lie between 0 and 5 minutes: " + clockSkew);
    }
  }

  /** The JWKS endpoint to fetch keys from. */
  public URI effectiveJwkSetUri() {
    if (jwkSetUri != null) {
      return jwkSetUri;
    }
    String base = issuer.toString().replaceAll("/+$", "");
    return URI.create(base + "/protocol/openid-connect/certs");
  }
}
