package optout.warehouse.cli;

import java.io.PrintStream;
import java.util.Map;
import java.util.Set;
import optout.warehouse.extract.ExclusionInput;
import optout.warehouse.extract.ExtractRelease;
import optout.warehouse.spec.ExtractSpec;
import optout.signing.DetachedSigner;
import optout.warehouse.ingest.Ingest;
import optout.warehouse.ingest.WarehouseTables;
import optout.pseudonymizer.custody.KeyCustodies;
import optout.warehouse.keys.KeyAccess;
import optout.disclosure.output.OutputCheck;
import optout.disclosure.output.Rules;
import optout.warehouse.propagate.Propagation;
import optout.warehouse.registry.RegistrySnapshotClient;
import optout.warehouse.spark.WarehouseSession;
import optout.warehouse.synthetic.GenerateJob;
import optout.warehouse.synthetic.GeneratorSettings;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

/**
 * {@code ./optout warehouse COMMAND [options]}: the warehouse jobs' command line, a plain dispatch on the
 * first argument. Arguments are checked before Spark starts. Exit codes: 0 done, 1 failed, 2 wrong
 * command line. Settings come from the environment ({@link WarehouseEnvironment}).
 */
public final class WarehouseCommand {

  /** The output check's rule sets by name, as the research portal's output release names them. */
  private static final java.util.List<String> OUTPUT_RULES = java.util.List.of("small-cell", "opensafely");

  static final String USAGE = """
      Usage: ./optout warehouse COMMAND [options]

        generate --scale S --seed N --out DIR [--years FROM-TO] [--partitions P] [--overwrite]
            Synthetic NHI raw files (ID, CD/OO, DD/DO, GD/GO as CSV, and _GENERATED.json) for
            round(S x 23,500,000) people, 0 < S <= 1.0, claims in the years FROM-TO (default 2022-2023).
            The same seed and scale give the same rows, however they are partitioned. DIR must be empty
            or missing; --overwrite replaces raw files generated there before (and nothing else).
        ingest --raw DIR [--max-bad-rows N] [--force] [--namespace NAME]
            The raw files into the warehouse (nhi.warehouse): layer-1 pseudonyms for persons, warehouse
            tokens for hospitals and insured units. Refuses the whole ingest if any row is malformed (a bad
            national ID, an unknown county code, ...), counting them by file and reason, unless --max-bad-rows
            lets that many be skipped. Tables that hold this raw directory's data already are left alone
            unless --force. --namespace writes nhi.NAME instead of nhi.warehouse (checks and benchmarks).
        rekey [--namespace NAME]
            After ./optout keys rotate-warehouse: every warehouse table's layer-1 pseudonyms moved to the newest
            warehouse key (revealed under the table's recorded version, pseudonymised under the newest, on the
            executors), each table in one commit that records the new version. Tables there already are left
            alone; a table with no recorded version is refused. Extracts refuse tables of different versions.
        extract --spec FILE.json
            A research extract: the spec is checked whole (every problem named with its JSON path); the
            registry's exclusion snapshot of the spec's purpose at its latest checkpoint is fetched and
            verified (log signature, checkpoint, file); the cohort less the excluded goes to the project's
            tables (nhi.project_<id>) with layer-2 pseudonyms, project tokens and generalised dates; the
            signed manifest, the representativeness report (JSON and HTML) go under OPTOUT_WAREHOUSE_OUTPUT
            (var/warehouse-output/<extract>/); the included persons go into the usage ledger.
        propagate --project ID --purpose SCOPE
            Opt-outs filed since delivery, removed from the project's live tables: the latest verified snapshot
            of SCOPE, every person in it deleted from every table, old snapshots expired and orphan files
            removed, so the rows are physically gone. Prints what was removed per table.
        output-check --in FILE.csv --out FILE.csv [--rules small-cell|opensafely] [--threshold N]
            An aggregate result to take out of the secure environment (a CSV: one or two category columns,
            the count last; rows named Total are totals and must add up) made releasable: counts from 1 to
            N-1 suppressed (default N = 3), and further values so that no suppressed one follows from the
            totals. Writes the table with its totals (suppressed values read "suppressed") and prints what
            was suppressed and why; refuses a malformed file and writes nothing. No Spark, no database.
            --rules small-cell (the default) is that; --rules opensafely suppresses counts of 7 or fewer
            (with the same complements) and rounds every other non-zero value to the nearest 5, as the
            research portal's output release does (no --threshold with it).
        help
            This text.

      Environment: OPTOUT_WAREHOUSE_JDBC_URL, OPTOUT_WAREHOUSE_JDBC_USER, OPTOUT_WAREHOUSE_JDBC_PASSWORD (the
      Iceberg catalog), OPTOUT_WAREHOUSE_LOCATION (data files), OPTOUT_SPARK_MASTER (default local[*]),
      OPTOUT_SPARK_SHUFFLE_PARTITIONS (16); ingest's keys OPTOUT_WAREHOUSE_KEYSTORE and
      OPTOUT_WAREHOUSE_KEYSTORE_PASSWORD (or _FILE, or OPTOUT_WAREHOUSE_PKCS11_CONFIG), extract's and
      propagate's OPTOUT_RELEASE_KEYSTORE and its passphrase (or the _PKCS11_CONFIG): each job gets only its
      own duty's keys. The defaults are those of ./optout up on this machine.
      """;

