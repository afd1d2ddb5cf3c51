package optout.portal;

import static optout.platform.security.PlatformRole.authorities;
import static optout.platform.security.PlatformRole.CITIZEN;
import static optout.platform.security.PlatformRole.RESEARCHER;
import static optout.platform.security.PlatformRole.REVIEWER;
import static optout.platform.security.PlatformRole.AUDITOR;

import java.time.Clock;
import optout.platform.EnablePlatformService;
import optout.platform.security.ApiAuthorization;
import optout.platform.session.SessionEndpoint;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpMethod;

/**
 * Research portal: research applications and reviews (packages {@code application}, {@code review},
 * {@code notification}, {@code launch}); later extract reports, the citizen's view of where their data
 * was used, the oversight console and the public register.
 */
@SpringBootApplication
@EnablePlatformService
public class PortalApplication {

  public static void main(String[] args) {
    SpringApplication.run(PortalApplication.class, args);
  }

  /** The roles this service serves may ask it who they are; each feature adds its own rules, anything else is denied. */
  @Bean
  ApiAuthorization sessionAccess() {
    return rules -> rules.requestMatchers(HttpMethod.GET, SessionEndpoint.PATH).hasAnyAuthority(authorities(CITIZEN, RESEARCHER, REVIEWER, AUDITOR));
  }

  @Bean
  Clock clock() {
    return Clock.systemUTC();
  }
}
