package optout.consent.online;

import static optout.platform.security.PlatformRole.CITIZEN;
import static optout.platform.security.PlatformRole.authorities;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.util.Optional;
import java.util.UUID;
import optout.consent.filing.Draft;
import optout.consent.filing.DraftDesk;
import optout.consent.filing.DraftRequests;
import optout.consent.filing.DraftStateException;
import optout.consent.filing.DraftView;
import optout.consent.filing.FilingView;
import optout.consent.form.FormTemplate;
import optout.pad.api.SignatureCapture;
import optout.pad.browser.BrowserCapture;
import optout.platform.identity.CallerIdentities;
import optout.platform.problem.ProblemResponses;
import optout.platform.security.ApiAuthorization;
import optout.pseudonymizer.id.PersonId;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Online filing: the citizen, logged in at Keycloak (their national ID comes from their account, never
 * from the request), chooses scopes and signs with a finger or pen in the browser; the capture is
 * checked as the pad's is, and an accepted one is sealed into the same form. A legal representative
 * names the person they file for and uploads their evidence.
 */
@RestController
@Tag(name = "online")
class OnlineController {

  static final String DRAFTS = "/api/v1/online/drafts";
  private static final String ROLE = "citizen";

  private final DraftDesk desk;
  private final CallerIdentities identities;

  OnlineController(DraftDesk desk, CallerIdentities identities) {
    this.desk = desk;
    this.identities = identities;
  }

  @PostMapping(DRAFTS)
  @Operation(summary = "Start a filing for yourself, or as a legal representative for someone else")
  ResponseEntity<DraftView> open(@Valid @RequestBody DraftRequests.Online request, JwtAuthenticationToken caller) {
    PersonId self = identities.personId(caller);
    PersonId person = request.representative() == null ? self
        : DraftRequests.personId("representative.nationalId", request.representative().nationalId());
    Draft draft = desk.openOnline(request, person, self, DraftDesk.owner(ROLE, caller));
    return ResponseEntity.status(HttpStatus.CREATED).body(DraftView.of(draft));
  }

  @DeleteMapping(DRAFTS + "/{draftId}")
  @Operation(summary = "Discard a draft; nothing of it was stored")
  ResponseEntity<Void> discard(@PathVariable UUID draftId, JwtAuthenticationToken caller) {
    desk.discard(draftId, DraftDesk.owner(ROLE, caller));
    return ResponseEntity.noContent().build();
  }

  @PutMapping(DRAFTS + "/{draftId}/evidence")
  @Operation(summary = "The representative's evidence: a PDF with a page, or a PNG or JPEG picture of a page, of at most 5 MB")
  DraftView.EvidenceView evidence(@PathVariable UUID draftId, @RequestBody byte[] content, JwtAuthenticationToken caller) {
    return desk.attachEvidence(draftId, DraftDesk.owner(ROLE, caller), content);
  }

  @PostMapping(DRAFTS + "/{draftId}/signature")
  @Operation(summary = "Sign: the capture pen-capture.js produced, with the SHA-256 of the declaration shown; a signature that fails"
      + " the quality gate is refused with the reasons. 201 with the filing; 202 with the request's status for a representative's"
      + " filing, held until a clerk accepts its evidence")
  ResponseEntity<FilingView> sign(@PathVariable UUID draftId, @RequestBody byte[] captureJson,
      @RequestParam(name = "declaration", required = false) String declarationSha256, JwtAuthenticationToken caller)
      throws IOException, GeneralSecurityException {
    Draft.Owner owner = DraftDesk.owner(ROLE, caller);
    Draft draft = desk.find(draftId, owner);
    draft.filingId().ifPresent(filed -> {
      throw new DraftStateException("already-filed", "This draft has been filed already as " + filed
          + "; a submission is accepted once.", filed);
    });
    checkDeclarationShown(draft, declarationSha256);
    if (captureJson.length > BrowserCapture.MAX_BYTES) {
      throw new IllegalArgumentException("capture: at most " + BrowserCapture.MAX_BYTES + " bytes");
    }
    SignatureCapture capture;
    try {
      capture = BrowserCapture.read(new ByteArrayInputStream(captureJson));
      BrowserCapture.check(capture);
    } catch (IOException | RuntimeException invalid) {
      throw new IllegalArgumentException("capture: not a capture from pen-capture.js (" + invalid.getMessage() + ")");
    }
    Draft.Attempt attempt = desk.filings().recordAttempt(draft, Optional.of(capture));
    if (!attempt.accepted()) {
      ProblemDetail problem = ProblemResponses.problem(HttpStatus.UNPROCESSABLE_ENTITY, "signature-quality", "Signature not accepted",
          "The signature did not pass the quality check; please sign again.");
      problem.setProperty("issues", DraftView.Issue.of(attempt));
      throw new ErrorResponseException(HttpStatus.UNPROCESSABLE_ENTITY, problem, null);
    }
    FilingView filed = desk.file(draftId, owner);
    // a representative's filing is taken, not yet counted: a clerk reviews the evidence first
    return ResponseEntity.status(filed.review() != null ? HttpStatus.ACCEPTED : HttpStatus.CREATED).body(filed);
  }

  /**
   * A citizen signs only what the page showed them: the page sends the SHA-256 of the template whose
   * declaration and privacy notice it displayed (from {@code /web-config}), and it must be the template
   * the form will be printed from, so a page that skipped the text, or showed a superseded version, cannot
   * have its signature sealed under the current one.
   */
  private static void checkDeclarationShown(Draft draft, String declarationSha256) {
    FormTemplate template = FormTemplate.latest(draft.kind().templateId());
    if (declarationSha256 == null || declarationSha256.isBlank()) {
      throw new IllegalArgumentException("declaration: the SHA-256 of the form template whose declaration and privacy notice"
          + " were shown before signing is required");
    }
    if (!template.sha256().equals(declarationSha256)) {
      throw new DraftStateException("declaration-changed", "The declaration shown was not that of the form to be signed ("
          + template.id() + " v" + template.version() + "); show the current text and sign again.", null);
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class Access {
    @Bean
    ApiAuthorization onlineAccess() {
      return rules -> rules.requestMatchers(HttpMethod.POST, DRAFTS, DRAFTS + "/*/signature").hasAnyAuthority(authorities(CITIZEN))
          .requestMatchers(HttpMethod.PUT, DRAFTS + "/*/evidence").hasAnyAuthority(authorities(CITIZEN))
          .requestMatchers(HttpMethod.DELETE, DRAFTS + "/*").hasAnyAuthority(authorities(CITIZEN));
    }
  }
}
