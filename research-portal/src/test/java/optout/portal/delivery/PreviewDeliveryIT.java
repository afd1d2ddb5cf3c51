package optout.portal.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.UUID;
import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import optout.portal.PortalIT;
import optout.portal.RunnerStandIn;
import optout.registry.log.Checkpoint;
import optout.registry.log.CheckpointSigner;
import optout.registry.log.Ed25519CosignatureSigner;
import optout.registry.log.Ed25519NoteSigner;
import optout.registry.log.Hash;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The portal's side of preview, delivery and scheduled propagation, with real tokens and the real job
 * table: the researcher asks, a job is queued; the warehouse runner's part is played here through the
 * runner's own database role (claim, progress, finish, exactly what V2 grants it), with a manifest signed
 * by an Ed25519 key as the warehouse's. The runner itself is tested in warehouse-jobs (RunnerCrashIT).
 */
class PreviewDeliveryIT extends PortalIT {

  private static final RunnerStandIn RUNNER = new RunnerStandIn(PortalIT::testDatabase);
  // the registry's public log as the portal reads it: signed checkpoints by size, served on a loopback port
  private static final String ORIGIN = "registry.test/nhi-optout";
  private static final Ed25519NoteSigner LOG_KEY = Ed25519NoteSigner.generate(ORIGIN);
  private static final Ed25519CosignatureSigner WITNESS_KEY = Ed25519CosignatureSigner.generate("witness.test");
  private static final Map<Long, String> PUBLISHED = new ConcurrentHashMap<>();
  private static final HttpServer REGISTRY = registry();


