package optout.registry.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.parser.StrictErrorHandler;
import java.net.http.HttpResponse;
import java.util.List;
import optout.platform.testing.TestKeys;
import optout.pseudonymizer.id.PersonId;
import optout.registry.RegistryIT;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.Consent.ConsentProvisionType;
import org.hl7.fhir.r4.model.Consent.ConsentState;
import org.hl7.fhir.r4.model.Consent.ProvisionComponent;
import org.junit.jupiter.api.Test;

/**
 * The FHIR Consent over HTTP: a citizen's own (named by their national ID) and any person's for auditors
 * (named by pseudonym). Other test classes file for citizen-demo (A123456789) too, in the same database and
 * in an order of JUnit's choosing, so the citizen's assertions hold whatever else they opted out of.
 */
class ConsentControllerIT extends RegistryIT {

  private static Consent parse(HttpResponse<String> response) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/fhir+json");
    assertThat(response.headers().firstValue("Cache-Control").orElseThrow()).contains("no-store");
    // strict: an unknown element or a wrong value type fails, as it would at a receiving agency
    return ConsentView.Fhir.CONTEXT.newJsonParser().setParserErrorHandler(new StrictErrorHandler())
        .parseResource(Consent.class, response.body());
  }

  private static ProvisionComponent denial(Consent consent, String scope) {
    return consent.getProvision().getProvision().stream()
        .filter(p -> p.getType() == ConsentProvisionType.DENY)
        .filter(p -> p.getPurpose().stream().anyMatch(c -> coding(c).equals(ConsentView.SCOPE_SYSTEM + "|" + scope)))
        .findFirst().orElseThrow(() -> new AssertionError("no deny provision for " + scope));
  }

  private static String coding(Coding coding) {
    return coding.getSystem() + "|" + coding.getCode();
  }

  @Test
  void aCitizenGetsTheirOwnConsentNamedByTheirNationalId() {
    HttpResponse<String> filed = file(key(),
        filing("opt-out-filed", "A123456789", "\"cross-agency-linkage\"", "counter", ""));
    assertThat(filed.statusCode()).as(filed.body()).isIn(201, 409);

    Consent consent = parse(get(ConsentController.MINE, token("citizen-demo")));

    assertThat(consent.getStatus()).isEqualTo(ConsentState.ACTIVE);
    assertThat(consent.getPatient().getIdentifier().getSystem()).isEqualTo(ConsentView.NATIONAL_ID_SYSTEM);
    assertThat(consent.getPatient().getIdentifier().getValue()).isEqualTo("A123456789");
    ProvisionComponent linkage = denial(consent, "cross-agency-linkage");
    assertThat(linkage.getProvision()).anySatisfy(permit -> {
      assertThat(permit.getType()).isEqualTo(ConsentProvisionType.PERMIT);
      assertThat(coding(permit.getPurposeFirstRep())).isEqualTo(ConsentView.EXEMPTION_SYSTEM + "|insurance-administration-audit");
    });
    assertThat(consent.getIdentifierFirstRep().getValue()).startsWith("urn:uuid:");

    assertThat(get(ConsentController.MINE, token("auditor-demo")).statusCode()).isEqualTo(403);
    assertThat(get(ConsentController.MINE, token("clerk-demo")).statusCode()).isEqualTo(403);
    assertThat(get(ConsentController.MINE, null).statusCode()).isEqualTo(401);
  }

  @Test
  void auditorsGetAnyPersonsConsentByPseudonymAndNeverTheNationalId() throws Exception {
    String person = "O247110016";
    long pseudonym;
    try (var custody = TestKeys.open()) {
      pseudonym = custody.warehousePseudonymizer().pseudonym(PersonId.parse(person));
    }
    String clerk = token("clerk-demo");
    String auditor = token("auditor-demo");
    String path = ConsentController.PERSONS + "/" + pseudonym + "/consent";
    HttpResponse<String> none = get(path, auditor);
    if (none.statusCode() == 404) {  // the first run in this database: nothing filed yet
      assertThat(json(none).get("type").asString()).isEqualTo("urn:nhi-optout:problem:no-filing");
    }
    HttpResponse<String> filed = file(key(),
        filing("opt-out-filed", person, "\"academic-research\", \"commercial-use\"", "counter", ""));
    assertThat(filed.statusCode()).as(filed.body()).isIn(201, 409);

    HttpResponse<String> response = get(path, auditor);
    Consent consent = parse(response);
    assertThat(consent.getStatus()).isEqualTo(ConsentState.ACTIVE);
    assertThat(consent.getPatient().getIdentifier().getSystem()).isEqualTo(ConsentView.PSEUDONYM_SYSTEM);
    assertThat(consent.getPatient().getIdentifier().getValue()).isEqualTo(Long.toString(pseudonym));
    assertThat(response.body()).doesNotContain(person, ConsentView.NATIONAL_ID_SYSTEM);
    denial(consent, "academic-research");
    denial(consent, "commercial-use");

    HttpResponse<String> withdrawn = file(key(),
        filing("opt-out-withdrawn", person, "\"academic-research\", \"commercial-use\"", "counter", ""));
    assertThat(withdrawn.statusCode()).as(withdrawn.body()).isEqualTo(201);
    Consent after = parse(get(path, auditor));
    assertThat(after.getStatus()).isEqualTo(ConsentState.INACTIVE);
    assertThat(after.getProvision().getProvision()).isEmpty();
    assertThat(after.getIdentifierFirstRep().getValue()).isEqualTo("urn:uuid:" + json(withdrawn).get("id").asString());

    for (String refused : List.of(clerk, token("citizen-demo"))) {
      assertThat(get(path, refused).statusCode()).isEqualTo(403);
    }
    assertThat(get(path, null).statusCode()).isEqualTo(401);
    HttpResponse<String> unknown = get(ConsentController.PERSONS + "/10000000000/consent", auditor);
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(json(unknown).get("type").asString()).isEqualTo("urn:nhi-optout:problem:no-filing");
    assertThat(json(unknown).has("requestId")).isTrue();
    assertThat(get(ConsentController.PERSONS + "/123/consent", auditor).statusCode()).isEqualTo(400);
  }
}
