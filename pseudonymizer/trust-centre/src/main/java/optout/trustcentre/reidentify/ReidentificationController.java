package optout.trustcentre.reidentify;

import static optout.platform.security.PlatformRole.AUDITOR;
import static optout.platform.security.PlatformRole.KEY_CUSTODIAN;
import static optout.platform.security.PlatformRole.REVIEWER;
import static optout.platform.security.PlatformRole.authorities;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.io.IOException;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import optout.platform.security.ApiAuthorization;
import optout.pseudonymizer.id.PersonId;
import optout.pseudonymizer.reidentify.AuditChain;
import optout.pseudonymizer.reidentify.AuditEvent;
import optout.pseudonymizer.reidentify.ReidentificationRequest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpMethod;
import org.springframework.http.ResponseEntity;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Re-identification under dual approval: reviewers file requests and receive results, key custodians
 * approve or reject, auditors read every step.
 */
@RestController
@Validated
@Tag(name = "re-identification")
class ReidentificationController {

  static final String REQUESTS = "/api/v1/reidentifications";
  static final String EVENTS = "/api/v1/audit-events";

  /**
   * {@code extractManifest} is the manifest of the extract the pseudonyms come from, exactly as the warehouse
   * wrote it ({@code <extract>.manifest.json}), and {@code manifestSignature} the signature beside it
   * ({@code .sig}); {@code warehouseKeyVersion} must be the one the manifest records.
   */
  record NewRequest(
      @NotBlank String project,
      @NotNull @Min(1) Integer warehouseKeyVersion,
      @NotBlank @Size(max = 65_536) String extractManifest,
      @NotBlank @Size(max = 200) String manifestSignature,
      @NotEmpty @Size(max = ReidentificationRequest.MAX_PSEUDONYMS) List<@NotNull Long> pseudonyms,
      @NotBlank @Size(max = 500) String legalBasis,
      @NotBlank @Size(max = 2000) String reason) {}

  record Rejection(@NotBlank @Size(max = 2000) String reason) {}

  /** An approval carries the custodian's share (base64url); a missing or wrong one is a refused, audited step. */
  record Approval(@Size(max = 200) String share) {}

  /** The release needs the secret the requester was given when filing. */
  record Release(@Size(max = 200) String releaseSecret) {}

  /**
   * The audit chain recomputed: valid, or the first event (by sequence) where it breaks. {@code head} is
   * the last good hash; auditors keep it with {@code events} to see later truncation.
   */
  record ChainVerification(boolean valid, long events, String head, Long brokenAt, String problem, long unchainedEarlierEvents) {}

  record ApprovalView(String custodian, Instant at) {}

