package optout.consent;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import optout.platform.testing.PlatformTestEnvironment;
import optout.platform.testing.TestDatabases;
import optout.platform.testing.TestFilingKeys;
import optout.platform.testing.TestKeycloak;
import optout.platform.testing.TestKeys;
import optout.registry.log.Ed25519NoteSigner;
import optout.registry.sealedfiling.FilingKeyFile;

/**
 * The real optout-registry, run from its boot jar as a child process of the test JVM, so that a test can
 * deliver filings to it, stop it and start it again (the consent service's outbox must survive a registry
 * that is away). It gets a fresh database on the run's PostgreSQL, connects as the application role and
 * migrates as the owner, as {@code ./optout up} runs it; it has the test keystore, a log signing key of its
 * own and the run's Keycloak as issuer. Every start uses the same port and database, so what the registry
 * stored survives a stop.
 */
public final class RegistryProcess implements AutoCloseable {

  /** Set by consent-service/pom.xml for surefire: the registry's boot jar. */
  public static final String JAR_PROPERTY = "optout.test.registry-jar";

  private static final String BUILD_IT = "build the registry first: mvn -pl optout-registry -am package -DskipTests";
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(15);
  private static final int LOG_TAIL_LINES = 80;
  /** Variables of the developer's shell or the test run that the registry would read: none of them reach it. */
  private static final List<String> FOREIGN_VARIABLE_PREFIXES = List.of("SPRING_", "SERVER_", "MANAGEMENT_", "LOGGING_", "OPTOUT_");

  /** One row of the registry's events table, without the person. */
  public record StoredFiling(long seq, UUID id, String type, List<String> scopes, String channel, String documentReference,
      String documentSha256, Instant effectiveAt, String filedBy, String idempotencyKey, String filerRole, String filerPseudonym) {}

  private final Path jar;
  private final int port;
  private final TestDatabases.TestDatabase database;
  private final Map<String, String> registryEnvironment;
  /** The log signing key and the snapshots: kept across stops, deleted by close(). */
  private final Path workDirectory;
  private final Path logFile;
  private final HttpClient http = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();
  // volatile: the shutdown hook reads it without the lock a start() that is waiting holds
  private volatile Process process;
  private int starts;

  private RegistryProcess(Path jar, int port, TestDatabases.TestDatabase database, Map<String, String> registryEnvironment,
      Path workDirectory, Path logFile) {
    this.jar = jar;
    this.port = port;
    this.database = database;
    this.registryEnvironment = registryEnvironment;
    this.workDirectory = workDirectory;
    this.logFile = logFile;
  }

  /** The log's origin: the registry's default. */
  public static final String LOG_ORIGIN = "localhost/nhi-optout-registry";

