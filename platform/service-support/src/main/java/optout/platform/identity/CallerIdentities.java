package optout.platform.identity;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import optout.platform.problem.ProblemResponses;
import optout.platform.security.ResourceServerProperties;
import optout.pseudonymizer.id.InvalidPersonIdException;
import optout.pseudonymizer.id.PersonId;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.client.JdkClientHttpRequestFactory;
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
    // HTTP/1.1, a connection per concurrent call: the JDK client's default HTTP/2 upgrades a plain-HTTP Keycloak to one
    // h2c connection and fails every call beyond its stream limit ("too many concurrent streams", found at 200 citizens
    // at once by ./optout bench portal citizens)
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
    this.keycloak = builder.requestFactory(new JdkClientHttpRequestFactory(http)).baseUrl(security.issuer().toString().replaceAll("/+$", ""))
        .build();
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
