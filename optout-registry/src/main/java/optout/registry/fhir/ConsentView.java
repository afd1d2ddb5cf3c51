package optout.registry.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.model.api.TemporalPrecisionEnum;
import ca.uhn.fhir.parser.IParser;
import java.time.Instant;
import java.util.Base64;
import java.util.Collection;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TimeZone;
import optout.pseudonymizer.id.PersonId;
import optout.registry.event.FilingRefusedException;
import optout.registry.event.PersonState;
import optout.registry.event.RegistryEvent;
import optout.registry.event.SignedDocument;
import optout.registry.scope.LegalExemption;
import optout.registry.scope.Scope;
import optout.registry.scope.ScopeCatalogue;
import org.hl7.fhir.r4.model.CanonicalType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.Consent.ConsentProvisionType;
import org.hl7.fhir.r4.model.Consent.ConsentState;
import org.hl7.fhir.r4.model.Consent.ProvisionComponent;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Identifier.IdentifierUse;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;

/**
 * A person's current opt-out as a FHIR R4 {@code Consent}, for exchange with other agencies. Built from
 * the registry's own fold of the person's events, with their national ID (or resident certificate number)
 * opened by the caller for this view only: it appears in {@code Consent.patient.identifier} and nowhere
 * else. The mapping, and why, is in the package documentation.
 */
public final class ConsentView {

  /** Our CodeSystem of opt-out scopes: the codes of the {@link ScopeCatalogue}. */
  public static final String SCOPE_SYSTEM = "https://nhicore.nhi.gov.tw/optout/CodeSystem/optout-scope";
  /** Our CodeSystem of legal exemptions: the codes of {@link LegalExemption}s. */
  public static final String EXEMPTION_SYSTEM = "https://nhicore.nhi.gov.tw/optout/CodeSystem/legal-exemption";
  /** Our extension on a permit provision: the law and article that mandate the use (a string). */
  public static final String LEGAL_BASIS_EXTENSION = "https://nhicore.nhi.gov.tw/optout/StructureDefinition/legal-basis";

  /**
   * Our identifier system for the warehouse pseudonym (layer 1), the only identifier of the auditors' view
   * ({@link #pseudonymous}).
   */
  public static final String PSEUDONYM_SYSTEM = "https://nhicore.nhi.gov.tw/optout/NamingSystem/warehouse-pseudonym";

  /** National ID (身分證字號): the Ministry of the Interior's system, as TW Core IG's Patient uses it. */
  public static final String NATIONAL_ID_SYSTEM = "http://www.moi.gov.tw";
  /** Resident certificate number (居留證統一證號): the National Immigration Agency's system, as in TW Core IG. */
  public static final String RESIDENT_CERTIFICATE_SYSTEM = "http://www.immigration.gov.tw";
  /** TW Core's extension qualifying v2-0203 {@code NNxxx} with the country (TWN). */
  public static final String IDENTIFIER_SUFFIX_EXTENSION = "https://twcore.mohw.gov.tw/ig/twcore/StructureDefinition/identifier-suffix";

  static final String CONSENT_SCOPE_SYSTEM = "http://terminology.hl7.org/CodeSystem/consentscope";
  static final String LOINC = "http://loinc.org";
  static final String ACT_CODE_SYSTEM = "http://terminology.hl7.org/CodeSystem/v3-ActCode";
  static final String ACT_REASON_SYSTEM = "http://terminology.hl7.org/CodeSystem/v3-ActReason";
  static final String IDENTIFIER_TYPE_SYSTEM = "http://terminology.hl7.org/CodeSystem/v2-0203";
  static final String URI_SYSTEM = "urn:ietf:rfc:3986";

  /** Constitutional Court Judgment 111-Hsien-Pan-13 (2022-08-12), on the court's site. */
  public static final String JUDGMENT_AUTHORITY = "https://cons.judicial.gov.tw";
  public static final String JUDGMENT_URI = "https://cons.judicial.gov.tw/docdata.aspx?fid=38&id=309956";
  /** The legal basis of the right to opt out, as {@code Consent.policyRule.text}. */
  public static final String LEGAL_BASIS = "憲法法庭111年憲判字第13號判決（2022-08-12）；全民健康保險資料管理條例 — "
      + "Constitutional Court Judgment 111-Hsien-Pan-13 (2022-08-12); National Health Insurance Data Management Act";

  private ConsentView() {}

