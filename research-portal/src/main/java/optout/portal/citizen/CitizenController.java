package optout.portal.citizen;

import static optout.platform.security.PlatformRole.CITIZEN;
import static optout.platform.security.PlatformRole.authorities;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import optout.platform.problem.ProblemResponses;
import optout.platform.security.ApiAuthorization;
import optout.platform.seal.SealedPdf;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.CacheControl;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * The citizen's own view: their opt-out status per purpose and its history, each filing with its receipt (the
 * browser recomputes the inclusion proof; the portal checks the checkpoint's signatures), the extracts that
 * included them, the releases that left them out, the legal exemptions, and their e-mail subscriptions. The
 * person is always the caller: the registry finds them from their token; no request names anyone.
 */
@RestController
@Tag(name = "citizen")
@EnableConfigurationProperties(CitizenProperties.class)
class CitizenController {

  private static final Logger LOG = LoggerFactory.getLogger(CitizenController.class);

  static final String CITIZEN_API = "/api/v1/citizen";

  record ScopeView(String scope, String traditionalChinese, String english, Instant since) {}

  record ExemptionView(String code, String traditionalChinese, String english, String legalBasis, List<String> scopes) {}

  /** The receipt as the browser checks it; {@code checkpointCheck} is the portal's check of the note's signatures. */
  record ReceiptView(long logIndex, String leaf, String leafHash, long treeSize, List<String> inclusionProof, String checkpoint,
      WitnessedCheckpoints.Verdict checkpointCheck) {}

  record FilingView(String type, List<String> scopes, String channel, String proxyRelation, Instant effectiveAt, Instant recordedAt,
      String documentSha256, Long logIndex, ReceiptView receipt) {}

  record ExcludedView(String extractId, String purpose, long checkpointSize, Instant releasedAt) {}

  record Overview(List<ScopeView> optedOut, List<FilingView> filings, List<ExemptionView> exemptions, int excludedFrom,
      List<ExcludedView> excludedReleases, String onlineFilingUrl, SubscriptionView subscriptions) {}

  /** Where the caller's data was used; {@code usageAvailable} false (and no uses): the usage ledger cannot be read now. */
  record UsesView(boolean usageAvailable, List<DataUses.Use> uses) {

    static UsesView of(List<DataUses.Use> uses) {
      return new UsesView(uses != null, uses == null ? List.of() : uses);
    }
  }

  record SubscriptionView(boolean dataUsed, boolean statusChanged, boolean statusWatched) {}

  record SubscriptionRequest(@NotNull Boolean dataUsed, @NotNull Boolean statusChanged) {}

  private final RegistryStatus registry;
  private final CitizenPseudonyms pseudonyms;
  private final WitnessedCheckpoints checkpoints;
  private final DataUses uses;
  private final Subscriptions subscriptions;
  private final CitizenProperties properties;
  private final Clock clock;
  private final ReportSeal seal;

  CitizenController(RegistryStatus registry, CitizenPseudonyms pseudonyms, WitnessedCheckpoints checkpoints, DataUses uses, Subscriptions subscriptions,
      CitizenProperties properties, Clock clock, ReportSeal seal) {
    this.seal = seal;
    this.registry = registry;
    this.pseudonyms = pseudonyms;
    this.checkpoints = checkpoints;
    this.uses = uses;
    this.subscriptions = subscriptions;
    this.properties = properties;
    this.clock = clock;
  }

  @Configuration(proxyBeanMethods = false)
  static class Access {
    @Bean
    ApiAuthorization citizenAccess() {
      return rules -> rules.requestMatchers(CITIZEN_API + "/**").hasAnyAuthority(authorities(CITIZEN));
    }
  }

  @GetMapping(CITIZEN_API + "/overview")
  @Operation(summary = "The caller's opt-out status, filings with receipts, the releases that left them out, their subscriptions")
  ResponseEntity<Overview> overview(JwtAuthenticationToken caller) {
    return ResponseEntity.ok().cacheControl(CacheControl.noStore()).body(overviewOf(caller, statusOf(caller)));
  }

  @GetMapping(CITIZEN_API + "/uses")
  @Operation(summary = "Where the caller's data was used: every extract whose usage-ledger rows name one of their pseudonyms")
  ResponseEntity<UsesView> whereUsed(JwtAuthenticationToken caller) {
    return ResponseEntity.ok().cacheControl(CacheControl.noStore())
        .body(UsesView.of(uses.of(pseudonyms.of(caller.getToken().getSubject(), caller.getToken().getTokenValue()))));
  }

