package optout.registry.transparency;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import optout.platform.testing.PlatformTestEnvironment;
import optout.platform.testing.TestDatabases;
import optout.platform.testing.TestFilingKeys;
import optout.platform.testing.TestKeycloak;
import optout.platform.testing.TestKeys;
import optout.pseudonymizer.custody.KeyCustody;
import optout.pseudonymizer.id.PersonId;
import optout.registry.LocalRegistry;
import optout.registry.audit.RegistryCommands;
import optout.registry.log.Checkpoint;
import optout.registry.log.CheckpointSigner;
import optout.registry.log.CheckpointVerifier;
import optout.registry.log.ConsistencyProof;
import optout.registry.log.Ed25519NoteSigner;
import optout.registry.log.Ed25519NoteVerifier;
import optout.registry.log.Hash;
import optout.registry.log.MerkleHashing;
import optout.registry.log.ProofVerifier;
import optout.registry.log.TreeHead;
import optout.registry.snapshot.ExclusionSnapshot;
import optout.registry.snapshot.Manifest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.logging.LoggingInitializationContext;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A registry nobody has filed with yet: two registry processes (two application contexts, each with its
 * own connections and sequencer) start together on a fresh database, the empty tree's checkpoint is
 * signed exactly once, and the scope rules are logged once, as leaf 0 (checkpoint 1). Every consumer then
 * works at checkpoint 0, and after the first filing the log has checkpoint 0 and later ones, consistent
 * with it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EmptyRegistryIT {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final String ORIGIN = "localhost/nhi-optout-registry";
  private static final String EMPTY_ROOT = "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=";
  private static final String CITIZEN_ID = "A123456789";  // citizen-demo's national ID in the realm
  private static final String NEVER_FILED = "V100000054";

  @TempDir Path directory;

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private TestDatabases.TestDatabase database;
  private Path keyFile;
  private final List<LocalRegistry> registries = new ArrayList<>();
  private JdbcTemplate jdbc;
  private Ed25519NoteVerifier logKey;
  private long citizen;
  private long neverFiled;

  @BeforeAll
  void twoRegistriesStartTogetherOnAFreshDatabase() throws Exception {
    PlatformTestEnvironment environment = PlatformTestEnvironment.current();
    database = TestDatabases.create(environment, "empty");
    keyFile = Files.createTempDirectory("empty-registry-key").resolve("registry-log.key");
    // The key first (each process would otherwise create its own), then both at once.
    Ed25519NoteSigner signer = Ed25519NoteSigner.generate(ORIGIN);
    Files.writeString(keyFile, signer.unmaskedSignerKey() + "\n", StandardCharsets.US_ASCII);
    logKey = signer.verifier();
    Path snapshots = keyFile.getParent().resolve("snapshots");
    initializeLoggingOnce();
    CompletableFuture<LocalRegistry> first = CompletableFuture.supplyAsync(() -> start(snapshots));
    CompletableFuture<LocalRegistry> second = CompletableFuture.supplyAsync(() -> start(snapshots));
    registries.add(first.join());
    registries.add(second.join());
    jdbc = new JdbcTemplate(new org.springframework.jdbc.datasource.DriverManagerDataSource(database.url(), database.user(),
        database.password()));
    try (KeyCustody custody = TestKeys.open()) {
      citizen = custody.warehousePseudonymizer().pseudonym(PersonId.parse(CITIZEN_ID));
      neverFiled = custody.warehousePseudonymizer().pseudonym(PersonId.parse(NEVER_FILED));
    }
  }

  /**
   * Two Spring applications starting in one JVM both (re)configure Logback when an earlier test's context
   * has closed it; done concurrently, one parse of the pattern meets the other's reset and fails
   * ("maskedMsg is not a valid conversion word"). Separate processes never share this, so the test
   * configures logging once, the way Spring Boot does, and both starts find it done.
   */
  private static void initializeLoggingOnce() {
    LoggingSystem logging =
        LoggingSystem.get(EmptyRegistryIT.class.getClassLoader());
    logging.beforeInitialize();
    logging.initialize(new LoggingInitializationContext(
        new StandardEnvironment()), null, null);
  }

  private LocalRegistry start(Path snapshots) {
    try {
      return LocalRegistry.start(database, keyFile, snapshots);
    } catch (Exception e) {
      throw new IllegalStateException("Cannot start a registry: " + e.getMessage(), e);
    }
  }

  @AfterAll
  void stop() {
    registries.forEach(LocalRegistry::close);
  }

  @Test
  @Order(1)
  void theEmptyTreesCheckpointIsSignedOnceAndBothRegistriesServeIt() throws Exception {
    String note = awaitCheckpoint(0);
    String rules = awaitCheckpoint(1);
    Thread.sleep(500);  // ten more rounds of each sequencer

    assertThat(jdbc.queryForList("select tree_size from log_checkpoint order by tree_size", Long.class)).containsExactly(0L, 1L);
    assertThat(jdbc.queryForList("select r.kind from log_record r join log_leaf l on l.record_seq = r.seq where l.log_index = 0",
        String.class)).as("both processes started with the same rules: logged once").containsExactly("scope-rules");
    assertThat(jdbc.queryForObject("select count(*) from log_record", Long.class)).isEqualTo(1);
    Checkpoint checkpoint = new CheckpointVerifier(ORIGIN, logKey).verify(note);
    assertThat(checkpoint.treeHead()).isEqualTo(new TreeHead(0, MerkleHashing.emptyRoot()));
    assertThat(note).startsWith(ORIGIN + "\n0\n" + EMPTY_ROOT + "\n\n");
    for (int registry = 0; registry < 2; registry++) {
      assertThat(get(registry, "/api/v1/log/checkpoint", null).body()).isEqualTo(rules);
      assertThat(get(registry, "/api/v1/log/checkpoints/0", null).body()).isEqualTo(note);
      assertThat(get(registry, "/api/v1/log/verifier-key", null).body().strip()).isEqualTo(logKey.verifierKey());
    }
  }

  @Test
  @Order(2)
  void theLogProvesConsistencyFromTheEmptyTreeAndRefusesWhatIsNotPublished() {
    HttpResponse<String> proof = get(0, "/api/v1/log/consistency?from=0&to=0", null);
    assertThat(proof.statusCode()).isEqualTo(200);
    assertThat(json(proof).get("treeSize").asLong()).isZero();
    assertThat(json(proof).get("path").size()).isZero();

    HttpResponse<String> beyond = get(0, "/api/v1/log/consistency?from=0&to=2", null);
    assertThat(beyond.statusCode()).isEqualTo(400);
    assertThat(json(beyond).get("detail").asString()).isEqualTo("Cannot prove consistency: sizes must satisfy 0 <= from <= to <= 1");
    assertThat(get(0, "/api/v1/log/checkpoints/-1", null).statusCode()).isEqualTo(400);
    assertThat(get(0, "/api/v1/log/checkpoints/2", null).statusCode()).isEqualTo(404);
    assertThat(get(0, "/api/v1/log/inclusion?index=0&size=0", token("auditor-demo")).statusCode()).isEqualTo(400);
  }

  @Test
  @Order(3)
  void theBulkCheckBeforeAnyFilingGivesBackEverythingAsked() {
    String asked = citizen + "\n" + neverFiled + "\n";
    HttpResponse<String> answer = bulk(asked);
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    assertThat(answer.headers().firstValue("Registry-Checkpoint")).as("the latest: only the scope rules are logged").hasValue("1");
    assertThat(answer.body()).isEqualTo(asked);
  }

  @Test
  @Order(4)
  void theSnapshotAtCheckpointZeroIsEmptySignedAndVerifies() throws Exception {
    String releaser = TestKeycloak.get().serviceAccountToken("optout-portal");
    HttpResponse<String> made = post(0, "/api/v1/snapshots", releaser, "{\"purpose\": \"academic-research\", \"checkpoint\": 0}");
    assertThat(made.statusCode()).as(made.body()).isEqualTo(201);
    JsonNode snapshot = json(made);
    assertThat(snapshot.get("id").asString()).isEqualTo("academic-research@0");
    assertThat(snapshot.get("checkpoint").asLong()).isZero();
    assertThat(snapshot.get("count").asLong()).isZero();
    assertThat(snapshot.get("setSha256").asString()).isEqualTo(MerkleHashing.emptyRoot().hex());

    Manifest manifest = verifiedSnapshot(0, "academic-research@0", releaser, directory.resolve("at-0.parquet"));
    assertThat(manifest.count()).isZero();
    assertThat(get(0, "/api/v1/snapshots/academic-research@0/manifest", releaser).body()).isEqualTo(snapshot.get("manifest").asString());
    // The other registry process finds the same snapshot, asked for checkpoint 0 by name.
    HttpResponse<String> again = post(1, "/api/v1/snapshots", releaser, "{\"purpose\": \"academic-research\", \"checkpoint\": 0}");
    assertThat(again.statusCode()).isEqualTo(200);
    assertThat(json(again).get("fileSha256")).isEqualTo(snapshot.get("fileSha256"));
    assertThat(post(0, "/api/v1/snapshots", releaser, "{\"purpose\": \"academic-research\", \"checkpoint\": -1}").statusCode())
        .isEqualTo(400);
  }

  @Test
  @Order(5)
  void statusAtCheckpointZeroIsNothingOptedOut() {
    HttpResponse<String> status = get(0, "/api/v1/persons/" + citizen + "/status?checkpoint=0", token("auditor-demo"));
    assertThat(status.statusCode()).as(status.body()).isEqualTo(200);
    assertThat(json(status).get("asOf").asString()).isEqualTo("checkpoint 0");
    assertThat(json(status).get("optedOut").size()).isZero();
    assertThat(json(status).get("history").size()).isZero();

    HttpResponse<String> mine = get(0, "/api/v1/me/status", token("citizen-demo"));
    assertThat(mine.statusCode()).as(mine.body()).isEqualTo(200);
    assertThat(json(mine).get("optedOut").size()).isZero();
  }

  @Test
  @Order(6)
  void aLogWithOnlyCheckpointZeroAuditsCleanAndItsExportVerifies() throws Exception {
    RegistryCommands.Run audit = RegistryCommands.registry(commandEnvironment(), "audit");
    assertThat(audit.out()).contains("audited 1 leaves against 2 signed checkpoints", "OK: the log and the rows agree");
    assertThat(audit.exitCode()).isZero();

    Path export = directory.resolve("export-0");
    RegistryCommands.Run exported = RegistryCommands.registry(commandEnvironment(), "export-log", "--out", export.toString());
    assertThat(exported.exitCode()).as(exported.out()).isZero();
    assertThat(Files.readString(export.resolve("leaves")).lines()).hasSize(1);
    assertThat(Files.readString(export.resolve("openings.jsonl"))).isEmpty();
    assertThat(Files.readString(export.resolve("checkpoints").resolve("0"))).startsWith(ORIGIN + "\n0\n" + EMPTY_ROOT + "\n");
    RegistryCommands.Run verified = RegistryCommands.verifyExport(export);
    assertThat(verified.out()).isEqualTo("OK: 1 leaves, 2 checkpoints verified\n");
    assertThat(verified.exitCode()).isZero();
  }

  @Test
  @Order(7)
  void aForgedRootOfTheEmptyTreeIsFoundByTheAuditAndTheIndependentVerifier() throws Exception {
    // Signed with the log's own key, so only the root gives it away.
    Ed25519NoteSigner signer = Ed25519NoteSigner.fromSignerKey(Files.readString(keyFile).strip());
    Hash forgedRoot = MerkleHashing.leafHash("someone".getBytes(StandardCharsets.UTF_8));
    String forged = new CheckpointSigner(signer).sign(Checkpoint.of(ORIGIN, new TreeHead(0, forgedRoot))).encoded();

    Path export = directory.resolve("export-forged");
    assertThat(RegistryCommands.registry(commandEnvironment(), "export-log", "--out", export.toString()).exitCode()).isZero();
    Files.writeString(export.resolve("checkpoints").resolve("0"), forged, StandardCharsets.UTF_8);
    RegistryCommands.Run verified = RegistryCommands.verifyExport(export);
    assertThat(verified.out()).isEqualTo("checkpoint 0: the leaves do not hash to its signed root\nNOT VERIFIED: 1 problem(s)\n");
    assertThat(verified.exitCode()).isEqualTo(1);

    String original = jdbc.queryForObject("select signed_note from log_checkpoint where tree_size = 0", String.class);
    asSuperuser("update log_checkpoint set signed_note = '" + forged + "', root_hash = '\\x" + forgedRoot.hex() + "' where tree_size = 0");
    try {
      RegistryCommands.Run audit = RegistryCommands.registry(commandEnvironment(), "audit");
      assertThat(audit.exitCode()).isEqualTo(1);
      assertThat(audit.out()).contains("BAD_CHECKPOINT: checkpoint 0 does not verify: Cannot verify checkpoint: it signs a tree of 0"
          + " leaves with the root " + forgedRoot.base64() + ", the empty tree's root is " + EMPTY_ROOT);
    } finally {
      asSuperuser("update log_checkpoint set signed_note = '" + original + "', root_hash = '\\x" + MerkleHashing.emptyRoot().hex()
          + "' where tree_size = 0");
    }
    assertThat(RegistryCommands.registry(commandEnvironment(), "audit").exitCode()).isZero();
  }

  @Test
  @Order(8)
  void afterTheFirstFilingTheLogHasCheckpointZeroAndALaterOneThatExtendsIt() throws Exception {
    String key = "it-" + UUID.randomUUID();
    ObjectNode filing = (ObjectNode) JSON.readTree("""
        {"type": "opt-out-filed", "nationalId": "%s", "scopes": ["academic-research"], "channel": "counter",
         "document": {"reference": "consent/%s.pdf", "sha256": "%s"}, "effectiveAt": "2026-11-20T03:00:00Z"}"""
        .formatted(CITIZEN_ID, UUID.randomUUID(), "ab".repeat(32)));
    HttpResponse<String> filed = post(0, "/api/v1/filings", TestKeycloak.get().serviceAccountToken("optout-consent"), key,
        JSON.writeValueAsString(TestFilingKeys.seal(filing, key)));
    assertThat(filed.statusCode()).as(filed.body()).isEqualTo(201);
    String note2 = awaitCheckpoint(2);

    assertThat(jdbc.queryForList("select tree_size from log_checkpoint order by tree_size", Long.class)).containsExactly(0L, 1L, 2L);
    Checkpoint empty = new CheckpointVerifier(ORIGIN, logKey).verify(get(1, "/api/v1/log/checkpoints/0", null).body());
    Checkpoint latest = new CheckpointVerifier(ORIGIN, logKey).verify(get(1, "/api/v1/log/checkpoint", null).body());
    assertThat(latest.size()).isEqualTo(2);
    assertThat(get(1, "/api/v1/log/checkpoint", null).body()).isEqualTo(note2);
    JsonNode proof = json(get(1, "/api/v1/log/consistency?from=0&to=2", null));
    assertThat(proof.get("path").size()).isZero();
    ProofVerifier.verifyConsistency(new ConsistencyProof(0, 2, List.of()), empty.rootHash(), latest.rootHash());

    // Checkpoint 0 still excludes nobody; the latest excludes the citizen.
    assertThat(json(get(0, "/api/v1/persons/" + citizen + "/status?checkpoint=0", token("auditor-demo"))).get("optedOut").size()).isZero();
    assertThat(json(get(0, "/api/v1/persons/" + citizen + "/status?checkpoint=2", token("auditor-demo"))).get("optedOut").get(0)
        .get("scope").asString()).isEqualTo("academic-research");
    String releaser = TestKeycloak.get().serviceAccountToken("optout-portal");
    HttpResponse<String> atZero = post(0, "/api/v1/snapshots", releaser, "{\"purpose\": \"academic-research\", \"checkpoint\": 0}");
    assertThat(json(atZero).get("count").asLong()).isZero();
    HttpResponse<String> now = post(0, "/api/v1/snapshots", releaser, "{\"purpose\": \"academic-research\"}");
    assertThat(json(now).get("id").asString()).isEqualTo("academic-research@2");
    assertThat(json(now).get("count").asLong()).isEqualTo(1);
    assertThat(bulk(citizen + "\n" + neverFiled + "\n").body()).isEqualTo(neverFiled + "\n");

    // The citizen's receipt leads to checkpoint 2, the first that holds their event.
    JsonNode receipt = json(get(0, "/api/v1/me/status", token("citizen-demo"))).get("history").get(0).get("receipt");
    assertThat(receipt.get("logIndex").asLong()).isEqualTo(1);
    assertThat(receipt.get("treeSize").asLong()).isEqualTo(2);
    assertThat(receipt.get("checkpoint").asString()).isEqualTo(note2);

    RegistryCommands.Run audit = RegistryCommands.registry(commandEnvironment(), "audit");
    assertThat(audit.out()).contains("audited 2 leaves against 3 signed checkpoints", "OK: the log and the rows agree");
    Path export = directory.resolve("export-1");
    assertThat(RegistryCommands.registry(commandEnvironment(), "export-log", "--out", export.toString()).exitCode()).isZero();
    assertThat(RegistryCommands.verifyExport(export).out()).isEqualTo("OK: 2 leaves, 3 checkpoints verified\n");
  }

  /** A registry from before checkpoint 0 existed: its log starts at a later checkpoint, and stays so. */
  @Test
  @Order(9)
  void aRegistryWhoseLogHasNoCheckpointZeroGetsNoneAndKeepsWorking() throws Exception {
    asSuperuser("delete from log_checkpoint where tree_size = 0");
    Thread.sleep(500);  // ten more rounds of each sequencer

    assertThat(jdbc.queryForList("select tree_size from log_checkpoint order by tree_size", Long.class)).containsExactly(1L, 2L);
    assertThat(get(0, "/api/v1/log/checkpoints/0", null).statusCode()).isEqualTo(404);
    assertThat(json(get(0, "/api/v1/log/consistency?from=0&to=1", null)).get("path").size()).isZero();
    String releaser = TestKeycloak.get().serviceAccountToken("optout-portal");
    HttpResponse<String> atZero = post(0, "/api/v1/snapshots", releaser, "{\"purpose\": \"commercial-use\", \"checkpoint\": 0}");
    assertThat(atZero.statusCode()).isEqualTo(400);
    assertThat(json(atZero).get("detail").asString()).isEqualTo("No checkpoint was signed at tree size 0");
    RegistryCommands.Run audit = RegistryCommands.registry(commandEnvironment(), "audit");
    assertThat(audit.out()).contains("audited 2 leaves against 2 signed checkpoints", "OK: the log and the rows agree");
    assertThat(audit.exitCode()).isZero();
  }

  private String awaitCheckpoint(long size) throws InterruptedException {
    for (int i = 0; i < 200; i++) {
      List<String> notes = jdbc.queryForList("select signed_note from log_checkpoint where tree_size = ?", String.class, size);
      if (!notes.isEmpty()) {
        return notes.get(0);
      }
      Thread.sleep(50);
    }
    throw new AssertionError("no checkpoint of size " + size + " within 10 s");
  }

  private Manifest verifiedSnapshot(int registry, String id, String token, Path parquet) throws Exception {
    Manifest manifest = Manifest.verify(get(registry, "/api/v1/snapshots/" + id + "/manifest", token).body(), logKey);
    manifest.requireCheckpoint(new CheckpointVerifier(ORIGIN, logKey).verify(
        get(registry, "/api/v1/log/checkpoints/" + manifest.description().checkpoint().size(), null).body()));
    HttpResponse<byte[]> file = http.send(HttpRequest.newBuilder(uri(registry, "/api/v1/snapshots/" + id + "/file"))
        .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    assertThat(file.statusCode()).isEqualTo(200);
    Files.write(parquet, file.body());
    assertThat(ExclusionSnapshot.verify(parquet, manifest).count()).isEqualTo(manifest.count());
    return manifest;
  }

  private Map<String, String> commandEnvironment() {
    return Map.of("SPRING_DATASOURCE_URL", database.url(), "SPRING_DATASOURCE_USERNAME", database.applicationUser(),
        "SPRING_DATASOURCE_PASSWORD", database.password(), "OPTOUT_REGISTRY_LOG_SIGNING_KEY_FILE", keyFile.toString());
  }

  private void asSuperuser(String sql) throws Exception {
    PlatformTestEnvironment environment = PlatformTestEnvironment.current();
    try (Connection superuser = DriverManager.getConnection(database.url(), environment.postgresAdminUser(), "");
        Statement statement = superuser.createStatement()) {
      statement.execute("set session_replication_role = replica");  // the append-only triggers off: only a superuser may
      statement.execute(sql);
    }
  }

  private HttpResponse<String> bulk(String body) {
    return send(HttpRequest.newBuilder(uri(0, "/api/v1/bulk-check?purpose=academic-research")).timeout(Duration.ofSeconds(30))
        .header("Authorization", "Bearer " + TestKeycloak.get().serviceAccountToken("optout-portal"))
        .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString(body)).build());
  }

  private HttpResponse<String> get(int registry, String path, String token) {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri(registry, path)).timeout(Duration.ofSeconds(20)).GET();
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return send(request.build());
  }

  private HttpResponse<String> post(int registry, String path, String token, String body) {
    return post(registry, path, token, "it-" + UUID.randomUUID(), body);
  }

  private HttpResponse<String> post(int registry, String path, String token, String idempotencyKey, String body) {
    return send(HttpRequest.newBuilder(uri(registry, path)).timeout(Duration.ofSeconds(30))
        .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
        .header("Idempotency-Key", idempotencyKey).POST(HttpRequest.BodyPublishers.ofString(body)).build());
  }

  private HttpResponse<String> send(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private URI uri(int registry, String path) {
    return registries.get(registry).uri(path);
  }

  private static String token(String user) {
    return TestKeycloak.get().accessToken(user);
  }

  private static JsonNode json(HttpResponse<String> response) {
    return JSON.readTree(response.body());
  }
}
