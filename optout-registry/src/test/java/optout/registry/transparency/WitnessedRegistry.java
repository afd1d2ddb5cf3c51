package optout.registry.transparency;

import optout.registry.LocalRegistry;
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
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import optout.platform.testing.PlatformTestEnvironment;
import optout.platform.testing.TestDatabases;
import optout.platform.testing.TestFilingKeys;
import optout.platform.testing.TestKeycloak;
import optout.platform.testing.TestKeys;
import optout.pseudonymizer.custody.KeyCustodies;
import optout.pseudonymizer.custody.Passphrase;
import optout.registry.RegistryApplication;
import optout.registry.log.CheckpointVerifier;
import optout.registry.log.Ed25519CosignatureVerifier;
import optout.registry.log.Ed25519NoteSigner;
import optout.witness.WitnessApplication;
import optout.witness.protocol.Witness;
import optout.witness.state.WitnessState;
import org.springframework.boot.Banner;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * One witnessed registry for a test: a fresh database of its own (the tests here delete and restore rows,
 * which no other test may see), the log's key made first so that the witness can be told it, a real witness
 * (its HTTP endpoint, its files) and the registry configured to submit to it, both in this JVM.
 */
final class WitnessedRegistry implements AutoCloseable {

  static final String ORIGIN = "localhost/nhi-optout-registry";
  /** The sequencer's advisory lock ("nhi-log!"), which an insider who knows the registry takes too. */
  private static final long SEQUENCER_LOCK = 0x6e68692d6c6f6721L;
  private static final JsonMapper JSON = JsonMapper.builder().build();

  final TestDatabases.TestDatabase database;
  final Path directory;
  final Path keyFile;
  final Ed25519NoteSigner logKey;
  final ConfigurableApplicationContext witness;
  final Ed25519CosignatureVerifier witnessKey;
  final ConfigurableApplicationContext registry;
  final JdbcTemplate jdbc;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  WitnessedRegistry(Path directory, String name) throws Exception {
    PlatformTestEnvironment environment = PlatformTestEnvironment.current();
    this.directory = directory;
    database = TestDatabases.create(environment, name);
    keyFile = directory.resolve("keys/registry-log.key");
    Files.createDirectories(keyFile.getParent());
    logKey = Ed25519NoteSigner.generate(ORIGIN);
    Files.writeString(keyFile, logKey.unmaskedSignerKey() + "\n", StandardCharsets.US_ASCII);
    witness = new SpringApplicationBuilder(WitnessApplication.class).bannerMode(Banner.Mode.OFF).run(
        "--server.port=0",
        "--spring.application.name=registry-witness",
        "--optout.witness.signing-key-file=" + directory.resolve("keys/witness.key"),
        "--optout.witness.create-signing-key=true",
        "--optout.witness.state-directory=" + directory.resolve("witness"),
        "--optout.witness.logs=" + logKey.verifierKey() + " " + ORIGIN);
    witnessKey = Ed25519CosignatureVerifier.fromVerifierKey(witness.getBean(Witness.class).verifierKey());
    List<String> arguments = new java.util.ArrayList<>(LocalRegistry.arguments(database, keyFile, directory.resolve("snapshots")));
    arguments.addAll(List.of(
        "--optout.registry.log.witness.url=http://127.0.0.1:" + port(witness),
        "--optout.registry.log.witness.verifier-key=" + witnessKey.verifierKey(),
        "--optout.registry.log.witness.interval=100ms"));
    registry = new SpringApplicationBuilder(RegistryApplication.class).bannerMode(Banner.Mode.OFF).run(arguments.toArray(String[]::new));
    jdbc = new JdbcTemplate(new org.springframework.jdbc.datasource.DriverManagerDataSource(database.url(), database.user(),
        database.password()));
  }


  /** The log's signature and the witness's cosignature, both required. */
  CheckpointVerifier cosignedOnly() {
    return new CheckpointVerifier(ORIGIN, logKey.verifier()).requiringCosignatures(List.of(witnessKey));
  }

  /** Where the witness keeps every checkpoint it cosigned for the registry (one signed note a file). */
  Path witnessHistory() {
    return directory.resolve("witness/logs").resolve(WitnessState.originHash(ORIGIN)).resolve("history");
  }

