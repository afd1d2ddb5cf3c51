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
    ProblemDetail problem = ProblemResponses.problem(HttpStatus.CONFLICT, "reidentification-refused", "Re-identification refused", refused.getMessage());
    problem.setProperty("rule", refused.rule().name());
    return problem;
  }

  @ExceptionHandler(KeyUnavailableException.class)
  ProblemDetail keyUnavailable(KeyUnavailableException unavailable) {
    return ProblemResponses.problem(HttpStatus.CONFLICT, "key-unavailable", "Key unavailable", unavailable.getMessage());
  }

  /** The domain's own checks (request fields, project IDs); their messages name no person. */
  @ExceptionHandler(IllegalArgumentException.class)
  ProblemDetail invalid(IllegalArgumentException invalid) {
    return ProblemResponses.problem(HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request", invalid.getMessage());
  }
}
