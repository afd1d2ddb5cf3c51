package optout.registry;

import optout.platform.problem.ProblemResponses;
import optout.pseudonymizer.id.InvalidPersonIdException;
import optout.registry.event.FilingRefusedException;
import optout.registry.exemption.ExemptionNotGrantedException;
import optout.registry.filing.IdempotencyConflictException;
import optout.registry.scope.ScopeCatalogue;
import optout.registry.sealedfiling.FilingSignatureException;
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

  /**
   * A filing the consent service's filing key did not sign as it is: 400 when the signature is missing
   * or not signature lines, 403 when no trusted filing key signed it, 422 when a trusted key signed
   * another filing (a field was changed after signing).
   */
  @ExceptionHandler(FilingSignatureException.class)
  ProblemDetail filingSignature(FilingSignatureException refused) {
    return switch (refused.reason()) {
      case MALFORMED -> ProblemResponses.problem(HttpStatus.BAD_REQUEST, "malformed-filing-signature", "Malformed filing signature",
          "The filing's signature is missing or is not signed-note signature lines.");
      case UNTRUSTED_KEY -> ProblemResponses.problem(HttpStatus.FORBIDDEN, "untrusted-filing-key", "Untrusted filing key",
          "No signature on the filing is by a filing key the registry trusts.");
      case NOT_THIS_FILING -> ProblemResponses.problem(HttpStatus.UNPROCESSABLE_CONTENT, "filing-signature-mismatch", "Filing signature mismatch",
          "The trusted filing key's signature is over another filing: a field differs from what was signed.");
    };
  }

  /** The domain's own checks; their messages name fields and rules, never values. */
  @ExceptionHandler(IllegalArgumentException.class)
  ProblemDetail invalid(IllegalArgumentException invalid) {
    return ProblemResponses.problem(HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request", invalid.getMessage());
  }
}
