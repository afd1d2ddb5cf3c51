package optout.registry.exclusion;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import optout.platform.testing.TestKeycloak;
import optout.platform.testing.TestKeys;
import optout.pseudonymizer.custody.KeyCustody;
import optout.pseudonymizer.id.PersonId;
import optout.registry.RegistryIT;
import optout.registry.log.CheckpointVerifier;
import optout.registry.log.Ed25519NoteVerifier;
import optout.registry.snapshot.ExclusionSnapshot;
import optout.registry.snapshot.Manifest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/**
 * The bulk check and exclusion snapshots, against opt-outs filed through the API: who is left out of a
 * purpose is the fold of their events up to the checkpoint, with "all secondary use" covering every
 * purpose and withdrawals restoring use.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExclusionIT extends RegistryIT {

  /** Academic research; all secondary use; commercial use; opted out then withdrew; never opted out. */
  private static final List<String> PEOPLE = List.of("T100000016", "T200000027", "U100000035", "U200000046", "V100000054");

  @Autowired private JdbcTemplate jdbc;
  @TempDir Path directory;
  private final Map<String, Long> pseudonyms = new java.util.HashMap<>();

  @BeforeAll
  void fileOptOuts() throws Exception {
    try (KeyCustody custody = TestKeys.open()) {
      for (String id : PEOPLE) {
        pseudonyms.put(id, custody.warehousePseudonymizer().pseudonym(PersonId.parse(id)));
      }
    }
    file("opt-out-filed", "T100000016", "academic-research");
    file("opt-out-filed", "T200000027", "all-secondary-use");
    file("opt-out-filed", "U100000035", "commercial-use");
    file("opt-out-filed", "U200000046", "academic-research");
    file("opt-out-withdrawn", "U200000046", "academic-research");
    awaitSigned();
    // the releasing service may invoke this exemption once an auditor granted it (ExemptionIT tests the grants)
    HttpResponse<String> granted = post("/api/v1/exemptions/communicable-disease-control/grants", token("auditor-demo"), null,
        "{\"grantee\": \"optout-portal\", \"approvalReference\": \"ExclusionIT: approval letter 1\"}");
    assertThat(granted.statusCode()).as(granted.body()).isIn(201, 400);
    assertThat(get("/api/v1/exemptions", null).body()).contains("\"grantedTo\":[\"optout-portal\"]");
  }

  private void file(String type, String id, String scope) {
    HttpResponse<String> response = file(key(), filing(type, id, "\"" + scope + "\"", "counter", ""));
    assertThat(response.statusCode()).as(response.body()).isIn(201, 409);
  }

  private long awaitSigned() throws InterruptedException {
    for (int i = 0; i < 200; i++) {
      // the log holds records (scope rules, exemption decisions) besides events: count events not yet signed
      Long unsigned = jdbc.queryForObject("""
          select count(*) from registry_event e left join log_leaf l on l.event_seq = e.seq
          where (l.log_index is null or l.log_index >= coalesce((select max(tree_size) from log_checkpoint), 0))
            and not exists (select 1 from registry_alert a where a.kind = 'unauthenticated-event' and (a.detail ->> 'seq')::bigint = e.seq)""",
          Long.class);
      if (unsigned == 0) {
        return jdbc.queryForObject("select coalesce(max(tree_size), 0) from log_checkpoint", Long.class);
      }
      Thread.sleep(50);
    }
    throw new AssertionError("the log did not sign every event within 10 s");
  }

  private HttpResponse<String> bulk(String token, String query, String body) {
    return send(HttpRequest.newBuilder(uri(BulkCheckController.PATH + query)).timeout(Duration.ofSeconds(60))
        .header("Authorization", "Bearer " + token).header("Content-Type", "text/plain")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build());
  }

  private String lines(String... ids) {
    return Arrays.stream(ids).map(id -> pseudonyms.get(id) + "\n").collect(Collectors.joining());
  }

  @Test
  void theBulkCheckReturnsThoseWhoMayBeUsed() {
    String releaser = TestKeycloak.get().serviceAccountToken("optout-portal");
    HttpResponse<String> academic = bulk(releaser, "?purpose=academic-research", lines(PEOPLE.toArray(String[]::new)));
    assertThat(academic.statusCode()).as(academic.body()).isEqualTo(200);
    assertThat(academic.headers().firstValue("Registry-Checkpoint").map(Long::parseLong)).hasValueSatisfying(size -> assertThat(size).isPositive());
    assertThat(academic.body()).isEqualTo(lines("U100000035", "U200000046", "V100000054"));

    HttpResponse<String> commercial = bulk(releaser, "?purpose=commercial-use", lines(PEOPLE.toArray(String[]::new)));
    assertThat(commercial.body()).isEqualTo(lines("T100000016", "U200000046", "V100000054"));

    HttpResponse<String> mandated = bulk(releaser, "?purpose=government-statistics&exemption=communicable-disease-control",
        lines(PEOPLE.toArray(String[]::new)));
    assertThat(mandated.body()).as("a use the law mandates excludes nobody").isEqualTo(lines(PEOPLE.toArray(String[]::new)));
  }

  @Test
  void oneMillionPseudonymsInOneCall() {
    StringBuilder body = new StringBuilder(12_000_000);
    LongStream.range(0, 999_995).forEach(i -> body.append(10_000_000_000L + i * 7919).append('\n'));
    body.append(lines(PEOPLE.toArray(String[]::new)));
    HttpResponse<String> answer = bulk(token("auditor-demo"), "?purpose=academic-research", body.toString());
    assertThat(answer.statusCode()).isEqualTo(200);
    long returned = answer.body().lines().count();
    assertThat(returned).isEqualTo(1_000_000 - 2);
    assertThat(answer.body()).doesNotContain(pseudonyms.get("T100000016") + "\n").doesNotContain(pseudonyms.get("T200000027") + "\n");
  }

  @Test
  void badInputAndWrongCallersAreRefused() {
    String releaser = TestKeycloak.get().serviceAccountToken("optout-portal");
    HttpResponse<String> badLine = bulk(releaser, "?purpose=academic-research", lines("T100000016", "U100000035") + "A123456789\n");
    assertThat(badLine.statusCode()).isEqualTo(400);
    assertThat(json(badLine).get("detail").asString()).isEqualTo("Line 3 is not a warehouse pseudonym (11 digits, the first a 1); nothing was checked");
    assertThat(badLine.body()).doesNotContain("A123456789");
    assertThat(bulk(releaser, "?purpose=astrology", lines("T100000016")).statusCode()).isEqualTo(400);
    HttpResponse<String> wrongExemption = bulk(releaser, "?purpose=academic-research&exemption=communicable-disease-control", lines("T100000016"));
    assertThat(wrongExemption.statusCode()).isEqualTo(400);
    assertThat(json(wrongExemption).get("detail").asString()).isEqualTo("Legal exemption communicable-disease-control does not cover academic-research");
    assertThat(bulk(token("researcher-demo"), "?purpose=academic-research", lines("T100000016")).statusCode()).isEqualTo(403);
    assertThat(bulk(token("clerk-demo"), "?purpose=academic-research", lines("T100000016")).statusCode()).isEqualTo(403);
    assertThat(bulk(token("citizen-demo"), "?purpose=academic-research", lines("T100000016")).statusCode()).isEqualTo(403);
  }

  @Test
  void aSnapshotIsTheSetAtItsCheckpointSignedAndVerifiable() throws Exception {
    String releaser = TestKeycloak.get().serviceAccountToken("optout-portal");
    HttpResponse<String> made = post(SnapshotController.SNAPSHOTS, releaser, null, "{\"purpose\": \"academic-research\"}");
    assertThat(made.statusCode()).as(made.body()).isIn(200, 201);
    JsonNode snapshot = json(made);
    String verifierKey = get("/api/v1/log/verifier-key", null).body().strip();
    Manifest manifest = Manifest.verify(snapshot.get("manifest").asString(), Ed25519NoteVerifier.fromVerifierKey(verifierKey));
    manifest.requireCheckpoint(new CheckpointVerifier("localhost/nhi-optout-registry", Ed25519NoteVerifier.fromVerifierKey(verifierKey))
        .verify(get("/api/v1/log/checkpoints/" + snapshot.get("checkpoint").asLong(), null).body()));

    HttpResponse<byte[]> file = send(HttpRequest.newBuilder(uri(snapshot.get("file").asString()))
        .header("Authorization", "Bearer " + releaser).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    assertThat(file.statusCode()).isEqualTo(200);
    Path parquet = directory.resolve("snapshot.parquet");
    Files.write(parquet, file.body());
    assertThat(ExclusionSnapshot.verify(parquet, manifest).count()).isEqualTo(manifest.count());
    Set<Long> excluded = ExclusionSnapshot.read(parquet).boxed().collect(Collectors.toSet());
    assertThat(excluded).contains(pseudonyms.get("T100000016"), pseudonyms.get("T200000027"))
        .doesNotContain(pseudonyms.get("U100000035"), pseudonyms.get("U200000046"), pseudonyms.get("V100000054"));

    HttpResponse<String> again = post(SnapshotController.SNAPSHOTS, releaser, null, "{\"purpose\": \"academic-research\", \"checkpoint\": "
        + snapshot.get("checkpoint").asLong() + "}");
    assertThat(again.statusCode()).isEqualTo(200);
    assertThat(json(again).get("fileSha256")).isEqualTo(snapshot.get("fileSha256"));

    // The registry signed the empty tree at its first start: as of checkpoint 0 nobody is excluded.
    HttpResponse<String> empty = post(SnapshotController.SNAPSHOTS, releaser, null, "{\"purpose\": \"academic-research\", \"checkpoint\": 0}");
    assertThat(empty.statusCode()).as(empty.body()).isIn(200, 201);
    assertThat(json(empty).get("id").asString()).isEqualTo("academic-research@0");
    assertThat(json(empty).get("count").asLong()).isZero();
    HttpResponse<String> unsigned = post(SnapshotController.SNAPSHOTS, releaser, null, "{\"purpose\": \"academic-research\", \"checkpoint\": "
        + (snapshot.get("checkpoint").asLong() + 1_000_000) + "}");
    assertThat(unsigned.statusCode()).isEqualTo(400);
    assertThat(json(unsigned).get("detail").asString())
        .isEqualTo("No checkpoint was signed at tree size " + (snapshot.get("checkpoint").asLong() + 1_000_000));
    assertThat(post(SnapshotController.SNAPSHOTS, token("researcher-demo"), null, "{\"purpose\": \"academic-research\"}").statusCode()).isEqualTo(403);
    assertThat(post(SnapshotController.SNAPSHOTS, releaser, null, "{\"purpose\": \"Academic Research\"}").statusCode()).isEqualTo(400);
    assertThat(get(SnapshotController.SNAPSHOTS + "/academic-research@999999/file", releaser).statusCode()).isEqualTo(404);
  }
}
