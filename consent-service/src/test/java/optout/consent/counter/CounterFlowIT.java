package optout.consent.counter;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import optout.consent.ConsentIT;
import optout.consent.TestEvidence;
import optout.consent.filing.Digests;
import optout.consent.form.BiometricAttachment;
import optout.consent.form.Poppler;
import optout.platform.seal.EuDss;
import optout.platform.seal.ExternalTools;
import optout.platform.seal.SealedForms;
import optout.platform.seal.pki.DemoPki;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.tsp.TimeStampToken;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/**
 * The counter end to end: a clerk files for a citizen who signs on the virtual pad; the sealed form is
 * checked by poppler's pdfsig and OpenSSL, the receipt by the public verification endpoint; every bad
 * input is refused with nothing stored.
 */
class CounterFlowIT extends ConsentIT {

  private static final String DRAFTS = "/api/v1/counter/drafts";

  @Autowired private JdbcTemplate jdbc;

  private long filings() {
    return jdbc.queryForObject("select count(*) from filing", Long.class);
  }

  private String draft(String clerk, String body) {
    HttpResponse<String> response = post(DRAFTS, clerk, body);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    assertThat(response.body()).doesNotContain("A123456789").contains("A******789");
    return json(response).get("draftId").asString();
  }

  @Test
  void aClerkFilesAnOptOutThatOutsideToolsValidate() throws Exception {
    String clerk = token("clerk-demo");
    String id = draft(clerk, """
        {"kind": "opt-out", "nationalId": "A123456789", "scopes": ["academic-research", "commercial-use"],
         "identityCheck": {"method": "nhi-card"}}""");

    HttpResponse<String> notYet = post(DRAFTS + "/" + id + "/accept", clerk, "");
    assertThat(notYet.statusCode()).isEqualTo(409);
    assertThat(json(notYet).get("type").asString()).endsWith(":not-signed");

    HttpResponse<String> tooShort = post(DRAFTS + "/" + id + "/capture", clerk, "{\"virtualRecording\": \"too-short\"}");
    assertThat(tooShort.statusCode()).as(tooShort.body()).isEqualTo(200);
    JsonNode refused = json(tooShort);
    assertThat(refused.get("accepted").asBoolean()).isFalse();
    assertThat(refused.get("issues").size()).isPositive();
    assertThat(refused.get("issues").get(0).get("zh").asString()).isNotBlank();
    assertThat(post(DRAFTS + "/" + id + "/accept", clerk, "").statusCode()).isEqualTo(409);

    HttpResponse<String> signed = post(DRAFTS + "/" + id + "/capture", clerk, "{\"virtualRecording\": \"signature-a\"}");
    JsonNode attempt = json(signed);
    assertThat(attempt.get("accepted").asBoolean()).as(signed.body()).isTrue();
    assertThat(attempt.get("attempt").asInt()).isEqualTo(2);
    assertThat(attempt.get("ending").asString()).isEqualTo("ok-button");
    assertThat(attempt.get("signaturePng").asString()).isNotBlank();

    long before = filings();
    HttpResponse<String> accepted = post(DRAFTS + "/" + id + "/accept", clerk, "");
    assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(201);
    JsonNode filing = json(accepted);
    assertThat(filings()).isEqualTo(before + 1);
    assertThat(accepted.body()).doesNotContain("A123456789");
    assertThat(filing.get("maskedNationalId").asString()).isEqualTo("A******789");
    assertThat(filing.get("delivery").get("status").asString()).isEqualTo("pending");

    HttpResponse<String> replay = post(DRAFTS + "/" + id + "/accept", clerk, "");
    assertThat(replay.statusCode()).isEqualTo(409);
    assertThat(json(replay).get("filingId").asString()).isEqualTo(filing.get("filingId").asString());
    assertThat(filings()).isEqualTo(before + 1);

    HttpResponse<byte[]> form = download(filing.get("formUrl").asString(), clerk);
    assertThat(form.statusCode()).isEqualTo(200);
    byte[] pdf = form.body();
    assertThat(Digests.sha256Hex(pdf)).isEqualTo(filing.get("formSha256").asString());
    Path directory = Files.createTempDirectory(directory(), "counter");
    Path file = Files.write(directory.resolve("form.pdf"), pdf);
    Path root = directory().resolve("pki").resolve(DemoPki.ROOT_FILE);
    Path nss = ExternalTools.nssDatabase(directory.resolve("nss"), root);
    ExternalTools.Run valid = ExternalTools.pdfsig(nss, file);
    // The seal covers its own revision; the validation data and the document timestamp (B-LTA) follow it, and
    // the document timestamp covers the whole file (pdfsig cannot validate a document timestamp; EU DSS does).
    assertThat(valid.output()).as(valid.output()).contains("Signature is Valid").contains("Certificate is Trusted")
        .contains("Signature #2:").containsPattern("(?s)Signature #1:.*Not total document signed.*Signature #2:.*  - Total document signed");
    java.security.cert.X509Certificate rootCertificate;
    try (var in = Files.newInputStream(root)) {
      rootCertificate = (java.security.cert.X509Certificate) java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
    EuDss.Verdict dss = EuDss.validate(pdf, rootCertificate);
    assertThat(dss.format()).as(dss.simpleReportXml()).isEqualTo("PAdES-BASELINE-LTA");
    assertThat(dss.allPassed()).as(dss.toString()).isTrue();
    byte[] flipped = pdf.clone();
    flipped[pdf.length / 3] ^= 0x01;
    ExternalTools.Run tampered = ExternalTools.pdfsig(nss, Files.write(directory.resolve("tampered.pdf"), flipped));
    assertThat(tampered.output()).as(tampered.output()).doesNotContain("Signature is Valid");

    SignerInformation signer = SealedForms.signer(pdf);
    Attribute attribute = signer.getUnsignedAttributes().get(PKCSObjectIdentifiers.id_aa_signatureTimeStampToken);
    TimeStampToken token = new TimeStampToken(org.bouncycastle.asn1.cms.ContentInfo.getInstance(attribute.getAttrValues().getObjectAt(0)));
    Path tokenFile = Files.write(directory.resolve("token.tsr"), token.getEncoded(ASN1Encoding.DER));
    ExternalTools.Run ts = ExternalTools.run(null, "openssl", "ts", "-verify", "-in", tokenFile.toString(), "-token_in", "-digest",
        HexFormat.of().formatHex(SealedForms.sha256(signer.getSignature())), "-CAfile", root.toString(),
        "-untrusted", directory().resolve("pki").resolve(DemoPki.TSA_FILE).toString());
    assertThat(ts.output()).as(ts.output()).contains("Verification: OK");

    String text = Poppler.text(file);
    assertThat(text).contains("全民健康保險").contains("學術研究").contains("A******789").doesNotContain("A123456789")
        .contains("VIRTUAL PAD (demo)");
    assertThat(BiometricAttachment.envelope(pdf)).isNotEmpty();

    HttpResponse<byte[]> receipt = download(filing.get("receiptUrl").asString(), clerk);
    assertThat(receipt.statusCode()).isEqualTo(200);
    String receiptText = Poppler.text(Files.write(directory.resolve("receipt.pdf"), receipt.body()));
    String code = filing.get("receiptCode").asString();
    assertThat(receiptText.replace("-", "")).contains(code).doesNotContain("A******789");

    HttpResponse<String> verified = get("/api/v1/verify/" + code.substring(0, 4) + "-" + code.substring(4), null);
    assertThat(verified.statusCode()).as(verified.body()).isEqualTo(200);
    assertThat(json(verified).get("filingId").asString()).isEqualTo(filing.get("filingId").asString());
    assertThat(json(verified).get("formSha256").asString()).isEqualTo(filing.get("formSha256").asString());
    // The public answer names the filing, never the person: not even the masked ID's last digits. (Checked by field and
    // by the ID's forms, not by "789" alone, which a random hash or filing ID may contain.)
    assertThat(json(verified).propertyNames()).containsExactlyInAnyOrder("code", "filingId", "kind", "scopes", "signedAt",
        "sealedAt", "formSha256", "registryLog");
    assertThat(verified.body()).doesNotContain("A123456789").doesNotContain("A******").doesNotContain("*789")
        .doesNotContainIgnoringCase("nationalId");

    JsonNode same = json(postPdf("/api/v1/verify/" + code + "/document", pdf));
    assertThat(same.get("matches").asBoolean()).isTrue();
    assertThat(same.get("sealValid").asBoolean()).isTrue();
    JsonNode altered = json(postPdf("/api/v1/verify/" + code + "/document", flipped));
    assertThat(altered.get("matches").asBoolean()).isFalse();

    char last = code.charAt(15);
    String forged = code.substring(0, 15) + (last == 'A' ? 'B' : 'A');
    HttpResponse<String> unknown = get("/api/v1/verify/" + forged, null);
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(json(unknown).get("type").asString()).endsWith(":unknown-code");
    assertThat(get("/api/v1/verify/not-a-code", null).statusCode()).isEqualTo(400);

    // who may read the archive
    assertThat(get(filing.get("formUrl").asString().replace("/form.pdf", ""), token("auditor-demo")).statusCode()).isEqualTo(200);
    assertThat(get(filing.get("formUrl").asString().replace("/form.pdf", ""), token("citizen-demo")).statusCode()).isEqualTo(200);
    assertThat(get(filing.get("formUrl").asString().replace("/form.pdf", ""), token("researcher-demo")).statusCode()).isEqualTo(403);
    HttpResponse<String> mine = get("/api/v1/me/filings", token("citizen-demo"));
    assertThat(mine.body()).contains(filing.get("filingId").asString());
    assertThat(get("/api/v1/counter/filings", clerk).body()).contains(filing.get("filingId").asString());
  }

  @Test
  void aFilingAboutSomeoneElseIsNotTheCitizens() {
    JsonNode filing = fileAtCounter("B120000008", "[\"all-secondary-use\"]");
    HttpResponse<String> other = get("/api/v1/filings/" + filing.get("filingId").asString(), token("citizen-demo"));
    assertThat(other.statusCode()).isEqualTo(404);
    assertThat(get("/api/v1/me/filings", token("citizen-demo")).body()).doesNotContain(filing.get("filingId").asString());
  }

  @Test
  void badInputIsRefusedWithTheFieldAndNothingIsStored() {
    String clerk = token("clerk-demo");
    long before = filings();
    HttpResponse<String> checksum = post(DRAFTS, clerk, """
        {"kind": "opt-out", "nationalId": "A123456788", "scopes": ["academic-research"], "identityCheck": {"method": "nhi-card"}}""");
    assertThat(checksum.statusCode()).isEqualTo(400);
    assertThat(json(checksum).get("errors").get(0).get("field").asString()).isEqualTo("nationalId");
    assertThat(checksum.body()).doesNotContain("A123456788");

    HttpResponse<String> noScope = post(DRAFTS, clerk, """
        {"kind": "opt-out", "nationalId": "A123456789", "scopes": [], "identityCheck": {"method": "nhi-card"}}""");
    assertThat(noScope.statusCode()).isEqualTo(400);
    assertThat(json(noScope).get("errors").get(0).get("field").asString()).isEqualTo("scopes");

    HttpResponse<String> allAndMore = post(DRAFTS, clerk, """
        {"kind": "opt-out", "nationalId": "A123456789", "scopes": ["all-secondary-use", "academic-research"], "identityCheck": {"method": "nhi-card"}}""");
    assertThat(allAndMore.statusCode()).isEqualTo(400);

    HttpResponse<String> unknownScope = post(DRAFTS, clerk, """
        {"kind": "opt-out", "nationalId": "A123456789", "scopes": ["selling-data"], "identityCheck": {"method": "nhi-card"}}""");
    assertThat(unknownScope.statusCode()).isEqualTo(400);

    HttpResponse<String> noCheck = post(DRAFTS, clerk, """
        {"kind": "opt-out", "nationalId": "A123456789", "scopes": ["academic-research"]}""");
    assertThat(noCheck.statusCode()).isEqualTo(400);
    assertThat(json(noCheck).get("errors").get(0).get("field").asString()).isEqualTo("identityCheck");

    assertThat(post(DRAFTS, clerk, "{\"kind\": ").statusCode()).isEqualTo(400);
    assertThat(post(DRAFTS, token("citizen-demo"), "{}").statusCode()).isEqualTo(403);
    assertThat(post(DRAFTS + "/00000000-0000-0000-0000-000000000000/capture", clerk, "{}").statusCode()).isEqualTo(404);
    assertThat(filings()).isEqualTo(before);
  }

  @Test
  void aRepresentativeFilesWithEvidenceWhichIsCheckedAndArchived() throws Exception {
    String clerk = token("clerk-demo");
    // the clerk enters the representative's own ID, checked like the person's
    for (String representative : List.of("", ", \"nationalId\": \"N200889122\"", ", \"nationalId\": \"A123456789\"")) {
      HttpResponse<String> refused = post(DRAFTS, clerk, """
          {"kind": "opt-out", "nationalId": "A123456789", "scopes": ["academic-research"], "identityCheck": {"method": "national-id-card"},
           "representative": {"relation": "parent-of-minor", "evidenceType": "household-registration-transcript"%s}}""".formatted(representative));
      assertThat(refused.statusCode()).as(representative).isEqualTo(400);
      assertThat(json(refused).get("errors").get(0).get("field").asString()).startsWith("representative");
    }
    String id = draft(clerk, """
        {"kind": "opt-out", "nationalId": "A123456789", "scopes": ["academic-research"], "identityCheck": {"method": "national-id-card"},
         "representative": {"relation": "parent-of-minor", "evidenceType": "household-registration-transcript", "nationalId": "N200889121"}}""");
    HttpResponse<String> early = post(DRAFTS + "/" + id + "/capture", clerk, "{}");
    assertThat(early.statusCode()).isEqualTo(409);
    assertThat(json(early).get("type").asString()).endsWith(":evidence-missing");

    assertThat(put(DRAFTS + "/" + id + "/evidence", clerk, "application/pdf", "not a pdf".getBytes(StandardCharsets.US_ASCII)).statusCode())
        .isEqualTo(415);
    byte[] oversized = new byte[5 * 1024 * 1024 + 1];
    System.arraycopy("%PDF-".getBytes(StandardCharsets.US_ASCII), 0, oversized, 0, 5);
    assertThat(put(DRAFTS + "/" + id + "/evidence", clerk, "application/pdf", oversized).statusCode()).isEqualTo(413);
    byte[] tooLargeForTheEndpoint = new byte[7 * 1024 * 1024];
    assertThat(put(DRAFTS + "/" + id + "/evidence", clerk, "application/pdf", tooLargeForTheEndpoint).statusCode()).isEqualTo(413);

    // a file that only starts like a PDF is no evidence
    byte[] fake = "%PDF-1.7\n% a scanned household registration transcript\n%%EOF\n".getBytes(StandardCharsets.US_ASCII);
    HttpResponse<String> unreadable = put(DRAFTS + "/" + id + "/evidence", clerk, "application/pdf", fake);
    assertThat(unreadable.statusCode()).isEqualTo(422);
    assertThat(json(unreadable).get("type").asString()).endsWith(":unreadable-evidence");
    assertThat(put(DRAFTS + "/" + id + "/evidence", clerk, "image/png", TestEvidence.fakePng()).statusCode()).isEqualTo(422);

    byte[] scan = TestEvidence.pdf();
    HttpResponse<String> evidence = put(DRAFTS + "/" + id + "/evidence", clerk, "application/pdf", scan);
    assertThat(evidence.statusCode()).as(evidence.body()).isEqualTo(200);
    assertThat(post(DRAFTS + "/" + id + "/capture", clerk, "{}").statusCode()).isEqualTo(200);
    HttpResponse<String> accepted = post(DRAFTS + "/" + id + "/accept", clerk, "");
    assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(201);
    assertThat(json(accepted).get("representative").get("relation").asString()).isEqualTo("parent-of-minor");
    assertThat(json(accepted).get("representative").get("maskedNationalId").asString()).isEqualTo("N******121");
    // the clerk checked the evidence at the counter: no review, straight to the outbox
    assertThat(json(accepted).get("review").isNull()).isTrue();
    assertThat(json(accepted).get("delivery").get("status").asString()).isEqualTo("pending");
    HttpResponse<byte[]> form = download(json(accepted).get("formUrl").asString(), clerk);
    String text = Poppler.text(Files.write(Files.createTempFile(directory(), "proxy-form", ".pdf"), form.body()));
    assertThat(text).contains("N******121").doesNotContain("N200889121");
    assertThat(jdbc.queryForObject("select count(*) from archived_document where sha256 = ?", Long.class, Digests.sha256Hex(scan))).isEqualTo(1);
  }

  private HttpResponse<String> postPdf(String path, byte[] pdf) {
    return send(java.net.http.HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/pdf")
        .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(pdf)).build());
  }
}
