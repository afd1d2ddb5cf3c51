package optout.registry.filing;

import static optout.platform.security.PlatformRole.AUDITOR;
import static optout.platform.security.PlatformRole.FILING_SERVICE;
import static optout.platform.security.PlatformRole.authorities;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Pattern;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import optout.platform.problem.ProblemResponses;
import optout.platform.security.ApiAuthorization;
import optout.registry.citizen.Receipts;
import optout.registry.event.RegistryEvent;
import optout.registry.event.store.EventStore;
import optout.registry.event.store.StoredEvent;
import optout.registry.sealedfiling.FilingSignatureException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * Filing opt-outs, withdrawals and scope changes. Only the consent service's machine identity (its
 * service account, authority filing-service) files: a status changes only through a sealed form, so no
 * human role, clerks included, writes here. The consent service and auditors read a filing's metadata;
 * clerks see their filings at the consent service, which is where they file, so they need no read here.
 */
@RestController
@Validated
@Tag(name = "filings")
class FilingController {

  static final String FILINGS = "/api/v1/filings";

  /** What the registry says about a stored filing: metadata only, never the person. */
  record FilingView(UUID id, String type, List<String> scopes, String channel, Instant effectiveAt, Instant recordedAt,
      String documentSha256, Long logIndex) {
    static FilingView of(StoredEvent stored) {
      RegistryEvent event = stored.event();
      return new FilingView(event.id(), event.type().code(), List.copyOf(event.scopes()), event.channel().code(),
          event.effectiveAt(), event.recordedAt(), event.document().sha256(),
          stored.logIndex().isPresent() ? stored.logIndex().getAsLong() : null);
    }
  }

  /**
   * A filing's place in the log, for the service that filed it: the leaf as logged, its inclusion proof and
   * the signed checkpoint the proof leads to. Unlike a citizen's receipt it has no person salt: the filer
   * checks that its filing was logged as sealed, not who it is about.
   */
  record LogReceipt(UUID id, long logIndex, String leaf, String leafHash, long treeSize, List<String> inclusionProof, String checkpoint) {}

  private final FilingService filings;
  private final EventStore events;
  private final Receipts receipts;

  FilingController(FilingService filings, EventStore events, Receipts receipts) {
    this.filings = filings;
    this.events = events;
    this.receipts = receipts;
  }

  @PostMapping(FILINGS)
  @Operation(summary = "File an opt-out, a withdrawal or a change of scopes (idempotent under the Idempotency-Key header)")
  ResponseEntity<FilingView> file(
      @RequestHeader("Idempotency-Key") @Pattern(regexp = "[A-Za-z0-9._-]{8,128}", message = "must be 8 to 128 letters, digits, '.', '_' or '-'") String key,
      @Valid @RequestBody FilingRequest request, JwtAuthenticationToken caller) throws FilingSignatureException {
    // only the filing service's authority reaches here (see Access)
    FilingService.Outcome outcome = filings.file(request, key, new FilingService.Filer("consent-service", caller.getToken().getSubject()));
    FilingView view = FilingView.of(outcome.stored());
    return outcome.replayed()
        ? ResponseEntity.ok().header("Idempotency-Replayed", "true").body(view)
        : ResponseEntity.created(URI.create(FILINGS + "/" + view.id())).body(view);
  }

  @GetMapping(FILINGS + "/{id}")
  @Operation(summary = "A filing's metadata and its place in the log")
  FilingView filing(@PathVariable UUID id) {
    return events.byId(id).map(FilingView::of)
        .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "No filing with this ID"));
  }

  @GetMapping(FILINGS + "/{id}/log-receipt")
  @Operation(summary = "A filing's leaf, inclusion proof and signed checkpoint, once a checkpoint covers it (404 until then)")
  LogReceipt logReceipt(@PathVariable UUID id) {
    StoredEvent stored = events.byId(id).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "No filing with this ID"));
    Receipts.Receipt receipt = receipts.of(stored).orElseThrow(() -> ProblemResponses.exception(HttpStatus.NOT_FOUND, "not-yet-logged",
        "Not yet in a signed checkpoint", "The filing is stored; no signed checkpoint covers it yet. Ask again in a few seconds."));
    return new LogReceipt(stored.event().id(), receipt.logIndex(), receipt.leaf(), receipt.leafHash(), receipt.treeSize(),
        receipt.inclusionProof(), receipt.checkpoint());
  }

  @Configuration(proxyBeanMethods = false)
  static class Access {
    @Bean
    ApiAuthorization filingAccess() {
      return rules -> rules
          .requestMatchers(HttpMethod.POST, FILINGS).hasAuthority(FILING_SERVICE.authority())
          .requestMatchers(HttpMethod.GET, FILINGS + "/*", FILINGS + "/*/log-receipt").hasAnyAuthority(authorities(FILING_SERVICE, AUDITOR));
    }
  }
}
