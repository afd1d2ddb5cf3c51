package optout.platform.session;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import optout.platform.security.PlatformRole;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/v1/session}: who the service takes the caller to be. Pages use it to show the
 * right actions; operators use it to check a login end to end. Which roles may call it is each
 * service's own rule ({@link optout.platform.security.ApiAuthorization}).
 */
@RestController
@Tag(name = "session")
class SessionController {

  static final String PATH = "/api/v1/session";

  record Session(String subject, List<String> roles, Instant expiresAt) {}

  @GetMapping(PATH)
  @Operation(summary = "The caller's subject and platform roles, as this service sees them")
  Session session(JwtAuthenticationToken authentication) {
    List<String> roles = authentication.getAuthorities().stream()
        .map(GrantedAuthority::getAuthority)
        .map(PlatformRole::fromAuthority)
        .flatMap(Optional::stream)
        .map(PlatformRole::realmRole)
        .sorted()
        .toList();
    return new Session(authentication.getToken().getSubject(), roles, authentication.getToken().getExpiresAt());
  }
}
