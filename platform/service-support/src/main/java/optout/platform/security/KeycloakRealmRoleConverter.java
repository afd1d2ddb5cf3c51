package optout.platform.security;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.core.convert.converter.Converter;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.jwt.Jwt;

/**
 * Maps the realm roles of a Keycloak access token ({@code realm_access.roles}) to authorities.
 *
 * <p>Client roles and scopes are deliberately not mapped: the platform authorises on realm roles
 * only, so there is one place (the realm) where a person's rights are granted. A claim of an
 * unexpected shape yields no authorities rather than an error, which denies by default.
 */
public final class KeycloakRealmRoleConverter implements Converter<Jwt, Collection<GrantedAuthority>> {

  static final String REALM_ACCESS_CLAIM = "realm_access";

  @Override
  public Collection<GrantedAuthority> convert(Jwt jwt) {
    Object realmAccess = jwt.getClaims().get(REALM_ACCESS_CLAIM);
    if (!(realmAccess instanceof Map<?, ?> access) || !(access.get("roles") instanceof List<?> roles)) {
      return List.of();
    }
    return roles.stream()
        .filter(String.class::isInstance)
        .map(String.class::cast)
        .map(PlatformRole::fromRealmRole)
        .flatMap(Optional::stream)
        .distinct()
        .map(role -> (GrantedAuthority) new SimpleGrantedAuthority(role.authority()))
        .toList();
  }
}