  /** {@code releaseSecret} only in the answer that files the request: it is never stored, nor shown again. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record RequestView(UUID id, String requester, String project, String extractId, Integer warehouseKeyVersion, List<Long> pseudonyms,
      String legalBasis, String reason, String status, Instant requestedAt, Instant expiresAt, List<ApprovalView> approvals,
      String releaseSecret) {
    static RequestView of(ReidentificationRequest request) {
      return of(request, null);
    }

    static RequestView of(ReidentificationRequest request, String releaseSecret) {
      ReidentificationRequest.Extract extract = request.extract();
      return new RequestView(request.id(), request.requester(), request.project().value(), extract.recorded() ? extract.id() : null,
          extract.recorded() ? extract.warehouseKeyVersion() : null, request.pseudonyms(),
          request.legalBasis(), request.reason(), request.status().name(), request.requestedAt(), request.expiresAt(),
          request.approvals().stream().map(a -> new ApprovalView(a.custodian(), a.at())).toList(), releaseSecret);
    }
  }

  record Result(long pseudonym, String personId, String note) {}

  record Resolution(UUID request, List<Result> results) {}

  private final ReidentificationService service;

  ReidentificationController(ReidentificationService service) {
    this.service = service;
  }

  @PostMapping(REQUESTS)
  @Operation(summary = "File a re-identification request (idempotent under the Idempotency-Key header)")
  ResponseEntity<RequestView> file(
      @RequestHeader("Idempotency-Key") @Pattern(regexp = "[A-Za-z0-9._-]{8,64}", message = "must be 8 to 64 letters, digits, '.', '_' or '-'") String key,
      @Valid @RequestBody NewRequest body, JwtAuthenticationToken caller) throws GeneralSecurityException, IOException {
    ReidentificationService.Filed filed = service.file(caller.getToken().getSubject(), key, body.project(), body.warehouseKeyVersion(),
        body.extractManifest(), body.manifestSignature(), body.pseudonyms(), body.legalBasis(), body.reason());
    RequestView view = RequestView.of(filed.request(), filed.releaseSecret().orElse(null));
    return filed.created()
        ? ResponseEntity.created(URI.create(REQUESTS + "/" + view.id())).cacheControl(CacheControl.noStore()).body(view)
        : ResponseEntity.ok(view);
  }

  @GetMapping(REQUESTS + "/{id}")
  @Operation(summary = "A request: its requester, custodians and auditors may see it")
  RequestView request(@PathVariable UUID id, JwtAuthenticationToken caller) {
    ReidentificationRequest request = service.find(id)
        .filter(r -> seesEveryRequest(caller) || r.requester().equals(caller.getToken().getSubject()))
        .orElseThrow(() -> service.notFoundFor(id, caller.getToken().getSubject()));
    return RequestView.of(request);
  }

  @GetMapping(REQUESTS)
  @Operation(summary = "Requests in a status (default: awaiting approval), oldest first")
  List<RequestView> requests(@RequestParam(defaultValue = "AWAITING_APPROVAL") ReidentificationRequest.Status status) {
    return service.byStatus(status).stream().map(RequestView::of).toList();
  }

  @PostMapping(REQUESTS + "/{id}/approvals")
  @Operation(summary = "Approve as a key custodian with your share of the re-identification keys; two different custodians, neither the requester, are needed")
  RequestView approve(@PathVariable UUID id, @Valid @RequestBody(required = false) Approval body, JwtAuthenticationToken caller)
      throws IOException {
    return RequestView.of(service.approve(id, caller.getToken().getSubject(), body == null ? null : body.share()));
  }

  @PostMapping(REQUESTS + "/{id}/rejection")
  @Operation(summary = "Reject as a key custodian; the request is closed")
  RequestView reject(@PathVariable UUID id, @Valid @RequestBody Rejection body, JwtAuthenticationToken caller) {
    return RequestView.of(service.reject(id, caller.getToken().getSubject(), body.reason()));
  }

  @PostMapping(REQUESTS + "/{id}/resolution")
  @Operation(summary = "The people behind the pseudonyms, for the requester of an approved request, once")
  ResponseEntity<Resolution> resolve(@PathVariable UUID id, @Valid @RequestBody(required = false) Release body,
      JwtAuthenticationToken caller) {
    Map<Long, Optional<PersonId>> people = service.resolve(id, caller.getToken().getSubject(), body == null ? null : body.releaseSecret());
    List<Result> results = people.entrySet().stream()
        .map(e -> e.getValue()
            .map(person -> new Result(e.getKey(), person.unmaskedValue(), null))
            .orElseGet(() -> new Result(e.getKey(), null, "not a pseudonym of this project")))
        .toList();
    return ResponseEntity.ok().cacheControl(CacheControl.noStore()).body(new Resolution(id, results));
  }

  @GetMapping(EVENTS)
  @Operation(summary = "Every step of every re-identification request, in order; page with 'after'")
  List<AuditEvent> events(@RequestParam Optional<UUID> request, @RequestParam(defaultValue = "0") long after,
      @RequestParam(defaultValue = "500") int limit) {
    return service.events(request, after, Math.max(1, Math.min(limit, 1000)));
  }

  @GetMapping(EVENTS + "/verification")
  @Operation(summary = "Recompute the audit events' hash chain: valid, or where it breaks")
  ChainVerification verify() {
    AuditChain.Verification verification = service.verifyAuditChain();
    return new ChainVerification(verification.valid(), verification.events(), verification.head(),
        verification.brokenAt().orElse(null), verification.problem().orElse(null), service.unchainedEvents());
  }

  private static boolean seesEveryRequest(JwtAuthenticationToken caller) {
    return caller.getAuthorities().stream().anyMatch(a ->
        a.getAuthority().equals(KEY_CUSTODIAN.authority()) || a.getAuthority().equals(AUDITOR.authority()));
  }

  @Configuration(proxyBeanMethods = false)
  static class Access {
    @Bean
    ApiAuthorization reidentificationAccess() {
      return rules -> rules
          .requestMatchers(HttpMethod.POST, REQUESTS).hasAnyAuthority(authorities(REVIEWER))
          .requestMatchers(HttpMethod.POST, REQUESTS + "/*/resolution").hasAnyAuthority(authorities(REVIEWER))
          .requestMatchers(HttpMethod.POST, REQUESTS + "/*/approvals", REQUESTS + "/*/rejection").hasAnyAuthority(authorities(KEY_CUSTODIAN))
          .requestMatchers(HttpMethod.GET, REQUESTS).hasAnyAuthority(authorities(KEY_CUSTODIAN, AUDITOR))
          .requestMatchers(HttpMethod.GET, REQUESTS + "/*").hasAnyAuthority(authorities(REVIEWER, KEY_CUSTODIAN, AUDITOR))
          .requestMatchers(HttpMethod.GET, EVENTS, EVENTS + "/verification").hasAnyAuthority(authorities(AUDITOR));
    }
  }
}
