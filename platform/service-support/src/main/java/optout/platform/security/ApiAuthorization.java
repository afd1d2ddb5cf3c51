package optout.platform.security;

import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AuthorizeHttpRequestsConfigurer;

/**
 * A service's access rules for its own endpoints. Each service declares one or more of these beans;
 * every request that no rule matches is denied.
 *
 * <pre>{@code
 * @Bean
 * ApiAuthorization statusRules() {
 *   return rules -> rules.requestMatchers(GET, "/api/v1/status/**").hasAnyAuthority(authorities(CLERK));
 * }
 * }</pre>
 */
@FunctionalInterface
public interface ApiAuthorization {

  void configure(AuthorizeHttpRequestsConfigurer<HttpSecurity>.AuthorizationManagerRequestMatcherRegistry rules);
}