  @GetMapping(value = CITIZEN_API + "/report", produces = MediaType.APPLICATION_PDF_VALUE)
  @Operation(summary = "The caller's overview as a PDF report, sealed by the portal (PAdES with an RFC 3161 timestamp)")
  ResponseEntity<byte[]> report(JwtAuthenticationToken caller) throws IOException {
    if (!seal.available()) {
      throw ProblemResponses.exception(HttpStatus.SERVICE_UNAVAILABLE, "report-unavailable", "The report cannot be made here",
          "This portal has no seal configured for citizens' reports. Your status is shown on this page.");
    }
    RegistryStatus.Status status = statusOf(caller);
    Overview overview = overviewOf(caller, status);
    UsesView used = UsesView.of(uses.of(status.pseudonyms()));
    SealedPdf sealed;
    try {
      sealed = seal.sealed(overview, used, clock.instant());
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      LOG.warn("Cannot seal a citizen's report ({}: {})", e.getClass().getSimpleName(), e.getMessage());
      throw ProblemResponses.exception(HttpStatus.BAD_GATEWAY, "report-unavailable", "The report cannot be sealed now",
          "The report's seal or timestamp cannot be made now. Try again in a few minutes.");
    }
    return ResponseEntity.ok().cacheControl(CacheControl.noStore()).contentType(MediaType.APPLICATION_PDF)
        .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment().filename("opt-out-report.pdf").build().toString())
        .body(sealed.pdf());
  }

  /** The caller's status from the registry, asked with their token (which leaves their pseudonyms with the portal). */
  private RegistryStatus.Status statusOf(JwtAuthenticationToken caller) {
    return pseudonyms.status(caller.getToken().getSubject(), caller.getToken().getTokenValue());
  }

  private Overview overviewOf(JwtAuthenticationToken caller, RegistryStatus.Status status) {
    List<FilingView> filings = status.history().stream().map(this::filing).toList();
    List<ExcludedView> excluded = ReleaseHistory.excluding(status.events(), uses.releases()).stream()
        .map(r -> new ExcludedView(r.extractId(), r.purpose(), r.checkpointSize(), r.releasedAt())).toList();
    Subscriptions.Chosen chosen = subscriptions.of(caller.getToken().getSubject());
    if (chosen.keyVersion() != 0 && chosen.keyVersion() < status.keyVersion()) {
      subscriptions.follow(caller.getToken().getSubject(), status.pseudonym(), status.keyVersion(),
          uses.count(Map.of(status.keyVersion(), status.pseudonym())), status.fingerprint(), clock.instant());
    }
    return new Overview(
        status.optedOut().stream().map(s -> new ScopeView(s.code(), s.traditionalChinese(), s.english(), s.since())).toList(),
        filings,
        status.exemptions().stream().map(e -> new ExemptionView(e.code(), e.traditionalChinese(), e.english(), e.legalBasis(), e.scopes())).toList(),
        excluded.size(), excluded, properties.onlineFilingUrl().toString(),
        view(chosen));
  }

  @GetMapping(CITIZEN_API + "/subscriptions")
  @Operation(summary = "The caller's e-mail subscriptions")
  ResponseEntity<SubscriptionView> subscriptions(JwtAuthenticationToken caller) {
    return ResponseEntity.ok().cacheControl(CacheControl.noStore()).body(view(subscriptions.of(caller.getToken().getSubject())));
  }

  @PutMapping(CITIZEN_API + "/subscriptions")
  @Operation(summary = "Subscribe to (or unsubscribe from) e-mail about the caller's data being used and their status changing")
  ResponseEntity<SubscriptionView> subscribe(JwtAuthenticationToken caller, @Valid @RequestBody SubscriptionRequest request) {
    String subject = caller.getToken().getSubject();
    if (request.dataUsed() || request.statusChanged()) {
      RegistryStatus.Status status = statusOf(caller);
      // the watch counts the rows of the current pseudonym (new extracts are made under the current version)
      subscriptions.set(subject, status.pseudonym(), status.keyVersion(), request.dataUsed(), request.statusChanged(),
          uses.count(Map.of(status.keyVersion(), status.pseudonym())), status.fingerprint(), clock.instant());
    } else {
      subscriptions.set(subject, 0, 1, false, false, 0, null, clock.instant());
    }
    return ResponseEntity.ok().cacheControl(CacheControl.noStore()).body(view(subscriptions.of(subject)));
  }

  private SubscriptionView view(Subscriptions.Chosen chosen) {
    return new SubscriptionView(chosen.dataUsed(), chosen.statusChanged(), registry.watchesStatus());
  }

  private FilingView filing(RegistryStatus.Entry entry) {
    RegistryStatus.Receipt r = entry.receipt();
    ReceiptView receipt = r == null ? null : new ReceiptView(r.logIndex(), r.leaf(), r.leafHash(), r.treeSize(), r.inclusionProof(),
        r.checkpoint(), checkpoints.check(r.checkpoint(), r.treeSize()));
    return new FilingView(entry.type(), entry.scopes(), entry.channel(), entry.proxyRelation(), entry.effectiveAt(), entry.recordedAt(),
        entry.documentSha256(), entry.logIndex(), receipt);
  }
}
