package optout.platform.security;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import optout.platform.problem.ProblemResponses;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.oauth2.server.resource.web.access.BearerTokenAccessDeniedHandler;
import org.springframework.security.web.access.AccessDeniedHandler;

/** 403 with the standard {@code WWW-Authenticate} header and a problem-details body. */
final class ProblemAccessDeniedHandler implements AccessDeniedHandler {

  private final BearerTokenAccessDeniedHandler bearer = new BearerTokenAccessDeniedHandler();
  private final ProblemResponses problems;

  ProblemAccessDeniedHandler(ProblemResponses problems) {
    this.problems = problems;
  }

  @Override
  public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException denied)
      throws IOException {
    bearer.handle(request, response, denied);
    problems.write(response, problems.of(HttpStatus.FORBIDDEN, "access-denied", "Access denied",
        "Your roles do not allow this request.", request));
  }
}
