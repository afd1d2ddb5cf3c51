package optout.registry.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import optout.pseudonymizer.id.NationalIds;
import optout.registry.bench.FilingLoad.ClientRecord;
import optout.registry.sealedfiling.FilingKeyFile;

/**
 * {@code ./optout bench registry}: many clients file opt-outs with synchronous commit while the registry
 * is killed with SIGKILL and restarted; afterwards every acknowledged filing must be in the database
 * exactly once and in the log, and the audit must pass. It prints filings per second and latencies,
 * beside baselines measured in the same run (the database's own commit rate, the registry's SQL over
 * plain JDBC, the HTTP stack alone), and where the CPU went.
 *
 * <p>Exit codes: 0 every check passed (whatever the speed), 1 a check failed (a lost or duplicated
 * filing, an unlogged event, an audit finding), 2 the benchmark could not run.
 */
public final class RegistryBenchmark {

  /** After a restart the JVM is cold for a while: this much after "ready" still counts as disturbed. */
  static final Duration SETTLE = Duration.ofSeconds(5);
  static final Duration BASELINE_WARMUP = Duration.ofSeconds(1);
  static final Duration BASELINE_WINDOW = Duration.ofSeconds(5);
  /** A client gives up a filing only this long after the measured phase ended (the registry would be down for good). */
  static final Duration GIVE_UP_AFTER = Duration.ofMinutes(3);
  static final String REALM = "nhi-optout";
  /** The registry's default origin: the name of its log key. */
  static final String LOG_ORIGIN = "localhost/nhi-optout-registry";
  static final String LAUNCHER = "org.springframework.boot.loader.launch.PropertiesLauncher";
  /** The registry's heap as ./optout up starts it, so the figures are the platform's. */
  static final List<String> REGISTRY_HEAP = List.of("-Xms64m", "-Xmx384m");

  /** One kill: times relative to the start of the measured phase. */
  record Kill(int number, long pid, long at, int inFlight, long exited, long spawned, long ready) {}