  /**
   * The person's current opt-out state as a Consent.
   *
   * @param person the person's identifier, opened from its sealed copy for this view
   * @param state the fold of {@code history}; checked
   * @param history the person's events in log order, at least one
   * @param catalogue the configured scopes and legal exemptions
   */
  public static Consent of(PersonId person, PersonState state, List<RegistryEvent> history, ScopeCatalogue catalogue) {
    if (person == null) {
      throw new IllegalArgumentException("Cannot build the Consent view: the person, state, history and catalogue are all required");
    }
    return consent(patientIdentifier(person), state, history, catalogue);
  }

  /**
   * The same view for someone who may know the person only by their warehouse pseudonym (auditors):
   * {@code Consent.patient.identifier} is the pseudonym under {@link #PSEUDONYM_SYSTEM}, and the national ID
   * is neither opened nor shown. Not for exchange with agencies that match on the national ID.
   *
   * @param pseudonym the person's warehouse pseudonym, which every event of {@code history} must name
   */
  public static Consent pseudonymous(long pseudonym, PersonState state, List<RegistryEvent> history, ScopeCatalogue catalogue) {
    if (history != null && history.stream().anyMatch(event -> event.person() != pseudonym)) {
      throw new IllegalArgumentException("Cannot build the Consent view: the history holds events of another person");
    }
    Identifier identifier = new Identifier().setUse(IdentifierUse.SECONDARY).setSystem(PSEUDONYM_SYSTEM).setValue(Long.toString(pseudonym));
    identifier.setType(new CodeableConcept().setText("Warehouse pseudonym"));
    return consent(identifier, state, history, catalogue);
  }

  private static Consent consent(Identifier patient, PersonState state, List<RegistryEvent> history, ScopeCatalogue catalogue) {
    if (state == null || history == null || catalogue == null) {
      throw new IllegalArgumentException("Cannot build the Consent view: the person, state, history and catalogue are all required");
    }
    if (history.isEmpty()) {
      throw new IllegalArgumentException("Cannot build the Consent view: the person has no events");
    }
    long pseudonym = history.get(0).person();
    PersonState folded = PersonState.none();
    for (RegistryEvent event : history) {
      if (event.person() != pseudonym) {
        throw new IllegalArgumentException("Cannot build the Consent view: the history holds events of more than one person");
      }
      try {
        folded = folded.apply(event);
      } catch (FilingRefusedException e) {
        throw new IllegalArgumentException("Cannot build the Consent view: the history does not fold: " + e.getMessage(), e);
      }
    }
    if (!folded.equals(state)) {
      throw new IllegalArgumentException("Cannot build the Consent view: the state is not the fold of the history");
    }
    RegistryEvent last = history.get(history.size() - 1);

    Consent consent = new Consent();
    consent.addIdentifier().setSystem(URI_SYSTEM).setValue("urn:uuid:" + last.id());
    consent.setStatus(state.optedOut() ? ConsentState.ACTIVE : ConsentState.INACTIVE);
    consent.setScope(new CodeableConcept(new Coding(CONSENT_SCOPE_SYSTEM, "patient-privacy", "Privacy Consent")));
    consent.addCategory(new CodeableConcept(new Coding(LOINC, "59284-0", "Patient Consent")));
    consent.setPatient(new Reference().setType("Patient").setIdentifier(patient));
    consent.setDateTimeElement(dateTime(last.effectiveAt()));
    consent.addPolicy().setAuthority(JUDGMENT_AUTHORITY).setUri(JUDGMENT_URI);
    consent.setSource(signedDocument(last.document()));

    if (state.optedOut()) {
      ProvisionComponent root = consent.getProvision();
      root.setPeriod(new Period().setStartElement(dateTime(state.optedOutSince().values().stream().min(Instant::compareTo)
          .orElseThrow())));
      boolean exceptions = false;
      for (Map.Entry<String, Instant> optedOut : state.optedOutSince().entrySet()) {
        ProvisionComponent deny = root.addProvision().setType(ConsentProvisionType.DENY);
        Optional<Scope> scope = catalogue.scope(optedOut.getKey());
        scope.filter(s -> !s.fhirPurpose().isEmpty())
            .ifPresent(s -> deny.addPurpose(new Coding().setSystem(ACT_REASON_SYSTEM).setCode(s.fhirPurpose())));
        deny.addPurpose(new Coding(SCOPE_SYSTEM, optedOut.getKey(), scope.map(Scope::english).orElse(null)));
        deny.setPeriod(new Period().setStartElement(dateTime(optedOut.getValue())));
        for (LegalExemption exemption : exemptionsOf(optedOut.getKey(), scope, catalogue.exemptions())) {
          ProvisionComponent permit = deny.addProvision().setType(ConsentProvisionType.PERMIT);
          permit.addPurpose(new Coding(EXEMPTION_SYSTEM, exemption.code(), exemption.english()));
          permit.addExtension(new Extension(LEGAL_BASIS_EXTENSION, new StringType(exemption.legalBasis())));
          exceptions = true;
        }
      }
      consent.setPolicyRule(policyRule(exceptions));
    } else {
      consent.setPolicyRule(policyRule(false));
    }
    return consent;
  }

