package optout.portal.register;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import optout.portal.PortalIT;
import optout.portal.RunnerStandIn;
import optout.signing.DetachedSigner;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The public register through its API without a token, on real projects made through the API (approved, delivered by
 * the runner's role, an output released by two checkers, one closed; one only submitted): content, filters and every
 * bad filter, CSV with its CSVW metadata, JSON, one project by its ID, and a dated snapshot whose signature verifies
 * under the published key and breaks when one byte changes. Nothing names a person.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RegisterIT extends PortalIT {

  private static final RunnerStandIn RUNNER = new RunnerStandIn(PortalIT::testDatabase);
  private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
  private static final String DELIVERED_ORG = "Register Delivered Hospital " + RUN;
  private static final String CLOSED_ORG = "Register Closed Institute " + RUN;
  private static final String SUBMITTED_ORG = "Register Submitted College " + RUN;

  @DynamicPropertySource
  static void register(DynamicPropertyRegistry properties) {
    properties.add("optout.portal.register.signing-key", () -> RUNNER.output().resolve("keys/public-register.key").toString());
    properties.add("optout.portal.register.create-signing-key", () -> "true");
    // the test takes the snapshot itself, once the projects exist
    properties.add("optout.portal.register.first-snapshot-after", () -> "1h");
  }

  @Autowired JdbcTemplate jdbc;
  @Autowired RegisterSnapshots snapshots;

  private String delivered;
  private String closed;
  private String submittedOnly;
  private String releasedSha256;

  private String content(String organisation, String title) {
    ObjectNode form = (ObjectNode) JSON.readTree(COMPLETE);
    form.put("institution", organisation);
    form.put("title", title);
    return form.toString();
  }

  /** Drafted, ethics approval uploaded and submitted by the researcher: the application's ID. */
  private String submittedWith(String content) {
    String id = draft(RESEARCHER, content);
    assertThat(uploadEthics(id, RESEARCHER, pdf(1), "application/pdf").statusCode()).isEqualTo(200);
    HttpResponse<String> submit = json("POST", "/api/v1/applications/" + id + "/submit", RESEARCHER, null);
    assertThat(submit.statusCode()).as(submit.body()).isEqualTo(200);
    return id;
  }

  /** Approved by reviewer-demo: the project's ID. */
  private String approve(String id) {
    HttpResponse<String> approved = json("POST", "/api/v1/reviews/" + id + "/decision", REVIEWER,
        "{\"outcome\": \"approve\", \"version\": 1, \"reason\": \"Minimum necessary.\"}");
    assertThat(approved.statusCode()).as(approved.body()).isEqualTo(200);
    return "application-" + body(approved).at("/application/number").asLong();
  }

  @BeforeAll
  void projects() throws Exception {
    String first = submittedWith(content(DELIVERED_ORG, "Kidney outcomes after diabetes " + RUN));
    delivered = approve(first);
    UUID extract = jdbc.queryForObject("select id from job where application_id = ?::uuid and kind = 'extract'", UUID.class, first);
    // the runner's outcome as warehouse-jobs' WarehouseWork writes it (57 persons in the extract)
    RUNNER.run(extract, 100, "succeeded", """
        {"kind":"extract","extractId":"EX-REGISTER-%s","manifest":"/nowhere/m.json","manifestSha256":"%s","signature":"/nowhere/m.json.sig",
         "report":"/nowhere/r.json","namespace":"nhi.project_x","tables":{"enrollment":57},
         "persons":{"inCohort":60,"excluded":3,"included":57},
         "registryCheckpoint":{"origin":"registry.test/nhi-optout","size":4242,"rootHash":"cm9vdA=="},"flaggedDimensions":[]}"""
        .formatted(RUN, "c".repeat(64)));
    HttpResponse<String> output = json("POST", "/api/v1/projects/" + delivered + "/outputs", RESEARCHER,
        "{\"description\": \"People in the cohort by county.\", \"rules\": \"small-cell\", \"table\": \"county,people\\ntaipei-city,120\\nkaohsiung-city,30\\n\"}");
    assertThat(output.statusCode()).as(output.body()).isEqualTo(201);
    String outputId = body(output).get("id").asString();
    for (String checker : List.of(REVIEWER, RESEARCH_REVIEWER)) {
      HttpResponse<String> check = json("POST", "/api/v1/output-checks/" + outputId + "/decision", checker,
          "{\"outcome\": \"approve\", \"reason\": \"Checked against the rules.\"}");
      assertThat(check.statusCode()).as(check.body()).isEqualTo(200);
    }
    releasedSha256 = jdbc.queryForObject("select released_sha256 from output_release where id = ?::uuid", String.class, outputId);

    closed = approve(submittedWith(content(CLOSED_ORG, "Asthma in schoolchildren " + RUN)));
    HttpResponse<String> close = json("POST", "/api/v1/projects/" + closed + "/close", REVIEWER, "{\"reason\": \"Study finished.\"}");
    assertThat(close.statusCode()).as(close.body()).isEqualTo(200);

    String pending = submittedWith(content(SUBMITTED_ORG, "Not yet approved " + RUN));
    submittedOnly = "application-" + jdbc.queryForObject("select number from application where id = ?::uuid", Long.class, pending);
  }

  private HttpResponse<String> anonymous(String path) {
    return get(path, null);
  }

  private static String q(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  private JsonNode only(String query) {
    HttpResponse<String> answer = anonymous("/api/v1/register?" + query);
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    return body(answer);
  }

  @Test
  void anyoneReadsEveryApprovedProjectWithWhatWasReleasedAndNothingThatNamesAPerson() {
    JsonNode register = only("organisation=" + q(DELIVERED_ORG));
    assertThat(register.get("format").asString()).isEqualTo("nhi-optout-public-register/1");
    assertThat(register.get("count").asInt()).isEqualTo(1);
    JsonNode project = register.at("/projects/0");
    assertThat(project.get("id").asString()).isEqualTo(delivered);
    assertThat(project.get("title").asString()).isEqualTo("Kidney outcomes after diabetes " + RUN);
    assertThat(project.get("organisation").asString()).isEqualTo(DELIVERED_ORG);
    assertThat(project.get("laySummary").asString()).startsWith("We study how people with diabetes");
    assertThat(project.get("publicBenefit").asString()).startsWith("Better follow-up schedules");
    assertThat(project.get("purpose").asString()).isEqualTo("academic-research");
    assertThat(project.get("legalBasis").asString()).contains("Personal Data Protection Act");
    assertThat(project.at("/tables/enrollment").toString()).isEqualTo("[\"person\",\"birth_date\",\"sex\",\"county\"]");
    assertThat(project.at("/tables/outpatient_visit").size()).isEqualTo(4);
    assertThat(project.get("cohortSizeBand").asString()).isEqualTo("1-99");
    assertThat(project.get("status").asString()).isEqualTo("active");
    assertThat(project.get("approvedAt").isString()).isTrue();
    assertThat(project.get("releasedAt").isString()).isTrue();
    assertThat(project.get("closedAt").isNull()).isTrue();
    assertThat(project.get("optOutsApplied").asBoolean()).isTrue();
    assertThat(project.get("exemption").isNull()).isTrue();
    assertThat(project.at("/extract/extractId").asString()).isEqualTo("EX-REGISTER-" + RUN);
    assertThat(project.at("/extract/manifestSha256").asString()).isEqualTo("c".repeat(64));
    assertThat(project.at("/extract/registryCheckpointSize").asLong()).isEqualTo(4242);
    assertThat(project.at("/outputs").size()).isEqualTo(1);
    assertThat(project.at("/outputs/0/sha256").asString()).isEqualTo(releasedSha256);
    assertThat(project.at("/outputs/0/rules").asString()).isEqualTo("small-cell");

    // never an exact small number, nor anyone's account, nor the extract's counts
    String everything = anonymous("/api/v1/register").body();
    List<String> subjects = jdbc.queryForList("select owner_subject from application union select reviewer_subject from decision"
        + " union select checker_subject from output_check", String.class);
    assertThat(subjects).isNotEmpty().allSatisfy(subject -> assertThat(everything).doesNotContain(subject));
    assertThat(everything).doesNotContain("\"excluded\"").doesNotContain("\"included\"").doesNotContain("inCohort");

    JsonNode closedProject = only("organisation=" + q(CLOSED_ORG)).at("/projects/0");
    assertThat(closedProject.get("id").asString()).isEqualTo(closed);
    assertThat(closedProject.get("status").asString()).isEqualTo("closed");
    assertThat(closedProject.get("closedAt").isString()).isTrue();
    assertThat(closedProject.get("cohortSizeBand").isNull()).isTrue();
    assertThat(closedProject.get("extract").isNull()).isTrue();

    // one project by its stable ID; an application never approved is not in the register
    HttpResponse<String> one = anonymous("/api/v1/register/" + delivered);
    assertThat(one.statusCode()).isEqualTo(200);
    assertThat(body(one).get("title").asString()).isEqualTo(project.get("title").asString());
    assertThat(only("organisation=" + q(SUBMITTED_ORG)).get("count").asInt()).isZero();
    HttpResponse<String> notApproved = anonymous("/api/v1/register/" + submittedOnly);
    assertThat(notApproved.statusCode()).isEqualTo(404);
    assertThat(notApproved.body()).contains("not-found");
    assertThat(anonymous("/api/v1/register/application-999999999999").statusCode()).isEqualTo(404);
  }

  @Test
  void theFiltersNarrowTheRegister() {
    // the days the two projects were approved on (UTC; the same day unless the test runs across midnight)
    String first = day(only("organisation=" + q(DELIVERED_ORG)).at("/projects/0/approvedAt").asString());
    String today = day(only("organisation=" + q(CLOSED_ORG)).at("/projects/0/approvedAt").asString());
    String tomorrow = LocalDate.parse(today).plusDays(1).toString();
    assertThat(only("q=" + q("kidney OUTCOMES after diabetes " + RUN)).at("/projects/0/id").asString()).isEqualTo(delivered);
    assertThat(only("q=" + q("diabetes and high blood pressure") + "&organisation=" + q(RUN)).get("count").asInt()).isEqualTo(2);
    assertThat(only("status=closed&organisation=" + q(RUN)).at("/projects/0/id").asString()).isEqualTo(closed);
    assertThat(only("status=closed&organisation=" + q(RUN)).get("count").asInt()).isEqualTo(1);
    assertThat(only("status=active&organisation=" + q(RUN)).at("/projects/0/id").asString()).isEqualTo(delivered);
    assertThat(only("status=approved&organisation=" + q(RUN)).get("count").asInt()).isZero();
    assertThat(only("purpose=academic-research&organisation=" + q(RUN)).get("count").asInt()).isEqualTo(2);
    assertThat(only("purpose=commercial-use&organisation=" + q(RUN)).get("count").asInt()).isZero();
    assertThat(only("approvedFrom=" + first + "&approvedTo=" + today + "&organisation=" + q(RUN)).get("count").asInt()).isEqualTo(2);
    assertThat(only("approvedFrom=" + tomorrow + "&organisation=" + q(RUN)).get("count").asInt()).isZero();
    JsonNode filtered = only("purpose=academic-research&status=active&organisation=" + q(DELIVERED_ORG) + "&approvedTo=" + today);
    assertThat(filtered.at("/filters/purpose").asString()).isEqualTo("academic-research");
    assertThat(filtered.at("/filters/approvedTo").asString()).isEqualTo(today);
    // empty parameters filter nothing
    assertThat(only("purpose=&status=&organisation=" + q(DELIVERED_ORG) + "&q=").get("count").asInt()).isEqualTo(1);
  }

  private static String day(String instant) {
    return LocalDate.ofInstant(java.time.Instant.parse(instant), ZoneOffset.UTC).toString();
  }

  @Test
  void badFiltersAreRefusedWithoutRepeatingThem() {
    String[][] refused = {
      {"purpose=" + q("Academic Research!"), "purpose"},
      {"purpose=" + q("A123456789"), "purpose"},
      {"status=open", "status"},
      {"organisation=" + "x".repeat(101), "organisation"},
      {"q=" + q("line\u0000break"), "q"},
      {"q=" + q("tab\there"), "q"},
      {"approvedFrom=2026-13-01", "approvedFrom"},
      {"approvedFrom=2026-02-30", "approvedFrom"},
      {"approvedTo=yesterday", "approvedTo"},
      {"approvedFrom=2026-12-07&approvedTo=2026-12-01", "approvedTo"},
    };
    for (String[] bad : refused) {
      HttpResponse<String> answer = anonymous("/api/v1/register?" + bad[0]);
      assertThat(answer.statusCode()).as(bad[0]).isEqualTo(400);
      assertThat(answer.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
      JsonNode problem = body(answer);
      assertThat(problem.get("type").asString()).isEqualTo("urn:nhi-optout:problem:invalid-request");
      assertThat(problem.at("/errors/0/field").asString()).as(bad[0]).isEqualTo(bad[1]);
      assertThat(answer.body()).doesNotContain("A123456789").doesNotContain("Academic Research!").doesNotContain("yesterday");
      assertThat(anonymous("/api/v1/register.csv?" + bad[0]).statusCode()).as("CSV " + bad[0]).isEqualTo(400);
    }
    for (String id : List.of("application-0", "application-x", "A123456789", "application-12345678901234567890")) {
      HttpResponse<String> answer = anonymous("/api/v1/register/" + id);
      assertThat(answer.statusCode()).as(id).isEqualTo(400);
      // the problem's instance is the request's path (the platform's); its words never repeat the value
      assertThat(body(answer).get("detail").asString()).doesNotContain(id);
    }
    // only GET is open; writing is refused to anyone
    assertThat(json("POST", "/api/v1/register", null, "{}").statusCode()).isEqualTo(401);
    assertThat(json("PUT", "/api/v1/register/" + delivered, null, "{}").statusCode()).isEqualTo(401);
    assertThat(json("DELETE", "/api/v1/register/snapshots/2026-12-07", RESEARCHER, null).statusCode()).isEqualTo(403);
  }

  @Test
  void theCsvIsDescribedByItsCsvwMetadataAndFilteredLikeTheJson() {
    HttpResponse<String> csv = anonymous("/api/v1/register.csv?organisation=" + q(RUN));
    assertThat(csv.statusCode()).isEqualTo(200);
    assertThat(csv.headers().firstValue("Content-Type").orElse("")).startsWith("text/csv").containsIgnoringCase("charset=UTF-8");
    assertThat(csv.headers().firstValue("Link").orElse("")).contains("/api/v1/register.csv-metadata.json").contains("describedby");
    assertThat(csv.headers().firstValue("Content-Disposition").orElse("")).contains("public-register.csv");
    String[] lines = csv.body().split("\r\n");
    assertThat(lines).hasSize(3);
    assertThat(lines[1]).startsWith(delivered + ",Kidney outcomes after diabetes " + RUN + "," + DELIVERED_ORG + ",");
    assertThat(lines[1]).contains(",1-99,active,").contains(",true,,EX-REGISTER-" + RUN + "," + "c".repeat(64) + ",4242,1,1: " + releasedSha256);
    assertThat(lines[2]).startsWith(closed + ",").contains(",closed,");

    HttpResponse<String> metadata = anonymous("/api/v1/register.csv-metadata.json");
    assertThat(metadata.statusCode()).isEqualTo(200);
    assertThat(metadata.headers().firstValue("Content-Type").orElse("")).startsWith("application/csvm+json");
    JsonNode csvw = body(metadata);
    assertThat(csvw.at("/@context/0").asString()).isEqualTo("http://www.w3.org/ns/csvw");
    assertThat(csvw.get("url").asString()).isEqualTo("register.csv");
    assertThat(csvw.at("/tableSchema/primaryKey").asString()).isEqualTo("id");
    List<String> names = csvw.at("/tableSchema/columns").valueStream().map(c -> c.get("name").asString()).toList();
    assertThat(names).containsExactly(lines[0].split(","));
    assertThat(csvw.at("/tableSchema/columns").valueStream().map(c -> c.get("datatype").asString()))
        .allMatch(t -> List.of("string", "datetime", "boolean", "integer").contains(t));
  }

  @Test
  void aDatedSnapshotVerifiesUnderThePublishedKeyAndOneChangedByteBreaksIt() throws Exception {
    // taken by this test unless another test of this JVM's database took today's (then it may lack these projects)
    boolean ours = snapshots.takeToday();
    // taken once a day: a second call adds nothing
    assertThat(snapshots.takeToday()).isFalse();
    JsonNode listed = body(anonymous("/api/v1/register/snapshots"));
    String today = listed.get(0).get("date").asString();
    assertThat(today).isIn(LocalDate.now(ZoneOffset.UTC).toString(), LocalDate.now(ZoneOffset.UTC).minusDays(1).toString());
    assertThat(listed.get(0).get("signature").asString()).isEqualTo("/api/v1/register/snapshots/" + today + "/signature");

    HttpResponse<byte[]> content = send(HttpRequest.newBuilder(uri("/api/v1/register/snapshots/" + today)).timeout(Duration.ofSeconds(20)).GET().build(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertThat(content.statusCode()).isEqualTo(200);
    byte[] bytes = content.body();
    String signature = anonymous("/api/v1/register/snapshots/" + today + "/signature").body();
    assertThat(content.headers().firstValue("X-Signature-Ed25519").orElseThrow()).isEqualTo(signature.strip());
    assertThat(content.headers().firstValue("X-Content-SHA256").orElseThrow()).isEqualTo(RegisterSnapshots.sha256(bytes))
        .isEqualTo(listed.get(0).get("sha256").asString());
    var key = DetachedSigner.publicKey(anonymous("/api/v1/register/signing-key").body());
    assertThat(DetachedSigner.verify(key, bytes, signature)).isTrue();
    for (int i : new int[] {0, bytes.length / 2, bytes.length - 1}) {
      byte[] changed = bytes.clone();
      changed[i] ^= 0x01;
      assertThat(DetachedSigner.verify(key, changed, signature)).as("byte %d changed", i).isFalse();
    }

    JsonNode snapshot = JSON.readTree(bytes);
    assertThat(snapshot.get("format").asString()).isEqualTo("nhi-optout-public-register-snapshot/1");
    assertThat(snapshot.get("date").asString()).isEqualTo(today);
    if (ours) {
      assertThat(snapshot.get("projects").valueStream().map(p -> p.get("id").asString())).contains(delivered, closed);
    }
    assertThat(snapshot.get("projects").valueStream().map(p -> p.get("id").asString())).doesNotContain(submittedOnly);
    // canonical: keys sorted, so that two days' snapshots diff line by line once pretty-printed
    assertThat(new String(bytes, StandardCharsets.UTF_8)).startsWith("{\"date\":\"" + today + "\",\"format\":");

    // the database keeps a published snapshot as it is
    // (the portal's role may not update or delete at all; V6's trigger stops the owner too)
    assertThatThrownBy(() -> jdbc.update("update register_snapshot set projects = 0 where snapshot_date = ?", LocalDate.parse(today)))
        .isInstanceOf(org.springframework.dao.DataAccessException.class).rootCause().hasMessageContaining("permission denied");
    assertThatThrownBy(() -> jdbc.update("delete from register_snapshot where snapshot_date = ?", LocalDate.parse(today)))
        .isInstanceOf(org.springframework.dao.DataAccessException.class).rootCause().hasMessageContaining("permission denied");
    try (var owner = java.sql.DriverManager.getConnection(testDatabase().url(), testDatabase().user(), testDatabase().password());
        var statement = owner.createStatement()) {
      assertThatThrownBy(() -> statement.executeUpdate("delete from register_snapshot")).hasMessageContaining("never changes");
    }

    // a day without a snapshot, and days that are none
    assertThat(anonymous("/api/v1/register/snapshots/2001-01-01").statusCode()).isEqualTo(404);
    for (String bad : List.of("2026-13-40", "today", "2026-1-1", "A123456789")) {
      HttpResponse<String> answer = anonymous("/api/v1/register/snapshots/" + bad);
      assertThat(answer.statusCode()).as(bad).isEqualTo(400);
      assertThat(answer.body()).contains("invalid-request");
      assertThat(body(answer).get("detail").asString()).doesNotContain(bad);
    }
    assertThat(anonymous("/api/v1/register/snapshots/2026-13-40/signature").statusCode()).isEqualTo(400);
  }
}