  /** The registry's log signing key: its verifier key to pin, and the signer itself for tests that forge a history. */
  public Ed25519NoteSigner logKey() {
    try {
      return FilingKeyFile.load(workDirectory.resolve("registry-log.key"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Everything the registry needs, not yet started: a free port, a fresh database, keys and directories. */
  public static RegistryProcess prepare() {
    Path jar = registryJar();
    PlatformTestEnvironment platform = PlatformTestEnvironment.current();
    try {
      int port = freePort();
      TestDatabases.TestDatabase database = TestDatabases.create(platform, "registry");
      Path workDirectory = Files.createTempDirectory("registry-process");
      Path logDirectory = Path.of(System.getProperty("basedir", "."), "target", "registry-process");
      Files.createDirectories(logDirectory);

      Map<String, String> environment = new HashMap<>();
      environment.put("SERVER_PORT", Integer.toString(port));
      // A test's registry answers this machine only.
      environment.put("SERVER_ADDRESS", "127.0.0.1");
      environment.put("SPRING_DATASOURCE_URL", database.url());
      // As ./optout start_service runs it: the service as <db>_app, which may only read and insert
      // events; Flyway as the owner.
      environment.put("SPRING_DATASOURCE_USERNAME", database.applicationUser());
      environment.put("SPRING_DATASOURCE_PASSWORD", database.password());
      environment.put("SPRING_FLYWAY_USER", database.user());
      environment.put("SPRING_FLYWAY_PASSWORD", database.password());
      environment.put("OPTOUT_SECURITY_ISSUER", platform.realmIssuer(TestKeycloak.REALM).toString());
      // The keystores the registry's own tests use: its warehouse and identity custodies.
      environment.putAll(TestKeys.registryEnvironment());
      // Made here, not by the registry at its first start, so that a consent service can pin its verifier key before.
      FilingKeyFile.createIfMissing(workDirectory.resolve("registry-log.key"), LOG_ORIGIN, null);
      environment.put("OPTOUT_REGISTRY_LOG_SIGNING_KEY_FILE", workDirectory.resolve("registry-log.key").toString());
      environment.put("OPTOUT_REGISTRY_FILING_VERIFIER_KEYS", TestFilingKeys.verifierKey());
      environment.put("OPTOUT_REGISTRY_SNAPSHOTS_DIRECTORY", workDirectory.resolve("snapshots").toString());
      // Quick as in RegistryTestSetup: a filing is logged and checkpointed within a fraction of a second.
      environment.put("OPTOUT_REGISTRY_LOG_SEQUENCE_INTERVAL", "50ms");
      environment.put("OPTOUT_REGISTRY_LOG_CHECKPOINT_INTERVAL", "100ms");

      RegistryProcess registry = new RegistryProcess(jar, port, database, Map.copyOf(environment), workDirectory,
          logDirectory.resolve(database.user() + ".log"));
      // A test JVM that ends without close() must not leave a registry running.
      Runtime.getRuntime().addShutdownHook(new Thread(registry::killIfRunning, "registry-process-reaper"));
      return registry;
    } catch (Exception e) {
      throw new IllegalStateException("Cannot prepare the registry process: " + e.getMessage(), e);
    }
  }

  /** Starts the registry and waits until it is ready; the same port and database every time. */
  public synchronized void start() {
    if (running()) {
      throw new IllegalStateException("The registry is already running on port " + port);
    }
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException("The registry's jar " + jar + " is missing: " + BUILD_IT);
    }
    starts++;
    long logOffset;
    try {
      Files.writeString(logFile, "=== start " + starts + " at " + Instant.now() + " on port " + port + System.lineSeparator(),
          StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      logOffset = Files.size(logFile);
      // C1 only and the serial collector: starts in about half the time on a small machine; tests need no peak speed.
      ProcessBuilder builder = new ProcessBuilder(javaCommand(), "-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
          "-jar", jar.toString())
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
      builder.environment().keySet().removeIf(name -> FOREIGN_VARIABLE_PREFIXES.stream().anyMatch(name::startsWith));
      builder.environment().putAll(registryEnvironment);
      process = builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot start the registry from " + jar, e);
    }
    awaitReady(logOffset);
  }

  /** Stops the registry as an operator would (SIGTERM, graceful shutdown); forcibly if it takes too long. */
  public synchronized void stop() {
    if (process == null) {
      return;
    }
    try {
      process.destroy();
      if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    } finally {
      process = null;
    }
  }

  /** Kills the registry at once (SIGKILL), as a crash would: no graceful shutdown. */
  public synchronized void kill() {
    if (process == null) {
      return;
    }
    try {
      process.destroyForcibly();
      process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      process = null;
    }
  }

  public synchronized boolean running() {
    return process != null && process.isAlive();
  }

  /** Where the registry answers; the same across stops and starts. */
  public URI baseUri() {
    return URI.create("http://127.0.0.1:" + port);
  }

  /** The registry's output, all starts appended. */
  public Path logFile() {
    return logFile;
  }

  /** Stops the registry and deletes its signing key and snapshots; its database and log are left for a look. */
  @Override
  public void close() {
    stop();
    try (Stream<Path> files = Files.walk(workDirectory)) {
      for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(file);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot delete the registry's directory " + workDirectory, e);
    }
  }

  /** How many events the registry holds for this signed form: exactly-once delivery means exactly one. */
  public long filingsWithDocumentReference(String reference) {
    try (Connection connection = ownerConnection();
        PreparedStatement query = connection.prepareStatement("select count(*) from registry_event where document_reference = ?")) {
      query.setString(1, reference);
      try (ResultSet result = query.executeQuery()) {
        result.next();
        return result.getLong(1);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("Cannot read the registry's events: " + e.getMessage(), e);
    }
  }

  /** Every event the registry holds, in the order it stored them; read from its database, so also while it is stopped. */
  public List<StoredFiling> filings() {
    String sql = "select seq, id, type, scopes, channel, document_reference, document_sha256, effective_at, filed_by,"
        + " idempotency_key, filer_role, filer_pseudonym from registry_event order by seq";
    try (Connection connection = ownerConnection();
        PreparedStatement query = connection.prepareStatement(sql);
        ResultSet result = query.executeQuery()) {
      List<StoredFiling> filings = new ArrayList<>();
      while (result.next()) {
        Array scopes = result.getArray("scopes");
        filings.add(new StoredFiling(result.getLong("seq"), result.getObject("id", UUID.class), result.getString("type"),
            List.of((String[]) scopes.getArray()), result.getString("channel"), result.getString("document_reference"),
            result.getString("document_sha256"), result.getTimestamp("effective_at").toInstant(), result.getString("filed_by"),
            result.getString("idempotency_key"), result.getString("filer_role"), result.getString("filer_pseudonym")));
      }
      return filings;
    } catch (SQLException e) {
      throw new IllegalStateException("Cannot read the registry's events: " + e.getMessage(), e);
    }
  }

  /**
   * What an insider with the registry's database and its log key could do: sign a checkpoint of a tree the
   * log does not have, and store it as the latest.
   */
  public void forgeLatestCheckpoint(long size, byte[] root) {
    String note = new optout.registry.log.CheckpointSigner(logKey())
        .sign(new optout.registry.log.Checkpoint(LOG_ORIGIN, size, optout.registry.log.Hash.of(root), List.of())).encoded();
    try (Connection connection = ownerConnection();
        PreparedStatement insert = connection.prepareStatement(
            "insert into log_checkpoint (tree_size, root_hash, signed_note, created_at) values (?, ?, ?, now())")) {
      insert.setLong(1, size);
      insert.setBytes(2, root);
      insert.setString(3, note);
      insert.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException("Cannot forge a checkpoint: " + e.getMessage(), e);
    }
  }

  /** The size of the registry's latest checkpoint. */
  public long latestCheckpointSize() {
    try (Connection connection = ownerConnection();
        PreparedStatement query = connection.prepareStatement("select coalesce(max(tree_size), 0) from log_checkpoint");
        ResultSet result = query.executeQuery()) {
      result.next();
      return result.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException("Cannot read the registry's checkpoints: " + e.getMessage(), e);
    }
  }

  // As the owner, which reads every table, whether the registry runs or not.
  private Connection ownerConnection() throws SQLException {
    return DriverManager.getConnection(database.url(), database.user(), database.password());
  }

  private void awaitReady(long logOffset) {
    URI readiness = baseUri().resolve("/actuator/health/readiness");
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      Process started = process;
      if (!started.isAlive()) {
        process = null;
        throw new IllegalStateException("The registry exited with status " + started.exitValue() + " before it was ready."
            + logTail(logOffset));
      }
      if (isUp(readiness)) {
        return;
      }
      sleep(Duration.ofMillis(250));
    }
    kill();
    throw new IllegalStateException("The registry was not ready within " + READY_TIMEOUT.toSeconds() + " s." + logTail(logOffset));
  }

  private boolean isUp(URI readiness) {
    try {
      HttpResponse<String> response = http.send(HttpRequest.newBuilder(readiness).timeout(Duration.ofSeconds(5)).GET().build(),
          HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200 && response.body().contains("\"status\":\"UP\"");
    } catch (IOException notYetListening) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while waiting for the registry", e);
    }
  }

  private String logTail(long fromOffset) {
    try (RandomAccessFile file = new RandomAccessFile(logFile.toFile(), "r")) {
      long length = file.length() - fromOffset;
      byte[] bytes = new byte[(int) Math.min(Math.max(length, 0), 1 << 20)];
      file.seek(file.length() - bytes.length);
      file.readFully(bytes);
      List<String> lines = new String(bytes, StandardCharsets.UTF_8).lines().toList();
      List<String> tail = lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size());
      return " Last lines of " + logFile + ":" + System.lineSeparator() + String.join(System.lineSeparator(), tail);
    } catch (IOException e) {
      return " (cannot read " + logFile + ": " + e.getMessage() + ")";
    }
  }

  private void killIfRunning() {
    Process current = process;
    if (current != null) {
      current.destroyForcibly();
    }
  }

  private static Path registryJar() {
    String configured = System.getProperty(JAR_PROPERTY);
    if (configured == null || configured.isBlank()) {
      throw new IllegalStateException("System property " + JAR_PROPERTY + " is not set (consent-service/pom.xml sets it for"
          + " surefire to ../optout-registry/target/optout-registry.jar); run the test with Maven, and " + BUILD_IT);
    }
    Path jar = Path.of(configured).toAbsolutePath().normalize();
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException("The registry's jar " + jar + " is missing: " + BUILD_IT);
    }
    return jar;
  }

  // The test JVM's own Java: the JDK the build runs on.
  private static String javaCommand() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while waiting for the registry", e);
    }
  }
}
