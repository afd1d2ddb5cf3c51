package optout.portal.application;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import optout.portal.PortalIT;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/** A researcher's side, through the API with real tokens: drafts, the ethics approval, submission, and every refusal. */
class ApplicationsIT extends PortalIT {

  @Autowired JdbcTemplate jdbc;

  private static List<String> fields(HttpResponse<String> response) {
    List<String> fields = new ArrayList<>();
    body(response).get("errors").forEach(e -> fields.add(e.get("field").asString()));
    return fields;
  }

  @Test
  void aDraftIsEditedGetsItsEthicsApprovalAndIsSubmittedAsAFrozenVersion() {
    HttpResponse<String> created = json("POST", "/api/v1/applications", RESEARCHER, null);
    assertThat(created.statusCode()).isEqualTo(201);
    JsonNode draft = body(created);
    String id = draft.get("id").asString();
    assertThat(created.headers().firstValue("Location")).hasValue("/api/v1/applications/" + id);
    assertThat(draft.get("status").asString()).isEqualTo("draft");
    assertThat(draft.get("turn").asString()).isEqualTo("researcher");
    assertThat(draft.get("editable").asBoolean()).isTrue();

    HttpResponse<String> saved = json("PUT", "/api/v1/applications/" + id, RESEARCHER, COMPLETE);
    assertThat(saved.statusCode()).isEqualTo(200);
    assertThat(body(saved).at("/content/cohort/from").asString()).isEqualTo("2022-01-01");

    byte[] pdf = pdf(3);
    HttpResponse<String> uploaded = uploadEthics(id, RESEARCHER, pdf, "application/pdf");
    assertThat(uploaded.statusCode()).isEqualTo(200);
    assertThat(body(uploaded).at("/ethicsApproval/pages").asInt()).isEqualTo(3);
    assertThat(body(uploaded).at("/ethicsApproval/sha256").asString()).isEqualTo(EthicsApprovals.sha256(pdf));
    HttpResponse<byte[]> back = send(java.net.http.HttpRequest.newBuilder(uri("/api/v1/applications/" + id + "/ethics-approval"))
        .header("Authorization", "Bearer " + token(RESEARCHER)).build(), HttpResponse.BodyHandlers.ofByteArray());
    assertThat(back.body()).isEqualTo(pdf);
    assertThat(back.headers().firstValue("Content-Type")).hasValue("application/pdf");

    HttpResponse<String> submitted = json("POST", "/api/v1/applications/" + id + "/submit", RESEARCHER, null);
    assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(200);
    JsonNode application = body(submitted);
    assertThat(application.get("status").asString()).isEqualTo("submitted");
    assertThat(application.get("turn").asString()).isEqualTo("reviewer");
    assertThat(application.get("editable").asBoolean()).isFalse();
    assertThat(application.at("/versions/0/submittedAt").isNull()).isFalse();
    assertThat(application.at("/versions/0/specSha256").asString()).hasSize(64);
    assertThat(application.get("history")).extracting(h -> h.get("to").asString()).containsExactly("draft", "submitted");

    // the spec recorded is the spec library's, with the project named after the application
    String spec = jdbc.queryForObject("select spec from application_version where application_id = ?::uuid and version = 1", String.class, id);
    assertThat(optout.warehouse.spec.ExtractSpec.parse(spec).project()).isEqualTo("application-" + application.get("number").asLong());

    // a submitted version is frozen, even for the application's own database role
    assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> jdbc.update(
        "update application_version set content = '{}'::jsonb where application_id = ?::uuid", id)))
        .hasMessageContaining("was submitted and cannot change");

    JsonNode notifications = body(getAs("/api/v1/notifications", RESEARCHER));
    assertThat(notifications).anyMatch(n -> n.get("applicationId").asString().equals(id) && n.get("toStatus").asString().equals("submitted"));
    assertThat(jdbc.queryForObject("select count(*) from email_outbox e join notification n on n.id = e.notification_id"
        + " where n.application_id = ?::uuid and e.status = 'pending'", Integer.class, id)).isEqualTo(2);
  }

  @Test
  void anIncompleteApplicationIsRefusedWithEveryProblemAtItsFieldAndNothingStored() {
    String empty = draft(RESEARCHER, null);
    HttpResponse<String> refused = json("POST", "/api/v1/applications/" + empty + "/submit", RESEARCHER, null);
    assertThat(refused.statusCode()).isEqualTo(422);
    assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    assertThat(body(refused).get("type").asString()).isEqualTo("urn:nhi-optout:problem:application-incomplete");
    assertThat(fields(refused)).contains("title", "institution", "principalInvestigator", "laySummary", "publicBenefit",
        "ethicsApproval", "purpose", "legalBasis", "tables", "cohort");

    String wrong = COMPLETE
        .replace("\"academic-research\"", "\"marketing\"")
        .replace("\"county\"]", "\"national_id\"]")
        .replace("\"E11\", \"I10\"", "\"E11.9\"")
        .replace("\"to\": \"2023-12-31\"", "\"to\": \"2021-12-31\"")
        .replace("\"birth_date\": \"Age groups are the main stratification of the outcome.\"", "\"birth_date\": \"age\"")
        .replace("\"person\": \"Visits must be linked to the enrolled patient.\",", "")
        .replace("\"careDates\": \"month\"", "\"careDates\": \"hour\"");
    String id = draft(RESEARCHER, wrong);
    HttpResponse<String> problems = json("POST", "/api/v1/applications/" + id + "/submit", RESEARCHER, null);
    assertThat(problems.statusCode()).isEqualTo(422);
    assertThat(fields(problems)).containsExactlyInAnyOrder("ethicsApproval", "purpose", "tables.enrollment[3]", "cohort.diagnoses[0]",
        "cohort.to", "generalisation.careDates", "justifications.enrollment.birth_date", "justifications.outpatient_visit.person");
    assertThat(problems.body()).doesNotContain("national_id\"").doesNotContain("E11.9");
    assertThat(body(problems).get("turn").asString()).isEqualTo("researcher");

    JsonNode after = body(getAs("/api/v1/applications/" + id, RESEARCHER));
    assertThat(after.get("status").asString()).isEqualTo("draft");
    assertThat(after.at("/versions/0/submittedAt").isNull()).isTrue();
    assertThat(after.get("history")).hasSize(1);
  }

  @Test
  void aSubmittedApplicationCannotBeSubmittedEditedOrGivenAnotherApprovalTwice() {
    String id = submitted(RESEARCHER);
    HttpResponse<String> again = json("POST", "/api/v1/applications/" + id + "/submit", RESEARCHER, null);
    assertThat(again.statusCode()).isEqualTo(409);
    assertThat(body(again).get("type").asString()).isEqualTo("urn:nhi-optout:problem:already-submitted");
    assertThat(body(again).get("turn").asString()).isEqualTo("reviewer");
    assertThat(json("PUT", "/api/v1/applications/" + id, RESEARCHER, COMPLETE).statusCode()).isEqualTo(409);
    HttpResponse<String> upload = uploadEthics(id, RESEARCHER, pdf(1), "application/pdf");
    assertThat(upload.statusCode()).isEqualTo(409);
    assertThat(body(upload).get("type").asString()).isEqualTo("urn:nhi-optout:problem:not-editable");
    assertThat(body(getAs("/api/v1/applications/" + id, RESEARCHER)).get("versions")).hasSize(1);
  }

  @Test
  void aRepeatedIdempotencyKeyAnswersTheSameDraft() {
    HttpResponse<String> first = json("POST", "/api/v1/applications", RESEARCHER, COMPLETE, "create-2026-12-06-0001");
    HttpResponse<String> second = json("POST", "/api/v1/applications", RESEARCHER, COMPLETE, "create-2026-12-06-0001");
    assertThat(first.statusCode()).isEqualTo(201);
    assertThat(second.statusCode()).isEqualTo(200);
    assertThat(body(second).get("id").asString()).isEqualTo(body(first).get("id").asString());
    // another researcher's key is theirs alone
    assertThat(json("POST", "/api/v1/applications", RESEARCH_REVIEWER, null, "create-2026-12-06-0001").statusCode()).isEqualTo(201);
    assertThat(json("POST", "/api/v1/applications", RESEARCHER, null, "bad key!").statusCode()).isEqualTo(400);
  }

  @Test
  void retriesAtTheSameMomentMakeOneDraft() throws Exception {
    String token = token(RESEARCHER);
    java.util.concurrent.Callable<HttpResponse<String>> create = () -> send(java.net.http.HttpRequest.newBuilder(uri("/api/v1/applications"))
        .header("Authorization", "Bearer " + token).header("Idempotency-Key", "create-at-once-0001")
        .POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build());
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
    List<HttpResponse<String>> answers = new ArrayList<>();
    try {
      for (java.util.concurrent.Future<HttpResponse<String>> answer : pool.invokeAll(List.of(create, create, create, create))) {
        answers.add(answer.get());
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(answers).extracting(HttpResponse::statusCode).containsExactlyInAnyOrder(201, 200, 200, 200);
    assertThat(answers).extracting(a -> body(a).get("id").asString()).containsOnly(body(answers.get(0)).get("id").asString());
  }

  @Test
  void aResearcherSeesOnlyTheirOwnApplications() {
    String id = draft(RESEARCHER, COMPLETE);
    assertThat(getAs("/api/v1/applications/" + id, RESEARCH_REVIEWER).statusCode()).isEqualTo(404);
    assertThat(json("PUT", "/api/v1/applications/" + id, RESEARCH_REVIEWER, COMPLETE).statusCode()).isEqualTo(404);
    assertThat(uploadEthics(id, RESEARCH_REVIEWER, pdf(1), "application/pdf").statusCode()).isEqualTo(404);
    assertThat(json("POST", "/api/v1/applications/" + id + "/submit", RESEARCH_REVIEWER, null).statusCode()).isEqualTo(404);
    assertThat(json("POST", "/api/v1/applications/" + id + "/withdraw", RESEARCH_REVIEWER, null).statusCode()).isEqualTo(404);
    assertThat(getAs("/api/v1/applications/" + id + "/versions/1", RESEARCH_REVIEWER).statusCode()).isEqualTo(404);
    assertThat(body(getAs("/api/v1/applications", RESEARCH_REVIEWER))).noneMatch(a -> a.get("id").asString().equals(id));
    assertThat(body(getAs("/api/v1/applications", RESEARCHER))).anyMatch(a -> a.get("id").asString().equals(id));
    assertThat(body(getAs("/api/v1/notifications", RESEARCH_REVIEWER))).noneMatch(n -> n.get("applicationId").asString().equals(id));
  }

  @Test
  void onlyAReadableUnencryptedPdfWithPagesWithinTheLimitIsAnEthicsApproval() {
    String id = draft(RESEARCHER, COMPLETE);
    byte[] png = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13};
    expectRefused(uploadEthics(id, RESEARCHER, png, "application/pdf"), 415, "ethics-approval-not-pdf");
    expectRefused(uploadEthics(id, RESEARCHER, "%PDF-1.7\nthis is not a document".getBytes(), "application/pdf"), 422, "ethics-approval-unreadable");
    expectRefused(uploadEthics(id, RESEARCHER, encryptedPdf(), "application/pdf"), 422, "ethics-approval-encrypted");
    expectRefused(uploadEthics(id, RESEARCHER, pdf(0), "application/pdf"), 422, "ethics-approval-no-pages");
    expectRefused(uploadEthics(id, RESEARCHER, new byte[0], "application/pdf"), 400, "ethics-approval-empty");
    byte[] tooLarge = java.util.Arrays.copyOf(pdf(1), EthicsApprovals.MAX_BYTES + 1);
    expectRefused(uploadEthics(id, RESEARCHER, tooLarge, "application/pdf"), 413, "body-too-large");
    byte[] farTooLarge = new byte[7 * 1024 * 1024];
    assertThat(uploadEthics(id, RESEARCHER, farTooLarge, "application/pdf").statusCode()).isEqualTo(413);
    assertThat(uploadEthics(id, RESEARCHER, pdf(1), "application/octet-stream").statusCode()).isEqualTo(415);
    // nothing of the refused uploads was kept
    assertThat(body(getAs("/api/v1/applications/" + id, RESEARCHER)).get("ethicsApproval").isNull()).isTrue();
    assertThat(jdbc.queryForObject("select count(*) from ethics_document where pages = 0 or size > ?", Integer.class, EthicsApprovals.MAX_BYTES))
        .isZero();
  }

  private static void expectRefused(HttpResponse<String> response, int status, String type) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    assertThat(body(response).get("type").asString()).isEqualTo("urn:nhi-optout:problem:" + type);
  }

  @Test
  void malformedOrOversizedInputIsRefusedAtTheEdgeWithoutRepeatingIt() {
    String id = draft(RESEARCHER, null);
    assertThat(json("PUT", "/api/v1/applications/" + id, RESEARCHER, "{\"title\": ").statusCode()).isEqualTo(400);
    assertThat(json("PUT", "/api/v1/applications/" + id, RESEARCHER, "{\"cohort\": {\"from\": \"yesterday\"}}").statusCode()).isEqualTo(400);
    HttpResponse<String> tooLong = json("PUT", "/api/v1/applications/" + id, RESEARCHER, "{\"title\": \"" + "x".repeat(201) + "\"}");
    assertThat(tooLong.statusCode()).isEqualTo(400);
    assertThat(fields(tooLong)).containsExactly("title");
    HttpResponse<String> nationalId = json("PUT", "/api/v1/applications/" + id, RESEARCHER,
        "{\"cohort\": {\"diagnoses\": [\"A123456789\"]}, \"tables\": {\"A123456789\": [\"person\"]}}");
    assertThat(nationalId.statusCode()).isEqualTo(400);
    assertThat(nationalId.body()).doesNotContain("A123456789");
    assertThat(json("PUT", "/api/v1/applications/not-a-uuid", RESEARCHER, "{}").statusCode()).isEqualTo(400);
    assertThat(json("PUT", "/api/v1/applications/" + java.util.UUID.randomUUID(), RESEARCHER, "{}").statusCode()).isEqualTo(404);
    assertThat(body(getAs("/api/v1/applications/" + id, RESEARCHER)).at("/content/title").isNull()).isTrue();
  }

  @Test
  void everyEndpointNeedsItsRole() {
    assertThat(json("POST", "/api/v1/applications", null, null).statusCode()).isEqualTo(401);
    assertThat(json("POST", "/api/v1/applications", REVIEWER, null).statusCode()).isEqualTo(403);
    assertThat(getAs("/api/v1/applications", "clerk-demo").statusCode()).isEqualTo(403);
    assertThat(getAs("/api/v1/notifications", REVIEWER).statusCode()).isEqualTo(403);
    assertThat(getAs("/api/v1/reviews", RESEARCHER).statusCode()).isEqualTo(403);
    assertThat(getAs("/api/v1/data-dictionary", "citizen-demo").statusCode()).isEqualTo(403);
    JsonNode dictionary = body(getAs("/api/v1/data-dictionary", RESEARCHER));
    assertThat(dictionary.get("purposes")).extracting(JsonNode::asString).contains("academic-research");
    assertThat(dictionary.at("/tables/0/columns/0/identification").asString()).isEqualTo("identifying");
  }

  @Test
  void aWithdrawnApplicationStaysWithdrawn() {
    String id = draft(RESEARCHER, COMPLETE);
    HttpResponse<String> withdrawn = json("POST", "/api/v1/applications/" + id + "/withdraw", RESEARCHER, "{\"reason\": \"Funding ended.\"}");
    assertThat(withdrawn.statusCode()).isEqualTo(200);
    assertThat(body(withdrawn).get("status").asString()).isEqualTo("withdrawn");
    assertThat(body(withdrawn).get("turn").asString()).isEqualTo("nobody");
    assertThat(json("POST", "/api/v1/applications/" + id + "/submit", RESEARCHER, null).statusCode()).isEqualTo(409);
    assertThat(json("POST", "/api/v1/applications/" + id + "/withdraw", RESEARCHER, null).statusCode()).isEqualTo(409);
    assertThat(json("PUT", "/api/v1/applications/" + id, RESEARCHER, COMPLETE).statusCode()).isEqualTo(409);
  }
}
