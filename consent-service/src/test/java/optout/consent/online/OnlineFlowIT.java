package optout.consent.online;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import optout.consent.ConsentIT;
import optout.consent.TestEvidence;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/** Online filing as a citizen: their ID from their login, a finger signature from the browser, representatives and withdrawals. */
class OnlineFlowIT extends ConsentIT {

  private static final String DRAFTS = "/api/v1/online/drafts";
  private static final String REVIEWS = "/api/v1/counter/reviews";

  @Autowired private JdbcTemplate jdbc;

  private long filings() {
    return jdbc.queryForObject("select count(*) from filing", Long.class);
  }

  private String draft(String citizen, String body) {
    HttpResponse<String> response = post(DRAFTS, citizen, body);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    return json(response).get("draftId").asString();
  }

  @Test
  void aCitizenSignsWithAFingerAndASubmissionIsAcceptedOnce() {
    String citizen = token("citizen-demo");
    String id = draft(citizen, "{\"kind\": \"opt-out\", \"scopes\": [\"government-statistics\"]}");
    long before = filings();

    HttpResponse<String> garbage = post(DRAFTS + "/" + id + "/signature" + shown("opt-out"), citizen, "{\"format\": \"something else\"}");
    assertThat(garbage.statusCode()).as(garbage.body()).isEqualTo(400);
    assertThat(json(garbage).get("errors").get(0).get("field").asString()).isEqualTo("capture");

    HttpResponse<String> quick = post(DRAFTS + "/" + id + "/signature" + shown("opt-out"), citizen, BrowserCaptures.finger("signature-c", 8));
    assertThat(quick.statusCode()).as(quick.body()).isEqualTo(422);
    assertThat(json(quick).get("type").asString()).endsWith(":signature-quality");
    assertThat(json(quick).get("issues").size()).isPositive();
    assertThat(filings()).isEqualTo(before);

    String capture = BrowserCaptures.finger("signature-c");
    // the citizen signs only what the page showed: the current template's declaration, named by its hash
    HttpResponse<String> notShown = post(DRAFTS + "/" + id + "/signature", citizen, capture);
    assertThat(notShown.statusCode()).as(notShown.body()).isEqualTo(400);
    assertThat(json(notShown).get("errors").get(0).get("field").asString()).isEqualTo("declaration");
    HttpResponse<String> otherText = post(DRAFTS + "/" + id + "/signature" + shown("withdrawal"), citizen, capture);
    assertThat(otherText.statusCode()).as(otherText.body()).isEqualTo(409);
    assertThat(json(otherText).get("type").asString()).endsWith(":declaration-changed");
    assertThat(filings()).isEqualTo(before);
    HttpResponse<String> signed = post(DRAFTS + "/" + id + "/signature" + shown("opt-out"), citizen, capture);
    assertThat(signed.statusCode()).as(signed.body()).isEqualTo(201);
    JsonNode filing = json(signed);
    assertThat(filing.get("channel").asString()).isEqualTo("online");
    assertThat(filing.get("maskedNationalId").asString()).isEqualTo("A******789");
    assertThat(download(filing.get("formUrl").asString(), citizen).body()).startsWith("%PDF-".getBytes(StandardCharsets.US_ASCII));

    HttpResponse<String> replay = post(DRAFTS + "/" + id + "/signature" + shown("opt-out"), citizen, capture);
    assertThat(replay.statusCode()).isEqualTo(409);
    assertThat(json(replay).get("type").asString()).endsWith(":already-filed");
    assertThat(filings()).isEqualTo(before + 1);

    // a clerk does not see a citizen's online filing; the clerk's page is not the citizen's
    assertThat(get("/api/v1/filings/" + filing.get("filingId").asString(), token("clerk-demo")).statusCode()).isEqualTo(404);
    assertThat(post(DRAFTS, token("clerk-demo"), "{\"kind\": \"opt-out\", \"scopes\": [\"academic-research\"]}").statusCode()).isEqualTo(403);
  }

