package optout.registry.fhir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.parser.StrictErrorHandler;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import optout.pseudonymizer.id.PersonId;
import optout.registry.event.Channel;
import optout.registry.event.EventType;
import optout.registry.event.PersonState;
import optout.registry.event.RegistryEvent;
import optout.registry.event.SignedDocument;
import optout.registry.scope.LegalExemption;
import optout.registry.scope.Scope;
import optout.registry.scope.ScopeCatalogue;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.Consent.ConsentProvisionType;
import org.hl7.fhir.r4.model.Consent.ConsentState;
import org.hl7.fhir.r4.model.Identifier;
import org.junit.jupiter.api.Test;

/** The auditors' Consent: the same mapping, the pseudonym instead of the national ID. */
class PseudonymousConsentTest {

  private static final long PSEUDONYM = 42_424_242_424L;
  private static final ScopeCatalogue CATALOGUE = new ScopeCatalogue(
      List.of(new Scope("cross-agency-linkage", "跨機關資料串聯", "Linkage with other agencies' data", "", false)),
      List.of(new LegalExemption("insurance-administration-audit", "全民健康保險業務之法定稽核", "Statutory audit",
          "全民健康保險法 National Health Insurance Act", Set.of("cross-agency-linkage"))));
  private static final Instant FILED = Instant.parse("2026-11-20T03:00:00Z");

  @Test
  void thePatientIsNamedByThePseudonymAndTheRestIsTheCitizensView() {
    List<RegistryEvent> history = List.of(event(PSEUDONYM, "cross-agency-linkage"));
    PersonState state = PersonState.fold(history);

    Consent pseudonymous = ConsentView.pseudonymous(PSEUDONYM, state, history, CATALOGUE);
    Consent named = ConsentView.of(PersonId.parse("A123456789"), state, history, CATALOGUE);

    Identifier patient = pseudonymous.getPatient().getIdentifier();
    assertThat(patient.getSystem()).isEqualTo(ConsentView.PSEUDONYM_SYSTEM);
    assertThat(patient.getValue()).isEqualTo("42424242424");
    assertThat(patient.getType().getText()).isEqualTo("Warehouse pseudonym");
    assertThat(pseudonymous.getStatus()).isEqualTo(ConsentState.ACTIVE);
    assertThat(pseudonymous.getProvision().getProvisionFirstRep().getType()).isEqualTo(ConsentProvisionType.DENY);
    assertThat(pseudonymous.getProvision().getProvisionFirstRep().getProvisionFirstRep().getType()).isEqualTo(ConsentProvisionType.PERMIT);

    // apart from the patient, the two views are the same resource
    String json = ConsentView.json(pseudonymous);
    named.getPatient().setIdentifier(patient.copy());
    assertThat(json).isEqualTo(ConsentView.json(named)).doesNotContain("A123456789", "moi.gov.tw");
    ConsentView.Fhir.CONTEXT.newJsonParser().setParserErrorHandler(new StrictErrorHandler()).parseResource(Consent.class, json);
  }

  @Test
  void anotherPersonsHistoryIsRefused() {
    List<RegistryEvent> history = List.of(event(PSEUDONYM + 1, "cross-agency-linkage"));
    assertThatThrownBy(() -> ConsentView.pseudonymous(PSEUDONYM, PersonState.fold(history), history, CATALOGUE))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("another person");
    assertThatThrownBy(() -> ConsentView.pseudonymous(PSEUDONYM, PersonState.none(), List.of(), CATALOGUE))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no events");
  }

  private static RegistryEvent event(long person, String... scopes) {
    return new RegistryEvent(UUID.nameUUIDFromBytes(Long.toString(person).getBytes(StandardCharsets.UTF_8)), EventType.OPT_OUT_FILED,
        person, new byte[16], new TreeSet<>(List.of(scopes)), Channel.COUNTER, Optional.empty(),
        new SignedDocument("archive/form", HexFormat.of().formatHex(new byte[32])), FILED, FILED.plusSeconds(1), "clerk");
  }
}
