package optout.registry.fhir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.parser.StrictErrorHandler;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
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
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.Consent.ConsentProvisionType;
import org.hl7.fhir.r4.model.Consent.ConsentState;
import org.hl7.fhir.r4.model.Consent.ProvisionComponent;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;
import org.junit.jupiter.api.Test;

class ConsentViewTest {

  private static final String NATIONAL_ID = "A123456789";
  private static final PersonId PERSON = PersonId.parse(NATIONAL_ID);
  private static final long PSEUDONYM = 4_242_424_242L;

  private static final ScopeCatalogue CATALOGUE = new ScopeCatalogue(
      List.of(
          new Scope("academic-research", "學術研究", "Academic research", "HRESCH", false),
          new Scope("government-statistics", "政府統計", "Government statistics", "PUBHLTH", false),
          new Scope("commercial-use", "商業利用", "Commercial use", "", false),
          new Scope("all-secondary-use", "所有目的外利用", "All secondary use", "", true)),
      List.of(
          new LegalExemption("statutory-statistics", "法定統計", "Statistics mandated by law",
              "統計法第3條 (Statistics Act, art. 3)", Set.of("government-statistics")),
          new LegalExemption("epidemic-control", "防疫", "Communicable disease control",
              "傳染病防治法 (Communicable Disease Control Act)", Set.of("commercial-use"))));

  private static final Instant FIRST = Instant.parse("2026-11-01T02:00:00.123456Z");
  private static final Instant SECOND = Instant.parse("2026-11-20T03:04:05.654321Z");
  private static final Instant WITHDRAWN = Instant.parse("2026-11-24T08:00:00Z");

  @Test
  void twoScopesGiveTwoDenyProvisionsWithTheirPurposesPeriodsAndExemptions() {
    RegistryEvent first = event(EventType.OPT_OUT_FILED, FIRST, "form-1", "academic-research");
    RegistryEvent second = event(EventType.OPT_OUT_FILED, SECOND, "form-2", "government-statistics");
    List<RegistryEvent> history = List.of(first, second);

    Consent consent = ConsentView.of(PERSON, fold(history), history, CATALOGUE);

    assertThat(consent.getStatus()).isEqualTo(ConsentState.ACTIVE);
    assertThat(coding(consent.getScope().getCodingFirstRep()))
        .isEqualTo("http://terminology.hl7.org/CodeSystem/consentscope|patient-privacy");
    assertThat(consent.getCategory()).singleElement()
        .satisfies(c -> assertThat(coding(c.getCodingFirstRep())).isEqualTo("http://loinc.org|59284-0"));
    assertThat(consent.getIdentifierFirstRep().getValue()).isEqualTo("urn:uuid:" + second.id());
    assertThat(consent.getDateTimeElement().getValueAsString()).isEqualTo("2026-11-20T03:04:05.654Z");
    assertThat(consent.getPolicyFirstRep().getUri()).isEqualTo(ConsentView.JUDGMENT_URI);
    assertThat(coding(consent.getPolicyRule().getCodingFirstRep()))
        .isEqualTo("http://terminology.hl7.org/CodeSystem/v3-ActCode|OPTOUTE");
    assertThat(consent.getPolicyRule().getText()).contains("111-Hsien-Pan-13", "全民健康保險資料管理條例");

    Identifier patient = consent.getPatient().getIdentifier();
    assertThat(patient.getSystem()).isEqualTo("http://www.moi.gov.tw");
    assertThat(patient.getValue()).isEqualTo(NATIONAL_ID);
    assertThat(coding(patient.getType().getCodingFirstRep())).isEqualTo("http://terminology.hl7.org/CodeSystem/v2-0203|NNxxx");

    ProvisionComponent root = consent.getProvision();
    assertThat(root.hasType()).as("R4: no type on the root provision").isFalse();
    assertThat(root.getPeriod().getStartElement().getValueAsString()).isEqualTo("2026-11-01T02:00:00.123Z");
    assertThat(root.getProvision()).hasSize(2);

    ProvisionComponent research = root.getProvision().get(0);
    assertThat(research.getType()).isEqualTo(ConsentProvisionType.DENY);
    assertThat(research.getPurpose()).extracting(ConsentViewTest::coding).containsExactly(
        "http://terminology.hl7.org/CodeSystem/v3-ActReason|HRESCH", ConsentView.SCOPE_SYSTEM + "|academic-research");
    assertThat(research.getPeriod().getStartElement().getValueAsString()).isEqualTo("2026-11-01T02:00:00.123Z");
    assertThat(research.getProvision()).isEmpty();

    ProvisionComponent statistics = root.getProvision().get(1);
    assertThat(statistics.getType()).isEqualTo(ConsentProvisionType.DENY);
    assertThat(statistics.getPurpose()).extracting(ConsentViewTest::coding).containsExactly(
        "http://terminology.hl7.org/CodeSystem/v3-ActReason|PUBHLTH", ConsentView.SCOPE_SYSTEM + "|government-statistics");
    assertThat(statistics.getPeriod().getStartElement().getValueAsString()).isEqualTo("2026-11-20T03:04:05.654Z");
    ProvisionComponent permit = statistics.getProvisionFirstRep();
    assertThat(statistics.getProvision()).hasSize(1);
    assertThat(permit.getType()).isEqualTo(ConsentProvisionType.PERMIT);
    assertThat(permit.getPurpose()).extracting(ConsentViewTest::coding)
        .containsExactly(ConsentView.EXEMPTION_SYSTEM + "|statutory-statistics");
    assertThat(permit.getPurposeFirstRep().getDisplay()).isEqualTo("Statistics mandated by law");
    assertThat(permit.getExtensionByUrl(ConsentView.LEGAL_BASIS_EXTENSION).getValue().primitiveValue())
        .isEqualTo("統計法第3條 (Statistics Act, art. 3)");

    Reference source = consent.getSourceReference();
    assertThat(source.getType()).isEqualTo("DocumentReference");
    assertThat(source.getIdentifier().getSystem()).isEqualTo("urn:ietf:rfc:3986");
    assertThat(source.getIdentifier().getValue())
        .isEqualTo("ni:///sha-256;" + Base64.getUrlEncoder().withoutPadding().encodeToString(sha256("form-2")));
  }

