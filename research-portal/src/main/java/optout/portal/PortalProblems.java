package optout.portal;

import java.util.List;
import java.util.Map;
import optout.portal.application.ApplicationStatus;
import optout.portal.application.EthicsApprovals;
import optout.portal.application.SubmissionCheck;
import optout.platform.problem.ProblemResponses;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** The portal's own refusals as problem details, ahead of the platform's catch-all. No message repeats what was sent. */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
class PortalProblems {

  /** A move the application's status does not allow: submitted twice, decided twice, withdrawn after a decision. */
  @ExceptionHandler(ApplicationStatus.IllegalTransitionException.class)
  ProblemDetail transition(ApplicationStatus.IllegalTransitionException refused) {
    ProblemDetail problem = ProblemResponses.problem(HttpStatus.CONFLICT, refused.problemType(), switch (refused.problemType()) {
      case "already-submitted" -> "Already submitted";
      case "already-decided" -> "Already decided";
      default -> "Not allowed in this status";
    }, refused.getMessage() + ".");
    problem.setProperty("applicationStatus", refused.from().wire());
    problem.setProperty("turn", refused.from().turn().wire());
    return problem;
  }

  /** Submission refused: every problem, each at its field (the GOV.UK error summary lists them, each links to its field). */
  @ExceptionHandler(SubmissionCheck.IncompleteApplicationException.class)
  ProblemDetail incomplete(SubmissionCheck.IncompleteApplicationException incomplete) {
    ProblemDetail problem = ProblemResponses.problem(HttpStatus.UNPROCESSABLE_CONTENT, "application-incomplete", "The application cannot be submitted yet",
        "Correct the " + incomplete.problems().size() + " problem(s) listed, each at its field, then submit again.");
    List<Map<String, String>> errors = incomplete.problems().stream()
        .map(p -> Map.of("field", p.field(), "message", p.message())).toList();
    problem.setProperty("errors", errors);
    problem.setProperty("turn", ApplicationStatus.Turn.RESEARCHER.wire());  // a refused submission leaves the draft with its writer
    return problem;
  }

  @ExceptionHandler(EthicsApprovals.UnacceptableDocumentException.class)
  ProblemDetail document(EthicsApprovals.UnacceptableDocumentException refused) {
    HttpStatus status = refused.tooLarge() ? HttpStatus.CONTENT_TOO_LARGE : switch (refused.problemType()) {
      case "ethics-approval-not-pdf" -> HttpStatus.UNSUPPORTED_MEDIA_TYPE;
      case "ethics-approval-empty" -> HttpStatus.BAD_REQUEST;
      default -> HttpStatus.UNPROCESSABLE_CONTENT;
    };
    ProblemDetail problem = ProblemResponses.problem(status, refused.problemType(),
        refused.tooLarge() ? "Request body too large" : "Not an acceptable ethics approval", refused.getMessage());
    problem.setProperty("errors", List.of(Map.of("field", "ethicsApproval", "message", refused.getMessage())));
    return problem;
  }
}
