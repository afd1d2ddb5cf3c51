package optout.registry.fhir;

import static optout.platform.security.PlatformRole.AUDITOR;
import static optout.platform.security.PlatformRole.CITIZEN;
import static optout.platform.security.PlatformRole.authorities;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Min;
import java.nio.charset.StandardCharsets;
import java.util.List;
import optout.platform.identity.CallerIdentities;
import optout.platform.problem.ProblemResponses;
import optout.platform.security.ApiAuthorization;
import optout.pseudonymizer.id.PersonId;
import optout.registry.event.RegistryEvent;
import optout.registry.event.store.StoredEvent;
import optout.registry.identity.PersonIdentities;
import optout.registry.scope.ScopeCatalogue;
import optout.registry.status.StatusQueries;
import org.hl7.fhir.r4.model.Consent;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * A person's current opt-out as a FHIR R4 Consent ({@code application/fhir+json}).
 *
 * <p>A citizen gets their own: the person is the caller (their national ID from Keycloak, never from the
 * request), and the Consent names them by that ID, which they know already. Auditors get any person's by
 * warehouse pseudonym, named by the pseudonym: their work is the registry's metadata (what was filed, when,
 * by which channel), and the national ID would add nothing to it but exposure, so their view neither opens
 * the sealed ID nor shows it. The variant for exchange with other agencies, which match on the national ID,
 * needs a role of its own (a machine client per agency, with its own audit trail) and is not served here.
 */
@RestController
@Validated
@Tag(name = "fhir")
class ConsentController {

  static final String MINE = "/api/v1/me/consent";
  static final String PERSONS = "/api/v1/persons";
  static final MediaType FHIR_JSON = new MediaType("application", "fhir+json", StandardCharsets.UTF_8);

  private final CallerIdentities callers;
  private final PersonIdentities identities;
  private final StatusQueries status;
  private final ScopeCatalogue catalogue;

  ConsentController(CallerIdentities callers, PersonIdentities identities, StatusQueries status, ScopeCatalogue catalogue) {
    this.callers = callers;
    this.identities = identities;
    this.status = status;
    this.catalogue = catalogue;
    ConsentView.warmUp();
  }

  @GetMapping(MINE)
  @Operation(summary = "The caller's own opt-out as a FHIR R4 Consent")
  ResponseEntity<String> mine(JwtAuthenticationToken caller) {
    PersonId person = callers.personId(caller);
    StatusQueries.Status found = status.now(identities.pseudonym(person));
    List<RegistryEvent> history = history(found, "The registry has no filing of yours.");
    return fhir(ConsentView.of(person, found.state(), history, catalogue));
  }

  @GetMapping(PERSONS + "/{pseudonym}/consent")
  @Operation(summary = "A person's opt-out as a FHIR R4 Consent, named by warehouse pseudonym (auditors)")
  ResponseEntity<String> person(@PathVariable @Min(10_000_000_000L) long pseudonym) {
    StatusQueries.Status found = status.now(pseudonym);
    List<RegistryEvent> history = history(found, "The registry has no filing for this pseudonym.");
    return fhir(ConsentView.pseudonymous(pseudonym, found.state(), history, catalogue));
  }

  private static List<RegistryEvent> history(StatusQueries.Status found, String none) {
    if (found.history().isEmpty()) {
      throw ProblemResponses.exception(HttpStatus.NOT_FOUND, "no-filing", "No filing on record", none);
    }
    return found.history().stream().map(StoredEvent::event).toList();
  }

  /** Personal data: no cache keeps it. */
  private static ResponseEntity<String> fhir(Consent consent) {
    return ResponseEntity.ok().contentType(FHIR_JSON).cacheControl(CacheControl.noStore()).body(ConsentView.json(consent));
  }

  @Configuration(proxyBeanMethods = false)
  static class Access {
    @Bean
    ApiAuthorization consentAccess() {
      return rules -> rules
          .requestMatchers(HttpMethod.GET, MINE).hasAnyAuthority(authorities(CITIZEN))
          .requestMatchers(HttpMethod.GET, PERSONS + "/*/consent").hasAnyAuthority(authorities(AUDITOR));
    }
  }
}