  @Test
  void afterWithdrawalTheConsentIsInactiveAndDeniesNothing() {
    List<RegistryEvent> history = List.of(
        event(EventType.OPT_OUT_FILED, FIRST, "form-1", "academic-research", "commercial-use"),
        event(EventType.OPT_OUT_WITHDRAWN, WITHDRAWN, "form-3", "academic-research", "commercial-use"));

    Consent consent = ConsentView.of(PERSON, fold(history), history, CATALOGUE);

    assertThat(consent.getStatus()).isEqualTo(ConsentState.INACTIVE);
    assertThat(consent.hasProvision()).isFalse();
    assertThat(consent.getDateTimeElement().getValueAsString()).isEqualTo("2026-11-24T08:00:00.000Z");
    assertThat(coding(consent.getPolicyRule().getCodingFirstRep())).endsWith("|OPTOUT");
    assertThat(consent.getSourceReference().getIdentifier().getValue()).endsWith(
        Base64.getUrlEncoder().withoutPadding().encodeToString(sha256("form-3")));
  }

  @Test
  void theJsonParsesBackStrictlyAndIsTheSame() {
    List<RegistryEvent> history = List.of(
        event(EventType.OPT_OUT_FILED, FIRST, "form-1", "academic-research"),
        event(EventType.OPT_OUT_FILED, SECOND, "form-2", "government-statistics", "commercial-use"));
    Consent consent = ConsentView.of(PERSON, fold(history), history, CATALOGUE);

    String json = ConsentView.json(consent);
    IParser strict = ConsentView.Fhir.CONTEXT.newJsonParser().setParserErrorHandler(new StrictErrorHandler());
    Consent parsed = strict.parseResource(Consent.class, json);

    assertThat(ConsentView.json(parsed)).isEqualTo(json);
    assertThat(ConsentView.parse(json).equalsDeep(consent)).isTrue();
    assertThat(json).startsWith("{\"resourceType\":\"Consent\"");
    // The required elements of R4 Consent, and invariant ppc-1 (a policy or a policy rule).
    assertThat(parsed.hasStatus()).isTrue();
    assertThat(parsed.hasScope()).isTrue();
    assertThat(parsed.hasCategory()).isTrue();
    assertThat(parsed.hasPolicy() || parsed.hasPolicyRule()).isTrue();
    // ppc-2: a privacy consent names its patient.
    assertThat(parsed.getPatient().hasIdentifier()).isTrue();
    // Every nested provision has a type; the root has none.
    assertThat(parsed.getProvision().hasType()).isFalse();
    assertThat(parsed.getProvision().getProvision()).allSatisfy(p -> {
      assertThat(p.hasType()).isTrue();
      assertThat(p.getProvision()).allSatisfy(q -> assertThat(q.hasType()).isTrue());
    });
  }

  @Test
  void theNationalIdAppearsOnlyInThePatientIdentifier() {
    List<RegistryEvent> history = List.of(event(EventType.OPT_OUT_FILED, FIRST, "form-1", "academic-research",
        "government-statistics", "commercial-use"));
    Consent consent = ConsentView.of(PERSON, fold(history), history, CATALOGUE);
    String json = ConsentView.json(consent);

    assertThat(json.split(NATIONAL_ID, -1)).hasSize(2);
    assertThat(json).contains("\"system\":\"http://www.moi.gov.tw\",\"value\":\"" + NATIONAL_ID + "\"");
    Consent withoutPatient = ConsentView.parse(json);
    withoutPatient.setPatient(null);
    assertThat(ConsentView.json(withoutPatient)).doesNotContain(NATIONAL_ID).doesNotContain("123456789");
  }

