package optout.registry.citizen;

import static optout.platform.security.PlatformRole.AUDITOR;
import static optout.platform.security.PlatformRole.CITIZEN;
import static optout.platform.security.PlatformRole.STATUS_READER;
import static optout.platform.security.PlatformRole.authorities;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Min;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import optout.platform.identity.CallerIdentities;
import optout.platform.security.ApiAuthorization;
import optout.registry.event.PersonState;
import optout.registry.event.store.StoredEvent;
import optout.registry.exemption.ExemptionGrants;
import optout.registry.identity.PersonIdentities;
import optout.registry.scope.LegalExemption;
import optout.registry.scope.Scope;
import optout.registry.scope.ScopeCatalogue;
import optout.registry.status.StatusQueries;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * A citizen's own view: what they opted out of and since when, what the law exempts, and every event with
 * its receipt. The person is always the caller (their ID from Keycloak, never from the request).
 * Auditors see any person's status by pseudonym, as of an instant or a checkpoint, without identity.
 */
@RestController
@Validated
@Tag(name = "status")
class CitizenController {

  static final String MINE = "/api/v1/me/status";
  static final String PERSONS = "/api/v1/persons";

  record ScopeStatus(String scope, String traditionalChinese, String english, Instant since) {}

  /** A use of data the law mandates despite opt-outs, and how often releases invoked it (the register: /api/v1/exemptions). */
  record Exemption(String code, String traditionalChinese, String english, String legalBasis, List<String> scopes, long uses,
      Instant lastUsedAt) {}

  /** One filing; {@code logIndex} is null while it waits for its place in the log (about a second). */
  record HistoryEntry(String eventId, String type, List<String> scopes, String channel, String proxyRelation,
      Instant effectiveAt, Instant recordedAt, String documentSha256, Long logIndex, Receipts.Receipt receipt) {}

  /** The same person under an older warehouse key version (usage-ledger rows and project tables made before a rotation). */
  record OlderPseudonym(int keyVersion, long pseudonym) {}

  /**
   * {@code keyVersion}: the warehouse key version of {@code pseudonym}; {@code olderPseudonyms}: the caller's own
   * pseudonyms under the older versions the registry's custody still holds (empty in an auditor's view by pseudonym).
   */
  record StatusView(long pseudonym, int keyVersion, List<OlderPseudonym> olderPseudonyms, String asOf, List<ScopeStatus> optedOut,
      List<Exemption> exemptions, List<HistoryEntry> history) {}

  private final CallerIdentities callers;
  private final PersonIdentities identities;
  private final StatusQueries status;
  private final ScopeCatalogue catalogue;
  private final Receipts receipts;
  private final ExemptionGrants grants;

  CitizenController(CallerIdentities callers, PersonIdentities identities, StatusQueries status, ScopeCatalogue catalogue,
      Receipts receipts, ExemptionGrants grants) {
    this.grants = grants;
    this.callers = callers;
    this.identities = identities;
    this.status = status;
    this.catalogue = catalogue;
    this.receipts = receipts;
  }

  @GetMapping(MINE)
  @Operation(summary = "The caller's own status, history and receipts (optionally as of an instant)")
  StatusView mine(JwtAuthenticationToken caller, @RequestParam Optional<Instant> at) {
    var person = callers.personId(caller);
    long pseudonym = identities.pseudonym(person);
    StatusQueries.Status found = at.map(instant -> status.at(pseudonym, instant)).orElseGet(() -> status.now(pseudonym));
    List<OlderPseudonym> older = identities.olderPseudonyms(person).entrySet().stream()
        .map(e -> new OlderPseudonym(e.getKey(), e.getValue())).toList();
    return view(pseudonym, older, at.map(Instant::toString).orElse("now"), found, true);
  }

  @GetMapping(PERSONS + "/{pseudonym}/status")
  @Operation(summary = "A person's status by warehouse pseudonym, now, at an instant or at a checkpoint (auditors)")
  StatusView person(@PathVariable @Min(10_000_000_000L) long pseudonym, @RequestParam Optional<Instant> at,
      @RequestParam Optional<@Min(0) Long> checkpoint) {
    if (at.isPresent() && checkpoint.isPresent()) {
      throw new IllegalArgumentException("Ask as of an instant or as of a checkpoint, not both");
    }
    StatusQueries.Status found = checkpoint.map(size -> status.atCheckpoint(pseudonym, size))
        .or(() -> at.map(instant -> status.at(pseudonym, instant)))
        .orElseGet(() -> status.now(pseudonym));
    String asOf = checkpoint.map(size -> "checkpoint " + size).or(() -> at.map(Instant::toString)).orElse("now");
    return view(pseudonym, List.of(), asOf, found, false);
  }

  private StatusView view(long pseudonym, List<OlderPseudonym> older, String asOf, StatusQueries.Status found, boolean withReceipts) {
    PersonState state = found.state();
    List<ScopeStatus> optedOut = state.optedOutSince().entrySet().stream().map(e -> {
      Scope scope = catalogue.scope(e.getKey()).orElseThrow();
      return new ScopeStatus(scope.code(), scope.traditionalChinese(), scope.english(), e.getValue());
    }).toList();
    Map<String, ExemptionGrants.Uses> uses = grants.uses();
    List<Exemption> exemptions = catalogue.exemptions().stream().map(e -> exemption(e, uses.get(e.code()))).toList();
    List<HistoryEntry> history = found.history().stream().map(stored -> entry(stored, withReceipts)).toList();
    return new StatusView(pseudonym, identities.version(), older, asOf, optedOut, exemptions, history);
  }

  private HistoryEntry entry(StoredEvent stored, boolean withReceipt) {
    var event = stored.event();
    return new HistoryEntry(event.id().toString(), event.type().code(), List.copyOf(event.scopes()), event.channel().code(),
        event.proxy().map(p -> p.relation().code()).orElse(null), event.effectiveAt(), event.recordedAt(),
        event.document().sha256(), stored.logIndex().isPresent() ? stored.logIndex().getAsLong() : null,
        withReceipt ? receipts.of(stored).orElse(null) : null);
  }

  private static Exemption exemption(LegalExemption e, ExemptionGrants.Uses uses) {
    return new Exemption(e.code(), e.traditionalChinese(), e.english(), e.legalBasis(), e.scopes().stream().sorted().toList(),
        uses == null ? 0 : uses.count(), uses == null ? null : uses.lastUsedAt());
  }

  @Configuration(proxyBeanMethods = false)
  static class Access {
    @Bean
    ApiAuthorization statusAccess() {
      return rules -> rules
          .requestMatchers(HttpMethod.GET, MINE).hasAnyAuthority(authorities(CITIZEN))
          .requestMatchers(HttpMethod.GET, PERSONS + "/*/status").hasAnyAuthority(authorities(AUDITOR, STATUS_READER));
    }
  }
}