  @DynamicPropertySource
  static void warehouse(DynamicPropertyRegistry properties) {
    properties.add("optout.portal.warehouse-output", () -> RUNNER.output().toString());
    properties.add("optout.portal.manifest-public-key", () -> RUNNER.publicKey().toString());
    properties.add("optout.portal.propagation-interval", () -> "1s");
    properties.add("optout.portal.registry-log.url", () -> "http://127.0.0.1:" + REGISTRY.getAddress().getPort());
    properties.add("optout.portal.registry-log.origin", () -> ORIGIN);
    properties.add("optout.portal.registry-log.verifier-key", LOG_KEY::verifierKey);
    properties.add("optout.portal.registry-log.witness-verifier-key", WITNESS_KEY::verifierKey);
  }
  private static HttpServer registry() {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      server.createContext("/api/v1/log/checkpoints/", exchange -> {
        String size = exchange.getRequestURI().getPath().substring("/api/v1/log/checkpoints/".length());
        String note = size.matches("[0-9]{1,18}") ? PUBLISHED.get(Long.parseLong(size)) : null;
        byte[] body = (note == null ? "not found" : note).getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(note == null ? 404 : 200, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
      });
      server.start();
      return server;
    } catch (java.io.IOException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  @AfterAll
  static void stopRegistry() {
    REGISTRY.stop(0);
  }


  @Autowired JdbcTemplate jdbc;

  private Connection runner() throws Exception {
    return DriverManager.getConnection(testDatabase().url(), testDatabase().user() + "_runner", testDatabase().password());
  }

  private void run(UUID job, int progress, String status, String outcome) throws Exception {
    RUNNER.run(job, progress, status, outcome);
  }

  private UUID latestJob(String applicationId, String kind) {
    return jdbc.queryForObject("select id from job where application_id = ?::uuid and kind = ? order by queued_at desc limit 1", UUID.class,
        applicationId, kind);
  }

  @Test
  void aResearcherAsksForAPreviewOfTheirDraftSeesItRunAndItsResult() throws Exception {
    String id = draft(RESEARCHER, COMPLETE);
    HttpResponse<String> asked = json("POST", "/api/v1/applications/" + id + "/preview", RESEARCHER, null);
    assertThat(asked.statusCode()).as(asked.body()).isEqualTo(202);
    assertThat(body(asked).get("status").asString()).isEqualTo("queued");
    // asking again while it waits answers the same preview
    HttpResponse<String> again = json("POST", "/api/v1/applications/" + id + "/preview", RESEARCHER, null);
    assertThat(again.statusCode()).isEqualTo(200);
    assertThat(body(again).get("job").asString()).isEqualTo(body(asked).get("job").asString());

    // another spec while it waits: one preview at a time
    assertThat(json("PUT", "/api/v1/applications/" + id, RESEARCHER, COMPLETE.replace("\"minAge\": 40", "\"minAge\": 50")).statusCode()).isEqualTo(200);
    HttpResponse<String> other = json("POST", "/api/v1/applications/" + id + "/preview", RESEARCHER, null);
    assertThat(other.statusCode()).as(other.body()).isEqualTo(409);
    assertThat(other.body()).contains("preview-under-way");
    assertThat(jdbc.queryForObject("select count(*) from job where application_id = ?::uuid", Integer.class, id)).isEqualTo(1);

    UUID job = latestJob(id, "preview");
    assertThat(jdbc.queryForObject("select spec from job where id = ?", String.class, job)).contains("\"project\":\"application-");
    run(job, 40, null, null);
    JsonNode running = body(getAs("/api/v1/applications/" + id + "/preview", RESEARCHER));
    assertThat(running.get("status").asString()).isEqualTo("running");
    assertThat(running.get("progress").asInt()).isEqualTo(40);
    assertThat(running.get("result").isNull()).isTrue();

    run(job, 90, "succeeded", """
        {"kind":"preview","cohort":1230,"optedOut":null,"remaining":1220,"rule":"counts from 1 to 10 are suppressed (null), others rounded to the nearest 10",
         "representativeness":{"flagThreshold":0.1,"flaggedDimensions":["county"],"dimensions":[]}}""");
    JsonNode done = body(getAs("/api/v1/applications/" + id + "/preview", RESEARCHER));
    assertThat(done.get("status").asString()).isEqualTo("succeeded");
    assertThat(done.at("/result/cohort").asLong()).isEqualTo(1230);
    assertThat(done.at("/result/optedOut").isNull()).isTrue();
    assertThat(done.at("/result/representativeness/flaggedDimensions/0").asString()).isEqualTo("county");
  }

  @Test
  void aReviewerSeesTheNewestPreviewOfTheVersionUnderReviewNeverTheirOwn() throws Exception {
    String id = draft(RESEARCHER, COMPLETE);
    assertThat(getAs("/api/v1/reviews/" + id + "/preview", REVIEWER).statusCode()).as("a draft is the researcher's business").isEqualTo(404);
    assertThat(json("POST", "/api/v1/applications/" + id + "/preview", RESEARCHER, null).statusCode()).isEqualTo(202);
    run(latestJob(id, "preview"), 50, "succeeded", """
        {"kind":"preview","cohort":480,"optedOut":null,"remaining":470,"representativeness":{"flagThreshold":0.1,"flaggedDimensions":[],"dimensions":[]}}""");
    assertThat(uploadEthics(id, RESEARCHER, pdf(1), "application/pdf").statusCode()).isEqualTo(200);
    assertThat(json("POST", "/api/v1/applications/" + id + "/submit", RESEARCHER, null).statusCode()).isEqualTo(200);

    HttpResponse<String> seen = getAs("/api/v1/reviews/" + id + "/preview", REVIEWER);
    assertThat(seen.statusCode()).as(seen.body()).isEqualTo(200);
    assertThat(body(seen).at("/result/cohort").asLong()).isEqualTo(480);
    assertThat(body(seen).get("version").asInt()).isEqualTo(1);
    // a researcher has no reviewer's view; an unknown application is not found
    assertThat(getAs("/api/v1/reviews/" + id + "/preview", RESEARCHER).statusCode()).isEqualTo(403);
    assertThat(getAs("/api/v1/reviews/" + UUID.randomUUID() + "/preview", REVIEWER).statusCode()).isEqualTo(404);

    // changes requested: version 2 is under review once submitted, and its preview is not version 1's
    assertThat(json("POST", "/api/v1/reviews/" + id + "/decision", REVIEWER,
        "{\"outcome\": \"request-changes\", \"version\": 1, \"reason\": \"Narrow the ages.\"}").statusCode()).isEqualTo(200);
    assertThat(json("PUT", "/api/v1/applications/" + id, RESEARCHER, COMPLETE.replace("\"minAge\": 40", "\"minAge\": 50")).statusCode()).isEqualTo(200);
    assertThat(json("POST", "/api/v1/applications/" + id + "/submit", RESEARCHER, null).statusCode()).isEqualTo(200);
    HttpResponse<String> none = getAs("/api/v1/reviews/" + id + "/preview", REVIEWER);
    assertThat(none.statusCode()).isEqualTo(404);
    assertThat(none.body()).contains("no-preview");

    // the researcher who also reviews never sees their own application's preview as a reviewer
    String own = submitted("research-reviewer-demo");
    HttpResponse<String> mine = getAs("/api/v1/reviews/" + own + "/preview", "research-reviewer-demo");
    assertThat(mine.statusCode()).isEqualTo(403);
    assertThat(mine.body()).contains("own-application");
  }

  @Test
  void previewsAreTheOwnersOfDraftsWithAValidSpecOnly() {
    String id = draft(RESEARCHER, COMPLETE);
    assertThat(json("POST", "/api/v1/applications/" + id + "/preview", "research-reviewer-demo", null).statusCode()).isEqualTo(404);
    assertThat(getAs("/api/v1/applications/" + id + "/preview", "research-reviewer-demo").statusCode()).isEqualTo(404);
    assertThat(json("POST", "/api/v1/applications/" + id + "/preview", REVIEWER, null).statusCode()).isEqualTo(403);
    assertThat(getAs("/api/v1/applications/" + id + "/preview", RESEARCHER).statusCode()).as("none asked yet").isEqualTo(404);
    assertThat(json("POST", "/api/v1/applications/" + UUID.randomUUID() + "/preview", RESEARCHER, null).statusCode()).isEqualTo(404);

    String broken = draft(RESEARCHER, COMPLETE.replace("\"E11\", \"I10\"", "\"E.11\"").replace("\"visit_date\", \"icd1\"", "\"no_such_column\""));
    HttpResponse<String> refused = json("POST", "/api/v1/applications/" + broken + "/preview", RESEARCHER, null);
    assertThat(refused.statusCode()).as(refused.body()).isEqualTo(422);
    assertThat(refused.body()).contains("cohort.diagnoses[0]").contains("tables.outpatient_visit").doesNotContain("E.11");
    assertThat(jdbc.queryForObject("select count(*) from job where application_id = ?::uuid", Integer.class, broken)).isZero();

    String submitted = submitted(RESEARCHER);
    HttpResponse<String> notDraft = json("POST", "/api/v1/applications/" + submitted + "/preview", RESEARCHER, null);
    assertThat(notDraft.statusCode()).isEqualTo(409);
    assertThat(jdbc.queryForObject("select count(*) from job where application_id = ?::uuid", Integer.class, submitted)).isZero();
  }

  @Test
  void theDeliveredExtractShowsItsVerifiedManifestTablesAndPersonsRemovedSinceDelivery() throws Exception {
    String id = submitted(RESEARCHER);
    int version = jdbc.queryForObject("select current_version from application where id = ?::uuid", Integer.class, id);
    HttpResponse<String> approval = json("POST", "/api/v1/reviews/" + id + "/decision", REVIEWER,
        "{\"outcome\": \"approve\", \"version\": " + version + ", \"reason\": \"Minimum necessary.\"}");
    assertThat(approval.statusCode()).as(approval.body()).isEqualTo(200);
    UUID extract = latestJob(id, "extract");

    JsonNode queued = body(getAs("/api/v1/applications/" + id + "/delivery", RESEARCHER));
    assertThat(queued.get("status").asString()).isEqualTo("queued");
    assertThat(queued.get("manifest").isNull()).isTrue();

    String project = jdbc.queryForObject("select project from job where id = ?", String.class, extract);
    String extractId = "EX-20261206-" + extract.toString().substring(0, 8);
    String manifest = "{\"extractId\":\"" + extractId + "\",\"format\":\"nhi-optout-extract-manifest/1\",\"persons\":{\"excluded\":3,\"included\":57}}";
    Path manifestFile = RUNNER.releaseExtract(extract, project, extractId, manifest, "{\"personsBefore\":60,\"dimensions\":[]}",
        "{\"enrollment\":57,\"outpatient_visit\":600}");
    String namespace = "nhi.project_" + project.replace('-', '_');

    JsonNode delivered = body(getAs("/api/v1/applications/" + id + "/delivery", RESEARCHER));
    assertThat(delivered.get("status").asString()).isEqualTo("succeeded");
    assertThat(delivered.at("/manifest/verified").asBoolean()).isTrue();
    assertThat(delivered.at("/manifest/content/extractId").asString()).isEqualTo(extractId);
    assertThat(delivered.at("/representativeness/personsBefore").asLong()).isEqualTo(60);
    assertThat(delivered.at("/tables/1/table").asString()).isEqualTo(namespace + ".outpatient_visit");
    assertThat(delivered.get("access").asString()).contains(namespace);
    assertThat(delivered.at("/propagation/personsRemovedSinceDelivery").asLong()).isZero();

    // the schedule (every second here) queues a propagation for the live project, one at a time
    UUID propagation = null;
    for (int i = 0; i < 100 && propagation == null; i++) {
      Thread.sleep(100);
      propagation = jdbc.query("select id from job where project = ? and kind = 'propagation' and status = 'queued'",
          (rs, n) -> rs.getObject(1, UUID.class), project).stream().findFirst().orElse(null);
    }
    assertThat(propagation).as("a propagation was queued by the schedule").isNotNull();
    Thread.sleep(1500);
    assertThat(jdbc.queryForObject("select count(*) from job where project = ? and kind = 'propagation'", Integer.class, project))
        .as("none added while one waits").isEqualTo(1);
    run(propagation, 100, "succeeded", "{\"kind\":\"propagation\",\"personsRemoved\":2,\"registryCheckpoint\":{\"size\":48}}");
    JsonNode propagated = body(getAs("/api/v1/applications/" + id + "/delivery", RESEARCHER));
    assertThat(propagated.at("/propagation/personsRemovedSinceDelivery").asLong()).isEqualTo(2);
    assertThat(propagated.at("/propagation/lastCheckpointSize").asLong()).isEqualTo(48);
    assertThat(propagated.at("/propagation/lastPropagatedAt").isNull()).isFalse();

    // a manifest altered after release no longer verifies
    Files.write(manifestFile, manifest.replace("\"excluded\":3", "\"excluded\":0").getBytes(StandardCharsets.UTF_8));
    assertThat(body(getAs("/api/v1/applications/" + id + "/delivery", RESEARCHER)).at("/manifest/verified").asBoolean()).isFalse();

    // others see nothing of it, and an application without approval has no delivery
    assertThat(getAs("/api/v1/applications/" + id + "/delivery", "research-reviewer-demo").statusCode()).isEqualTo(404);
    assertThat(getAs("/api/v1/applications/" + draft(RESEARCHER, COMPLETE) + "/delivery", RESEARCHER).statusCode()).isEqualTo(409);
  }

  /** An approved application whose extract the runner finished with this manifest (signed by the warehouse's key); its ID. */
  private String delivered(String manifestJson) throws Exception {
    String id = submitted(RESEARCHER);
    int version = jdbc.queryForObject("select current_version from application where id = ?::uuid", Integer.class, id);
    assertThat(json("POST", "/api/v1/reviews/" + id + "/decision", REVIEWER,
        "{\"outcome\": \"approve\", \"version\": " + version + ", \"reason\": \"Minimum necessary.\"}").statusCode()).isEqualTo(200);
    UUID extract = latestJob(id, "extract");
    String extractId = "EX-20261206-" + extract.toString().substring(0, 8);
    RUNNER.releaseExtract(extract, "x", extractId, manifestJson.replace("EXTRACT", extractId), "{\"personsBefore\":60,\"dimensions\":[]}",
        "{\"enrollment\":57}");
    return id;
  }

  private static String manifestNaming(long size, Hash root) {
    return "{\"extractId\":\"EXTRACT\",\"format\":\"nhi-optout-extract-manifest/2\",\"registry\":{\"checkpoint\":{\"origin\":\"" + ORIGIN
        + "\",\"rootHash\":\"" + root.base64() + "\",\"size\":" + size + "}}}";
  }

  private static Hash randomRoot() {
    byte[] bytes = new byte[32];
    new java.security.SecureRandom().nextBytes(bytes);
    return Hash.of(bytes);
  }

  @Test
  void theDeliveryChecksTheManifestsCheckpointAgainstTheRegistrysSignatureAndTheWitness() throws Exception {
    // a checkpoint the registry signed and the witness cosigned
    Hash root = randomRoot();
    Checkpoint tree = new Checkpoint(ORIGIN, 1_000 + PUBLISHED.size(), root, List.of());
    PUBLISHED.put(tree.size(), new CheckpointSigner(LOG_KEY).sign(tree).withSignatures(List.of(WITNESS_KEY.cosign(tree))).encoded());
    JsonNode good = body(getAs("/api/v1/applications/" + delivered(manifestNaming(tree.size(), root)) + "/delivery", RESEARCHER));
    assertThat(good.at("/manifest/verified").asBoolean()).isTrue();
    assertThat(good.at("/checkpoint/size").asLong()).isEqualTo(tree.size());
    assertThat(good.at("/checkpoint/rootHash").asString()).isEqualTo(root.base64());
    assertThat(good.at("/checkpoint/registrySignatureVerified").asBoolean()).isTrue();
    assertThat(good.at("/checkpoint/witnessCosignatureVerified").asBoolean()).isTrue();
    assertThat(good.at("/checkpoint/verified").asBoolean()).isTrue();
    assertThat(good.at("/checkpoint/problem").isNull()).isTrue();

    // signed by the registry, but the witness never cosigned it
    Hash unwitnessedRoot = randomRoot();
    Checkpoint unwitnessed = new Checkpoint(ORIGIN, 1_000 + PUBLISHED.size(), unwitnessedRoot, List.of());
    PUBLISHED.put(unwitnessed.size(), new CheckpointSigner(LOG_KEY).sign(unwitnessed).encoded());
    JsonNode alone = body(getAs("/api/v1/applications/" + delivered(manifestNaming(unwitnessed.size(), unwitnessedRoot)) + "/delivery", RESEARCHER));
    assertThat(alone.at("/checkpoint/registrySignatureVerified").asBoolean()).isTrue();
    assertThat(alone.at("/checkpoint/witnessCosignatureVerified").asBoolean()).isFalse();
    assertThat(alone.at("/checkpoint/verified").asBoolean()).isFalse();
    assertThat(alone.at("/checkpoint/problem").asString()).contains("witness");

    // forged: another key of the registry's name signed it (the witness's line is copied in too)
    Hash forgedRoot = randomRoot();
    Checkpoint forgedTree = new Checkpoint(ORIGIN, 1_000 + PUBLISHED.size(), forgedRoot, List.of());
    PUBLISHED.put(forgedTree.size(), new CheckpointSigner(Ed25519NoteSigner.generate(ORIGIN)).sign(forgedTree)
        .withSignatures(List.of(WITNESS_KEY.cosign(forgedTree))).encoded());
    JsonNode forged = body(getAs("/api/v1/applications/" + delivered(manifestNaming(forgedTree.size(), forgedRoot)) + "/delivery", RESEARCHER));
    assertThat(forged.at("/checkpoint/registrySignatureVerified").asBoolean()).isFalse();
    assertThat(forged.at("/checkpoint/verified").asBoolean()).isFalse();

    // the manifest names a root the registry never signed for that size, or a size the registry does not have
    JsonNode otherRoot = body(getAs("/api/v1/applications/" + delivered(manifestNaming(tree.size(), randomRoot())) + "/delivery", RESEARCHER));
    assertThat(otherRoot.at("/checkpoint/matchesManifest").asBoolean()).isFalse();
    assertThat(otherRoot.at("/checkpoint/verified").asBoolean()).isFalse();
    JsonNode unknown = body(getAs("/api/v1/applications/" + delivered(manifestNaming(999_999, root)) + "/delivery", RESEARCHER));
    assertThat(unknown.at("/checkpoint/verified").asBoolean()).isFalse();
    assertThat(unknown.at("/checkpoint/problem").asString()).contains("could not be fetched");
  }

  @Test
  void theRunnersRoleCannotQueueJobsOrReadApplications() throws Exception {
    try (Connection connection = runner(); var statement = connection.createStatement()) {
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> statement.executeQuery("select * from application"))
          .hasMessageContaining("permission denied");
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> statement.execute("delete from job")).hasMessageContaining("permission denied");
    }
  }
}
