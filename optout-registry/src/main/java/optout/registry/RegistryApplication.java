package optout.registry;

import static optout.platform.security.PlatformRole.authorities;
import static optout.platform.security.PlatformRole.CITIZEN;
import static optout.platform.security.PlatformRole.CLERK;
import static optout.platform.security.PlatformRole.AUDITOR;

import optout.platform.EnablePlatformService;
import optout.platform.security.ApiAuthorization;
import optout.platform.session.SessionEndpoint;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import java.time.Clock;
import optout.platform.keys.KeyCustodyConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.http.HttpMethod;

/** Opt-out registry: the authority on who opted out of what and since when: append-only events, a verifiable transparency log, exclusion snapshots and the bulk check. */
@SpringBootApplication
@EnablePlatformService
@EnableScheduling
@Import({KeyCustodyConfiguration.WarehouseDuty.class, KeyCustodyConfiguration.IdentityDuty.class})
public class RegistryApplication {

  public static void main(String[] args) {
    SpringApplication.run(RegistryApplication.class, args);
  }

  @Bean
  Clock clock() {
    return Clock.systemUTC();
  }

  /** The roles this service serves may ask it who they are; every other request is denied until a feature adds its rules. */
  @Bean
  ApiAuthorization sessionAccess() {
    return rules -> rules.requestMatchers(HttpMethod.GET, SessionEndpoint.PATH).hasAnyAuthority(authorities(CITIZEN, CLERK, AUDITOR));
  }
}
