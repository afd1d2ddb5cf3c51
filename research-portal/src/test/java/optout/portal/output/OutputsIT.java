package optout.portal.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpResponse;
import java.util.ArrayList;
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
import tools.jackson.databind.node.ObjectNode;

/**
 * Output release and project end through the API, with real tokens: two checkers, the differencing
 * attacks, every refusal with nothing stored, and the closing of a project.
 */
class OutputsIT extends PortalIT {

  private static final String BY_COUNTY = "county,people\ntaipei-city,120\nkaohsiung-city,30\nlienchiang-county,2\n";

  @Autowired JdbcTemplate jdbc;

  /** An application of this researcher, approved by reviewer-demo: its project name. */
  private String approvedProject(String researcher) {
    String id = submitted(researcher);
    HttpResponse<String> approved = json("POST", "/api/v1/reviews/" + id + "/decision", REVIEWER,
        "{\"outcome\": \"approve\", \"version\": 1, \"reason\": \"Minimum necessary.\"}");
    assertThat(approved.statusCode()).as(approved.body()).isEqualTo(200);
    return "application-" + body(approved).at("/application/number").asLong();
  }

  private static String output(String description, String rules, String table) {
    ObjectNode node = JSON.createObjectNode();
    node.put("description", description);
    node.put("rules", rules);
    node.put("table", table);
    return node.toString();
  }

  private HttpResponse<String> submitOutput(String project, String user, String table) {
    return submitOutput(project, user, "small-cell", table, null);
  }

  private HttpResponse<String> submitOutput(String project, String user, String rules, String table, String key) {
    return json("POST", "/api/v1/projects/" + project + "/outputs", user, output("People in the cohort by county, 2022.", rules, table), key);
  }

  private HttpResponse<String> check(String outputId, String user, String outcome) {
    return json("POST", "/api/v1/output-checks/" + outputId + "/decision", user,
        "{\"outcome\": \"" + outcome + "\", \"reason\": \"Checked against the rules: " + outcome + ".\"}");
  }

  private int outputsOf(String project) {
    return jdbc.queryForObject("select count(*) from output_release o join application a on a.id = o.application_id where a.number = ?",
        Integer.class, Long.parseLong(project.substring("application-".length())));
  }

  private static String type(HttpResponse<String> response) {
    return body(response).get("type").asString().replace("urn:nhi-optout:problem:", "");
  }

