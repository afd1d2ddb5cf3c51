package optout.portal.review;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import optout.portal.PortalIT;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/** The reviewers' side, with real tokens: queue, checklist, comments, request changes, versions and diff, decisions once. */
class ReviewsIT extends PortalIT {

  @Autowired JdbcTemplate jdbc;

  private HttpResponse<String> decide(String id, String user, String outcome, int version, String reason) {
    return json("POST", "/api/v1/reviews/" + id + "/decision", user,
        "{\"outcome\": \"" + outcome + "\", \"version\": " + version + ", \"reason\": \"" + reason + "\"}");
  }

  @Test
  void changesAreRequestedAnsweredInANewVersionAndTheApprovalQueuesTheExtract() {
    String id = submitted(RESEARCHER);
    JsonNode queue = body(getAs("/api/v1/reviews", REVIEWER));
    assertThat(queue).anyMatch(a -> a.get("id").asString().equals(id) && a.get("turn").asString().equals("reviewer"));

    JsonNode review = body(getAs("/api/v1/reviews/" + id, REVIEWER));
    assertThat(review.get("minimumNecessary")).extracting(c -> c.get("table").asString() + "." + c.get("column").asString())
        .containsExactly("enrollment.person", "enrollment.birth_date", "outpatient_visit.person", "outpatient_visit.visit_date");
    assertThat(review.get("minimumNecessary")).allMatch(c -> c.get("justification").asString().length() >= 20);
    assertThat(review.at("/application/turn").asString()).isEqualTo("reviewer");

    assertThat(json("POST", "/api/v1/reviews/" + id + "/comments", REVIEWER,
        "{\"visibility\": \"reviewer-only\", \"body\": \"Check the IRB number with the committee.\"}").statusCode()).isEqualTo(200);
    assertThat(json("POST", "/api/v1/reviews/" + id + "/comments", REVIEWER,
        "{\"visibility\": \"shown-to-researcher\", \"body\": \"Please narrow the age range.\"}").statusCode()).isEqualTo(200);

    HttpResponse<String> changes = decide(id, REVIEWER, "request-changes", 1, "The age range is wider than the question needs.");
    assertThat(changes.statusCode()).as(changes.body()).isEqualTo(200);
    assertThat(body(changes).at("/application/status").asString()).isEqualTo("changes-requested");
    assertThat(body(changes).at("/application/turn").asString()).isEqualTo("researcher");
    assertThat(body(changes).get("extractJob").isNull()).isTrue();

    JsonNode seen = body(getAs("/api/v1/applications/" + id, RESEARCHER));
    assertThat(seen.get("turn").asString()).isEqualTo("researcher");
    assertThat(seen.get("comments")).extracting(c -> c.get("body").asString()).containsExactly("Please narrow the age range.");
    assertThat(seen.toString()).doesNotContain("Check the IRB number");
    assertThat(seen.get("decisions")).extracting(d -> d.get("reason").asString()).containsExactly("The age range is wider than the question needs.");
    // a decided version cannot be decided again, even by a second request for changes
    assertThat(decide(id, REVIEWER, "approve", 1, "Fine.").statusCode()).isEqualTo(409);

    HttpResponse<String> edited = json("PUT", "/api/v1/applications/" + id, RESEARCHER, COMPLETE.replace("\"maxAge\": 90", "\"maxAge\": 75"));
    assertThat(edited.statusCode()).isEqualTo(200);
    assertThat(body(edited).get("version").asInt()).isEqualTo(2);
    assertThat(body(edited).get("status").asString()).isEqualTo("changes-requested");
    // the second edit changes the same new version; version 1 stays as submitted
    json("PUT", "/api/v1/applications/" + id, RESEARCHER, COMPLETE.replace("\"maxAge\": 90", "\"maxAge\": 70"));
    assertThat(body(getAs("/api/v1/applications/" + id, RESEARCHER)).get("versions")).hasSize(2);
    JsonNode first = body(getAs("/api/v1/applications/" + id + "/versions/1", RESEARCHER));
    assertThat(first.at("/content/cohort/maxAge").asInt()).isEqualTo(90);
    assertThat(first.get("turn").asString()).isEqualTo("researcher");
    assertThat(first.at("/ethicsApproval/pages").asInt()).isEqualTo(2);
    // the reviewers do not see an unsubmitted edit
    assertThat(body(getAs("/api/v1/reviews/" + id, REVIEWER)).at("/application/versions")).hasSize(1);

    assertThat(json("POST", "/api/v1/applications/" + id + "/submit", RESEARCHER, null).statusCode()).isEqualTo(200);
    JsonNode diff = body(getAs("/api/v1/reviews/" + id + "/diff?from=1&to=2", REVIEWER));
    assertThat(diff.get("turn").asString()).isEqualTo("reviewer");
    assertThat(diff.get("changes")).singleElement().satisfies(c -> {
      assertThat(c.get("field").asString()).isEqualTo("cohort.maxAge");
      assertThat(c.get("before").asString()).isEqualTo("90");
      assertThat(c.get("after").asString()).isEqualTo("70");
    });

    assertThat(decide(id, REVIEWER, "approve", 1, "Old version.").statusCode()).isEqualTo(409);
    HttpResponse<String> approved = decide(id, REVIEWER, "approve", 2, "Minimum necessary; ethics approval in order.");
    assertThat(approved.statusCode()).as(approved.body()).isEqualTo(200);
    JsonNode decided = body(approved);
    assertThat(decided.at("/application/status").asString()).isEqualTo("approved");
    assertThat(decided.at("/application/turn").asString()).isEqualTo("nobody");
    assertThat(decided.at("/application/approval/version").asInt()).isEqualTo(2);
    assertThat(decided.at("/application/approval/purpose").asString()).isEqualTo("academic-research");
    String specSha = jdbc.queryForObject("select spec_sha256 from application_version where application_id = ?::uuid and version = 2", String.class, id);
    assertThat(decided.at("/application/approval/specSha256").asString()).isEqualTo(specSha);
    assertThat(jdbc.queryForList("select status || ' ' || kind || ' ' || version || ' ' || spec_sha256 from job where application_id = ?::uuid", String.class, id))
        .containsExactly("queued extract 2 " + specSha);
    assertThat(jdbc.queryForObject("select id::text from job where application_id = ?::uuid", String.class, id))
        .isEqualTo(decided.get("extractJob").asString());

    assertThat(decide(id, REVIEWER, "approve", 2, "Again.").statusCode()).isEqualTo(409);
    HttpResponse<String> reject = decide(id, REVIEWER, "reject", 2, "Changed my mind.");
    assertThat(reject.statusCode()).isEqualTo(409);
    assertThat(body(reject).get("type").asString()).isEqualTo("urn:nhi-optout:problem:already-decided");
    assertThat(json("POST", "/api/v1/applications/" + id + "/withdraw", RESEARCHER, null).statusCode()).isEqualTo(409);

    assertThat(body(getAs("/api/v1/notifications", RESEARCHER)))
        .filteredOn(n -> n.get("applicationId").asString().equals(id))
        .extracting(n -> n.get("toStatus").asString())
        .containsExactly("approved", "submitted", "changes-requested", "submitted", "draft");
    assertThat(body(getAs("/api/v1/reviews", REVIEWER))).noneMatch(a -> a.get("id").asString().equals(id));
  }