  URI witnessUri(String path) {
    return URI.create("http://127.0.0.1:" + port(witness) + path);
  }

  /** An opt-out for academic research, filed as the consent service files it. */
  void optOut(String nationalId) throws Exception {
    String key = "it-" + UUID.randomUUID();
    ObjectNode filing = (ObjectNode) JSON.readTree("""
        {"type": "opt-out-filed", "nationalId": "%s", "scopes": ["academic-research"], "channel": "counter",
         "document": {"reference": "consent/%s.pdf", "sha256": "%s"}, "effectiveAt": "2026-11-20T03:00:00Z"}"""
        .formatted(nationalId, UUID.randomUUID(), "ab".repeat(32)));
    HttpResponse<String> filed = send(HttpRequest.newBuilder(uri("/api/v1/filings")).timeout(Duration.ofSeconds(30))
        .header("Authorization", "Bearer " + TestKeycloak.get().serviceAccountToken("optout-consent"))
        .header("Content-Type", "application/json").header("Idempotency-Key", key)
        .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(TestFilingKeys.seal(filing, key)))).build());
    if (filed.statusCode() != 201) {
      throw new AssertionError("the filing was refused: " + filed.statusCode() + " " + filed.body());
    }
  }

  /** Files opt-outs and waits until the witness cosigned a checkpoint holding all of them; answers its size. */
  long optOutAndAwaitCosigned(String... nationalIds) throws Exception {
    for (String id : nationalIds) {
      optOut(id);
    }
    // every leaf: the events and the log records (the scope rules the registry logged at its start are leaf 0)
    long leaves = jdbc.queryForObject("select (select count(*) from registry_event) + (select count(*) from log_record)", Long.class);
    await("the witness cosigns a checkpoint of all " + leaves + " leaves", () -> cosignedSize() >= leaves);
    return cosignedSize();
  }

  long cosignedSize() {
    Long size = jdbc.queryForObject("select max(tree_size) from log_cosignature", Long.class);
    return size == null ? -1 : size;
  }

  List<String> alerts() {
    return jdbc.queryForList("select detail ->> 'reason' from registry_alert where kind = 'witness-refused' order by id", String.class);
  }

  HttpResponse<String> get(String path, String token) {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(20)).GET();
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return send(request.build());
  }

  HttpResponse<String> send(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port(registry) + path);
  }

  Map<String, String> commandEnvironment() {
    return Map.of("SPRING_DATASOURCE_URL", database.url(), "SPRING_DATASOURCE_USERNAME", database.applicationUser(),
        "SPRING_DATASOURCE_PASSWORD", database.password(), "OPTOUT_REGISTRY_LOG_SIGNING_KEY_FILE", keyFile.toString());
  }

  /**
   * What a careful insider with the database's superuser does behind the registry's back: triggers off, in one
   * transaction, holding the sequencer's own lock, so the registry never sees half of it.
   */
  void asSuperuser(String... statements) throws Exception {
    try (Connection superuser = DriverManager.getConnection(database.url(), PlatformTestEnvironment.current().postgresAdminUser(), "");
        Statement statement = superuser.createStatement()) {
      superuser.setAutoCommit(false);
      statement.execute("set local session_replication_role = replica");
      statement.execute("select pg_advisory_xact_lock(" + SEQUENCER_LOCK + ")");
      for (String sql : statements) {
        statement.execute(sql);
      }
      superuser.commit();
    }
  }

  static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("waited 30 s in vain until " + what);
      }
      Thread.sleep(50);
    }
  }

  /** A valid national ID (letter, sex digit 1, serial), its check digit computed. */
  static String nationalId(char letter, int serial) {
    String letters = "ABCDEFGHJKLMNPQRSTUVXYWZIO";  // codes 10..35 in this order
    int code = 10 + letters.indexOf(letter);
    String digits = "1" + String.format("%07d", serial);
    int sum = code / 10 + 9 * (code % 10);
    for (int i = 0; i < 8; i++) {
      sum += (8 - i) * (digits.charAt(i) - '0');
    }
    return letter + digits + (10 - sum % 10) % 10;
  }

  private static int port(ConfigurableApplicationContext context) {
    return ((WebServerApplicationContext) context).getWebServer().getPort();
  }

  @Override
  public void close() {
    registry.close();
    witness.close();
  }
}
