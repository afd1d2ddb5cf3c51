package optout.trustcentre.citizen;

import java.util.Map;
import java.util.Optional;
import optout.platform.security.ResourceServerProperties;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;

/**
 * Reads the caller's national ID from Keycloak's userinfo endpoint, with the caller's own token. The
 * realm releases the {@value #CLAIM} claim only there: never in a token, so it is never logged or
 * passed on with one.
 */
@Component
class UserInfoClient {

  static final String CLAIM = "national_id";

  private final RestClient keycloak;

  UserInfoClient(ResourceServerProperties security, RestClient.Builder builder) {
    this.keycloak = builder.baseUrl(security.issuer().toString().replaceAll("/+$", "")).build();
  }

  Optional<String> nationalId(String callerToken) {
    Map<String, Object> claims = keycloak.get()
        .uri("/protocol/openid-connect/userinfo")
        .header(HttpHeaders.AUTHORIZATION, "Bearer " + callerToken)
        .retrieve()
        .body(new ParameterizedTypeReference<Map<String, Object>>() {});
    return Optional.ofNullable(claims).map(c -> c.get(CLAIM)).map(String::valueOf).filter(value -> !value.isBlank());
  }
}
