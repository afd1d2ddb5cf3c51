package optout.platform.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.oauth2.jwt.Jwt;

class KeycloakRealmRoleConverterTest {

  private final KeycloakRealmRoleConverter converter = new KeycloakRealmRoleConverter();

  private List<String> authorities(Object realmAccess) {
    Jwt.Builder jwt = Jwt.withTokenValue("t").header("alg", "RS256").subject("s");
    if (realmAccess != null) {
      jwt.claim("realm_access", realmAccess);
    }
    Collection<GrantedAuthority> granted = converter.convert(jwt.build());
    return granted.stream().map(GrantedAuthority::getAuthority).toList();
  }

  @Test
  void mapsThePlatformRealmRoles() {
    assertThat(authorities(Map.of("roles", List.of("clerk", "key-custodian"))))
        .containsExactly("ROLE_CLERK", "ROLE_KEY_CUSTODIAN");
  }

  @Test
  void ignoresRolesThePlatformDoesNotKnow() {
    assertThat(authorities(Map.of("roles", List.of("offline_access", "default-roles-nhi-optout", "admin", "CLERK"))))
        .isEmpty();
  }

  @Test
  void grantsNothingForMissingOrMalformedClaims() {
    assertThat(authorities(null)).isEmpty();
    assertThat(authorities("clerk")).isEmpty();
    assertThat(authorities(Map.of("roles", "clerk"))).isEmpty();
    assertThat(authorities(Map.of("roles", List.of(42, Map.of("name", "clerk"))))).isEmpty();
  }

  @Test
  void grantsEachRoleOnce() {
    assertThat(authorities(Map.of("roles", List.of("auditor", "auditor")))).containsExactly("ROLE_AUDITOR");
  }

  @Test
  void everyRoleRoundTripsBetweenRealmNameAndAuthority() {
    for (PlatformRole role : PlatformRole.values()) {
      assertThat(PlatformRole.fromRealmRole(role.realmRole())).contains(role);
      assertThat(PlatformRole.fromAuthority(role.authority())).contains(role);
    }
  }
}