  /** The Consent as FHIR JSON. */
  /**
   * Builds HAPI's R4 context and its JSON model of Consent now (seconds of class scanning), so that a
   * service does it at start rather than in its first request.
   */
  public static void warmUp() {
    Fhir.CONTEXT.newJsonParser().encodeResourceToString(new org.hl7.fhir.r4.model.Consent());
  }

  public static String json(Consent consent) {
    return Fhir.CONTEXT.newJsonParser().encodeResourceToString(consent);
  }

  /** A Consent from FHIR JSON, as a receiving agency reads it. */
  public static Consent parse(String json) {
    IParser parser = Fhir.CONTEXT.newJsonParser();
    return parser.parseResource(Consent.class, json);
  }

  /** The R4 context: expensive to make (it scans the model), thread-safe, so made once, when first used. */
  static final class Fhir {
    static final FhirContext CONTEXT = FhirContext.forR4();

    private Fhir() {}
  }

  /**
   * The exemptions that keep a use going despite this opt-out: those naming the scope, and, when the
   * scope covers all others, every exemption (the law mandates the use whichever scope the person chose).
   */
  private static List<LegalExemption> exemptionsOf(String scope, Optional<Scope> definition, Collection<LegalExemption> all) {
    boolean coversAll = definition.map(Scope::coversAll).orElse(false);
    return all.stream().filter(e -> coversAll || e.scopes().contains(scope)).toList();
  }

  /** OPTOUTE ("opt-out with exceptions") when a permit provision is present, else OPTOUT; the displays are HL7's. */
  private static CodeableConcept policyRule(boolean exceptions) {
    Coding coding = exceptions
        ? new Coding(ACT_CODE_SYSTEM, "OPTOUTE", "opt-out with exceptions")
        : new Coding(ACT_CODE_SYSTEM, "OPTOUT", "op-out");
    return new CodeableConcept(coding).setText(LEGAL_BASIS);
  }

  private static Identifier patientIdentifier(PersonId person) {
    Identifier identifier = new Identifier().setUse(IdentifierUse.OFFICIAL);
    if (person.kind() == PersonId.Kind.NATIONAL_ID) {
      Coding type = new Coding(IDENTIFIER_TYPE_SYSTEM, "NNxxx", "National Person Identifier");
      Extension suffix = new Extension(IDENTIFIER_SUFFIX_EXTENSION);
      suffix.addExtension("suffix", new StringType("TWN"));
      suffix.addExtension("valueSet", new CanonicalType("http://hl7.org/fhir/ValueSet/iso3166-1-3"));
      type.getCodeElement().addExtension(suffix);
      identifier.setType(new CodeableConcept(type)).setSystem(NATIONAL_ID_SYSTEM);
    } else {
      identifier.setType(new CodeableConcept(new Coding(IDENTIFIER_TYPE_SYSTEM, "PRC", "Permanent Resident Card Number")))
          .setSystem(RESIDENT_CERTIFICATE_SYSTEM);
    }
    return identifier.setValue(person.unmaskedValue());
  }

  /**
   * The signed form by its SHA-256, as an RFC 6920 {@code ni:} URI: R4's {@code Attachment.hash} is
   * SHA-1, and the archive reference means nothing outside the consent service, while anyone holding the
   * PDF can hash it and compare.
   */
  private static Reference signedDocument(SignedDocument document) {
    byte[] digest = HexFormat.of().parseHex(document.sha256());
    String ni = "ni:///sha-256;" + Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    return new Reference().setType("DocumentReference").setIdentifier(new Identifier().setSystem(URI_SYSTEM).setValue(ni));
  }

  /** UTC, to the millisecond (the registry keeps microseconds; FHIR's Java model keeps milliseconds). */
  private static DateTimeType dateTime(Instant instant) {
    DateTimeType dateTime = new DateTimeType(Date.from(instant), TemporalPrecisionEnum.MILLI, TimeZone.getTimeZone("UTC"));
    dateTime.setTimeZoneZulu(true);
    return dateTime;
  }
}
