package optout.trustcentre.reidentify;

import optout.platform.problem.ProblemResponses;
import optout.pseudonymizer.custody.KeyUnavailableException;
import optout.pseudonymizer.reidentify.ReidentificationRefusedException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** The trust centre's own refusals as problem details (ahead of the platform's catch-all). */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
class ReidentificationProblems {

  @ExceptionHandler(ReidentificationRefusedException.class)
  ProblemDetail refused(ReidentificationRefusedException refused) {
    ProblemDetail problem = problem(HttpStatus.CONFLICT, "reidentification-refused", "Re-identification refused", refused.getMessage());
    problem.setProperty("rule", refused.rule().name());
    return problem;
  }

  @ExceptionHandler(KeyUnavailableException.class)
  ProblemDetail keyUnavailable(KeyUnavailableException unavailable) {
    return problem(HttpStatus.CONFLICT, "key-unavailable", "Key unavailable", unavailable.getMessage());
  }

  /** The domain's own checks (request fields, project IDs); their messages name no person. */
  @ExceptionHandler(IllegalArgumentException.class)
  ProblemDetail invalid(IllegalArgumentException invalid) {
    return problem(HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request", invalid.getMessage());
  }

  private static ProblemDetail problem(HttpStatus status, String type, String title, String detail) {
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
    problem.setType(ProblemResponses.type(type));
    problem.setTitle(title);
    return ProblemResponses.withRequestId(problem);
  }
}
