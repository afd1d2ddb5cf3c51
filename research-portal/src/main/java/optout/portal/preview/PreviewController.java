package optout.portal.preview;

import io.swagger.v3.oas.annotations.Operation;
import java.net.URI;
import java.util.UUID;
import optout.portal.application.ApplicationStore;
import optout.portal.application.ApplicationStore.ApplicationRow;
import optout.portal.application.SubmissionCheck;
import optout.portal.launch.Jobs;
import optout.platform.problem.ProblemResponses;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The impact preview (issue 16, item 2): before submitting, the researcher asks the warehouse how their
 * cohort comes out (its size, how many in it opted out of the purpose, the representativeness report),
 * computed by the runner on the warehouse as a {@code preview} job. Researchers only (the path is under
 * the applications' rule), their own drafts only.
 */
@RestController
class PreviewController {

  static final String PATH = "/api/v1/applications/{id}/preview";
  /** Under the reviews' rule (reviewers only). */
  static final String FOR_REVIEWER = "/api/v1/reviews/{id}/preview";

  private final ApplicationStore applications;
  private final Jobs jobs;
  private final JsonMapper json;

  PreviewController(ApplicationStore applications, Jobs jobs, JsonMapper json) {
    this.applications = applications;
    this.jobs = jobs;
    this.json = json;
  }

  /** A preview: where it stands and, once done, what it found (counts as the warehouse may show them: small ones suppressed, others rounded). */
  record PreviewView(UUID job, int version, String specSha256, String status, int progress, java.time.Instant queuedAt,
      java.time.Instant finishedAt, JsonNode result, String error) {}

  @PostMapping(PATH)
  @Transactional
  @Operation(summary = "Ask the warehouse for the impact preview of the current draft; answers the queued preview (or the one already under way for the same spec; 409 for another spec while one is under way)")
  ResponseEntity<PreviewView> request(JwtAuthenticationToken caller, @PathVariable UUID id) {
    ApplicationRow application = own(caller, applications.lock(id));
    if (!application.status().editable()) {
      throw ProblemResponses.exception(HttpStatus.CONFLICT, "not-editable", "Not a draft",
          "A preview is for a draft; an application that is " + application.status().wire() + " has its extract or none.");
    }
    var draft = applications.version(id, application.currentVersion()).orElseThrow();
    SubmissionCheck.CheckedSpec spec = SubmissionCheck.previewSpec(draft.content(), application.number());
    var pending = jobs.latest(id, "preview").filter(Jobs.JobView::pending);
    if (pending.isPresent()) {
      if (pending.get().specSha256().equals(spec.spec().sha256())) {
        return ResponseEntity.ok(view(pending.get()));
      }
      // one at a time: the warehouse's work is shared, and previews of many near cohorts are what rounding guards against
      throw ProblemResponses.exception(HttpStatus.CONFLICT, "preview-under-way", "A preview is under way",
          "Wait for the preview under way (GET this address), then ask for the next.");
    }
    UUID job = jobs.queuePreview(id, application.currentVersion(), spec.spec().project(), spec.spec().purpose(), spec.json(), spec.spec().sha256());
    return ResponseEntity.accepted().location(URI.create(PATH.replace("{id}", id.toString())))
        .body(view(jobs.latest(id, "preview").filter(j -> j.id().equals(job)).orElseThrow()));
  }

  @GetMapping(PATH)
  @Operation(summary = "The newest impact preview of the application: status and progress while it runs, the result once done")
  PreviewView show(JwtAuthenticationToken caller, @PathVariable UUID id) {
    own(caller, applications.find(id));
    return jobs.latest(id, "preview").map(this::view).orElseThrow(() -> ProblemResponses.exception(HttpStatus.NOT_FOUND, "no-preview",
        "No preview yet", "No preview was asked for this application: POST to this address to ask for one."));
  }

  /**
   * The reviewer's view: the newest preview of the version under review (the last submitted one), as the
   * researcher saw it before submitting. Not for the applicant themselves (a person with both roles).
   */
  @GetMapping(FOR_REVIEWER)
  @Operation(summary = "The newest impact preview of the version under review (reviewers, not the applicant); 404 no-preview when the researcher asked none for it")
  PreviewView forReviewer(JwtAuthenticationToken caller, @PathVariable UUID id) {
    ApplicationRow application = applications.find(id).orElseThrow(PreviewController::notFound);
    var submitted = applications.versions(id).stream().filter(ApplicationStore.VersionRow::submitted).toList();
    if (submitted.isEmpty()) {
      throw notFound();  // a draft never submitted is the researcher's own business
    }
    if (application.ownerSubject().equals(caller.getToken().getSubject())) {
      throw ProblemResponses.exception(HttpStatus.FORBIDDEN, "own-application", "Your own application",
          "You applied for this yourself: another reviewer must review it.");
    }
    int underReview = submitted.get(submitted.size() - 1).version();
    return jobs.latest(id, "preview", underReview).map(this::view).orElseThrow(() -> ProblemResponses.exception(HttpStatus.NOT_FOUND,
        "no-preview", "No preview", "The researcher asked for no impact preview of version " + underReview + "."));
  }

  private static RuntimeException notFound() {
    return ProblemResponses.exception(HttpStatus.NOT_FOUND, "not-found", "Not found", "No such application.");
  }

  private PreviewView view(Jobs.JobView job) {
    JsonNode outcome = job.outcome() == null ? null : json.readTree(job.outcome());
    boolean succeeded = job.status().equals("succeeded");
    return new PreviewView(job.id(), job.version(), job.specSha256(), job.status(), job.progress(), job.queuedAt(), job.finishedAt(),
        succeeded ? outcome : null, !succeeded && outcome != null && outcome.has("error") ? outcome.get("error").asString() : null);
  }

  private static ApplicationRow own(JwtAuthenticationToken caller, java.util.Optional<ApplicationRow> application) {
    return application.filter(a -> a.ownerSubject().equals(caller.getToken().getSubject()))
        .orElseThrow(() -> ProblemResponses.exception(HttpStatus.NOT_FOUND, "not-found", "Not found", "No such application of yours."));
  }
}