  @Test
  void aResidentCertificateUsesTheImmigrationAgencysSystem() {
    List<RegistryEvent> history = List.of(event(EventType.OPT_OUT_FILED, FIRST, "form-1", "academic-research"));

    Consent consent = ConsentView.of(PersonId.parse("A800000014"), fold(history), history, CATALOGUE);

    Identifier identifier = consent.getPatient().getIdentifier();
    assertThat(identifier.getSystem()).isEqualTo("http://www.immigration.gov.tw");
    assertThat(coding(identifier.getType().getCodingFirstRep())).endsWith("|PRC");
    assertThat(identifier.getValue()).isEqualTo("A800000014");
  }

  @Test
  void theNationalIdCarriesTwCoresCountrySuffix() {
    List<RegistryEvent> history = List.of(event(EventType.OPT_OUT_FILED, FIRST, "form-1", "academic-research"));

    Coding type = ConsentView.of(PERSON, fold(history), history, CATALOGUE).getPatient().getIdentifier().getType()
        .getCodingFirstRep();

    Extension suffix = type.getCodeElement().getExtensionByUrl(ConsentView.IDENTIFIER_SUFFIX_EXTENSION);
    assertThat(((StringType) suffix.getExtensionByUrl("suffix").getValue()).getValue()).isEqualTo("TWN");
  }

  @Test
  void anOptOutOfAllUsesIsStillSubjectToEveryExemption() {
    List<RegistryEvent> history = List.of(event(EventType.OPT_OUT_FILED, FIRST, "form-1", "all-secondary-use"));

    ProvisionComponent all = ConsentView.of(PERSON, fold(history), history, CATALOGUE).getProvision().getProvisionFirstRep();

    assertThat(all.getPurpose()).extracting(ConsentViewTest::coding)
        .containsExactly(ConsentView.SCOPE_SYSTEM + "|all-secondary-use");
    assertThat(all.getProvision()).extracting(p -> p.getPurposeFirstRep().getCode())
        .containsExactly("statutory-statistics", "epidemic-control");
  }

  @Test
  void aScopeNoLongerConfiguredIsStillShownByItsCode() {
    List<RegistryEvent> history = List.of(event(EventType.OPT_OUT_FILED, FIRST, "form-1", "academic-research"));
    ScopeCatalogue changed = new ScopeCatalogue(
        List.of(new Scope("government-statistics", "政府統計", "Government statistics", "PUBHLTH", false)), List.of());

    ProvisionComponent deny = ConsentView.of(PERSON, fold(history), history, changed).getProvision().getProvisionFirstRep();

    assertThat(deny.getPurpose()).extracting(ConsentViewTest::coding)
        .containsExactly(ConsentView.SCOPE_SYSTEM + "|academic-research");
  }

  @Test
  void refusesAStateThatIsNotTheHistorysFold() {
    List<RegistryEvent> history = List.of(event(EventType.OPT_OUT_FILED, FIRST, "form-1", "academic-research"));
    RegistryEvent stranger = new RegistryEvent(UUID.randomUUID(), EventType.OPT_OUT_FILED, PSEUDONYM + 1, new byte[16],
        new TreeSet<>(Set.of("commercial-use")), Channel.ONLINE, Optional.empty(), document("form-9"), SECOND,
        SECOND.plusSeconds(1), "citizen");

    assertThatThrownBy(() -> ConsentView.of(PERSON, PersonState.none(), history, CATALOGUE))
        .hasMessage("Cannot build the Consent view: the state is not the fold of the history");
    assertThatThrownBy(() -> ConsentView.of(PERSON, PersonState.none(), List.of(), CATALOGUE))
        .hasMessageContaining("no events");
    List<RegistryEvent> mixed = List.of(history.get(0), stranger);
    assertThatThrownBy(() -> ConsentView.of(PERSON, fold(history), mixed, CATALOGUE))
        .hasMessageContaining("more than one person")
        .hasMessageNotContaining(NATIONAL_ID);
  }

  private static PersonState fold(List<RegistryEvent> history) {
    PersonState state = PersonState.none();
    for (RegistryEvent event : history) {
      state = state.apply(event);
    }
    return state;
  }

  private static RegistryEvent event(EventType type, Instant effective, String form, String... scopes) {
    return new RegistryEvent(UUID.nameUUIDFromBytes((form + effective).getBytes(StandardCharsets.UTF_8)), type, PSEUDONYM,
        new byte[16], new TreeSet<>(List.of(scopes)), Channel.COUNTER, Optional.empty(), document(form), effective,
        effective.plusSeconds(1), "clerk");
  }

  private static SignedDocument document(String form) {
    return new SignedDocument("archive/" + form, HexFormat.of().formatHex(sha256(form)));
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  private static String coding(Coding coding) {
    return coding.getSystem() + "|" + coding.getCode();
  }
}
