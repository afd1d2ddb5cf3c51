package optout.consent.counter;

import static optout.platform.security.PlatformRole.CLERK;
import static optout.platform.security.PlatformRole.authorities;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import optout.consent.ConsentProperties;
import optout.consent.filing.Draft;
import optout.consent.filing.DraftDesk;
import optout.consent.filing.DraftRequests;
import optout.consent.filing.DraftView;
import optout.consent.filing.FilingStore;
import optout.consent.filing.FilingView;
import optout.pad.api.CaptureResult;
import optout.pad.api.PadException;
import optout.pad.render.SignatureRenderer;
import optout.platform.problem.ProblemResponses;
import optout.platform.security.ApiAuthorization;
import optout.pseudonymizer.id.PersonId;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * The counter: a clerk records how the citizen's identity was checked and what they ask, the citizen
 * signs on the pad, the clerk sees the signature and the quality gate's reasons and accepts it or asks
 * again; an accepted signature is sealed into the filing.
 */
@RestController
@Tag(name = "counter")
class CounterController {

  static final String COUNTER = "/api/v1/counter";
  static final String DRAFTS = COUNTER + "/drafts";
  private static final String ROLE = "clerk";

  private final DraftDesk desk;
  private final PadStation pad;
  private final FilingStore store;
  private final SignatureRenderer renderer = SignatureRenderer.withDefaults();

  CounterController(DraftDesk desk, PadStation pad, FilingStore store) {
    this.desk = desk;
    this.pad = pad;
    this.store = store;
  }

  record PadView(String model, boolean virtual, List<String> recordings) {}

  @GetMapping(COUNTER + "/pad")
  @Operation(summary = "The counter's signature pad")
  PadView pad() {
    return new PadView(pad.model(), pad.virtual(), pad.virtual() ? PadStation.VIRTUAL_RECORDINGS : List.of());
  }

  @PostMapping(DRAFTS)
  @Operation(summary = "Start a filing: the person's ID (checksum-validated), how identity was checked, the scopes, a representative")
  ResponseEntity<DraftView> open(@Valid @RequestBody DraftRequests.Counter request, JwtAuthenticationToken caller) {
    Draft draft = desk.openCounter(request, PersonId.parse(request.nationalId()), DraftDesk.owner(ROLE, caller));
    return ResponseEntity.status(HttpStatus.CREATED).body(DraftView.of(draft));
  }

  @PutMapping(DRAFTS + "/{draftId}/evidence")
  @Operation(summary = "The representative's evidence: a PDF, PNG or JPEG scan of at most 5 MB")
  DraftView.EvidenceView evidence(@PathVariable UUID draftId, @RequestBody byte[] content, JwtAuthenticationToken caller) {
    return desk.attachEvidence(draftId, DraftDesk.owner(ROLE, caller), content);
  }

  @PostMapping(DRAFTS + "/{draftId}/capture")
  @Operation(summary = "Show the form on the pad and wait for the citizen's signature; answers with the quality gate's verdict")
  DraftView.AttemptView capture(@PathVariable UUID draftId, @Valid @RequestBody(required = false) DraftRequests.Capture request,
      JwtAuthenticationToken caller) throws InterruptedException {
    Draft draft = desk.find(draftId, DraftDesk.owner(ROLE, caller));
    desk.filings().requireReadyToSign(draft);
    CaptureResult result;
    try {
      result = pad.capture(draft, Optional.ofNullable(request).map(DraftRequests.Capture::virtualRecording));
    } catch (PadException e) {
      throw ProblemResponses.exception(HttpStatus.SERVICE_UNAVAILABLE, "pad-unavailable", "Signature pad unavailable",
          "The signature pad cannot be used: " + e.getMessage());
    }
    Draft.Attempt attempt = desk.filings().recordAttempt(draft, result.ending().confirmed() ? result.capture() : Optional.empty());
    String png = attempt.capture().flatMap(this::preview).orElse(null);
    return new DraftView.AttemptView(attempt.number(), result.ending().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'),
        attempt.accepted(), DraftView.Issue.of(attempt), png);
  }

  /** The signature as the clerk sees it; none for a capture with nothing to draw (the gate says why). */
  private Optional<String> preview(optout.pad.api.SignatureCapture capture) {
    try {
      return Optional.of(Base64.getEncoder().encodeToString(renderer.png(capture, 600, 200)));
    } catch (IllegalArgumentException nothingToDraw) {
      return Optional.empty();
    }
  }

  @PostMapping(DRAFTS + "/{draftId}/accept")
  @Operation(summary = "Accept the last signature: seal the form, archive it and queue it for the registry")
  ResponseEntity<FilingView> accept(@PathVariable UUID draftId, JwtAuthenticationToken caller) throws IOException, GeneralSecurityException {
    return ResponseEntity.status(HttpStatus.CREATED).body(desk.file(draftId, DraftDesk.owner(ROLE, caller)));
  }

  @DeleteMapping(DRAFTS + "/{draftId}")
  @Operation(summary = "Discard a draft; nothing of it was stored")
  ResponseEntity<Void> discard(@PathVariable UUID draftId, JwtAuthenticationToken caller) {
    desk.discard(draftId, DraftDesk.owner(ROLE, caller));
    return ResponseEntity.noContent().build();
  }

  @GetMapping(COUNTER + "/filings")
  @Operation(summary = "The filings this clerk made, newest first")
  List<FilingView> filings(JwtAuthenticationToken caller) {
    return store.byClerk(caller.getToken().getSubject(), 200).stream().map(FilingView::of).toList();
  }

  @Configuration(proxyBeanMethods = false)
  static class Setup {
    @Bean
    PadStation padStation(ConsentProperties properties) {
      return PadStation.configured(properties.counter().pad(), properties.counter().localDemoVirtualPad(),
          properties.counter().captureTimeout(), PadStation.PadDirectory.usb());
    }

    @Bean
    ApiAuthorization counterAccess() {
      return rules -> rules.requestMatchers(COUNTER + "/**").hasAnyAuthority(authorities(CLERK));
    }
  }
}
