package optout.warehouse.extract;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Map;
import optout.warehouse.keys.KeyAccess;
import optout.warehouse.ledger.UsageLedger;
import optout.warehouse.report.Representativeness;
import optout.warehouse.report.RepresentativenessReport;
import optout.warehouse.spark.WarehouseSession;
import optout.warehouse.spec.ExtractSpec;
import org.apache.spark.sql.SparkSession;

/**
 * One release of an extract, end to end: build it against a verified exclusion snapshot, sign and
 * write its manifest, write its representativeness report, and record its persons in the usage ledger.
 * The steps are in this order so that nothing is recorded as used until the tables and the manifest
 * exist; a failure before the ledger leaves project tables without a manifest, which the next run
 * replaces.
 */
public final class ExtractRelease {

  /** What a release produced, for the command line and the demo to show. */
  public record Released(ExtractJob.Outcome outcome, Path manifest, Path report, Representativeness.Report representativeness, long recorded) {}

  private final SparkSession spark;
  private final KeyAccess keys;
  private final WarehouseSession.Settings settings;
  private final ManifestSigner signer;
  private final Clock clock;

  public ExtractRelease(SparkSession spark, KeyAccess keys, WarehouseSession.Settings settings, ManifestSigner signer, Clock clock) {
    this.spark = spark;
    this.keys = keys;
    this.settings = settings;
    this.signer = signer;
    this.clock = clock;
  }

  public Released release(ExtractSpec spec, ExclusionInput exclusion, Path output) throws IOException {
    ExtractJob.Outcome outcome = new ExtractJob(spark, keys, clock).run(spec, exclusion);
    Path directory = output.resolve(outcome.extractId());
    Files.createDirectories(directory);
    Path manifest = ExtractManifest.write(directory, outcome.extractId(), ExtractManifest.of(outcome), signer);
    Representativeness.Report report = new RepresentativenessReport(Representativeness.withDefaults()).compute(outcome.cohort());
    Path reportFile = RepresentativenessReport.write(directory, outcome.extractId(), report);
    long recorded = new UsageLedger(settings).record(outcome.cohort().where("excluded = false").select("person"), outcome.warehouseKeyVersion(), spec.project(),
        outcome.extractId(), spec.purpose(), LocalDate.ofInstant(clock.instant(), ZoneId.of("Asia/Taipei")));
    outcome.cohort().unpersist();
    return new Released(outcome, manifest, reportFile, report, recorded);
  }

  /** A few lines for a person at a terminal. */
  public static void print(Released released, PrintStream out) {
    ExtractJob.Outcome outcome = released.outcome();
    out.println("Extract " + outcome.extractId() + " for project " + outcome.spec().project() + " (" + outcome.spec().purpose() + ")");
    out.println("  registry checkpoint " + outcome.exclusion().checkpointSize() + ", exclusion snapshot of " + outcome.exclusion().count()
        + " persons, set SHA-256 " + outcome.exclusion().setSha256());
    out.println("  cohort " + outcome.personsInCohort() + " persons, excluded " + outcome.personsExcluded() + ", included "
        + outcome.personsIncluded() + " (recorded in the usage ledger: " + released.recorded() + ")");
    for (Map.Entry<String, Long> table : outcome.outputRows().entrySet()) {
      out.println("  " + ExtractJob.namespace(outcome.spec().project()) + "." + table.getKey() + ": " + table.getValue() + " rows");
    }
    out.println("  representativeness: " + (released.representativeness().flaggedDimensions().isEmpty()
        ? "no dimension differs by |d| >= " + released.representativeness().flagThreshold()
        : "differs in " + released.representativeness().flaggedDimensions()));
    out.println("  manifest " + released.manifest() + " (signature beside it, .sig)");
    out.println("  report   " + released.report() + " (and .html)");
  }
}
