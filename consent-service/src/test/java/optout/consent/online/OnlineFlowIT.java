package optout.consent.online;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import optout.consent.ConsentIT;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/** Online filing as a citizen: their ID from their login, a finger signature from the browser, representatives and withdrawals. */
class OnlineFlowIT extends ConsentIT {

  private static final String DRAFTS = "/api/v1/online/drafts";

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
    byte[] png = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 0};
    assertThat(put(DRAFTS + "/" + id + "/evidence", citizen, "image/png", png).statusCode()).isEqualTo(200);
    HttpResponse<String> filed = post(DRAFTS + "/" + id + "/signature" + shown("opt-out"), citizen, BrowserCaptures.finger("signature-a"));
    assertThat(filed.statusCode()).as(filed.body()).isEqualTo(201);
    JsonNode filing = json(filed);
    assertThat(filing.get("maskedNationalId").asString()).isEqualTo("D******006");
    assertThat(filing.get("representative").get("relation").asString()).isEqualTo("parent-of-minor");
    assertThat(get("/api/v1/me/filings", citizen).body()).contains(filing.get("filingId").asString());

    String withdrawal = draft(citizen, """
        {"kind": "withdrawal", "scopes": ["academic-research"],
         "representative": {"relation": "parent-of-minor", "evidenceType": "household-registration-transcript", "nationalId": "D200000006"}}""");
    assertThat(put(DRAFTS + "/" + withdrawal + "/evidence", citizen, "image/png", png).statusCode()).isEqualTo(200);
    HttpResponse<String> withdrawn = post(DRAFTS + "/" + withdrawal + "/signature" + shown("withdrawal"), citizen, BrowserCaptures.finger("signature-b"));
    assertThat(withdrawn.statusCode()).as(withdrawn.body()).isEqualTo(201);
    assertThat(json(withdrawn).get("kind").asString()).isEqualTo("withdrawal");
  }
}
