package optout.platform.security;

import java.util.Collection;
import java.util.Objects;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;

/**
 * The checks every access token must pass, beyond its signature (which the decoder checks against
 * the realm's JWKS before these run).
 */
final class AccessTokenValidators {

  /** Keycloak marks access tokens {@code typ: Bearer}; ID and logout tokens carry other types. */
  static final String KEYCLOAK_ACCESS_TOKEN_TYPE = "Bearer";

  private AccessTokenValidators() {}

  static OAuth2TokenValidator<Jwt> forService(ResourceServerProperties properties) {
    String audience = properties.audience();
    return new DelegatingOAuth2TokenValidator<>(
        // A token without an expiry would be valid for ever: require one, then check it.
        new JwtClaimValidator<Object>(JwtClaimNames.EXP, Objects::nonNull),
        new JwtTimestampValidator(properties.clockSkew()),
        new JwtIssuerValidator(properties.issuer().toString()),
        new JwtClaimValidator<Object>(JwtClaimNames.AUD, aud -> namesAudience(aud, audience)),
        new JwtClaimValidator<Object>("typ", KEYCLOAK_ACCESS_TOKEN_TYPE::equals));
  }

  private static boolean namesAudience(Object aud, String audience) {
    if (aud instanceof Collection<?> audiences) {
      return audiences.contains(audience);
    }
    return audience.equals(aud);
  }
}