  @Test
  void aParentFilesForTheirChildAndLaterWithdrawsIt() {
    String citizen = token("citizen-demo");
    HttpResponse<String> self = post(DRAFTS, citizen, """
        {"kind": "opt-out", "scopes": ["academic-research"],
         "representative": {"relation": "parent-of-minor", "evidenceType": "household-registration-transcript", "nationalId": "A123456789"}}""");
    assertThat(self.statusCode()).isEqualTo(400);
    HttpResponse<String> badChild = post(DRAFTS, citizen, """
        {"kind": "opt-out", "scopes": ["academic-research"],
         "representative": {"relation": "parent-of-minor", "evidenceType": "household-registration-transcript", "nationalId": "D200000007"}}""");
    assertThat(badChild.statusCode()).isEqualTo(400);
    assertThat(json(badChild).get("errors").get(0).get("field").asString()).isEqualTo("representative.nationalId");
    String discarded = draft(citizen, "{\"kind\": \"opt-out\", \"scopes\": [\"academic-research\"]}");
    assertThat(send(java.net.http.HttpRequest.newBuilder(uri(DRAFTS + "/" + discarded)).header("Authorization", "Bearer " + citizen).DELETE().build())
        .statusCode()).isEqualTo(204);
    assertThat(post(DRAFTS + "/" + discarded + "/signature" + shown("opt-out"), citizen, BrowserCaptures.finger("signature-a")).statusCode()).isEqualTo(404);

    String id = draft(citizen, """
        {"kind": "opt-out", "scopes": ["academic-research"],
         "representative": {"relation": "parent-of-minor", "evidenceType": "household-registration-transcript", "nationalId": "D200000006"}}""");
    HttpResponse<String> unsigned = post(DRAFTS + "/" + id + "/signature" + shown("opt-out"), citizen, BrowserCaptures.finger("signature-a"));
    assertThat(unsigned.statusCode()).isEqualTo(409);

    // evidence is opened, not sniffed: the 12-byte "PNG", a picture too small to read, an empty PDF, text
    HttpResponse<String> fake = put(DRAFTS + "/" + id + "/evidence", citizen, "image/png", TestEvidence.fakePng());
    assertThat(fake.statusCode()).as(fake.body()).isEqualTo(422);
    assertThat(json(fake).get("type").asString()).endsWith(":unreadable-evidence");
    assertThat(put(DRAFTS + "/" + id + "/evidence", citizen, "image/png", TestEvidence.png(40, 40)).statusCode()).isEqualTo(422);
    assertThat(put(DRAFTS + "/" + id + "/evidence", citizen, "application/pdf", TestEvidence.pdfWithoutPages()).statusCode()).isEqualTo(422);
    HttpResponse<String> text = put(DRAFTS + "/" + id + "/evidence", citizen, "image/png", "a note".getBytes(StandardCharsets.UTF_8));
    assertThat(text.statusCode()).isEqualTo(415);
    assertThat(json(text).get("type").asString()).endsWith(":unsupported-evidence");
    assertThat(post(DRAFTS + "/" + id + "/signature" + shown("opt-out"), citizen, BrowserCaptures.finger("signature-a")).statusCode()).isEqualTo(409);

    byte[] scan = TestEvidence.png(595, 842);
    assertThat(put(DRAFTS + "/" + id + "/evidence", citizen, "image/png", scan).statusCode()).isEqualTo(200);
    HttpResponse<String> filed = post(DRAFTS + "/" + id + "/signature" + shown("opt-out"), citizen, BrowserCaptures.finger("signature-a"));
    // taken, not counted: held for a clerk's review, and the filer sees their request, not the person's form
    assertThat(filed.statusCode()).as(filed.body()).isEqualTo(202);
    JsonNode request = json(filed);
    String filingId = request.get("filingId").asString();
    assertThat(request.get("maskedNationalId").asString()).isEqualTo("D******006");
    assertThat(request.get("representative").get("relation").asString()).isEqualTo("parent-of-minor");
    assertThat(request.get("representative").get("maskedNationalId").asString()).isEqualTo("A******789");
    assertThat(request.get("delivery").get("status").asString()).isEqualTo("held-for-review");
    assertThat(request.get("review").get("status").asString()).isEqualTo("pending");
    assertThat(request.get("formUrl").isNull()).isTrue();
    assertThat(request.get("receiptCode").isNull()).isTrue();
    // nothing goes to the registry: no outbox row, the request waits sealed in the review row
    assertThat(jdbc.queryForObject("select count(*) from registry_outbox where filing_id = ?", Long.class, filingId)).isZero();
    assertThat(jdbc.queryForObject("select count(*) from proxy_review where filing_id = ? and status = 'pending' and payload_sealed is not null",
        Long.class, filingId)).isEqualTo(1);
    assertThat(jdbc.queryForObject("select representative_subject is not null and representative_masked_id = 'A******789' from filing where filing_id = ?",
        Boolean.class, filingId)).isTrue();
    for (String path : List.of("", "/form.pdf", "/receipt.pdf")) {
      assertThat(get("/api/v1/filings/" + filingId + path, citizen).statusCode()).as(path).isEqualTo(404);
    }
    JsonNode mine = mine(citizen, filingId);
    assertThat(mine.get("delivery").get("status").asString()).isEqualTo("held-for-review");
    assertThat(mine.get("formUrl").isNull()).isTrue();

    // the clerks' queue: the evidence, the relation, the person and the representative masked
    String clerk = token("clerk-demo");
    assertThat(get(REVIEWS, citizen).statusCode()).isEqualTo(403);
    JsonNode queued = queued(clerk, filingId);
    assertThat(queued.get("maskedNationalId").asString()).isEqualTo("D******006");
    assertThat(queued.get("representativeMaskedNationalId").asString()).isEqualTo("A******789");
    assertThat(queued.get("relation").asString()).isEqualTo("parent-of-minor");
    assertThat(queued.get("evidenceType").asString()).isEqualTo("household-registration-transcript");
    HttpResponse<byte[]> evidence = download(queued.get("evidenceUrl").asString(), clerk);
    assertThat(evidence.statusCode()).isEqualTo(200);
    assertThat(evidence.body()).isEqualTo(scan);
    assertThat(evidence.headers().firstValue("Content-Type")).hasValue("image/png");
    assertThat(evidence.headers().firstValue("Content-Security-Policy").orElseThrow()).contains("sandbox");
    assertThat(download(queued.get("evidenceUrl").asString(), citizen).statusCode()).isEqualTo(403);
    assertThat(post(REVIEWS + "/" + filingId + "/accept", citizen, "").statusCode()).isEqualTo(403);
    assertThat(post(REVIEWS + "/CS-20260101-AAAAAAAAAA/accept", clerk, "").statusCode()).isEqualTo(404);

    HttpResponse<String> accepted = post(REVIEWS + "/" + filingId + "/accept", clerk, "");
    assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(200);
    assertThat(json(accepted).get("status").asString()).isEqualTo("accepted");
    HttpResponse<String> twice = post(REVIEWS + "/" + filingId + "/reject", clerk, "{\"reason\": \"second thoughts\"}");
    assertThat(twice.statusCode()).isEqualTo(409);
    assertThat(json(twice).get("type").asString()).endsWith(":already-reviewed");
    // accepted: queued for the registry in the decision's transaction, and now the filer's to read
    assertThat(jdbc.queryForObject("select count(*) from registry_outbox where filing_id = ? and status = 'pending'", Long.class, filingId))
        .isEqualTo(1);
    assertThat(jdbc.queryForObject("select decided_by is not null and decided_at is not null and payload_sealed is null from proxy_review where filing_id = ?",
        Boolean.class, filingId)).isTrue();
    JsonNode filing = json(get("/api/v1/filings/" + filingId, citizen));
    assertThat(filing.get("review").get("status").asString()).isEqualTo("accepted");
    assertThat(filing.get("delivery").get("status").asString()).isEqualTo("pending");
    HttpResponse<byte[]> form = download(filing.get("formUrl").asString(), citizen);
    assertThat(form.statusCode()).isEqualTo(200);
    assertThat(queuedIds(clerk)).doesNotContain(filingId);

    String withdrawal = draft(citizen, """
        {"kind": "withdrawal", "scopes": ["academic-research"],
         "representative": {"relation": "parent-of-minor", "evidenceType": "household-registration-transcript", "nationalId": "D200000006"}}""");
    assertThat(put(DRAFTS + "/" + withdrawal + "/evidence", citizen, "application/pdf", TestEvidence.pdf()).statusCode()).isEqualTo(200);
    HttpResponse<String> withdrawn = post(DRAFTS + "/" + withdrawal + "/signature" + shown("withdrawal"), citizen, BrowserCaptures.finger("signature-b"));
    assertThat(withdrawn.statusCode()).as(withdrawn.body()).isEqualTo(202);
    assertThat(json(withdrawn).get("kind").asString()).isEqualTo("withdrawal");
    String withdrawalId = json(withdrawn).get("filingId").asString();
    HttpResponse<String> noReason = post(REVIEWS + "/" + withdrawalId + "/reject", clerk, "{\"reason\": \" \"}");
    assertThat(noReason.statusCode()).isEqualTo(400);
    HttpResponse<String> rejected = post(REVIEWS + "/" + withdrawalId + "/reject", clerk,
        "{\"reason\": \"戶籍謄本與所稱關係不符 The transcript does not show the stated relation\"}");
    assertThat(rejected.statusCode()).as(rejected.body()).isEqualTo(200);
    // rejected: never queued, the request (with the person's ID) dropped, and still not the filer's to read
    assertThat(jdbc.queryForObject("select count(*) from registry_outbox where filing_id = ?", Long.class, withdrawalId)).isZero();
    assertThat(jdbc.queryForObject("select payload_sealed is null and status = 'rejected' from proxy_review where filing_id = ?",
        Boolean.class, withdrawalId)).isTrue();
    // an insider with the service's database role cannot turn the rejection into an acceptance, nor remove it
    assertThatThrownBy(() -> jdbc.update("update proxy_review set status = 'accepted', reason = null where filing_id = ?", withdrawalId))
        .isInstanceOf(DataAccessException.class).rootCause().hasMessageContaining("a decision is not changed");
    assertThatThrownBy(() -> jdbc.update("delete from proxy_review where filing_id = ?", withdrawalId))
        .isInstanceOf(DataAccessException.class).rootCause().hasMessageContaining("permission denied");
    assertThat(get("/api/v1/filings/" + withdrawalId + "/form.pdf", citizen).statusCode()).isEqualTo(404);
    JsonNode told = mine(citizen, withdrawalId);
    assertThat(told.get("delivery").get("status").asString()).isEqualTo("rejected-in-review");
    assertThat(told.get("review").get("reason").asString()).contains("does not show the stated relation");
    assertThat(told.get("formUrl").isNull()).isTrue();
    // auditors follow their rules: they see it, rejected or not
    assertThat(get("/api/v1/filings/" + withdrawalId, token("auditor-demo")).statusCode()).isEqualTo(200);
  }

