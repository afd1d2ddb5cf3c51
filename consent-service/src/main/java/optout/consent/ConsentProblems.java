package optout.consent;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import optout.consent.filing.DraftStateException;
import optout.consent.filing.FilingService;
import optout.platform.problem.ProblemResponses;
import optout.pseudonymizer.id.InvalidPersonIdException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** The consent service's own refusals as problem details, ahead of the platform's catch-all. Messages name no person. */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
class ConsentProblems {

  /** Domain messages that start with "field: " name the field they are about. */
  private static final Pattern FIELD_MESSAGE = Pattern.compile("([A-Za-z][A-Za-z.]*): (.+)", Pattern.DOTALL);

  @ExceptionHandler(DraftStateException.class)
  ProblemDetail draftState(DraftStateException refused) {
    HttpStatus status = refused.problemType().equals("too-many-drafts") ? HttpStatus.TOO_MANY_REQUESTS : HttpStatus.CONFLICT;
    ProblemDetail problem = ProblemResponses.problem(status, refused.problemType(), switch (refused.problemType()) {
      case "already-filed" -> "Already filed";
      case "too-many-drafts" -> "Too many drafts";
      case "not-signed" -> "Not signed";
      case "evidence-missing" -> "Evidence missing";
      case "declaration-changed" -> "Declaration changed";
      default -> "Draft cannot do that";
    }, refused.getMessage());
    if (refused.filingId() != null) {
      problem.setProperty("filingId", refused.filingId());
    }
    return problem;
  }

  @ExceptionHandler(InvalidPersonIdException.class)
  ProblemDetail invalidId(InvalidPersonIdException invalid) {
    return invalidField("nationalId", invalid.getMessage());
  }

  @ExceptionHandler(FilingService.UnsupportedEvidenceException.class)
  ProblemDetail unsupported(FilingService.UnsupportedEvidenceException unsupported) {
    return ProblemResponses.problem(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported-evidence", "Unsupported evidence", unsupported.getMessage());
  }

  @ExceptionHandler(FilingService.UnreadableEvidenceException.class)
  ProblemDetail unreadable(FilingService.UnreadableEvidenceException unreadable) {
    return ProblemResponses.problem(HttpStatus.UNPROCESSABLE_ENTITY, "unreadable-evidence", "Unreadable evidence", unreadable.getMessage());
  }

  /** The domain's own checks. */
  @ExceptionHandler(IllegalArgumentException.class)
  ProblemDetail invalid(IllegalArgumentException invalid) {
    String message = invalid.getMessage() == null ? "The request is not valid." : invalid.getMessage();
    Matcher field = FIELD_MESSAGE.matcher(message);
    if (field.matches()) {
      if (field.group(1).equals("evidence") && field.group(2).startsWith("at most")) {
        return ProblemResponses.problem(HttpStatus.CONTENT_TOO_LARGE, "body-too-large", "Request body too large", "The evidence must be " + field.group(2) + ".");
      }
      return invalidField(field.group(1), field.group(2));
    }
    return ProblemResponses.problem(HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request", message);
  }

  private static ProblemDetail invalidField(String field, String message) {
    ProblemDetail problem = ProblemResponses.problem(HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request", "The request is not valid.");
    problem.setProperty("errors", List.of(Map.of("field", field, "message", message)));
    return problem;
  }
}
