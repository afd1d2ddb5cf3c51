package optout.registry;

import optout.platform.problem.ProblemResponses;
import optout.pseudonymizer.id.InvalidPersonIdException;
import optout.registry.event.FilingRefusedException;
import optout.registry.exemption.ExemptionNotGrantedException;
import optout.registry.filing.IdempotencyConflictException;
import optout.registry.scope.ScopeCatalogue;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** The registry's own refusals as problem details, ahead of the platform's catch-all. Messages name no person. */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
class RegistryProblems {

  @ExceptionHandler(FilingRefusedException.class)
  ProblemDetail refused(FilingRefusedException refused) {
    return ProblemResponses.problem(HttpStatus.CONFLICT, "filing-refused", "Filing refused", refused.getMessage());
  }

  @ExceptionHandler(InvalidPersonIdException.class)
  ProblemDetail invalidId(InvalidPersonIdException invalid) {
    ProblemDetail problem = ProblemResponses.problem(HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request", "The request is not valid.");
    problem.setProperty("errors", java.util.List.of(java.util.Map.of("field", "nationalId", "message", invalid.getMessage())));
    return problem;
  }

  @ExceptionHandler(ScopeCatalogue.UnknownScopeException.class)
  ProblemDetail unknownScope(ScopeCatalogue.UnknownScopeException unknown) {
    ProblemDetail problem = ProblemResponses.problem(HttpStatus.BAD_REQUEST, "unknown-scope", "Unknown scope", unknown.getMessage());
    problem.setProperty("unknownScopes", unknown.unknown());
    return problem;
  }

  @ExceptionHandler(ExemptionNotGrantedException.class)
  ProblemDetail exemptionNotGranted(ExemptionNotGrantedException refused) {
    return ProblemResponses.problem(HttpStatus.FORBIDDEN, "exemption-not-granted", "Legal exemption not granted", refused.getMessage());
  }

  @ExceptionHandler(IdempotencyConflictException.class)
  ProblemDetail idempotencyConflict(IdempotencyConflictException conflict) {
    return ProblemResponses.problem(HttpStatus.CONFLICT, "idempotency-conflict", "Idempotency key reused", conflict.getMessage());
  }

  /** The domain's own checks; their messages name fields and rules, never values. */
  @ExceptionHandler(IllegalArgumentException.class)
  ProblemDetail invalid(IllegalArgumentException invalid) {
    return ProblemResponses.problem(HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request", invalid.getMessage());
  }
}
