package optout.trustcentre;

import java.time.Clock;
import optout.platform.EnablePlatformService;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * The trust centre: re-identification that needs two key custodians' secrets, and auditors see every
 * step. It holds no key of its own: the keys that reverse pseudonyms are sealed under the custodians'
 * shares and open only for one approved request. (A citizen's own warehouse pseudonym comes from the
 * registry, which makes it anyway: {@code GET /api/v1/me/status}.)
 */
@SpringBootApplication
@EnablePlatformService
@EnableScheduling
public class TrustCentreApplication {

  public static void main(String[] args) {
    SpringApplication.run(TrustCentreApplication.class, args);
  }

  @Bean
  Clock clock() {
    return Clock.systemUTC();
  }
}
