package optout.demo.warehouse.bench;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import optout.pseudonymizer.custody.KeyCustodies;
import optout.registry.log.Checkpoint;
import optout.registry.log.Hash;
import optout.registry.snapshot.ExclusionSnapshot;
import optout.registry.snapshot.SnapshotDescription;
import optout.registry.snapshot.SnapshotSummary;
import optout.warehouse.cli.Options;
import optout.warehouse.cli.UsageException;
import optout.warehouse.cli.WarehouseCommand;
import optout.warehouse.cli.WarehouseEnvironment;
import optout.warehouse.extract.ExclusionInput;
import optout.warehouse.extract.ExtractJob;
import optout.warehouse.spec.ExtractSpec;
import optout.warehouse.ingest.Ingest;
import optout.warehouse.keys.KeyAccess;
import optout.warehouse.ledger.UsageLedger;
import optout.warehouse.spark.WarehouseSession;
import optout.warehouse.synthetic.GenerateJob;
import optout.warehouse.synthetic.GeneratorSettings;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * {@code ./optout bench warehouse}: what honouring opt-outs costs. At the ratio scale, in one run, a plain
 * copy of the spec's cohort and columns against the full extract (exclusion, layer-2 pseudonyms, tokens,
 * generalisation, usage ledger); then the full extract at each scale, for the growth exponent (the slope
 * of log time against log scale). Each scale's data is generated and ingested once into a namespace of
 * its own ({@code nhi.bench_<scale>}); every timing is the median of several runs after a warm-up. Not part of
 * warehouse-jobs' jar: it runs on warehouse-jobs' classes with both custodies, as no production job does.
 */
public final class WarehouseBench {

  private static final String USAGE = """
      Usage: ./optout bench warehouse [--scales 0.005,0.01,0.02] [--ratio-scale 0.01] [--runs 3] [--work DIR]

      What honouring opt-outs costs: at the ratio scale a plain copy of the cohort's rows and columns against the
      full extract (exclusion, pseudonyms, tokens, generalisation, ledger), and the full extract at each scale for
      the growth exponent. Each scale is generated and ingested once (into nhi.bench_<scale>, raw files under DIR,
      default var/bench); timings are medians after a warm-up. The warehouse's environment as for
      ./optout warehouse (./optout warehouse help), with both the warehouse and the release custody.
      """;

  /** The spec the benchmark extracts: a diabetes cohort, the usual tables and columns. */
  static final String SPEC = """
      {"project": "demo-project", "purpose": "academic-research", "legalBasis": "benchmark",
       "tables": {"enrollment": ["person", "birth_date", "sex", "county", "insured_unit"],
                  "outpatient_visit": ["visit_id", "person", "hospital", "visit_date", "icd1", "icd2", "points"],
                  "outpatient_order": ["visit_id", "code", "total_quantity", "points"],
                  "pharmacy_dispensing": ["rx_id", "person", "pharmacy", "dispense_date", "drug_days"]},
       "cohort": {"diagnoses": ["E11", "I10"], "from": "2022-01-01", "to": "2022-12-31", "minAge": 40, "maxAge": 90},
       "generalisation": {"birthDate": "five-year-band", "careDates": "month"}}""";

  /** Opt-out rate of the benchmark's exclusion snapshot: one person in twenty. */
  private static final int EXCLUDE_ONE_IN = 20;

  public record Settings(List<Double> scales, double ratioScale, int runs, Path workDirectory) {}

  private final SparkSession spark;
  private final KeyAccess warehouseKeys;
  private final KeyAccess releaseKeys;
  private final WarehouseSession.Settings session;
  private final PrintStream out;

  public static void main(String[] args) {
    WarehouseCommand.useCommandLineLogging();
    System.exit(run(args, System.getenv(), System.out, System.err));
  }

