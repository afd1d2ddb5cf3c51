package optout.registry.bench;

import java.net.URI;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The command line of {@code ./optout bench registry}. The script adds the platform's coordinates
 * (--jar, --work-dir, --pg-port, --keycloak-url); the registry's keystores and their passphrases come
 * from the environment as for the services (OPTOUT_WAREHOUSE_KEYSTORE, OPTOUT_IDENTITY_KEYSTORE and
 * their _PASSWORD; OPTOUT_KEYSTORE too for a build from before the per-duty keystores), never from arguments.
 */
record BenchOptions(int seconds, int clients, int kills, int pool, int warmupSeconds, long seed, boolean keep, boolean profile,
    List<String> registryJavaOptions, Path compareWith, String compareLabel, int compareSeconds, int compareRounds, Path witnessJar, Path jar,
    Path workDir, int pgPort, URI keycloak, java.util.Map<String, String> keyVariables, String clientSecret) {

  static final String USAGE = """
      Usage: ./optout bench registry [--seconds N] [--clients C] [--kills K] [--pool P] [--warmup S] [--seed X] [--keep] [--profile]
                                 [--registry-java-options "OPTS"] [--before COMMIT [--compare-seconds N] [--compare-rounds R]]
        --seconds N   the measured phase (default 180: a minute per kill, for the restart and the cold JVM)
        --warmup S    load before the measured phase (default 90: on 2 cores the registry's JIT needs one
                      to two minutes of load to reach full speed)
        --clients C   concurrent clients, each filing one opt-out after another (default 32)
        --kills K     times the registry is killed with SIGKILL and restarted during the measured phase (default 3)
        --pool P      the registry's database connections, spring.datasource.hikari.maximum-pool-size
                      (default: 2 x cores + 1, for this machine %d)
        --seed X      the random moments of the kills (default: from the clock; printed, so a run can be repeated)
        --keep        keep the run's database, log key and logs for inspection (dropped otherwise)
        --registry-java-options "OPTS"
                      more JVM options for the benchmark's registry (e.g. "-XX:TieredStopAtLevel=1"), to compare
        --before COMMIT
                      first measure the registry as built from that git commit and this build side by side, in
                      rounds that alternate, each with a fresh database and JVM and no kills (./optout builds the
                      commit's jar once, in var/bench; the benchmark itself takes --compare-with JAR --compare-label L)
        --compare-seconds N  the measured window of each side-by-side round (default 60)
        --compare-rounds R   rounds per side (default 2)
        --profile     run the registry under Java Flight Recorder and keep the recording of the first steady
                      segment (var/bench/registry-RUN.jfr; `jfr print --events jdk.ExecutionSample` reads it)
      Needs the platform up (./optout up): its PostgreSQL and Keycloak.""";

  static int defaultPool() {
    return 2 * Runtime.getRuntime().availableProcessors() + 1;
  }

  static BenchOptions parse(List<String> args, Map<String, String> environment) {
    Map<String, String> values = new HashMap<>();
    boolean keep = false;
    boolean profile = false;
    for (int i = 0; i < args.size(); i++) {
      String name = args.get(i);
      if (name.equals("--keep") || name.equals("--profile")) {
        keep |= name.equals("--keep");
        profile |= name.equals("--profile");
        continue;
      }
      if (!name.startsWith("--") || i + 1 >= args.size()) {
        throw new IllegalArgumentException(name.startsWith("--") ? name + " needs a value" : "unexpected argument: " + name);
      }
      if (!List.of("--seconds", "--clients", "--kills", "--pool", "--warmup", "--seed", "--registry-java-options", "--compare-with", "--compare-label",
          "--compare-seconds", "--compare-rounds", "--witness-jar", "--jar", "--work-dir", "--pg-port",
          "--keycloak-url").contains(name)) {
        throw new IllegalArgumentException("unknown option: " + name);
      }
      if (values.put(name.substring(2), args.get(++i)) != null) {
        throw new IllegalArgumentException(name + " is given twice");
      }
    }
    int seconds = number(values, "seconds", 180, 10, 3600);
    int kills = number(values, "kills", 3, 0, 100);
    if (kills > 0 && seconds / kills < 20) {
      throw new IllegalArgumentException("--seconds " + seconds + " leaves less than 20 s per kill: a restart alone takes several seconds;"
          + " give at least " + 20 * kills + " s for " + kills + " kills");
    }
    java.util.Map<String, String> keyVariables = new java.util.TreeMap<>();
    environment.forEach((name, value) -> {
      if (name.matches("OPTOUT_(WAREHOUSE_|IDENTITY_)?(KEYSTORE|KEYSTORE_PASSWORD|KEYSTORE_PASSWORD_FILE|PKCS11_CONFIG)")) {
        keyVariables.put(name, value);
      }
    });
    for (String needed : List.of("OPTOUT_WAREHOUSE_KEYSTORE", "OPTOUT_IDENTITY_KEYSTORE")) {
      if (!keyVariables.containsKey(needed) && !keyVariables.containsKey(needed.replace("KEYSTORE", "PKCS11_CONFIG"))) {
        throw new IllegalArgumentException(needed + " and its passphrase must name the registry's keystore (./optout sets them)");
      }
    }
    return new BenchOptions(seconds, number(values, "clients", 32, 1, 1024), kills, number(values, "pool", defaultPool(), 1, 200),
        number(values, "warmup", 90, 0, 600),
        values.containsKey("seed") ? parseLong(values.get("seed"), "--seed") : System.nanoTime(), keep, profile,
        values.containsKey("registry-java-options") ? List.of(values.get("registry-java-options").trim().split("\\s+")) : List.of(),
        values.containsKey("compare-with") ? Path.of(values.get("compare-with")).toAbsolutePath() : null,
        values.getOrDefault("compare-label", "the other build"), number(values, "compare-seconds", 60, 10, 3600),
        number(values, "compare-rounds", 2, 1, 20),
        values.containsKey("witness-jar") ? Path.of(values.get("witness-jar")).toAbsolutePath() : null,
        Path.of(values.getOrDefault("jar", "optout-registry/target/optout-registry.jar")).toAbsolutePath(),
        Path.of(values.getOrDefault("work-dir", "var/bench")).toAbsolutePath(),
        number(values, "pg-port", 54320, 1, 65535),
        URI.create(values.getOrDefault("keycloak-url", "http://localhost:8080")),
        java.util.Map.copyOf(keyVariables), environment.getOrDefault("OPTOUT_CONSENT_CLIENT_SECRET", "optout-consent-local-demo-secret"));
  }

  private static int number(Map<String, String> values, String name, int fallback, int min, int max) {
    if (!values.containsKey(name)) {
      return fallback;
    }
    long value = parseLong(values.get(name), "--" + name);
    if (value < min || value > max) {
      throw new IllegalArgumentException("--" + name + " must lie between " + min + " and " + max + ": " + value);
    }
    return (int) value;
  }

  private static long parseLong(String text, String name) {
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a whole number: " + text);
    }
  }
}
