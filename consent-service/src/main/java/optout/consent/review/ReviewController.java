package optout.consent.review;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;
import optout.platform.problem.ProblemResponses;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The clerks' review queue of representatives' online filings (under the counter's API, so for clerks
 * only): what waits, its evidence, and the decision.
 */
@RestController
@Tag(name = "review")
class ReviewController {

  static final String REVIEWS = "/api/v1/counter/reviews";

  private final ProxyReviews reviews;

  ReviewController(ProxyReviews reviews) {
    this.reviews = reviews;
  }

  record PendingView(String filingId, String kind, List<String> scopes, String maskedNationalId, String relation, String evidenceType,
      String evidenceSha256, String evidenceMediaType, int evidenceBytes, String evidenceUrl, String representativeMaskedNationalId,
      Instant signedAt, Instant heldAt) {}

  record DecisionView(String filingId, String status, Instant decidedAt, String reason) {}

  record Rejection(@NotBlank(message = "say why the evidence does not hold") @Size(max = 500) String reason) {}

  @GetMapping(REVIEWS)
  @Operation(summary = "Representatives' online filings waiting for a clerk's review, oldest first")
  List<PendingView> pending() {
    return reviews.pending(200).stream().map(p -> new PendingView(p.filingId(), p.kind(), p.scopes(), p.maskedPersonId(), p.relation(),
        p.evidenceType(), p.evidenceSha256(), p.evidenceMediaType(), p.evidenceBytes(), REVIEWS + "/" + p.filingId() + "/evidence",
        p.representativeMaskedId(), p.signedAt(), p.heldAt())).toList();
  }

  @GetMapping(REVIEWS + "/{filingId}/evidence")
  @Operation(summary = "The representative's evidence as uploaded (inline, or as a download with download=true)")
  ResponseEntity<byte[]> evidence(@PathVariable String filingId, @RequestParam(defaultValue = "false") boolean download) {
    ProxyReviews.Evidence evidence = reviews.evidence(filingId).orElseThrow(ReviewController::unknown);
    String extension = switch (evidence.mediaType()) {
      case "application/pdf" -> ".pdf";
      case "image/png" -> ".png";
      default -> ".jpg";
    };
    ContentDisposition disposition = (download ? ContentDisposition.attachment() : ContentDisposition.inline())
        .filename(filingId + "-evidence" + extension).build();
    return ResponseEntity.ok()
        .contentType(MediaType.parseMediaType(evidence.mediaType()))
        .header(HttpHeaders.CONTENT_DISPOSITION, disposition.toString())
        // an uploaded file: never run anything in it, never guess another type
        .header("Content-Security-Policy", "sandbox; default-src 'none'; img-src 'self'; object-src 'self'")
        .header("X-Content-Type-Options", "nosniff")
        .header(HttpHeaders.CACHE_CONTROL, "no-store")
        .body(evidence.content());
  }

  @PostMapping(REVIEWS + "/{filingId}/accept")
  @Operation(summary = "Accept: the evidence supports the stated relation; the filing is queued for the registry")
  DecisionView accept(@PathVariable String filingId, JwtAuthenticationToken caller) {
    return view(reviews.accept(filingId, caller.getToken().getSubject()));
  }

  @PostMapping(REVIEWS + "/{filingId}/reject")
  @Operation(summary = "Reject with a reason: the filing never goes to the registry; its filer sees the reason")
  DecisionView reject(@PathVariable String filingId, @Valid @RequestBody Rejection rejection, JwtAuthenticationToken caller) {
    return view(reviews.reject(filingId, caller.getToken().getSubject(), rejection.reason()));
  }

  private static DecisionView view(ProxyReviews.Decision decision) {
    return new DecisionView(decision.filingId(), decision.status(), decision.decidedAt(), decision.reason().orElse(null));
  }

  private static RuntimeException unknown() {
    return ProblemResponses.exception(HttpStatus.NOT_FOUND, "unknown-review", "No such filing in review",
        "There is no representative's filing in review with this ID.");
  }

  @ExceptionHandler(ProxyReviews.ReviewStateException.class)
  ProblemDetail state(ProxyReviews.ReviewStateException refused) {
    return refused.exists()
        ? ProblemResponses.problem(HttpStatus.CONFLICT, "already-reviewed", "Already reviewed", refused.getMessage())
        : ProblemResponses.problem(HttpStatus.NOT_FOUND, "unknown-review", "No such filing in review", refused.getMessage());
  }
}