  private final BenchOptions options;
  private final String runId;
  private final Path runDir;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(2)).build();
  private BenchDatabase database;
  private RegistryProcess registry;
  private WitnessProcess witness;
  private SideBySide sideBySide;
  private boolean cleanedUp;
  private boolean failed;

  private RegistryBenchmark(BenchOptions options) {
    this.options = options;
    byte[] id = new byte[4];
    new java.security.SecureRandom().nextBytes(id);
    this.runId = HexFormat.of().formatHex(id);
    this.runDir = options.workDir().resolve("registry-" + runId);
  }

  public static void main(String[] args) {
    if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
      System.out.println(String.format(BenchOptions.USAGE, BenchOptions.defaultPool()));
      System.exit(0);
      return;
    }
    BenchOptions options;
    try {
      options = BenchOptions.parse(List.of(args), System.getenv());
    } catch (IllegalArgumentException e) {
      System.err.println("error: " + e.getMessage());
      System.err.println(String.format(BenchOptions.USAGE, BenchOptions.defaultPool()));
      System.exit(2);
      return;
    }
    RegistryBenchmark benchmark = new RegistryBenchmark(options);
    Runtime.getRuntime().addShutdownHook(new Thread(benchmark::cleanUp, "bench-cleanup"));
    int status;
    try {
      status = benchmark.run();
    } catch (BenchException e) {
      System.err.println("error: " + e.getMessage());
      status = 2;
    } catch (InterruptedException e) {
      System.err.println("error: interrupted");
      status = 2;
    } catch (IOException | SQLException e) {
      System.err.println("error: " + e);
      status = 2;
    }
    benchmark.failed = status != 0;
    benchmark.cleanUp();
    System.exit(status);
  }

  private int run() throws BenchException, IOException, SQLException, InterruptedException {
    int cores = Runtime.getRuntime().availableProcessors();
    say("Registry load-and-crash benchmark, run %s, seed %d, %s", runId, options.seed(), Instant.now().truncatedTo(ChronoUnit.SECONDS));
    say("  machine: %d cores (%s), %s memory, %s %s, Java %s; load average now %s", cores, cpuModel(), memory(),
        System.getProperty("os.name"), System.getProperty("os.version"), System.getProperty("java.version"), CpuMeter.loadAverage());
    if (!Files.isRegularFile(options.jar())) {
      throw new BenchException("The registry's boot jar " + options.jar() + " is missing: build it (./optout builds it when needed)");
    }
    NationalIds.selfCheck(100_000);
    Files.createDirectories(runDir);

    database = BenchDatabase.create("127.0.0.1", options.pgPort(), runId);
    Map<String, String> settings = database.durabilitySettings();
    say("  PostgreSQL (platform's, 127.0.0.1:%d), database %s, as the registry's role sees it:", options.pgPort(), database.name());
    settings.forEach((name, value) -> say("    %-24s %s", name, value));
    if (!"on".equals(settings.get("show synchronous_commit"))) {
      throw new BenchException("synchronous_commit is not on in the benchmark's database; the run would not measure synchronous commits");
    }
    double flushes = DiskFlushProbe.flushesPerSecond(runDir, Duration.ofSeconds(1));
    say("  disk: %,.0f fdatasync/s of 8 KiB in %s (%.2f ms each): what a commit would wait for with fsync on",
        flushes, options.workDir(), 1000 / flushes);

    TokenSource tokens = new TokenSource(http, options.keycloak(), REALM, "optout-consent", options.clientSecret());
    tokens.get();
    if (options.compareWith() != null) {
      compare(tokens);
    }

    int port = freePort();
    URI base = URI.create("http://127.0.0.1:" + port);
    Map<String, String> environment = registryEnvironment(port);
    if (options.witnessJar() != null) {
      witness = new WitnessProcess(options.witnessJar(), runDir.resolve("witness"), freePort());
      environment.putAll(witnessed(witness, keyFile()));
      say("  witness: its own JVM (%s, as ./optout up runs it), state in %s; the registry submits every checkpoint to it",
          String.join(" ", WitnessProcess.HEAP), runDir.resolve("witness"));
    } else {
      say("  witness: none (./optout passes --witness-jar; without it the registry runs unwitnessed)");
    }
    registry = new RegistryProcess(registryCommand(), environment, runDir.resolve("registry.log"), port);
    say("  registry: its own JVM (%s, as ./optout up runs it%s) on port %d, Hikari pool %d; log %s", String.join(" ", REGISTRY_HEAP),
        options.registryJavaOptions().isEmpty() ? "" : "; plus " + String.join(" ", options.registryJavaOptions()), port, options.pool(),
        registry.log());
    long spawned = System.nanoTime();
    registry.start();
    registry.awaitReady(Duration.ofMinutes(3));
    say("  first start (migrations included): %.1f s", (System.nanoTime() - spawned) / 1e9);

    say("");
    say("Baselines, same run, %d s each after %d s of warm-up:", BASELINE_WINDOW.toSeconds(), BASELINE_WARMUP.toSeconds());
    DatabaseBaseline baseline = new DatabaseBaseline(database);
    baseline.prepare();
    Rate commits;
    Rate statements;
    try {
      commits = baseline.commits(options.pool(), BASELINE_WARMUP, BASELINE_WINDOW);
      printRate(commits, options.pool() + " connections");
      statements = baseline.filingStatements(options.pool(), BASELINE_WARMUP, BASELINE_WINDOW);
      printRate(statements, options.pool() + " connections");
    } finally {
      baseline.dropScratch();
    }
    URI liveness = base.resolve("/actuator/health/liveness");
    Rate health = Rate.measure("GET /actuator/health/liveness", options.clients(), BASELINE_WARMUP, BASELINE_WINDOW, thread -> () -> {
      HttpResponse<Void> response = http.send(HttpRequest.newBuilder(liveness).timeout(Duration.ofSeconds(10)).GET().build(),
          HttpResponse.BodyHandlers.discarding());
      if (response.statusCode() != 200) {
        throw new IOException("liveness answered HTTP " + response.statusCode());
      }
    });
    printRate(health, options.clients() + " clients");

    say("");
    say("Load: %d clients, warm-up %d s, measured %d s, %d kill(s) (SIGKILL to the registry's JVM), each restart plus %d s counted as disturbed",
        options.clients(), options.warmupSeconds(), options.seconds(), options.kills(), SETTLE.toSeconds());
    String effectiveAt = Instant.now().minus(Duration.ofMinutes(1)).truncatedTo(ChronoUnit.SECONDS).toString();
    long origin = System.nanoTime() + Duration.ofSeconds(options.warmupSeconds()).toNanos();
    FilingLoad load = new FilingLoad(http, base, tokens, runId, effectiveAt, origin);
    load.start(options.clients());
    sleepUntil(load, 0);
    CpuMeter.Sample cpuStart = CpuMeter.sample(registry.pid(), database.name());
    CpuMeter.Sample cpuEnd = null;
    long measured = Duration.ofSeconds(options.seconds()).toNanos();
    List<Kill> kills = new ArrayList<>();
    Random random = new Random(options.seed());
    long slot = options.kills() == 0 ? measured : measured / options.kills();
    long earliest = 0;
    for (int k = 0; k < options.kills() && load.fatal() == null; k++) {
      long target = Math.max(slot * k + (long) (slot * (0.2 + 0.6 * random.nextDouble())), earliest);
      if (target > measured - Duration.ofSeconds(1).toNanos()) {
        say("  kill %d skipped: the last restart left no room for it before the end", k + 1);
        break;
      }
      sleepUntil(load, target);
      if (cpuEnd == null) {
        cpuEnd = CpuMeter.sample(registry.pid(), database.name());
        dumpProfile(load.now());
      }
      long pid = registry.pid();
      int inFlight = load.inFlight();
      long at = load.now();
      registry.kill();
      long exited = load.now();
      registry.start();
      long restarted = load.now();
      registry.awaitReady(Duration.ofMinutes(3));
      long ready = load.now();
      Kill kill = new Kill(k + 1, pid, at, inFlight, exited, restarted, ready);
      kills.add(kill);
      say("  kill %d at %5.1f s: %d requests in flight; registry down %.1f s (new JVM to ready %.1f s)", kill.number(), at / 1e9,
          inFlight, (ready - at) / 1e9, (ready - restarted) / 1e9);
      earliest = ready + SETTLE.toNanos() + Duration.ofSeconds(2).toNanos();
    }
    sleepUntil(load, measured);
    if (cpuEnd == null) {
      cpuEnd = CpuMeter.sample(registry.pid(), database.name());
      dumpProfile(load.now());
    }
    load.stopIssuing(GIVE_UP_AFTER);
    if (!load.await(GIVE_UP_AFTER.plus(Duration.ofSeconds(40)))) {
      throw new BenchException("Clients were still filing " + GIVE_UP_AFTER.toMinutes() + " minutes after the end; the registry's log: "
          + registry.log());
    }
    if (load.fatal() != null) {
      throw new BenchException(load.fatal());
    }
    long drained = load.now();

    Report report = new Report(load.records(), kills, measured, SETTLE.toNanos());
    report.print(commits, statements, health, cpuStart, cpuEnd, origin, options.clients());

    say("");
    awaitSequencer(Duration.ofMinutes(2));
    say("Checks (clients done, the registry idle; its sequencer had logged everything %.1f s after the last filing):", (load.now() - drained) / 1e9);
    boolean correct = verify(load, report);
    boolean audited = audit();
    correct &= audited;

    say("");
    long[] optedOut;
    try (Connection connection = database.inspect();
        java.sql.Statement statement = connection.createStatement();
        java.sql.ResultSet rows = statement.executeQuery(
            "select person from person_state where opted_out ? 'academic-research' or opted_out ? 'all-secondary-use'")) {
      LongList people = new LongList();
      while (rows.next()) {
        people.add(rows.getLong(1));
      }
      optedOut = people.toArray();
    }
    TokenSource releaser = new TokenSource(http, options.keycloak(), REALM, "optout-portal", "optout-portal-local-demo-secret");
    BulkCheckPhase.Result bulk = new BulkCheckPhase(http, base).run(releaser, optedOut);
    say("Bulk check of %,d pseudonyms (target under %d s): %s", BulkCheckPhase.PSEUDONYMS, BulkCheckPhase.TARGET.toSeconds(),
        bulk.elapsed().map(d -> String.format(Locale.ROOT, "%.2f s", d.toNanos() / 1e9)).orElse(bulk.note()));

    say("");
    say("Targets (issue): >= 1,000 filings/s: warm segment %s (%,.0f /s), steady phases %s (%,.0f /s), whole run with kills %s (%,.0f /s)",
        met(report.warmRate() >= 1000), report.warmRate(), met(report.steadyRate() >= 1000), report.steadyRate(),
        met(report.wholeRate() >= 1000), report.wholeRate());
    say("                 p99 < 200 ms per attempt: warm segment %s (%.1f ms), steady phases %s (%.1f ms), whole run %s (%.1f ms)",
        met(report.warmP99() >= 0 && report.warmP99() < 200_000_000L), report.warmP99() / 1e6,
        met(report.steadyP99() >= 0 && report.steadyP99() < 200_000_000L), report.steadyP99() / 1e6,
        met(report.wholeP99() >= 0 && report.wholeP99() < 200_000_000L), report.wholeP99() / 1e6);
    say("                 zero lost, zero duplicated, audit OK: %s", correct ? "MET" : "NOT MET");
    say("                 bulk check of 1,000,000 pseudonyms under 10 s: %s",
        bulk.elapsed().map(d -> d.compareTo(BulkCheckPhase.TARGET) < 0 ? "MET" : "NOT MET").orElse("not measured"));
    say("RESULT: %s", correct ? "PASS (every acknowledged filing stored exactly once and logged; audit OK)" : "FAIL");
    if (options.keep()) {
      say("Kept: database %s (roles %s and %s), the log key and the registry's log in %s. Inspect it as the local superuser"
          + " (psql -h 127.0.0.1 -p %d -U postgres %s); drop it with: drop database %s with (force); drop role %s; drop role %s;",
          database.name(), database.name(), database.appRole(), runDir, options.pgPort(), database.name(), database.name(),
          database.appRole(), database.name());
    }
    return correct ? 0 : 1;
  }

  /** --compare-with: the other build and this one, alternating, before the load-and-crash phase. */
  private void compare(TokenSource tokens) throws BenchException, IOException, SQLException, InterruptedException {
    if (!Files.isRegularFile(options.compareWith())) {
      throw new BenchException("The registry jar to compare with, " + options.compareWith() + ", is missing");
    }
    Duration window = Duration.ofSeconds(options.compareSeconds());
    Duration warmup = Duration.ofSeconds(options.warmupSeconds());
    List<SideBySide.Side> sides = List.of(
        new SideBySide.Side(options.compareLabel(), options.compareWith(), dir -> Map.of()),
        new SideBySide.Side(options.witnessJar() == null ? "this build" : "this build, witnessed", options.jar(), new SideBySide.EnvironmentExtra() {
          private WitnessProcess roundWitness;

          @Override
          public Map<String, String> prepare(Path dir) throws IOException, InterruptedException {
            if (options.witnessJar() == null) {
              return Map.of();
            }
            roundWitness = new WitnessProcess(options.witnessJar(), dir.resolve("witness"), freePort());
            return witnessed(roundWitness, dir.resolve("registry-log.key"));
          }

          @Override
          public void finish() throws InterruptedException {
            if (roundWitness != null) {
              roundWitness.stop();
            }
          }
        }));
    say("");
    say("Side by side, same run: %s, then this build; %d rounds each, alternating, each a fresh database and JVM, %d clients,"
        + " warm-up %d s, measured %d s, no kills:", options.compareLabel(), options.compareRounds(), options.clients(), warmup.toSeconds(),
        window.toSeconds());
    sideBySide = new SideBySide(http, tokens, (jar, port, db, dir, extra) -> {
      Map<String, String> environment = registryEnvironment(port, db, dir.resolve("registry-log.key"));
      environment.putAll(extra);
      return new RegistryProcess(registryCommand(jar), environment, dir.resolve("registry.log"), port);
    }, runId, runDir, options.pgPort());
    List<SideBySide.Round> rounds = sideBySide.run(sides, options.compareRounds(), options.clients(), warmup, window);
    SideBySide.summarise(sides, rounds);
  }

  /** The sequencer runs every 200 ms and signs a checkpoint at most every second: wait until both cover every leaf. */
  private void awaitSequencer(Duration limit) throws SQLException, InterruptedException, BenchException {
    long deadline = System.nanoTime() + limit.toNanos();
    try (Connection connection = database.inspect()) {
      while (System.nanoTime() - deadline < 0) {
        // every leaf: the events and the log records (the scope rules the registry logged at its start)
        long leaves = BenchDatabase.count(connection, "select (select count(*) from registry_event) + (select count(*) from log_record)");
        long unlogged = BenchDatabase.count(connection,
            "select count(*) from registry_event e where not exists (select 1 from log_leaf l where l.event_seq = e.seq)");
        long checkpoint = BenchDatabase.count(connection, "select coalesce(max(tree_size), 0) from log_checkpoint");
        if (unlogged == 0 && checkpoint == leaves) {
          return;
        }
        Thread.sleep(100);
      }
    }
    throw new BenchException("The sequencer did not log every event within " + limit.toSeconds() + " s; the registry's log: " + registry.log());
  }

  private boolean verify(FilingLoad load, Report report) throws SQLException {
    Map<String, UUID> acknowledged = new HashMap<>();
    long acknowledgements = 0;
    long unacknowledged = 0;
    java.util.Set<String> neverAcknowledged = new java.util.HashSet<>();
    for (ClientRecord record : load.records()) {
      for (int i = 0; i < record.ackIndex.size(); i++) {
        acknowledgements++;
        acknowledged.put(load.key(record.ackIndex.get(i)), new UUID(record.ackIdHigh.get(i), record.ackIdLow.get(i)));
      }
      for (int i = 0; i < record.unacknowledged.size(); i++) {
        neverAcknowledged.add(load.key(record.unacknowledged.get(i)));
        unacknowledged++;
      }
    }
    Map<String, List<UUID>> stored = new HashMap<>();
    long rows = 0;
    try (Connection connection = database.inspect(); Statement statement = connection.createStatement()) {
      statement.setFetchSize(10_000);
      connection.setAutoCommit(false);
      try (ResultSet result = statement.executeQuery("select idempotency_key, id from registry_event")) {
        while (result.next()) {
          rows++;
          stored.computeIfAbsent(result.getString(1), k -> new ArrayList<>(1)).add(result.getObject(2, UUID.class));
        }
      }
      connection.commit();
      long duplicatePersons = BenchDatabase.count(connection,
          "select count(*) from (select person from registry_event group by person having count(*) > 1) d");
      long duplicateIds = BenchDatabase.count(connection, "select count(*) - count(distinct id) from registry_event");
      long leaves = BenchDatabase.count(connection, "select count(*) from log_leaf");
      long leafEnd = BenchDatabase.count(connection, "select coalesce(max(log_index) + 1, 0) from log_leaf");
      long leafEvents = BenchDatabase.count(connection, "select count(distinct event_seq) from log_leaf");
      // the scope rules the registry logged at its start (and any exemption decision) are leaves too
      long leafRecords = BenchDatabase.count(connection, "select count(*) from log_leaf where record_seq is not null");
      long unlogged = BenchDatabase.count(connection,
          "select count(*) from registry_event e where not exists (select 1 from log_leaf l where l.event_seq = e.seq)");
      long checkpoint = BenchDatabase.count(connection, "select coalesce(max(tree_size), 0) from log_checkpoint");
      long states = BenchDatabase.count(connection, "select count(*) from person_state");

      long missing = 0;
      long otherEvent = 0;
      for (Map.Entry<String, UUID> ack : acknowledged.entrySet()) {
        List<UUID> found = stored.get(ack.getKey());
        if (found == null) {
          missing++;
        } else if (!found.contains(ack.getValue())) {
          otherEvent++;
        }
      }
      long duplicateKeys = stored.values().stream().filter(ids -> ids.size() > 1).count();
      long storedUnacknowledged = stored.keySet().stream().filter(neverAcknowledged::contains).count();
      long unexplained = stored.keySet().stream().filter(key -> !acknowledged.containsKey(key) && !neverAcknowledged.contains(key)).count();
      long lost = missing + otherEvent;
      long duplicated = duplicateKeys + duplicatePersons + duplicateIds;

      say("  acknowledged filings: %,d (%,d acknowledgements, of %,d filings issued); rows in the database: %,d", acknowledged.size(),
          acknowledgements, load.issued(), rows);
      say("  lost: %,d (acknowledged but missing %,d, stored as another event %,d)", lost, missing, otherEvent);
      say("  duplicated: %,d (keys with more than one row %,d, persons with more than one event %,d, repeated event ids %,d)",
          duplicated, duplicateKeys, duplicatePersons, duplicateIds);
      say("  never acknowledged (gave up): %,d, of which stored: %,d; rows no client filed: %,d", unacknowledged, storedUnacknowledged,
          unexplained);
      say("  committed, answer lost in a kill, retry answered with the stored filing (replays): %,d", report.replays());
      say("  log: %,d leaves for %,d events and %,d records (indexes 0..%,d, %,d distinct events), unlogged %,d;"
          + " latest signed checkpoint covers %,d", leaves, rows, leafRecords, leafEnd - 1, leafEvents, unlogged, checkpoint);
      say("  current-state projection: %,d persons", states);
      boolean logOk = unlogged == 0 && leaves == rows + leafRecords && leafEnd == leaves && leafEvents == rows && checkpoint == leaves;
      return !acknowledged.isEmpty() && lost == 0 && duplicated == 0 && unexplained == 0 && unacknowledged == 0 && acknowledgements == acknowledged.size()
          && rows == acknowledged.size() + storedUnacknowledged && logOk && states == rows;
    }
  }

  /** {@code ./optout registry audit}, exactly: RegistryCommand through the boot jar's launcher, as the application role. */
  private boolean audit() throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(java(), "-Xmx512m", "-cp", options.jar().toString(),
        "-Dloader.main=optout.registry.audit.RegistryCommand", LAUNCHER, "audit").redirectErrorStream(true);
    builder.environment().put("SPRING_DATASOURCE_URL", database.url());
    builder.environment().put("SPRING_DATASOURCE_USERNAME", database.appRole());
    builder.environment().put("SPRING_DATASOURCE_PASSWORD", database.password());
    builder.environment().put("OPTOUT_REGISTRY_LOG_SIGNING_KEY_FILE", keyFile().toString());
    long start = System.nanoTime();
    Process process = builder.start();
    String output;
    try (InputStream in = process.getInputStream()) {
      output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    if (!process.waitFor(10, TimeUnit.MINUTES)) {
      process.destroyForcibly();
    }
    int exit = process.exitValue();
    say("  audit (RegistryCommand audit, as ./optout registry audit runs it; %.1f s): exit %d", (System.nanoTime() - start) / 1e9, exit);
    output.lines().limit(30).forEach(line -> say("    %s", line));
    return exit == 0 && output.contains("OK: the log and the rows agree");
  }

  /**
   * With --profile: the flight recording of the first steady segment, written before the first kill
   * (SIGKILL leaves no recording behind). The recording runs from the JVM's start: starting it later
   * retransforms the JDK's event classes, and the recompilation that follows would be what it measures.
   */
  private void dumpProfile(long segmentNanos) throws IOException, InterruptedException {
    if (jcmd("JFR.dump", "name=bench", "begin=-" + Math.max(1, segmentNanos / 1_000_000_000L) + "s", "filename=" + profileFile())) {
      say("  flight recording of the first steady segment: %s (kept; jfr print --events jdk.ExecutionSample reads it)", profileFile());
    }
  }

  /** A jcmd to the registry's JVM, with --profile only; false (and said) if it failed. */
  private boolean jcmd(String... command) throws IOException, InterruptedException {
    if (!options.profile()) {
      return false;
    }
    List<String> line = new ArrayList<>(List.of(Path.of(java()).resolveSibling("jcmd").toString(), Long.toString(registry.pid())));
    line.addAll(List.of(command));
    Process process = new ProcessBuilder(line).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
      say("  (profiling: jcmd %s failed)", command[0]);
      return false;
    }
    return true;
  }

  private Path profileFile() {
    return options.workDir().resolve("registry-" + runId + ".jfr");
  }

  private List<String> registryCommand() {
    return registryCommand(options.jar());
  }

  List<String> registryCommand(Path jar) {
    List<String> command = new ArrayList<>();
    command.add(java());
    command.addAll(REGISTRY_HEAP);
    command.addAll(options.registryJavaOptions());
    if (options.profile()) {
      command.add("-XX:StartFlightRecording=name=bench,settings=profile");
    }

    command.addAll(List.of("-jar", jar.toString(), "--spring.datasource.hikari.maximum-pool-size=" + options.pool()));
    return command;
  }

  /** As ./optout's start_service gives the registry its environment, pointed at the run's database, port and key. */
  private Map<String, String> registryEnvironment(int port) {
    return registryEnvironment(port, database, keyFile());
  }

  Map<String, String> registryEnvironment(int port, BenchDatabase database, Path keyFile) {
    Map<String, String> environment = new LinkedHashMap<>();
    environment.put("SERVER_PORT", Integer.toString(port));
    environment.put("SPRING_DATASOURCE_URL", database.url());
    environment.put("SPRING_DATASOURCE_USERNAME", database.appRole());
    environment.put("SPRING_DATASOURCE_PASSWORD", database.password());
    environment.put("SPRING_FLYWAY_USER", database.name());
    environment.put("SPRING_FLYWAY_PASSWORD", database.password());
    environment.put("OPTOUT_SECURITY_ISSUER", options.keycloak().resolve("/realms/" + REALM).toString());
    environment.putAll(options.keyVariables());
    try {
      ensureLogKey(keyFile);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("Cannot make the run's log key " + keyFile, e);
    }
    environment.put("OPTOUT_REGISTRY_LOG_SIGNING_KEY_FILE", keyFile.toString());
    environment.put("OPTOUT_REGISTRY_FILING_VERIFIER_KEYS", FilingLoad.FILING_KEY.verifierKey());
    return environment;
  }

  /** The registry's log key, made here (not by the registry) so that a witness can be told its verifier key first. */
  static String ensureLogKey(Path keyFile) throws IOException {
    return FilingKeyFile.createIfMissing(keyFile, LOG_ORIGIN, null).verifierKey();
  }

  /** Starts the witness of the log whose key is in {@code keyFile}; answers what the registry needs to submit to it. */
  static Map<String, String> witnessed(WitnessProcess witness, Path keyFile) throws IOException, InterruptedException {
    String witnessKey = witness.start(LOG_ORIGIN, ensureLogKey(keyFile), java());
    return Map.of("OPTOUT_REGISTRY_LOG_WITNESS_URL", witness.url().toString(), "OPTOUT_REGISTRY_LOG_WITNESS_VERIFIER_KEY", witnessKey);
  }

  private Path keyFile() {
    return runDir.resolve("registry-log.key");
  }

  /** Stops the registry, drops the database and the run's key, unless --keep; once, also on Ctrl-C. */
  private synchronized void cleanUp() {
    if (cleanedUp) {
      return;
    }
    cleanedUp = true;
    if (sideBySide != null) {
      sideBySide.cleanUp();
    }
    try {
      if (witness != null) {
        witness.stop();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      if (registry != null) {
        if (options.keep()) {
          registry.stop();
        } else {
          registry.kill();  // its database is dropped next: nothing to shut down gracefully for
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (options.keep()) {
      return;
    }
    try {
      if (database != null) {
        database.drop();
      }
    } catch (SQLException e) {
      System.err.println("warning: cannot drop the benchmark's database " + database.name() + ": " + e.getMessage());
    }
    try {
      Files.deleteIfExists(keyFile());
      if (!failed && Files.isDirectory(runDir)) {
        try (Stream<Path> files = Files.walk(runDir)) {
          for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
            Files.deleteIfExists(file);
          }
        }
      } else if (failed && Files.isDirectory(runDir)) {
        System.err.println("The registry's log is kept in " + runDir);
      }
    } catch (IOException e) {
      System.err.println("warning: cannot remove " + runDir + ": " + e.getMessage());
    }
  }

  private static String met(boolean met) {
    return met ? "MET" : "NOT MET";
  }

  private static void sleepUntil(FilingLoad load, long at) throws InterruptedException {
    long left;
    while ((left = at - load.now()) > 0 && load.fatal() == null) {
      TimeUnit.NANOSECONDS.sleep(Math.min(left, 100_000_000L));
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  static String java() {
    return ProcessHandle.current().info().command().orElse("java");
  }

  private static String cpuModel() {
    try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"))) {
      return lines.filter(l -> l.startsWith("model name")).map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("unknown CPU");
    } catch (IOException e) {
      return "unknown CPU";
    }
  }

  private static String memory() {
    try (Stream<String> lines = Files.lines(Path.of("/proc/meminfo"))) {
      return lines.filter(l -> l.startsWith("MemTotal:")).map(l -> String.format(Locale.ROOT, "%.1f GiB",
          Long.parseLong(l.replaceAll("[^0-9]", "")) / 1024.0 / 1024.0)).findFirst().orElse("unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }

  private static void printRate(Rate rate, String concurrency) {
    say("  %-34s %-15s %,9.0f /s   p50 %6.2f ms  p99 %6.2f ms  max %7.1f ms", rate.what(), concurrency, rate.perSecond(),
        Rate.percentile(rate.sortedNanos(), 50) / 1e6, Rate.percentile(rate.sortedNanos(), 99) / 1e6,
        Rate.percentile(rate.sortedNanos(), 100) / 1e6);
  }

  static void say(String format, Object... args) {
    System.out.println(String.format(Locale.ROOT, format, args));
  }

  /** The figures of the load, from the client records, the kills and the phases they make. */
  static final class Report {
    private final List<Kill> kills;
    private final long measured;
    private final long[][] disturbed;
    private final long[] attemptsWhole;
    private final long[] attemptsSteady;
    private final long[] filingsWhole;
    private final long ackedWhole;
    private final long ackedSteady;
    private final double steadySeconds;
    private final long replays;
    private final long retried;
    private final long refused;
    private final long lostConnections;
    private final long timeouts;
    private final long serverErrors;
    private final long unauthorized;
    private final long failuresSteady;
    private final long[] perSecond;
    private final long warmupAcks;
    private final long drainAcks;
    private final long[] ackTimes;
    private final long[][] attempts;

    Report(List<ClientRecord> records, List<Kill> kills, long measured, long settle) {
      this.kills = kills;
      this.measured = measured;
      this.disturbed = kills.stream().map(k -> new long[] {k.at(), Math.min(measured, k.ready() + settle)}).toArray(long[][]::new);
      long disturbedNanos = Arrays.stream(disturbed).mapToLong(d -> Math.max(0, d[1] - d[0])).sum();
      this.steadySeconds = (measured - disturbedNanos) / 1e9;
      LongList whole = new LongList();
      LongList steady = new LongList();
      LongList filings = new LongList();
      LongList acks = new LongList();
      LongList attemptStarts = new LongList();
      LongList attemptEnds = new LongList();
      long acked = 0;
      long ackedInSteady = 0;
      long replayCount = 0;
      long retriedCount = 0;
      long warm = 0;
      long drain = 0;
      long refusedCount = 0;
      long lostCount = 0;
      long timeoutCount = 0;
      long serverCount = 0;
      long unauthorizedCount = 0;
      long steadyFailures = 0;
      this.perSecond = new long[(int) (measured / 1_000_000_000L)];
      for (ClientRecord record : records) {
        for (int i = 0; i < record.attemptStart.size(); i++) {
          long start = record.attemptStart.get(i);
          long end = record.attemptEnd.get(i);
          long ack = record.ackAt.get(i);
          acks.add(ack);
          attemptStarts.add(start);
          attemptEnds.add(end);
          if (ack < 0) {
            warm++;
            continue;
          }
          if (ack >= measured) {
            drain++;
            continue;
          }
          acked++;
          perSecond[(int) (ack / 1_000_000_000L)]++;
          whole.add(end - start);
          filings.add(record.filingNanos.get(i));
          if (segment(start) >= 0 && segment(start) == segment(end)) {
            steady.add(end - start);
          }
          if (segment(ack) >= 0) {
            ackedInSteady++;
          }
        }
        replayCount += record.replayedIndex.size();
        retriedCount += record.retriedIndex.size();
        refusedCount += record.connectionRefused;
        lostCount += record.connectionLost;
        timeoutCount += record.timeouts;
        serverCount += record.serverErrors;
        unauthorizedCount += record.unauthorized;
        for (int i = 0; i < record.failureAt.size(); i++) {
          long at = record.failureAt.get(i);
          if (at >= 0 && at < measured && segment(at) >= 0) {
            steadyFailures++;
          }
        }
      }
      this.attemptsWhole = sorted(whole);
      this.attemptsSteady = sorted(steady);
      this.filingsWhole = sorted(filings);
      this.ackTimes = sorted(acks);
      this.attempts = new long[][] {attemptStarts.toArray(), attemptEnds.toArray()};
      this.ackedWhole = acked;
      this.ackedSteady = ackedInSteady;
      this.replays = replayCount;
      this.retried = retriedCount;
      this.refused = refusedCount;
      this.lostConnections = lostCount;
      this.timeouts = timeoutCount;
      this.serverErrors = serverCount;
      this.unauthorized = unauthorizedCount;
      this.failuresSteady = steadyFailures;
      this.warmupAcks = warm;
      this.drainAcks = drain;
    }

    /** Which steady segment (between kills) a moment of the measured phase lies in; -1 if disturbed or outside. */
    int segment(long at) {
      if (at < 0 || at >= measured) {
        return -1;
      }
      int segment = 0;
      for (long[] window : disturbed) {
        if (at >= window[0] && at < window[1]) {
          return -1;
        }
        if (at >= window[1]) {
          segment++;
        }
      }
      return segment;
    }

    double wholeRate() {
      return ackedWhole / (measured / 1e9);
    }

    long steadyAcknowledged() {
      return ackedSteady;
    }

    double steadyRate() {
      return steadySeconds <= 0 ? 0 : ackedSteady / steadySeconds;
    }

    long steadyP99() {
      return Rate.percentile(attemptsSteady, 99);
    }

    /** The first segment: the JVM warmed up, before any kill. */
    private long warmEnd() {
      return kills.isEmpty() ? measured : kills.get(0).at();
    }

    double warmRate() {
      return ackedBetween(0, warmEnd()) / (warmEnd() / 1e9);
    }

    long warmP99() {
      return Rate.percentile(attemptsWithin(0, warmEnd()), 99);
    }

    /** Attempts that failed in any way (refused, lost, timed out, 5xx, 401), in the whole run. */
    long failedAttempts() {
      return refused + lostConnections + timeouts + serverErrors + unauthorized;
    }

    long wholeP99() {
      return Rate.percentile(attemptsWhole, 99);
    }

    long replays() {
      return replays;
    }

    void print(Rate commits, Rate statements, Rate health, CpuMeter.Sample cpuStart, CpuMeter.Sample cpuEnd, long origin, int clients) {
      say("");
      say("Filings (acknowledged: 201 created, or 200 replayed):");
      say("  whole measured phase (%.0f s, kills included): %,d filings, %,.0f /s", measured / 1e9, ackedWhole, wholeRate());
      say("  steady phases (%.1f s: without the kills, restarts and %d s after each): %,d filings, %,.0f /s", steadySeconds,
          SETTLE.toSeconds(), ackedSteady, steadyRate());
      latency("  per successful attempt, steady phases", attemptsSteady);
      latency("  per successful attempt, whole phase", attemptsWhole);
      latency("  per filing incl. retries, whole phase", filingsWhole);
      say("  retried filings: %,d; failed attempts: %,d connection refused, %,d connection lost, %,d timed out, %,d 5xx, %,d 401"
          + " (%,d of them in steady phases)", retried, refused, lostConnections, timeouts, serverErrors, unauthorized, failuresSteady);
      say("  acknowledged as replays (committed before a kill, answer lost, same key sent again): %,d", replays);
      say("  outside the measured phase: %,d in the warm-up, %,d after its end (clients finishing)", warmupAcks, drainAcks);
      StringBuilder line = new StringBuilder();
      say("  filings per second of the measured phase (K: a kill in that second):");
      for (int s = 0; s < perSecond.length; s++) {
        int second = s;
        boolean killed = kills.stream().anyMatch(k -> k.at() / 1_000_000_000L == second);
        line.append(String.format(Locale.ROOT, "%6d%s", perSecond[s], killed ? "K" : " "));
        if (s % 10 == 9 || s == perSecond.length - 1) {
          say("    %3d-%3d s:%s", s - s % 10, s, line);
          line.setLength(0);
        }
      }
      say("  by segment between kills (a restarted JVM starts cold: the JIT needs about a minute of load on 2 cores):");
      for (int i = 0; i <= kills.size(); i++) {
        long from = i == 0 ? 0 : kills.get(i - 1).ready();
        long to = i == kills.size() ? measured : kills.get(i).at();
        if (to <= from) {
          continue;
        }
        long[] latencies = attemptsWithin(from, to);
        say("    %-40s %6.1f s  %,7.0f /s  p50 %6.1f ms  p99 %7.1f ms", i == 0
            ? String.format(Locale.ROOT, "%5.1f-%5.1f s, JVM warmed up", from / 1e9, to / 1e9)
            : String.format(Locale.ROOT, "%5.1f-%5.1f s, JVM restarted at %.1f s", from / 1e9, to / 1e9, kills.get(i - 1).spawned() / 1e9),
            (to - from) / 1e9, ackedBetween(from, to) / ((to - from) / 1e9), Rate.percentile(latencies, 50) / 1e6,
            Rate.percentile(latencies, 99) / 1e6);
      }
      for (int i = 0; i < kills.size(); i++) {
        Kill kill = kills.get(i);
        long end = i + 1 < kills.size() ? kills.get(i + 1).at() : measured;
        int first = Arrays.binarySearch(ackTimes, kill.ready());
        first = first >= 0 ? first : -first - 1;
        if (kill.ready() >= end) {
          say("  kill %d: the new JVM was ready only after the %s", kill.number(), i + 1 < kills.size() ? "next kill" : "end");
          continue;
        }
        String firstAck = first < ackTimes.length && ackTimes[first] < end
            ? String.format(Locale.ROOT, "first filing acknowledged %.1f s after the new JVM was ready", (ackTimes[first] - kill.ready()) / 1e9)
            : String.format(Locale.ROOT, "no filing acknowledged in the %.1f s from ready to the %s", (end - kill.ready()) / 1e9,
                i + 1 < kills.size() ? "next kill" : "end");
        String recovered = "not back to 90% of the warm rate within that time";
        for (long second = (kill.ready() + 999_999_999L) / 1_000_000_000L; (second + 1) * 1_000_000_000L <= end; second++) {
          if (second < perSecond.length && perSecond[(int) second] >= 0.9 * warmRate()) {
            recovered = String.format(Locale.ROOT, "back to 90%% of the warm rate (a whole second) %.0f s after ready",
                (second * 1_000_000_000L - kill.ready()) / 1e9);
            break;
          }
        }
        say("  kill %d: %s; %s", kill.number(), firstAck, recovered);
      }
      if (!kills.isEmpty()) {
        say("  kills: %d; registry down (kill to ready) %s s; new JVM to ready %s s", kills.size(),
            kills.stream().map(k -> String.format(Locale.ROOT, "%.1f", (k.ready() - k.at()) / 1e9)).toList(),
            kills.stream().map(k -> String.format(Locale.ROOT, "%.1f", (k.ready() - k.spawned()) / 1e9)).toList());
      }
      if (CpuMeter.available() && cpuEnd != null) {
        long acks = ackedBetween(cpuStart.nanos() - origin, cpuEnd.nanos() - origin);
        double seconds = (cpuEnd.nanos() - cpuStart.nanos()) / 1e9;
        if (acks > 0) {
          double registryMs = ms(cpuEnd.registry() - cpuStart.registry()) / acks;
          double postgresMs = ms(cpuEnd.postgres() - cpuStart.postgres()) / acks;
          double benchMs = ms(cpuEnd.bench() - cpuStart.bench()) / acks;
          double busyMs = ms(cpuEnd.machineBusy() - cpuStart.machineBusy()) / acks;
          double busy = (double) (cpuEnd.machineBusy() - cpuStart.machineBusy()) / Math.max(1, cpuEnd.machineTotal() - cpuStart.machineTotal());
          int cores = Runtime.getRuntime().availableProcessors();
          say("CPU per filing over the first steady segment (%.1f s, %,d filings): registry JVM %.2f ms, PostgreSQL %.2f ms,"
              + " these clients %.2f ms, everything else %.2f ms; machine busy %.0f%% of %d cores", seconds, acks, registryMs, postgresMs,
              benchMs, Math.max(0, busyMs - registryMs - postgresMs - benchMs), busy * 100, cores);
          double others = Math.max(0, busyMs - registryMs - postgresMs - benchMs) * acks
              / ms(Math.max(1, cpuEnd.machineTotal() - cpuStart.machineTotal()));
          say("  so %d cores allow at most about %,.0f filings/s with these clients on the same machine, %,.0f /s without them;"
              + " other work took %.0f%% of the machine meanwhile%s", cores, cores * 1000 / busyMs,
              cores * 1000 / Math.max(0.001, busyMs - benchMs), others * 100,
              others > 0.10 ? " (a shared machine: the figures are understated by about that much)" : "");
          say("  load average at the end of the measurement: %s", CpuMeter.loadAverage());
        }
      }
      double steady = steadyRate();
      say("Ratios: steady filings/s to single-row commits/s %.2f, to a filing's SQL over JDBC %.2f, to GET liveness (%d clients) %.2f",
          steady / commits.perSecond(), steady / statements.perSecond(), clients, steady / health.perSecond());
    }

    /** Latencies of the successful attempts that started and ended in [from, to), sorted. */
    private long[] attemptsWithin(long from, long to) {
      LongList within = new LongList();
      for (int i = 0; i < attempts[0].length; i++) {
        if (attempts[0][i] >= from && attempts[1][i] < to) {
          within.add(attempts[1][i] - attempts[0][i]);
        }
      }
      return sorted(within);
    }

    /** Acknowledgements in [from, to), by their times. */
    private long ackedBetween(long from, long to) {
      int first = Arrays.binarySearch(ackTimes, from);
      int last = Arrays.binarySearch(ackTimes, to);
      return insertionPoint(last) - insertionPoint(first);
    }

    /** Of the first element not below the key: equal keys do not occur in practice (nanoseconds), and are counted once. */
    private static int insertionPoint(int found) {
      return found >= 0 ? found : -found - 1;
    }

    private static double ms(long ticks) {
      return ticks / CpuMeter.TICKS_PER_SECOND * 1000;
    }

    private static void latency(String label, long[] sorted) {
      say("%-44s p50 %7.1f ms  p95 %7.1f ms  p99 %7.1f ms  max %8.1f ms  (%,d)", label, Rate.percentile(sorted, 50) / 1e6,
          Rate.percentile(sorted, 95) / 1e6, Rate.percentile(sorted, 99) / 1e6, Rate.percentile(sorted, 100) / 1e6, sorted.length);
    }

    private static long[] sorted(LongList list) {
      long[] values = list.toArray();
      Arrays.sort(values);
      return values;
    }
  }
}
