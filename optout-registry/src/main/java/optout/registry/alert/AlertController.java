package optout.registry.alert;

import static optout.platform.security.PlatformRole.AUDITOR;
import static optout.platform.security.PlatformRole.authorities;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import optout.platform.security.ApiAuthorization;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * Alerts for auditors only: every kind, newest first, a page at a time. An alert's detail names days,
 * counts and event sequence numbers, never a person.
 */
@RestController
@Validated
@Tag(name = "alerts")
class AlertController {

  static final String ALERTS = "/api/v1/alerts";

  record AlertView(long id, String kind, Instant raisedAt, JsonNode detail) {}

  record AlertPage(int page, int size, long total, List<AlertView> alerts) {}

  private final AlertStore alerts;

  AlertController(AlertStore alerts) {
    this.alerts = alerts;
  }

  @GetMapping(ALERTS)
  @Operation(summary = "Alerts of every kind (or of one), newest first (auditors)")
  AlertPage alerts(@RequestParam Optional<@Pattern(regexp = "[a-z0-9-]{1,64}") String> kind,
      @RequestParam(defaultValue = "0") @Min(0) @Max(100_000) int page,
      @RequestParam(defaultValue = "50") @Min(1) @Max(500) int size) {
    List<AlertView> found = alerts.page(kind, page, size).stream()
        .map(a -> new AlertView(a.id(), a.kind(), a.raisedAt(), a.detail())).toList();
    return new AlertPage(page, size, alerts.count(kind), found);
  }

  @Configuration(proxyBeanMethods = false)
  static class Access {
    @Bean
    ApiAuthorization alertAccess() {
      return rules -> rules.requestMatchers(HttpMethod.GET, ALERTS).hasAnyAuthority(authorities(AUDITOR));
    }
  }
}
