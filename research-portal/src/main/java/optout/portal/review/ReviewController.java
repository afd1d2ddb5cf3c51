package optout.portal.review;

import static optout.platform.security.PlatformRole.REVIEWER;
import static optout.platform.security.PlatformRole.authorities;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.UUID;
import optout.portal.application.ApplicationView;
import optout.portal.application.Pdfs;
import optout.platform.security.ApiAuthorization;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.ResponseEntity;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The reviewers' side: the queue, the application with its versions and diff, the checklist, comments, decisions. */
@RestController
@Validated
@Tag(name = "reviews")
class ReviewController {

  static final String REVIEWS = "/api/v1/reviews";

  private final ReviewDesk desk;

  ReviewController(ReviewDesk desk) {
    this.desk = desk;
  }

  @Configuration(proxyBeanMethods = false)
  static class Access {
    @Bean
    ApiAuthorization reviewAccess() {
      return rules -> rules.requestMatchers(REVIEWS, REVIEWS + "/**").hasAnyAuthority(authorities(REVIEWER));
    }
  }

  record NewComment(
      @NotNull(message = "say reviewer-only or shown-to-researcher")
      @Pattern(regexp = "reviewer-only|shown-to-researcher", message = "must be reviewer-only or shown-to-researcher") String visibility,
      @NotBlank @Size(max = 4000) String body) {}

  record NewDecision(
      @NotNull @Pattern(regexp = "approve|reject|request-changes", message = "must be approve, reject or request-changes") String outcome,
      @NotNull(message = "say which version you decide") @Min(1) Integer version,
      @NotBlank(message = "give the reason: the researcher reads it") @Size(max = 4000) String reason) {}

  @GetMapping(REVIEWS)
  @Operation(summary = "Submitted applications waiting for a decision, oldest first (not the caller's own)")
  List<ApplicationView.Summary> queue(JwtAuthenticationToken caller) {
    return desk.queue(caller.getToken().getSubject());
  }

  @GetMapping(REVIEWS + "/{id}")
  @Operation(summary = "The application's last submitted version, its versions, history, every comment and the minimum-necessary checklist")
  ReviewDesk.Review review(JwtAuthenticationToken caller, @PathVariable UUID id) {
    return desk.review(caller.getToken().getSubject(), id);
  }

  @GetMapping(REVIEWS + "/{id}/diff")
  @Operation(summary = "What changed between two submitted versions, field by field")
  ReviewDesk.Diff diff(JwtAuthenticationToken caller, @PathVariable UUID id, @RequestParam @Min(1) int from, @RequestParam @Min(1) int to) {
    return desk.diff(caller.getToken().getSubject(), id, from, to);
  }

  @GetMapping(REVIEWS + "/{id}/versions/{version}/ethics-approval")
  @Operation(summary = "The ethics approval of a submitted version, as uploaded")
  ResponseEntity<byte[]> ethicsApproval(JwtAuthenticationToken caller, @PathVariable UUID id, @PathVariable int version) {
    return Pdfs.download(desk.ethicsApproval(caller.getToken().getSubject(), id, version), "ethics-approval.pdf");
  }

  @PostMapping(REVIEWS + "/{id}/comments")
  @Operation(summary = "Comment on the last submitted version: reviewer-only, or shown to the researcher")
  ReviewDesk.Review comment(JwtAuthenticationToken caller, @PathVariable UUID id, @RequestBody @Valid NewComment comment) {
    return desk.comment(caller.getToken().getSubject(), id, comment.visibility().equals("shown-to-researcher"), comment.body());
  }

  @PostMapping(REVIEWS + "/{id}/decision")
  @Operation(summary = "Approve, reject or request changes, with the reason; once per version (409 after)")
  ReviewDesk.Decided decide(JwtAuthenticationToken caller, @PathVariable UUID id, @RequestBody @Valid NewDecision decision) {
    return desk.decide(caller.getToken().getSubject(), id, decision.version(),
        ReviewDesk.Outcome.fromWire(decision.outcome()).orElseThrow(), decision.reason());
  }
}
