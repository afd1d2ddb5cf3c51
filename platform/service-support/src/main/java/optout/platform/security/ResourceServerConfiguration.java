package optout.platform.security;

import jakarta.servlet.DispatcherType;
import java.util.List;
import optout.platform.problem.ProblemResponses;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Every service is an OAuth2 resource server of the Keycloak realm: a request is served only with an
 * access token that Keycloak signed (checked against the realm's JWKS), issued by the configured
 * issuer, naming this service as audience and not expired; and only if one of the service's
 * {@link ApiAuthorization} rules allows the caller's roles. Everything else is denied.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSecurity
public class ResourceServerConfiguration {

  /** Open to anyone: liveness/readiness for operators and the API description. */
  static final String[] PUBLIC_ENDPOINTS = {
    "/actuator/health", "/actuator/health/**", "/v3/api-docs", "/v3/api-docs/**", "/v3/api-docs.yaml"
  };

  @Bean
  JwtDecoder jwtDecoder(ResourceServerProperties properties) {
    NimbusJwtDecoder decoder = NimbusJwtDecoder.withJwkSetUri(properties.effectiveJwkSetUri().toString())
        .jwsAlgorithm(SignatureAlgorithm.RS256)
        .build();
    decoder.setJwtValidator(AccessTokenValidators.forService(properties));
    return decoder;
  }

  @Bean
  SecurityFilterChain apiSecurity(
      HttpSecurity http, JwtDecoder jwtDecoder, List<ApiAuthorization> serviceRules, ProblemResponses problems,
      List<AccessRefusalListener> refusalListeners)
      throws Exception {
    JwtAuthenticationConverter authentication = new JwtAuthenticationConverter();
    authentication.setJwtGrantedAuthoritiesConverter(new KeycloakRealmRoleConverter());
    var refusals = new ProblemSecurityResponses(problems, refusalListeners);

    http
        // Bearer tokens only: no cookies, no sessions, so no CSRF exposure on this API.
        .csrf(csrf -> csrf.disable())
        .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        .authorizeHttpRequests(rules -> {
          // Error dispatches only render the problem of a request that was already authorised or refused.
          rules.dispatcherTypeMatchers(DispatcherType.ERROR).permitAll();
          rules.requestMatchers(HttpMethod.GET, PUBLIC_ENDPOINTS).permitAll();
          serviceRules.forEach(rule -> rule.configure(rules));
          rules.anyRequest().denyAll();
        })
        .oauth2ResourceServer(oauth2 -> oauth2
            .jwt(jwt -> jwt.decoder(jwtDecoder).jwtAuthenticationConverter(authentication))
            .authenticationEntryPoint(refusals)
            .accessDeniedHandler(refusals))
        .exceptionHandling(errors -> errors.authenticationEntryPoint(refusals).accessDeniedHandler(refusals));
    return http.build();
  }
}