  @Test
  void aReviewerCannotReviewTheirOwnApplication() {
    String own = submitted(RESEARCH_REVIEWER);
    assertThat(body(getAs("/api/v1/reviews", RESEARCH_REVIEWER))).noneMatch(a -> a.get("id").asString().equals(own));
    HttpResponse<String> read = getAs("/api/v1/reviews/" + own, RESEARCH_REVIEWER);
    assertThat(read.statusCode()).isEqualTo(403);
    assertThat(body(read).get("type").asString()).isEqualTo("urn:nhi-optout:problem:own-application");
    assertThat(decide(own, RESEARCH_REVIEWER, "approve", 1, "Looks good to me.").statusCode()).isEqualTo(403);
    assertThat(json("POST", "/api/v1/reviews/" + own + "/comments", RESEARCH_REVIEWER,
        "{\"visibility\": \"reviewer-only\", \"body\": \"Mine.\"}").statusCode()).isEqualTo(403);
    assertThat(getAs("/api/v1/reviews/" + own + "/diff?from=1&to=1", RESEARCH_REVIEWER).statusCode()).isEqualTo(403);
    assertThat(jdbc.queryForObject("select count(*) from decision where application_id = ?::uuid", Integer.class, own)).isZero();
    // another reviewer may, and the same person may review someone else's
    assertThat(getAs("/api/v1/reviews/" + own, REVIEWER).statusCode()).isEqualTo(200);
    String other = submitted(RESEARCHER);
    assertThat(getAs("/api/v1/reviews/" + other, RESEARCH_REVIEWER).statusCode()).isEqualTo(200);
  }