  @Test
  void twoOtherReviewersCheckAnOutputAndOnlyThenIsItDownloadable() {
    String project = approvedProject(RESEARCHER);
    JsonNode open = body(getAs("/api/v1/projects/" + project, RESEARCHER));
    assertThat(open.get("status").asString()).isEqualTo("open");
    assertThat(open.get("closure").isNull()).isTrue();

    HttpResponse<String> submitted = submitOutput(project, RESEARCHER, "small-cell", BY_COUNTY, "output-key-0001");
    assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(201);
    JsonNode output = body(submitted);
    String id = output.get("id").asString();
    assertThat(output.get("number").asInt()).isEqualTo(1);
    assertThat(output.get("status").asString()).isEqualTo("awaiting-checks");
    assertThat(output.get("turn").asString()).isEqualTo("checkers");
    assertThat(output.get("releasedSha256").isNull()).isTrue();
    assertThat(submitted.headers().firstValue("Location")).contains("/api/v1/projects/" + project + "/outputs/1");
    // a retry with the same key answers the same output
    HttpResponse<String> retried = submitOutput(project, RESEARCHER, "small-cell", BY_COUNTY, "output-key-0001");
    assertThat(retried.statusCode()).isEqualTo(200);
    assertThat(body(retried).get("id").asString()).isEqualTo(id);
    assertThat(outputsOf(project)).isEqualTo(1);
    // the researcher never gets the uploaded table or the report back, and no download before two approvals
    String researcherView = getAs("/api/v1/projects/" + project + "/outputs/1", RESEARCHER).body();
    assertThat(researcherView).doesNotContain("lienchiang").doesNotContain("primary");
    HttpResponse<String> early = getAs("/api/v1/projects/" + project + "/outputs/1/released.csv", RESEARCHER);
    assertThat(early.statusCode()).isEqualTo(409);
    assertThat(type(early)).isEqualTo("not-released");

    assertThat(body(getAs("/api/v1/output-checks", REVIEWER))).anyMatch(o -> o.get("id").asString().equals(id));
    JsonNode forChecker = body(getAs("/api/v1/output-checks/" + id, REVIEWER));
    assertThat(forChecker.get("originalCsv").asString()).isEqualTo(BY_COUNTY);
    assertThat(forChecker.get("releasedCsv").asString())
        .isEqualTo("county,people\ntaipei-city,120\nkaohsiung-city,suppressed\nlienchiang-county,suppressed\nTotal,152\n");
    assertThat(forChecker.get("checkReport").asString()).contains("primary").contains("secondary");
    assertThat(forChecker.get("checkedByYou").asBoolean()).isFalse();

    HttpResponse<String> first = check(id, REVIEWER, "approve");
    assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
    assertThat(body(first).get("status").asString()).isEqualTo("awaiting-checks");
    assertThat(body(first).get("approvals").asInt()).isEqualTo(1);
    assertThat(body(first).get("checkedByYou").asBoolean()).isTrue();
    HttpResponse<String> again = check(id, REVIEWER, "approve");
    assertThat(again.statusCode()).isEqualTo(409);
    assertThat(type(again)).isEqualTo("already-checked");
    assertThat(body(getAs("/api/v1/output-checks", REVIEWER))).noneMatch(o -> o.get("id").asString().equals(id));
    assertThat(getAs("/api/v1/projects/" + project + "/outputs/1/released.csv", RESEARCHER).statusCode()).isEqualTo(409);
    // a researcher is no output checker
    assertThat(check(id, RESEARCHER, "approve").statusCode()).isEqualTo(403);

    HttpResponse<String> second = check(id, RESEARCH_REVIEWER, "approve");
    assertThat(second.statusCode()).as(second.body()).isEqualTo(200);
    assertThat(body(second).get("status").asString()).isEqualTo("released");

    HttpResponse<String> download = getAs("/api/v1/projects/" + project + "/outputs/1/released.csv", RESEARCHER);
    assertThat(download.statusCode()).isEqualTo(200);
    assertThat(download.body()).isEqualTo(forChecker.get("releasedCsv").asString());
    assertThat(download.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/csv"));
    assertThat(download.headers().firstValue("Content-Disposition")).hasValueSatisfying(v -> assertThat(v).contains("attachment"));
    assertThat(download.headers().firstValue("X-Content-SHA256")).contains(forChecker.get("releasedSha256").asString());
    JsonNode record = body(getAs("/api/v1/projects/" + project + "/outputs/1", RESEARCHER));
    assertThat(record.get("status").asString()).isEqualTo("released");
    assertThat(record.get("turn").asString()).isEqualTo("nobody");
    assertThat(record.get("releasedSha256").asString()).isEqualTo(forChecker.get("releasedSha256").asString());
    assertThat(record.get("decidedAt").isNull()).isFalse();
    assertThat(record.get("checks")).extracting(c -> c.get("outcome").asString()).containsExactly("approve", "approve");
    assertThat(record.get("checks")).allMatch(c -> c.get("reason").asString().startsWith("Checked against the rules"));
    assertThat(body(getAs("/api/v1/projects/" + project + "/outputs", RESEARCHER))).hasSize(1);
  }

  @Test
  void theDifferencingAttacksAreRefusedAndNothingIsStored() {
    String project = approvedProject(RESEARCHER);
    assertThat(submitOutput(project, RESEARCHER, BY_COUNTY).statusCode()).isEqualTo(201);

    // total minus all other cells: the same cohort without the small county shows the complement and a total 2 smaller
    HttpResponse<String> minusOne = submitOutput(project, RESEARCHER, "county,people\ntaipei-city,120\nkaohsiung-city,30\n");
    assertThat(minusOne.statusCode()).as(minusOne.body()).isEqualTo(422);
    assertThat(type(minusOne)).isEqualTo("output-differencing");
    assertThat(body(minusOne).get("errors")).extracting(e -> e.get("rule").asString()).contains("derivable", "small-difference");
    assertThat(body(minusOne).get("errors")).anyMatch(e -> e.get("message").asString()
        .startsWith("the suppressed value county=lienchiang-county of output 1 follows by subtraction"));
    assertThat(body(minusOne).get("errors")).allMatch(e -> e.get("field").asString().equals("differencing"));

    // two releases differing by a small group: nothing small in either table
    String cohort = "sex,age band,count\nfemale,0-39,40\nfemale,40-64,25\nfemale,65+,31\nmale,0-39,35\nmale,40-64,22\nmale,65+,18\n";
    HttpResponse<String> whole = submitOutput(project, RESEARCHER, cohort);
    assertThat(whole.statusCode()).as(whole.body()).isEqualTo(201);
    HttpResponse<String> less = submitOutput(project, RESEARCHER, cohort.replace("female,65+,31", "female,65+,29"));
    assertThat(less.statusCode()).isEqualTo(422);
    assertThat(body(less).get("errors")).extracting(e -> e.get("rule").asString()).containsOnly("small-difference");
    assertThat(body(less).get("errors")).anyMatch(e -> e.get("message").asString().startsWith("sex=female, age band=65+: this table and output 2"));
    assertThat(outputsOf(project)).isEqualTo(2);

    // a rejected output is not released, so it no longer counts
    String second = body(getAs("/api/v1/projects/" + project + "/outputs/2", RESEARCHER)).get("id").asString();
    assertThat(check(second, REVIEWER, "reject").statusCode()).isEqualTo(200);
    assertThat(body(getAs("/api/v1/projects/" + project + "/outputs/2", RESEARCHER)).get("status").asString()).isEqualTo("rejected");
    HttpResponse<String> late = check(second, RESEARCH_REVIEWER, "approve");
    assertThat(late.statusCode()).isEqualTo(409);
    assertThat(type(late)).isEqualTo("already-decided");
    assertThat(submitOutput(project, RESEARCHER, cohort.replace("female,65+,31", "female,65+,29")).statusCode()).isEqualTo(201);

    // OpenSAFELY's rules: 7 or fewer suppressed, the rest rounded to 5; rounded values never count as exact
    HttpResponse<String> rounded = submitOutput(project, RESEARCHER, "opensafely", "region,people\nnorth,123\nsouth,7\neast,12\nwest,0\n", null);
    assertThat(rounded.statusCode()).as(rounded.body()).isEqualTo(201);
    assertThat(body(rounded).get("threshold").asInt()).isEqualTo(8);
    assertThat(body(rounded).get("roundingBase").asInt()).isEqualTo(5);
    JsonNode roundedForChecker = body(getAs("/api/v1/output-checks/" + body(rounded).get("id").asString(), REVIEWER));
    assertThat(roundedForChecker.get("releasedCsv").asString()).isEqualTo("region,people\nnorth,125\nsouth,suppressed\neast,suppressed\nwest,0\nTotal,140\n");
    assertThat(outputsOf(project)).isEqualTo(4);
  }

  @Test
  void badInputIsRefusedClearlyAndNothingIsStored() {
    String project = approvedProject(RESEARCHER);
    String outputs = "/api/v1/projects/" + project + "/outputs";

    HttpResponse<String> unknownRules = json("POST", outputs, RESEARCHER, output("A table.", "k-anonymity", BY_COUNTY));
    assertThat(unknownRules.statusCode()).isEqualTo(400);
    assertThat(json("POST", outputs, RESEARCHER, output("", "small-cell", BY_COUNTY)).statusCode()).isEqualTo(400);
    assertThat(json("POST", outputs, RESEARCHER, "{\"description\": \"A table.\", \"rules\": \"small-cell\"}").statusCode()).isEqualTo(400);
    assertThat(json("POST", outputs, RESEARCHER, "{\"description\": ").statusCode()).isEqualTo(400);
    assertThat(json("POST", outputs, RESEARCHER, output("x".repeat(4001), "small-cell", BY_COUNTY)).statusCode()).isEqualTo(400);
    assertThat(submitOutput(project, RESEARCHER, "small-cell", BY_COUNTY, "bad key!").statusCode()).isEqualTo(400);

    HttpResponse<String> empty = submitOutput(project, RESEARCHER, "");
    assertThat(empty.statusCode()).isEqualTo(422);
    assertThat(type(empty)).isEqualTo("output-invalid");
    for (String notATable : List.of("county\ntaipei-city\n", "county,people\n", "county,people\na,-3\n", "county,people\na,\"12\n",
        "county,people\na,1.5\n", "county,people\na,10\na,12\n", "county,people\na,10\nTotal,11\n", "a,b,c,people\nx,y,z,1\n",
        "sex,band,n\nf,a,1\nm,b,2\n", "county,people\nA123456789,abc\n")) {
      HttpResponse<String> refused = submitOutput(project, RESEARCHER, notATable);
      assertThat(refused.statusCode()).as(notATable).isEqualTo(422);
      assertThat(type(refused)).isEqualTo("output-invalid");
      assertThat(body(refused).get("errors")).singleElement().satisfies(e -> assertThat(e.get("field").asString()).isEqualTo("table"));
    }
    // a list of people is no aggregate, and no refusal repeats a national ID
    for (String people : List.of("person,visits\nA123456789,12\nB223456780,15\n", "pseudonym,visits\n9123456789012,12\n")) {
      HttpResponse<String> listed = submitOutput(project, RESEARCHER, people);
      assertThat(listed.statusCode()).isEqualTo(422);
      assertThat(body(listed).get("errors")).singleElement().satisfies(e -> assertThat(e.get("rule").asString()).isEqualTo("identifier-category"));
    }
    HttpResponse<String> echoed = submitOutput(project, RESEARCHER, "county,people\nA123456789,10\nA123456789,12\n");
    assertThat(echoed.statusCode()).isEqualTo(422);
    assertThat(echoed.body()).doesNotContain("A123456789").contains("[person-id]");
    StringBuilder huge = new StringBuilder("county,people\n");
    for (int i = 0; huge.length() <= OutputRequest.MAX_BYTES; i++) {
      huge.append("county-").append(i).append(",1000\n");
    }
    HttpResponse<String> tooLarge = submitOutput(project, RESEARCHER, huge.toString());
    assertThat(tooLarge.statusCode()).isEqualTo(413);
    StringBuilder far = new StringBuilder(huge);
    while (far.length() <= 1100 * 1024) {
      far.append(huge);
    }
    assertThat(submitOutput(project, RESEARCHER, far.toString()).statusCode()).isEqualTo(413);  // stopped before it is read

    // someone else's project, no project, a malformed name, the wrong role
    assertThat(submitOutput(project, RESEARCH_REVIEWER, BY_COUNTY).statusCode()).isEqualTo(404);
    assertThat(submitOutput("application-999999999", RESEARCHER, BY_COUNTY).statusCode()).isEqualTo(404);
    assertThat(submitOutput("application-0", RESEARCHER, BY_COUNTY).statusCode()).isEqualTo(404);
    assertThat(submitOutput("extract-12", RESEARCHER, BY_COUNTY).statusCode()).isEqualTo(404);
    assertThat(submitOutput("application-1;drop", RESEARCHER, BY_COUNTY).statusCode()).isEqualTo(400);  // the firewall's refusal
    assertThat(submitOutput(project, REVIEWER, BY_COUNTY).statusCode()).isEqualTo(403);
    assertThat(json("POST", outputs, null, output("A table.", "small-cell", BY_COUNTY)).statusCode()).isEqualTo(401);
    assertThat(getAs(outputs + "/1", RESEARCHER).statusCode()).isEqualTo(404);
    assertThat(getAs(outputs + "/1", RESEARCH_REVIEWER).statusCode()).isEqualTo(404);

    // an application that is not approved is no project to release from
    String submittedOnly = submitted(RESEARCHER);
    long number = body(getAs("/api/v1/applications/" + submittedOnly, RESEARCHER)).get("number").asLong();
    HttpResponse<String> notApproved = submitOutput("application-" + number, RESEARCHER, BY_COUNTY);
    assertThat(notApproved.statusCode()).isEqualTo(409);
    assertThat(type(notApproved)).isEqualTo("project-not-approved");

    assertThat(outputsOf(project)).isZero();
    assertThat(outputsOf("application-" + number)).isZero();
  }

  @Test
  void everyRefusedUploadIsRecordedWithItsHashAndSizeNeverItsContent() throws Exception {
    String project = approvedProject(RESEARCHER);
    assertThat(submitOutput(project, RESEARCHER, BY_COUNTY).statusCode()).isEqualTo(201);  // released later: not a refusal

    String notATable = "county\ntaipei-city\n";
    assertThat(submitOutput(project, RESEARCHER, notATable).statusCode()).isEqualTo(422);
    String people = "person,visits\nA123456789,12\nB223456780,15\n";
    assertThat(submitOutput(project, RESEARCHER, people).statusCode()).isEqualTo(422);
    StringBuilder huge = new StringBuilder("county,people\n");
    for (int i = 0; huge.length() <= OutputRequest.MAX_BYTES; i++) {
      huge.append("county-").append(i).append(",1000\n");
    }
    assertThat(submitOutput(project, RESEARCHER, huge.toString()).statusCode()).isEqualTo(413);
    String minusOne = "county,people\ntaipei-city,120\nkaohsiung-city,30\n";
    assertThat(submitOutput(project, RESEARCHER, minusOne).statusCode()).isEqualTo(422);
    assertThat(submitOutput(project, RESEARCH_REVIEWER, BY_COUNTY).statusCode()).isEqualTo(404);  // not the project's researcher
    assertThat(json("POST", "/api/v1/projects/" + project + "/close", REVIEWER, "{\"reason\": \"Study finished.\"}").statusCode()).isEqualTo(200);
    assertThat(submitOutput(project, RESEARCHER, BY_COUNTY).statusCode()).isEqualTo(409);  // closed
    assertThat(submitOutput("application-999999999", RESEARCHER, BY_COUNTY).statusCode()).isEqualTo(404);
    assertThat(submitOutput("extract-A123456789", RESEARCHER, BY_COUNTY).statusCode()).isEqualTo(404);
    assertThat(outputsOf(project)).isEqualTo(1);

    // the project's record, as a reviewer sees it: every refusal, newest first, with who, why, hash and size
    JsonNode refused = body(getAs("/api/v1/projects/" + project, REVIEWER)).get("refusedOutputs");
    assertThat(refused).extracting(r -> r.get("problem").asString())
        .containsExactly("project-closed", "not-found", "output-differencing", "body-too-large", "output-invalid", "output-invalid");
    assertThat(refused).allMatch(r -> r.get("project").asString().equals(project) && r.get("rulesRequested").asString().equals("small-cell"));
    assertThat(refused.get(5).get("uploadSha256").asString()).isEqualTo(sha256(notATable));
    assertThat(refused.get(5).get("uploadSize").asInt()).isEqualTo(notATable.length());
    assertThat(refused.get(4).get("rules")).extracting(JsonNode::asString).containsExactly("identifier-category");
    assertThat(refused.get(3).get("uploadSize").asInt()).isEqualTo(huge.length());
    assertThat(refused.get(3).get("rules")).extracting(JsonNode::asString).containsExactly("too-large");
    assertThat(refused.get(2).get("rules")).extracting(JsonNode::asString).contains("derivable", "small-difference");
    assertThat(refused.get(2).get("uploadSha256").asString()).isEqualTo(sha256(minusOne));
    assertThat(refused.get(1).get("byProjectResearcher").asBoolean()).isFalse();
    assertThat(refused.get(1).get("requesterSubject").asString()).isEqualTo(subjectOf(RESEARCH_REVIEWER));
    assertThat(refused.get(0).get("byProjectResearcher").asBoolean()).isTrue();
    // never the content: nothing of the tables is kept or shown
    String stored = jdbc.queryForList("select r::text from refused_output r where r.project = ?", String.class, project).toString();
    for (String text : List.of(refused.toString(), stored)) {
      assertThat(text).doesNotContain("A123456789").doesNotContain("taipei-city").doesNotContain("county-1");
    }

    // the researcher sees their own attempts only; the checkers see every project's, also those naming no project
    JsonNode own = body(getAs("/api/v1/projects/" + project, RESEARCHER)).get("refusedOutputs");
    assertThat(own).hasSize(5).noneMatch(r -> r.get("problem").asString().equals("not-found"));
    JsonNode all = body(getAs("/api/v1/output-checks/refused", REVIEWER));
    assertThat(all).anyMatch(r -> r.get("project").asString().equals("application-999999999") && r.get("problem").asString().equals("not-found"));
    assertThat(all).anyMatch(r -> r.get("project").isNull() && r.get("uploadSha256").asString().equals(sha256(BY_COUNTY)));
    assertThat(all.toString()).doesNotContain("A123456789");
    assertThat(getAs("/api/v1/output-checks/refused", RESEARCHER).statusCode()).isEqualTo(403);
    String first = body(getAs("/api/v1/projects/" + project + "/outputs/1", RESEARCHER)).get("id").asString();
    assertThat(body(getAs("/api/v1/output-checks/" + first, RESEARCH_REVIEWER)).get("refusedOutputs")).hasSize(6);
  }

  private static String sha256(String text) {
    try {
      return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
          .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private String subjectOf(String user) {
    String payload = new String(java.util.Base64.getUrlDecoder().decode(token(user).split("\\.")[1]), java.nio.charset.StandardCharsets.UTF_8);
    return JSON.readTree(payload).get("sub").asString();
  }

  @Test
  void aRequesterNeverChecksTheirOwnOutputAndAChecksOnceEvenWhenRequestsRace() throws Exception {
    String project = approvedProject(RESEARCH_REVIEWER);
    String id = body(submitOutput(project, RESEARCH_REVIEWER, BY_COUNTY)).get("id").asString();

    assertThat(body(getAs("/api/v1/output-checks", RESEARCH_REVIEWER))).noneMatch(o -> o.get("id").asString().equals(id));
    HttpResponse<String> read = getAs("/api/v1/output-checks/" + id, RESEARCH_REVIEWER);
    assertThat(read.statusCode()).isEqualTo(403);
    assertThat(type(read)).isEqualTo("own-output");
    HttpResponse<String> own = check(id, RESEARCH_REVIEWER, "approve");
    assertThat(own.statusCode()).isEqualTo(403);
    assertThat(type(own)).isEqualTo("own-output");

    // four approvals by one checker at once: one is recorded
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Callable<Integer>> tasks = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        tasks.add(() -> check(id, REVIEWER, "approve").statusCode());
      }
      List<Integer> codes = new ArrayList<>();
      for (Future<Integer> f : pool.invokeAll(tasks)) {
        codes.add(f.get());
      }
      assertThat(codes).containsExactlyInAnyOrder(200, 409, 409, 409);
    } finally {
      pool.shutdown();
    }
    assertThat(jdbc.queryForList("select checker_subject from output_check where output_id = ?::uuid", String.class, id)).hasSize(1);
    // the database holds the line too, for the application role: no check by the requester, nothing deleted or rewritten
    assertThatThrownBy(() -> jdbc.update("""
        insert into output_check (output_id, checker_subject, outcome, reason, decided_at)
        select id, requester_subject, 'approve', 'Mine.', now() from output_release where id = ?::uuid""", id))
        .hasMessageContaining("never checked by the one who asked");
    assertThatThrownBy(() -> jdbc.update("delete from output_check where output_id = ?::uuid", id)).rootCause().hasMessageContaining("permission denied");
    assertThatThrownBy(() -> jdbc.update("update output_release set released_csv = 'x' where id = ?::uuid", id))
        .rootCause().hasMessageContaining("permission denied");
    assertThat(body(getAs("/api/v1/projects/" + project + "/outputs/1", RESEARCH_REVIEWER)).get("status").asString()).isEqualTo("awaiting-checks");
    assertThat(getAs("/api/v1/output-checks/" + java.util.UUID.randomUUID(), REVIEWER).statusCode()).isEqualTo(404);
    assertThat(json("POST", "/api/v1/output-checks/" + id + "/decision", REVIEWER, "{\"outcome\": \"maybe\", \"reason\": \"x\"}").statusCode())
        .isEqualTo(400);
    assertThat(json("POST", "/api/v1/output-checks/" + id + "/decision", REVIEWER, "{\"outcome\": \"reject\"}").statusCode()).isEqualTo(400);
  }

  @Test
  void anApproverClosesAProjectWhichQueuesTheDestructionOfItsKeysAndTables() {
    String project = approvedProject(RESEARCHER);
    String pending = body(submitOutput(project, RESEARCHER, BY_COUNTY)).get("id").asString();
    String close = "/api/v1/projects/" + project + "/close";

    assertThat(json("POST", close, RESEARCHER, "{\"reason\": \"Done.\"}").statusCode()).isEqualTo(403);
    assertThat(json("POST", close, REVIEWER, "{\"reason\": \"\"}").statusCode()).isEqualTo(400);
    assertThat(json("POST", close, REVIEWER, null).statusCode()).isEqualTo(400);
    String ownProject = approvedProject(RESEARCH_REVIEWER);
    HttpResponse<String> own = json("POST", "/api/v1/projects/" + ownProject + "/close", RESEARCH_REVIEWER, "{\"reason\": \"Mine.\"}");
    assertThat(own.statusCode()).isEqualTo(403);
    assertThat(type(own)).isEqualTo("own-project");
    String notApproved = "application-" + body(getAs("/api/v1/applications/" + submitted(RESEARCHER), RESEARCHER)).get("number").asLong();
    HttpResponse<String> early = json("POST", "/api/v1/projects/" + notApproved + "/close", REVIEWER, "{\"reason\": \"Never started.\"}");
    assertThat(early.statusCode()).isEqualTo(409);
    assertThat(type(early)).isEqualTo("project-not-approved");

    HttpResponse<String> closed = json("POST", close, REVIEWER, "{\"reason\": \"The study ended; the data retention period is over.\"}");
    assertThat(closed.statusCode()).as(closed.body()).isEqualTo(200);
    JsonNode project1 = body(closed);
    assertThat(project1.get("status").asString()).isEqualTo("closed");
    assertThat(project1.at("/closure/reason").asString()).isEqualTo("The study ended; the data retention period is over.");
    assertThat(project1.at("/closure/closedAt").isNull()).isFalse();
    assertThat(project1.at("/closure/job/status").asString()).isEqualTo("queued");
    assertThat(jdbc.queryForList("select kind || ' ' || status || ' ' || project from job where id = ?::uuid", String.class,
        project1.at("/closure/job/id").asString())).containsExactly("close queued " + project);

    HttpResponse<String> twice = json("POST", close, RESEARCH_REVIEWER, "{\"reason\": \"Again.\"}");
    assertThat(twice.statusCode()).isEqualTo(409);
    assertThat(type(twice)).isEqualTo("project-closed");
    assertThat(jdbc.queryForObject("select count(*) from job where kind = 'close' and project = ?", Integer.class, project)).isEqualTo(1);
    assertThatThrownBy(() -> jdbc.update("""
        insert into job (id, kind, application_id, version, project, purpose, spec, spec_sha256, queued_at)
        select gen_random_uuid(), 'shred-everything', application_id, version, project, purpose, spec, spec_sha256, now()
        from job where kind = 'close' and project = ?""", project)).hasMessageContaining("job_kind_check");

    // the researcher sees when; nothing more leaves the project
    JsonNode seen = body(getAs("/api/v1/projects/" + project, RESEARCHER));
    assertThat(seen.get("status").asString()).isEqualTo("closed");
    assertThat(seen.at("/closure/closedAt").asString()).isEqualTo(project1.at("/closure/closedAt").asString());
    HttpResponse<String> after = submitOutput(project, RESEARCHER, "sex,people\nfemale,100\nmale,90\n");
    assertThat(after.statusCode()).isEqualTo(409);
    assertThat(type(after)).isEqualTo("project-closed");
    HttpResponse<String> lateCheck = check(pending, REVIEWER, "approve");
    assertThat(lateCheck.statusCode()).isEqualTo(409);
    assertThat(type(lateCheck)).isEqualTo("project-closed");
    assertThat(body(getAs("/api/v1/output-checks", REVIEWER))).noneMatch(o -> o.get("id").asString().equals(pending));
    assertThat(outputsOf(project)).isEqualTo(1);
    assertThat(getAs("/api/v1/projects/" + project, RESEARCH_REVIEWER).statusCode()).isEqualTo(200);  // a reviewer reads any project
    assertThat(getAs("/api/v1/projects/" + notApproved, REVIEWER).statusCode()).isEqualTo(404);
  }
}