  private WarehouseCommand() {}

  public static void main(String[] args) {
    useCommandLineLogging();
    System.exit(run(args, System.getenv(), System.out, System.err));
  }

  /** Runs a command; returns the exit code. */
  public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
    if (args.length == 0) {
      err.print(USAGE);
      return 2;
    }
    String command = args[0];
    return reporting(err, "./optout warehouse help shows the commands and their options", () -> {
      switch (command) {
        case "help":
        case "-h":
        case "--help":
          out.print(USAGE);
          return 0;
        case "generate":
          return generate(args, env, out);
        case "ingest":
          return ingest(args, env, out);
        case "rekey":
          return rekey(args, env, out);
        case "extract":
          return extract(args, env, out);
        case "propagate":
          return propagate(args, env, out);
        case "output-check":
          return outputCheck(args, out);
        default:
          throw new UsageException("unknown command '" + command + "'");
      }
    });
  }

  /** A command's body: its exit code, or an exception that {@link #reporting} turns into a message. */
  public interface Body {
    int run() throws Exception;
  }

  /**
   * Runs a command's body and says what went wrong as one clear message, not a stack trace: exit code 2 for a wrong
   * command line (and where to read the right one: {@code usageHint}), 1 for any other failure (with the catalog
   * database's own reason, if it was that). Also for the command lines outside this module that run warehouse jobs (the
   * demo, the benchmark).
   */
  public static int reporting(PrintStream err, String usageHint, Body body) {
    try {
      return body.run();
    } catch (UsageException e) {
      err.println("error: " + e.getMessage());
      err.println("(" + usageHint + ")");
      return 2;
    } catch (Exception e) {
      err.println("error: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
      for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
        if (cause instanceof java.sql.SQLException) { // the catalog database: say why, and what usually helps
          err.println("  " + cause.getMessage());
          err.println("  (the Iceberg catalog is " + WarehouseEnvironment.JDBC_URL + "; ./optout up creates its 'warehouse'"
              + " database on the embedded PostgreSQL when PostgreSQL starts: ./optout down && ./optout up if it ran before)");
          break;
        }
      }
      return 1;
    }
  }

  private static int generate(String[] args, Map<String, String> env, PrintStream out) throws Exception {
    Options options = Options.parse("generate", args, 1, Set.of("scale", "seed", "out", "years", "partitions"), Set.of("overwrite"));
    double scale = options.doubleValue("scale", options.required("scale"));
    long seed = options.longValue("seed", options.required("seed"));
    String target = options.required("out");
    int[] years = years(options.optional("years", GeneratorSettings.DEFAULT_FROM_YEAR + "-" + GeneratorSettings.DEFAULT_TO_YEAR));
    GeneratorSettings settings;
    try {
      settings = new GeneratorSettings(seed, scale, years[0], years[1]);
    } catch (IllegalArgumentException e) {
      throw new UsageException("generate: " + e.getMessage());
    }
    Integer partitions = null;
    if (options.has("partitions")) {
      long p = options.longValue("partitions", options.optional("partitions", ""));
      if (p < 1 || p > 100_000) {
        throw new UsageException("generate: --partitions must lie between 1 and 100000");
      }
      partitions = (int) p;
    }
    Path output;
    try {
      output = GenerateJob.prepareOutput(target, options.flag("overwrite"), new Configuration());
    } catch (IllegalArgumentException e) {
      throw new UsageException("generate: " + e.getMessage());
    }
    SparkSession spark = open("warehouse-generate", WarehouseEnvironment.session(env));
    try {
      GenerateJob.run(spark, settings, output, partitions == null ? GenerateJob.defaultPartitions(spark, settings.persons()) : partitions,
          out);
    } finally {
      spark.stop();
    }
    return 0;
  }

  /**
   * Logging for a command line run in a terminal: the command's own lines, Spark's warnings and errors (unless
   * {@code log4j2.configurationFile} names another configuration). Also for the demo's and the benchmark's.
   */
  public static void useCommandLineLogging() {
    if (System.getProperty("log4j2.configurationFile") == null) {
      System.setProperty("log4j2.configurationFile", "optout/warehouse/cli/log4j2-cli.properties");
    }
  }

  /** A session that logs warnings and errors only: the progress lines are the command's output. */
  public static SparkSession open(String application, WarehouseSession.Settings settings) {
    SparkSession spark = WarehouseSession.open(application, settings);
    spark.sparkContext().setLogLevel("WARN");
    return spark;
  }

  /** "2022-2023" or "2022". */
  static int[] years(String text) {
    String[] parts = text.strip().split("-", -1);
    try {
      if (parts.length == 1) {
        int year = Integer.parseInt(parts[0]);
        return new int[] {year, year};
      }
      if (parts.length == 2) {
        return new int[] {Integer.parseInt(parts[0]), Integer.parseInt(parts[1])};
      }
    } catch (NumberFormatException e) {
      // refused below
    }
    throw new UsageException("generate: --years must be FROM-TO or one year, e.g. 2022-2023, not '" + text + "'");
  }

  private static int ingest(String[] args, Map<String, String> env, PrintStream out) throws Exception {
    Options options = Options.parse("ingest", args, 1, Set.of("raw", "max-bad-rows", "namespace"), Set.of("force"));
    String raw = options.required("raw");
    long maxBadRows = options.longValue("max-bad-rows", options.optional("max-bad-rows", "0"));
    if (maxBadRows < 0) {
      throw new UsageException("ingest: --max-bad-rows must be 0 or more");
    }
    Ingest.Settings settings;
    try {
      settings = new Ingest.Settings(options.optional("namespace", WarehouseTables.NAMESPACE), maxBadRows, options.flag("force"));
    } catch (IllegalArgumentException e) {
      throw new UsageException("ingest: --namespace: " + e.getMessage());
    }
    WarehouseSession.Settings session = WarehouseEnvironment.session(env);
    KeyAccess keys = WarehouseEnvironment.keys(KeyCustodies.Duty.WAREHOUSE, env);
    if (!raw.contains(":/") && !java.nio.file.Files.isDirectory(java.nio.file.Path.of(raw))) {
      throw new UsageException("ingest: --raw " + raw + " is not a directory");
    }
    SparkSession spark = open("warehouse-ingest", session);
    try {
      new Ingest(spark, keys, out).run(raw, settings);
    } finally {
      spark.stop();
    }
    return 0;
  }

  private static int rekey(String[] args, Map<String, String> env, PrintStream out) throws Exception {
    Options options = Options.parse("rekey", args, 1, Set.of("namespace"), Set.of());
    String namespace = options.optional("namespace", WarehouseTables.NAMESPACE);
    try {
      new Ingest.Settings(namespace, 0, false); // the same rule for a namespace as ingest's
    } catch (IllegalArgumentException e) {
      throw new UsageException("rekey: --namespace: " + e.getMessage());
    }
    WarehouseSession.Settings session = WarehouseEnvironment.session(env);
    KeyAccess keys = WarehouseEnvironment.keys(KeyCustodies.Duty.WAREHOUSE, env);
    SparkSession spark = open("warehouse-rekey", session);
    try {
      new optout.warehouse.ingest.Rekey(spark, keys, out).run(namespace);
    } finally {
      spark.stop();
    }
    return 0;
  }

  private static int extract(String[] args, Map<String, String> env, PrintStream out) throws Exception {
    Options options = Options.parse("extract", args, 1, Set.of("spec"), Set.of());
    java.nio.file.Path specFile = java.nio.file.Path.of(options.required("spec"));
    if (!java.nio.file.Files.isRegularFile(specFile)) {
      throw new UsageException("extract: --spec " + specFile + " is not a file");
    }
    ExtractSpec spec = ExtractSpec.parse(java.nio.file.Files.readAllBytes(specFile));
    WarehouseSession.Settings session = WarehouseEnvironment.session(env);
    KeyAccess keys = WarehouseEnvironment.keys(KeyCustodies.Duty.RELEASE, env);
    DetachedSigner signer = DetachedSigner.open(WarehouseEnvironment.manifestKey(env), WarehouseEnvironment.mayCreateManifestKey(env), "extract manifests");
    java.nio.file.Path output = WarehouseEnvironment.output(env);
    out.println("Fetching and verifying the exclusion snapshot of " + spec.purpose() + " ...");
    ExclusionInput exclusion = new RegistrySnapshotClient(WarehouseEnvironment.registry(env)).latest(spec.purpose(), output.resolve("snapshots"));
    SparkSession spark = open("warehouse-extract", session);
    try {
      ExtractRelease.print(new ExtractRelease(spark, keys, session, signer, java.time.Clock.systemUTC()).release(spec, exclusion, output), out);
    } finally {
      spark.stop();
    }
    return 0;
  }

  private static int propagate(String[] args, Map<String, String> env, PrintStream out) throws Exception {
    Options options = Options.parse("propagate", args, 1, Set.of("project", "purpose"), Set.of());
    String project = options.required("project");
    String purpose = options.required("purpose");
    if (!ExtractSpec.PURPOSES.contains(purpose)) {
      throw new UsageException("propagate: --purpose must be one of " + new java.util.TreeSet<>(ExtractSpec.PURPOSES));
    }
    WarehouseSession.Settings session = WarehouseEnvironment.session(env);
    KeyAccess keys = WarehouseEnvironment.keys(KeyCustodies.Duty.RELEASE, env);
    ExclusionInput exclusion = new RegistrySnapshotClient(WarehouseEnvironment.registry(env))
        .latest(purpose, WarehouseEnvironment.output(env).resolve("snapshots"));
    SparkSession spark = open("warehouse-propagate", session);
    try {
      Propagation.Removed removed = new Propagation(spark, keys, java.time.Clock.systemUTC()).propagate(project, exclusion);
      out.println("Propagated registry checkpoint " + exclusion.checkpointSize() + " (" + exclusion.count() + " opted out of " + purpose
          + ") into project " + project + ": " + removed.persons() + " persons removed");
      removed.rowsPerTable().forEach((table, rows) -> out.println("  " + table + ": " + rows + " rows deleted"));
      out.println("  " + removed.filesDeleted() + " files deleted (old snapshots expired, orphans removed): the rows are gone from disk");
    } finally {
      spark.stop();
    }
    return 0;
  }

  private static int outputCheck(String[] args, PrintStream out) throws Exception {
    Options options = Options.parse("output-check", args, 1, Set.of("in", "out", "rules", "threshold"), Set.of());
    java.nio.file.Path in = java.nio.file.Path.of(options.required("in"));
    java.nio.file.Path target = java.nio.file.Path.of(options.required("out"));
    String named = options.optional("rules", "small-cell");
    // the names the portal's API takes, spelled exactly (Rules.named would also take other cases)
    Rules rules = OUTPUT_RULES.contains(named) ? Rules.named(named).orElseThrow() : null;
    if (rules == null) {
      throw new UsageException("output-check: --rules must be one of " + String.join(", ", OUTPUT_RULES) + " (default small-cell)");
    }
    if (options.has("threshold")) {
      if (rules.rounds()) {
        throw new UsageException("output-check: --threshold goes only with --rules small-cell (opensafely's is fixed: 7 or fewer suppressed)");
      }
      long threshold = options.longValue("threshold", options.optional("threshold", ""));
      if (threshold < 1 || threshold > Integer.MAX_VALUE) {
        throw new UsageException("output-check: --threshold must be 1 or more (default " + OutputCheck.DEFAULT_THRESHOLD + ")");
      }
      rules = Rules.smallCell((int) threshold);
    }
    if (!java.nio.file.Files.isRegularFile(in)) {
      throw new UsageException("output-check: --in " + in + " is not a file");
    }
    out.print(OutputCheck.run(in, target, rules).report());
    out.println("Wrote " + target);
    return 0;
  }
}