  @Test
  void twoApprovalsAtOnceMakeOneDecisionAndOneJob() throws Exception {
    String id = submitted(RESEARCHER);
    String reviewer = token(REVIEWER);
    Callable<Integer> approve = () -> send(java.net.http.HttpRequest.newBuilder(uri("/api/v1/reviews/" + id + "/decision"))
        .header("Authorization", "Bearer " + reviewer).header("Content-Type", "application/json")
        .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"outcome\": \"approve\", \"version\": 1, \"reason\": \"Fine.\"}")).build())
        .statusCode();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Integer>> answers = pool.invokeAll(List.of(approve, approve, approve, approve));
      List<Integer> statuses = new java.util.ArrayList<>();
      for (Future<Integer> answer : answers) {
        statuses.add(answer.get());
      }
      assertThat(statuses).containsExactlyInAnyOrder(200, 409, 409, 409);
    } finally {
      pool.shutdownNow();
    }
    assertThat(jdbc.queryForObject("select count(*) from job where application_id = ?::uuid", Integer.class, id)).isEqualTo(1);
    assertThat(jdbc.queryForObject("select count(*) from decision where application_id = ?::uuid", Integer.class, id)).isEqualTo(1);
    assertThat(jdbc.queryForObject("select count(*) from status_change where application_id = ?::uuid and to_status = 'approved'",
        Integer.class, id)).isEqualTo(1);
  }

  @Test
  void badReviewInputIsRefusedAndNothingIsStored() {
    String id = submitted(RESEARCHER);
    assertThat(decide(id, REVIEWER, "maybe", 1, "Hmm.").statusCode()).isEqualTo(400);
    assertThat(decide(id, REVIEWER, "approve", 1, " ").statusCode()).isEqualTo(400);
    assertThat(json("POST", "/api/v1/reviews/" + id + "/decision", REVIEWER, "{\"outcome\": \"approve\", \"reason\": \"No version.\"}")
        .statusCode()).isEqualTo(400);
    assertThat(decide(id, REVIEWER, "approve", 7, "Wrong version.").statusCode()).isEqualTo(409);
    assertThat(json("POST", "/api/v1/reviews/" + id + "/comments", REVIEWER, "{\"visibility\": \"public\", \"body\": \"x\"}").statusCode())
        .isEqualTo(400);
    assertThat(json("POST", "/api/v1/reviews/" + id + "/comments", REVIEWER,
        "{\"visibility\": \"reviewer-only\", \"body\": \"" + "x".repeat(4001) + "\"}").statusCode()).isEqualTo(400);
    assertThat(getAs("/api/v1/reviews/" + id + "/diff?from=1&to=9", REVIEWER).statusCode()).isEqualTo(404);
    assertThat(jdbc.queryForObject("select count(*) from decision where application_id = ?::uuid", Integer.class, id)).isZero();
    assertThat(jdbc.queryForObject("select count(*) from review_comment where application_id = ?::uuid", Integer.class, id)).isZero();
    assertThat(body(getAs("/api/v1/reviews/" + id, REVIEWER)).at("/application/status").asString()).isEqualTo("submitted");

    // a draft that was never submitted is not the reviewers' business
    String draft = draft(RESEARCHER, COMPLETE);
    assertThat(getAs("/api/v1/reviews/" + draft, REVIEWER).statusCode()).isEqualTo(404);
    assertThat(decide(draft, REVIEWER, "approve", 1, "Sneaky.").statusCode()).isEqualTo(404);
    assertThat(getAs("/api/v1/reviews/" + java.util.UUID.randomUUID(), REVIEWER).statusCode()).isEqualTo(404);
  }

  @Test
  void theReviewerReadsTheEthicsApprovalOfASubmittedVersion() {
    String id = submitted(RESEARCHER);
    HttpResponse<byte[]> pdf = send(java.net.http.HttpRequest.newBuilder(uri("/api/v1/reviews/" + id + "/versions/1/ethics-approval"))
        .header("Authorization", "Bearer " + token(REVIEWER)).build(), HttpResponse.BodyHandlers.ofByteArray());
    assertThat(pdf.statusCode()).isEqualTo(200);
    assertThat(new String(pdf.body(), 0, 5, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("%PDF-");
    assertThat(pdf.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
  }
}
