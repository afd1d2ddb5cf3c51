package optout.platform.identity;

import java.util.Map;
import java.util.Optional;
import optout.platform.problem.ProblemResponses;
import optout.platform.security.ResourceServerProperties;
import optout.pseudonymizer.id.InvalidPersonIdException;
import optout.pseudonymizer.id.PersonId;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.web.client.RestClient;

/**
 * Who a citizen calling a service is: their national ID, read from Keycloak's userinfo endpoint with the
 * caller's own token. The realm releases the {@value #CLAIM} claim only there, never in a token, so it
 * is never logged or passed on with one. A citizen's "own" data is always found through this, never
 * through an ID in the request.
 */
public final class CallerIdentities {

  static final String CLAIM = "national_id";

  private final RestClient keycloak;

  public CallerIdentities(ResourceServerProperties security, RestClient.Builder builder) {
    this.keycloak = builder.baseUrl(security.issuer().toString().replaceAll("/+$", "")).build();
  }

  /**
   * The caller's national ID.
   *
   * @throws org.springframework.web.ErrorResponseException 404 if their account has none on record,
   *     409 if the one on record is not valid
   */
  public PersonId personId(JwtAuthenticationToken caller) {
    String recorded = nationalId(caller.getToken().getTokenValue())
        .orElseThrow(() -> ProblemResponses.exception(HttpStatus.NOT_FOUND, "person-id-not-on-record", "No national ID on record",
            "Your account has no national ID on record. A counter clerk can add it after checking your identity."));
    try {
      return PersonId.parse(recorded);
    } catch (InvalidPersonIdException e) {
      throw ProblemResponses.exception(HttpStatus.CONFLICT, "person-id-on-record-invalid", "The national ID on record is not valid",
          e.getMessage() + ". A counter clerk can correct it.");
    }
  }

  private Optional<String> nationalId(String callerToken) {
    Map<String, Object> claims = keycloak.get()
        .uri("/protocol/openid-connect/userinfo")
        .header(HttpHeaders.AUTHORIZATION, "Bearer " + callerToken)
        .retrieve()
        .body(new ParameterizedTypeReference<Map<String, Object>>() {});
    return Optional.ofNullable(claims).map(c -> c.get(CLAIM)).map(String::valueOf).filter(value -> !value.isBlank());
  }
}
