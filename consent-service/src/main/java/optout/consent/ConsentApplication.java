package optout.consent;

import static optout.platform.security.PlatformRole.authorities;
import static optout.platform.security.PlatformRole.CITIZEN;
import static optout.platform.security.PlatformRole.CLERK;

import optout.platform.EnablePlatformService;
import optout.platform.security.ApiAuthorization;
import optout.platform.session.SessionEndpoint;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpMethod;

/** Consent service: opt-outs and withdrawals filed at the counter and online, as signed and timestamped PDF forms, delivered to the registry. */
@SpringBootApplication
@EnablePlatformService
public class ConsentApplication {

  public static void main(String[] args) {
    SpringApplication.run(ConsentApplication.class, args);
  }

  /** The roles this service serves may ask it who they are; every other request is denied until a feature adds its rules. */
  @Bean
  ApiAuthorization sessionAccess() {
    return rules -> rules.requestMatchers(HttpMethod.GET, SessionEndpoint.PATH).hasAnyAuthority(authorities(CITIZEN, CLERK));
  }
}
