package optout.consent.filing;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import optout.consent.ConsentIT;
import optout.platform.seal.ArchiveStamper;
import optout.platform.seal.EuDss;
import optout.platform.seal.SealVerifier;
import optout.platform.seal.pki.DemoPki;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * Archive timestamps on stored forms ({@code ./optout consent restamp}), through the public interfaces
 * afterwards: the citizen's download is the restamped form, which keeps the form as filed (whose SHA-256
 * the registry's log binds) as its exact prefix; the public verification accepts it as the archived
 * form; EU DSS finds it LTA with every timestamp passed. A window the certificates do not reach leaves
 * the forms alone.
 */
class FormRestampingIT extends ConsentIT {

  @Autowired private FilingStore store;
  @Autowired private SealVerifier verifier;
  @Autowired private DemoPki pki;

  @Test
  void aFormDueForAnArchiveTimestampGetsOneAndStaysVerifiable() throws Exception {
    JsonNode filing = fileAtCounter("Q273140508", "[\"academic-research\"]");
    String filingId = filing.get("filingId").asString();
    String filedSha256 = filing.get("formSha256").asString();
    String clerk = token("clerk-demo");
    byte[] filed = download(filing.get("formUrl").asString(), clerk).body();
    assertThat(Digests.sha256Hex(filed)).isEqualTo(filedSha256);

    ArchiveStamper stamper = new ArchiveStamper(verifier, pki.timestampAuthority(), pki.revocationSource(), java.time.Clock.systemUTC());
    FormRestamping restamping = new FormRestamping(store, verifier, stamper);
    FormRestamping.Outcome none = restamping.run(Duration.ofDays(1));
    assertThat(none.restamped()).as("the demo TSA's certificate ends in years, not within a day").isZero();
    assertThat(none.failed()).isZero();
    assertThat(store.currentFormSha256(filingId)).isEqualTo(filedSha256);

    // A window longer than the demo TSA certificate's life makes every form due.
    FormRestamping.Outcome all = restamping.run(Duration.ofDays(3653));
    assertThat(all.restamped()).isEqualTo(all.checked()).isPositive();
    assertThat(all.failed()).isZero();

    byte[] restamped = download(filing.get("formUrl").asString(), clerk).body();
    assertThat(restamped.length).isGreaterThan(filed.length);
    assertThat(Arrays.copyOf(restamped, filed.length)).as("the form as filed, its exact prefix").isEqualTo(filed);
    assertThat(Digests.sha256Hex(Arrays.copyOf(restamped, filed.length))).as("what the registry's log binds").isEqualTo(filedSha256);
    assertThat(filing(filingId, clerk).get("formSha256").asString()).as("the filing still names the form as filed").isEqualTo(filedSha256);
    assertThat(verifier.verify(restamped).documentTimestampTimes()).hasSize(2);

    String code = filing.get("receiptCode").asString();
    JsonNode check = json(postPdf("/api/v1/verify/" + code + "/document", restamped));
    assertThat(check.get("matches").asBoolean()).as(check.toString()).isTrue();
    assertThat(check.get("sealValid").asBoolean()).isTrue();
    assertThat(check.get("detail").asString()).contains("archive timestamps added since");
    assertThat(json(postPdf("/api/v1/verify/" + code + "/document", filed)).get("matches").asBoolean()).as("the form as filed still matches")
        .isTrue();

    EuDss.Verdict verdict = EuDss.validate(restamped, pki.rootCertificate());
    assertThat(verdict.format()).isEqualTo("PAdES-BASELINE-LTA");
    assertThat(verdict.allPassed()).as(verdict.toString()).isTrue();

    // Restamped forms are due no more within a day; a tampered copy is not the archived form.
    assertThat(restamping.run(Duration.ofDays(1)).restamped()).isZero();
    byte[] tampered = restamped.clone();
    tampered[filed.length / 2] ^= 0x01;
    assertThat(json(postPdf("/api/v1/verify/" + code + "/document", tampered)).get("matches").asBoolean()).isFalse();
  }

  private JsonNode filing(String filingId, String token) {
    HttpResponse<byte[]> response = download("/api/v1/filings/" + filingId, token);
    return JSON.readTree(response.body());
  }

  private HttpResponse<String> postPdf(String path, byte[] pdf) {
    return send(java.net.http.HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/pdf")
        .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(pdf)).build());
  }
}
