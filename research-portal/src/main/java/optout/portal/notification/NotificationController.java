package optout.portal.notification;

import static optout.platform.security.PlatformRole.RESEARCHER;
import static optout.platform.security.PlatformRole.authorities;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import optout.platform.problem.ProblemResponses;
import optout.platform.security.ApiAuthorization;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/** A researcher's notifications: every change of status of their applications, newest first. */
@RestController
@Tag(name = "notifications")
class NotificationController {

  static final String NOTIFICATIONS = "/api/v1/notifications";

  private final Notifications notifications;
  private final Clock clock;

  NotificationController(Notifications notifications, Clock clock) {
    this.notifications = notifications;
    this.clock = clock;
  }

  @Configuration(proxyBeanMethods = false)
  static class Access {
    @Bean
    ApiAuthorization notificationAccess() {
      return rules -> rules.requestMatchers(NOTIFICATIONS, NOTIFICATIONS + "/**").hasAnyAuthority(authorities(RESEARCHER));
    }
  }

  @GetMapping(NOTIFICATIONS)
  @Operation(summary = "The caller's notifications, newest first (at most 200)")
  List<Notifications.Notification> list(JwtAuthenticationToken caller) {
    return notifications.of(caller.getToken().getSubject(), 200);
  }

  @PostMapping(NOTIFICATIONS + "/{id}/read")
  @Operation(summary = "Mark one of the caller's notifications read")
  ResponseEntity<Void> read(JwtAuthenticationToken caller, @PathVariable UUID id) {
    if (!notifications.markRead(caller.getToken().getSubject(), id, clock.instant())) {
      throw ProblemResponses.exception(HttpStatus.NOT_FOUND, "not-found", "Not found", "No such notification of yours.");
    }
    return ResponseEntity.noContent().build();
  }
}
