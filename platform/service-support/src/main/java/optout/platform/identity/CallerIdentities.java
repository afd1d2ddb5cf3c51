package optout.platform.identity;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
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
import org.springframework.security.oauth2.jwt.Jwt;
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
  /**
   * How long an answer is used again for the same token (never beyond the token's expiry): a citizen's page asks several
   * times within seconds, and the userinfo round trip was about 70% of the registry's time for a citizen's status
   * (JFR, ./optout bench portal citizens). The price: a session ended at Keycloak is noticed here up to this much later.
   */
  static final Duration REMEMBERED = Duration.ofSeconds(30);

  private final RestClient keycloak;
  /** By the SHA-256 of the token, in memory only; an account without an ID is asked again every time. */
  private final Cache<String, Known> recent = Caffeine.newBuilder().maximumSize(100_000).expireAfterWrite(REMEMBERED).build();

  private record Known(String nationalId, Instant tokenExpires) {}

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
    String recorded = nationalId(caller.getToken())
        .orElseThrow(() -> ProblemResponses.exception(HttpStatus.NOT_FOUND, "person-id-not-on-record", "No national ID on record",
            "Your account has no national ID on record. A counter clerk can add it after checking your identity."));
    try {
      return PersonId.parse(recorded);
    } catch (InvalidPersonIdException e) {
      throw ProblemResponses.exception(HttpStatus.CONFLICT, "person-id-on-record-invalid", "The national ID on record is not valid",
          e.getMessage() + ". A counter clerk can correct it.");
    }
  }

  private Optional<String> nationalId(Jwt token) {
    String key = sha256(token.getTokenValue());
    Known known = recent.getIfPresent(key);
    if (known != null && Instant.now().isBefore(known.tokenExpires())) {
      return Optional.of(known.nationalId());
    }
    Optional<String> asked = ask(token.getTokenValue());
    if (asked.isPresent() && token.getExpiresAt() != null) {
      recent.put(key, new Known(asked.get(), token.getExpiresAt()));
    }
    return asked;
  }

  private static String sha256(String token) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private Optional<String> ask(String callerToken) {
    Map<String, Object> claims = keycloak.get()
        .uri("/protocol/openid-connect/userinfo")
        .header(HttpHeaders.AUTHORIZATION, "Bearer " + callerToken)
        .retrieve()
        .body(new ParameterizedTypeReference<Map<String, Object>>() {});
    return Optional.ofNullable(claims).map(c -> c.get(CLAIM)).map(String::valueOf).filter(value -> !value.isBlank());
  }
}