  /** Runs the benchmark from its command line; returns the exit code. */
  static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
    if (args.length == 1 && Set.of("help", "-h", "--help").contains(args[0])) {
      out.print(USAGE);
      return 0;
    }
    return WarehouseCommand.reporting(err, "./optout bench warehouse --help shows its options", () -> {
      Settings settings = settings(args);
      WarehouseSession.Settings session = WarehouseEnvironment.session(env);
      KeyAccess warehouseKeys = WarehouseEnvironment.keys(KeyCustodies.Duty.WAREHOUSE, env);
      KeyAccess releaseKeys = WarehouseEnvironment.keys(KeyCustodies.Duty.RELEASE, env);
      SparkSession spark = WarehouseCommand.open("warehouse-bench", session);
      try {
        new WarehouseBench(spark, warehouseKeys, releaseKeys, session, out).run(settings);
      } finally {
        spark.stop();
      }
      return 0;
    });
  }

  /** The command line's settings, checked before anything starts. */
  static Settings settings(String[] args) {
    Options options = Options.parse("bench", args, 0, Set.of("scales", "ratio-scale", "runs", "work"), Set.of());
    List<Double> scales = new ArrayList<>();
    for (String scale : options.optional("scales", "0.005,0.01,0.02").split(",")) {
      scales.add(options.doubleValue("scales", scale.strip()));
    }
    double ratio = options.doubleValue("ratio-scale", options.optional("ratio-scale", "0.01"));
    long runs = options.longValue("runs", options.optional("runs", "3"));
    if (scales.size() < 2 || scales.stream().anyMatch(s -> s <= 0 || s > 1) || ratio <= 0 || ratio > 1 || runs < 1 || runs > 20) {
      throw new UsageException("bench: give at least two scales in (0, 1], a ratio scale in (0, 1] and 1 to 20 runs");
    }
    return new Settings(scales, ratio, (int) runs, Path.of(options.optional("work", "var/bench")).toAbsolutePath());
  }

  /** Ingest runs with the warehouse custody, the extracts with the release custody, as in production. */
  public WarehouseBench(SparkSession spark, KeyAccess warehouseKeys, KeyAccess releaseKeys, WarehouseSession.Settings session, PrintStream out) {
    this.spark = spark;
    this.warehouseKeys = warehouseKeys;
    this.releaseKeys = releaseKeys;
    this.session = session;
    this.out = out;
  }

  public void run(Settings settings) throws Exception {
    ExtractSpec spec = ExtractSpec.parse(SPEC);
    out.printf(Locale.ROOT, "warehouse bench: %d cores, Spark %s, master %s, %d timed runs per figure (median) after a warm-up%n",
        Runtime.getRuntime().availableProcessors(), spark.version(), spark.sparkContext().master(), settings.runs());
    List<Double> scales = new ArrayList<>(settings.scales());
    if (!scales.contains(settings.ratioScale())) {
      scales.add(settings.ratioScale());
    }
    scales.sort(Double::compare);
    double[] seconds = new double[scales.size()];
    for (int i = 0; i < scales.size(); i++) {
      double scale = scales.get(i);
      String namespace = prepare(scale, settings.workDirectory());
      ExclusionInput exclusion = exclusion(namespace, settings.workDirectory().resolve("snapshot-" + label(scale) + ".parquet"));
      ExtractJob job = new ExtractJob(spark, releaseKeys, Clock.systemUTC(), namespace);
      UsageLedger ledger = new UsageLedger(session);
      double extract = median(settings.runs(), () -> {
        ExtractJob.Outcome outcome = job.run(spec, exclusion);
        ledger.record(outcome.cohort().where("excluded = false").select("person"), outcome.warehouseKeyVersion(), spec.project(), outcome.extractId(), spec.purpose(),
            LocalDate.now());
        outcome.cohort().unpersist();
      });
      seconds[i] = extract;
      out.printf(Locale.ROOT, "scale %-7s %,9d persons: full extract %.2f s%n", label(scale), Math.round(scale * 23_500_000), extract);
      if (scale == settings.ratioScale()) {
        double plain = median(settings.runs(), () -> job.copyPlain(spec, WarehouseSession.CATALOG + ".bench_plain"));
        double withoutLedger = median(settings.runs(), () -> job.run(spec, exclusion).cohort().unpersist());
        out.printf(Locale.ROOT, "scale %-7s of which the extract without the usage ledger %.2f s%n", label(scale), withoutLedger);
        out.printf(Locale.ROOT, "scale %-7s plain copy of the same cohort and columns %.2f s; full extract / plain copy = %.2f%n",
            label(scale), plain, extract / plain);
      }
    }
    out.printf(Locale.ROOT, "growth exponent (least-squares slope of log time on log scale over %s): %.2f%n", scales, slope(scales, seconds));
  }

  private interface Run {
    void run() throws Exception;
  }

  private static double median(int runs, Run run) throws Exception {
    run.run(); // warm-up: JIT, Spark's caches, the catalog's connections
    double[] times = new double[runs];
    for (int i = 0; i < runs; i++) {
      long start = System.nanoTime();
      run.run();
      times[i] = (System.nanoTime() - start) / 1e9;
    }
    Arrays.sort(times);
    return runs % 2 == 1 ? times[runs / 2] : (times[runs / 2 - 1] + times[runs / 2]) / 2;
  }

  static double slope(List<Double> scales, double[] seconds) {
    int n = scales.size();
    double mx = 0;
    double my = 0;
    for (int i = 0; i < n; i++) {
      mx += Math.log(scales.get(i)) / n;
      my += Math.log(seconds[i]) / n;
    }
    double sxy = 0;
    double sxx = 0;
    for (int i = 0; i < n; i++) {
      double dx = Math.log(scales.get(i)) - mx;
      sxy += dx * (Math.log(seconds[i]) - my);
      sxx += dx * dx;
    }
    return sxx == 0 ? Double.NaN : sxy / sxx;
  }

  /** Generates and ingests the scale once; later runs find it. */
  private String prepare(double scale, Path work) throws Exception {
    String name = "bench_" + label(scale).replace(".", "_");
    String namespace = WarehouseSession.CATALOG + "." + name;
    if (spark.catalog().tableExists(namespace + ".enrollment")) {
      return namespace;
    }
    Path raw = work.resolve("raw-" + label(scale));
    GeneratorSettings generator = new GeneratorSettings(20261125, scale, 2022, 2022);
    if (!Files.exists(raw.resolve("_GENERATED.json"))) {
      org.apache.hadoop.fs.Path target = GenerateJob.prepareOutput(raw.toString(), true, new Configuration());
      GenerateJob.run(spark, generator, target, GenerateJob.defaultPartitions(spark, generator.persons()), out);
    }
    new Ingest(spark, warehouseKeys, out).run(raw.toString(), new Ingest.Settings(name, 0, false));
    return namespace;
  }

  /** A registry-format snapshot of one in twenty persons of the scale's warehouse. */
  private ExclusionInput exclusion(String namespace, Path file) throws Exception {
    List<Long> excluded = new ArrayList<>();
    for (Row row : spark.table(namespace + ".enrollment").select("person").where("pmod(person, " + EXCLUDE_ONE_IN + ") = 0")
        .collectAsList()) {
      excluded.add(row.getLong(0));
    }
    Checkpoint checkpoint = new Checkpoint("localhost/nhi-optout-registry", excluded.size(), Hash.of(new byte[32]), List.of());
    Files.deleteIfExists(file);
    SnapshotSummary summary = ExclusionSnapshot.write(file, SnapshotDescription.of("academic-research", checkpoint),
        excluded.stream().mapToLong(Long::longValue).sorted().distinct());
    return new ExclusionInput(file, "academic-research", checkpoint.origin(), checkpoint.size(), checkpoint.rootHash().base64(),
        summary.setSha256().hex(), summary.count(), summary.fileSha256().hex(), keyVersion(namespace + ".enrollment"));
  }

  /** The warehouse key version the scale's tables were ingested under: the snapshot stands in for the registry's, which names it. */
  private int keyVersion(String table) throws Exception {
    org.apache.iceberg.Table iceberg = org.apache.iceberg.spark.Spark3Util.loadIcebergTable(spark, table);
    return optout.warehouse.ingest.WarehouseKeyVersion.recorded(iceberg, iceberg.currentSnapshot().snapshotId())
        .orElseThrow(() -> new IllegalStateException(table + " records no warehouse key version: ingest the scale again"));
  }

  private static String label(double scale) {
    return String.format(Locale.ROOT, "%s", scale);
  }
}
