package optout.registry.statistics;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirements;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Clock;
import java.time.Duration;
import optout.platform.security.ApiAuthorization;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpMethod;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The public statistics, for anyone without logging in: how many people are opted out now, by scope,
 * county, sex and age band, and the filings per day. Only suppressed tables leave this controller (see
 * {@link PublicStatistics}); HTTP caches may keep a publication until the registry computes the next.
 */
@RestController
@Tag(name = "statistics")
class StatisticsController {

  static final String STATISTICS = "/api/v1/statistics";

  private final PublicStatistics statistics;
  private final Clock clock;

  StatisticsController(PublicStatistics statistics, Clock clock) {
    this.statistics = statistics;
    this.clock = clock;
  }

  @GetMapping(STATISTICS)
  @SecurityRequirements
  @Operation(summary = "People currently opted out (by scope, county, sex, age band) and filings per day, small counts suppressed (no login)")
  ResponseEntity<PublicStatistics.View> statistics() {
    PublicStatistics.View view = statistics.current();
    Duration left = Duration.between(clock.instant(), view.nextUpdate());
    return ResponseEntity.ok()
        .cacheControl(CacheControl.maxAge(left.isNegative() ? Duration.ZERO : left).cachePublic())
        .body(view);
  }

  @Configuration(proxyBeanMethods = false)
  @EnableConfigurationProperties(StatisticsProperties.class)
  static class Access {
    /** GET of the statistics only: nothing else under the path, and no other method, is public. */
    @Bean
    ApiAuthorization statisticsAccess() {
      return rules -> rules.requestMatchers(HttpMethod.GET, STATISTICS).permitAll();
    }
  }
}
