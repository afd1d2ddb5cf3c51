package optout.registry.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code --compare-with JAR}: another build of the registry (e.g. the one before a change) and this one,
 * measured in the same run on the same machine: each side in rounds that alternate (before, now, before,
 * now...), each round a fresh database, a fresh registry JVM, the same clients, warm-up and measured
 * window, no kills. Alternating keeps a drift of the machine (another process, the disk's cache) from
 * landing on one side only.
 */
final class SideBySide {

  /** One side: a label, its boot jar, and what it needs in its environment beyond the registry's usual one. */
  record Side(String label, Path jar, EnvironmentExtra extra) {}

  /** More environment for one side's registry (e.g. a witness), and what to stop after its round. */
  interface EnvironmentExtra {
    Map<String, String> prepare(Path roundDir) throws IOException, InterruptedException;

    default void finish() throws InterruptedException {}
  }

  /** What one round measured. */
  record Round(String label, int round, double rate, long p99Nanos, long acknowledged, long failedAttempts) {}

  /** Starts the registry process of a round (command and environment as RegistryBenchmark builds them). */
  interface Launcher {
    RegistryProcess launch(Path jar, int port, BenchDatabase database, Path dir, Map<String, String> extra);
  }

  private final HttpClient http;
  private final TokenSource tokens;
  private final Launcher launcher;
  private final String runId;
  private final Path runDir;
  private final int pgPort;
  private BenchDatabase database;
  private RegistryProcess registry;

  SideBySide(HttpClient http, TokenSource tokens, Launcher launcher, String runId, Path runDir, int pgPort) {
    this.http = http;
    this.tokens = tokens;
    this.launcher = launcher;
    this.runId = runId;
    this.runDir = runDir;
    this.pgPort = pgPort;
  }

  List<Round> run(List<Side> sides, int rounds, int clients, Duration warmup, Duration measured)
      throws BenchException, IOException, SQLException, InterruptedException {
    List<Round> results = new ArrayList<>();
    for (int round = 1; round <= rounds; round++) {
      for (int s = 0; s < sides.size(); s++) {
        Side side = sides.get(s);
        Round result = measure(side, round, "c" + round + "s" + s, clients, warmup, measured);
        RegistryBenchmark.say("  round %d, %-28s %,7.1f filings/s, p99 %6.1f ms (%,d acknowledged, %,d failed attempts)", round,
            side.label() + ":", result.rate(), result.p99Nanos() / 1e6, result.acknowledged(), result.failedAttempts());
        results.add(result);
      }
    }
    return results;
  }

  private Round measure(Side side, int round, String suffix, int clients, Duration warmup, Duration measured)
      throws BenchException, IOException, SQLException, InterruptedException {
    String id = runId + suffix;
    Path dir = Files.createDirectories(runDir.resolve(suffix));
    database = BenchDatabase.create("127.0.0.1", pgPort, id);
    try {
      Map<String, String> extra = side.extra().prepare(dir);
      int port = RegistryBenchmark.freePort();
      registry = launcher.launch(side.jar(), port, database, dir, extra);
      registry.start();
      registry.awaitReady(Duration.ofMinutes(3));
      String effectiveAt = Instant.now().minus(Duration.ofMinutes(1)).truncatedTo(ChronoUnit.SECONDS).toString();
      long origin = System.nanoTime() + warmup.toNanos();
      FilingLoad load = new FilingLoad(http, URI.create("http://127.0.0.1:" + port), tokens, id, effectiveAt, origin);
      load.start(clients);
      long end = measured.toNanos();
      while (load.now() < end && load.fatal() == null) {
        Thread.sleep(Math.min(200, Math.max(1, (end - load.now()) / 1_000_000)));
      }
      load.stopIssuing(Duration.ofSeconds(30));
      if (!load.await(Duration.ofMinutes(2))) {
        throw new BenchException("Clients of " + side.label() + " were still filing two minutes after the end; its log: " + registry.log());
      }
      if (load.fatal() != null) {
        throw new BenchException(side.label() + ": " + load.fatal() + " (its log: " + registry.log() + ")");
      }
      RegistryBenchmark.Report report = new RegistryBenchmark.Report(load.records(), List.of(), end, 0);
      long acknowledged = report.steadyAcknowledged();
      if (acknowledged == 0) {
        throw new BenchException(side.label() + " acknowledged no filing in round " + round + "; its log: " + registry.log());
      }
      return new Round(side.label(), round, report.steadyRate(), report.steadyP99(), acknowledged, report.failedAttempts());
    } finally {
      cleanUp();
      side.extra().finish();
    }
  }

  /** Mean rate and the p99 of the rounds' p99s, per side, in the order the sides were given. */
  static void summarise(List<Side> sides, List<Round> rounds) {
    double baseline = 0;
    for (Side side : sides) {
      List<Round> mine = rounds.stream().filter(r -> r.label().equals(side.label())).toList();
      double rate = mine.stream().mapToDouble(Round::rate).average().orElse(0);
      double p99 = mine.stream().mapToLong(Round::p99Nanos).average().orElse(0) / 1e6;
      if (baseline == 0) {
        baseline = rate;
      }
      RegistryBenchmark.say("  %-30s mean %,7.1f filings/s (%s of the first), mean p99 %6.1f ms, over %d rounds", side.label() + ":", rate,
          String.format(Locale.ROOT, "%.2fx", baseline == 0 ? 0 : rate / baseline), p99, mine.size());
    }
  }

  /** Kills the round's registry and drops its database; also from the benchmark's shutdown hook. */
  synchronized void cleanUp() {
    try {
      if (registry != null) {
        registry.kill();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      registry = null;
    }
    try {
      if (database != null) {
        database.drop();
      }
    } catch (SQLException e) {
      RegistryBenchmark.say("  (could not drop %s: %s)", database.name(), e.getMessage());
    } finally {
      database = null;
    }
  }
}