  private JsonNode mine(String citizen, String filingId) {
    for (JsonNode filing : json(get("/api/v1/me/filings", citizen))) {
      if (filing.get("filingId").asString().equals(filingId)) {
        return filing;
      }
    }
    throw new AssertionError(filingId + " is not in the citizen's list");
  }

  private JsonNode queued(String clerk, String filingId) {
    HttpResponse<String> queue = get(REVIEWS, clerk);
    assertThat(queue.statusCode()).as(queue.body()).isEqualTo(200);
    for (JsonNode pending : json(queue)) {
      if (pending.get("filingId").asString().equals(filingId)) {
        return pending;
      }
    }
    throw new AssertionError(filingId + " is not in the review queue");
  }

  private List<String> queuedIds(String clerk) {
    List<String> ids = new java.util.ArrayList<>();
    json(get(REVIEWS, clerk)).forEach(pending -> ids.add(pending.get("filingId").asString()));
    return ids;
  }

  @Test
  void theSigningTimeIsTheServersWhateverTheBrowsersClockSays() throws Exception {
    String citizen = token("citizen-demo");
    for (Instant claimed : List.of(Instant.now().plus(Duration.ofMinutes(5)), Instant.parse("2022-03-01T08:00:00Z"))) {
      String id = draft(citizen, "{\"kind\": \"opt-out\", \"scopes\": [\"commercial-use\"]}");
      Instant before = Instant.now();
      HttpResponse<String> signed = post(DRAFTS + "/" + id + "/signature" + shown("opt-out"), citizen,
          BrowserCaptures.claimingStart(BrowserCaptures.finger("signature-b"), claimed));
      assertThat(signed.statusCode()).as(signed.body()).isEqualTo(201);
      Instant signedAt = Instant.parse(json(signed).get("signedAt").asString());
      assertThat(signedAt).as("claimed " + claimed).isBetween(before.minusSeconds(2), Instant.now().plusSeconds(2));
      assertThat(Instant.parse(json(signed).get("sealedAt").asString())).isBetween(signedAt.minusSeconds(2), signedAt.plusSeconds(30));
      // the seal's claimed time (/M) is the server's too, not the browser's
      byte[] form = download(json(signed).get("formUrl").asString(), citizen).body();
      try (org.apache.pdfbox.pdmodel.PDDocument pdf = org.apache.pdfbox.Loader.loadPDF(form)) {
        Instant claimedBySeal = pdf.getSignatureDictionaries().get(0).getSignDate().toInstant();
        assertThat(claimedBySeal).isBetween(signedAt.minusSeconds(2), signedAt.plusSeconds(30));
      }
    }
  }
}
