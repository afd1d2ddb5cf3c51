package optout.trustcentre;

import java.time.Clock;
import optout.platform.EnablePlatformService;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import optout.platform.keys.KeyCustodyConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * The trust centre: the only service that holds the pseudonymisation keys. Citizens get their own
 * warehouse pseudonym; re-identification needs two key custodians' approval; auditors see every step.
 */
@SpringBootApplication
@EnablePlatformService
@EnableScheduling
@Import(KeyCustodyConfiguration.class)
public class TrustCentreApplication {

  public static void main(String[] args) {
    SpringApplication.run(TrustCentreApplication.class, args);
  }

  @Bean
  Clock clock() {
    return Clock.systemUTC();
  }
}
