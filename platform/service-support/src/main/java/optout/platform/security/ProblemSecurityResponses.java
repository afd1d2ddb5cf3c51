package optout.platform.security;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import optout.platform.problem.ProblemResponses;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.server.resource.web.BearerTokenAuthenticationEntryPoint;
import org.springframework.security.oauth2.server.resource.web.access.BearerTokenAccessDeniedHandler;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;

/**
 * Refusals by the security filters: 401 and 403 with the standard {@code WWW-Authenticate: Bearer ...}
 * header (RFC 6750) and a problem-details body.
 */
final class ProblemSecurityResponses implements AuthenticationEntryPoint, AccessDeniedHandler {

  private final BearerTokenAuthenticationEntryPoint bearerEntryPoint = new BearerTokenAuthenticationEntryPoint();
  private final BearerTokenAccessDeniedHandler bearerAccessDenied = new BearerTokenAccessDeniedHandler();
  private final ProblemResponses problems;
  private final java.util.List<AccessRefusalListener> listeners;

  ProblemSecurityResponses(ProblemResponses problems, java.util.List<AccessRefusalListener> listeners) {
    this.problems = problems;
    this.listeners = java.util.List.copyOf(listeners);
  }

  @Override
  public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException failure)
      throws IOException {
    bearerEntryPoint.commence(request, response, failure);
    problems.write(response, problems.of(HttpStatus.UNAUTHORIZED, "authentication-required", "Authentication required",
        "This request needs a valid access token from the platform's identity provider.", request));
  }

  @Override
  public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException denied)
      throws IOException {
    bearerAccessDenied.handle(request, response, denied);
    var caller = org.springframework.security.core.context.SecurityContextHolder.getContext().getAuthentication();
    if (caller != null && caller.isAuthenticated()) {
      for (AccessRefusalListener listener : listeners) {
        try {
          listener.refused(request, caller);
        } catch (RuntimeException e) {
          org.slf4j.LoggerFactory.getLogger(ProblemSecurityResponses.class)
              .warn("A refusal listener failed: {}", e.getClass().getSimpleName());
        }
      }
    }
    problems.write(response, problems.of(HttpStatus.FORBIDDEN, "access-denied", "Access denied",
        "Your roles do not allow this request.", request));
  }
}
