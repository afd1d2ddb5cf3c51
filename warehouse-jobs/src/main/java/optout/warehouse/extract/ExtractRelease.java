package optout.warehouse.extract;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Map;
import optout.signing.DetachedSigner;
import optout.warehouse.keys.KeyAccess;
import optout.warehouse.ledger.UsageLedger;
import optout.warehouse.report.Representativeness;
import optout.warehouse.report.RepresentativenessReport;
import optout.warehouse.spark.WarehouseSession;
import optout.warehouse.spec.ExtractSpec;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * One release of an extract, end to end: build it against a verified exclusion snapshot, sign and
 * write its manifest, write its representativeness report, and record its persons in the usage ledger.
 *
 * <p>All or nothing in the project's namespace: the tables are built in a staging namespace of the
 * project's ({@code nhi.staging_<project>}), the manifest and the report are written, and only then are
 * the tables moved into {@code nhi.project_<project>} (its earlier tables dropped first), and the persons
 * recorded in the ledger. A release that stopped anywhere (a killed runner) is simply run again under the
 * same extract ID: the next attempt drops what the staging namespace holds, builds again, moves again, and
 * the ledger records each person once per extract ID however often it is written. So the project's
 * namespace never holds tables from two attempts once a release finished, and the ledger no person twice.
 */
public final class ExtractRelease {

  /** What a release produced, for the command line and the demo to show. */
  public record Released(ExtractJob.Outcome outcome, Path manifest, Path report, Representativeness.Report representativeness, long recorded) {}

  private final SparkSession spark;
  private final KeyAccess keys;
  private final WarehouseSession.Settings settings;
  private final DetachedSigner signer;
  private final Clock clock;

  public ExtractRelease(SparkSession spark, KeyAccess keys, WarehouseSession.Settings settings, DetachedSigner signer, Clock clock) {
    this.spark = spark;
    this.keys = keys;
    this.settings = settings;
    this.signer = signer;
    this.clock = clock;
  }

  public Released release(ExtractSpec spec, ExclusionInput exclusion, Path output) throws IOException {
    return release(spec, exclusion, output, ExtractJob.newExtractId(clock), percent -> {});
  }

  /**
   * A release under a given extract ID: running it again with the same ID (after a crash) replaces what
   * an earlier attempt left and records nobody twice.
   *
   * @param progress told 0 to 100 as the steps complete
   */
  public Released release(ExtractSpec spec, ExclusionInput exclusion, Path output, String extractId, java.util.function.IntConsumer progress)
      throws IOException {
    String staging = stagingNamespace(spec.project());
    dropTables(staging);
    progress.accept(5);
    ExtractJob.Outcome outcome = new ExtractJob(spark, keys, clock).run(spec, exclusion, extractId, staging);
    progress.accept(60);
    Path directory = output.resolve(outcome.extractId());
    Files.createDirectories(directory);
    Path manifest = ExtractManifest.write(directory, outcome.extractId(), ExtractManifest.of(outcome), signer);
    Representativeness.Report report = new RepresentativenessReport(Representativeness.withDefaults()).compute(outcome.cohort());
    Path reportFile = RepresentativenessReport.write(directory, outcome.extractId(), report);
    progress.accept(75);
    moveInto(staging, ExtractJob.namespace(spec.project()));
    progress.accept(85);
    long recorded = new UsageLedger(settings).record(outcome.cohort().where("excluded = false").select("person"), outcome.warehouseKeyVersion(),
        spec.project(),
        outcome.extractId(), spec.purpose(), LocalDate.ofInstant(clock.instant(), ZoneId.of("Asia/Taipei")));
    outcome.cohort().unpersist();
    progress.accept(95);
    return new Released(outcome, manifest, reportFile, report, recorded);
  }

  /** Where a release builds the project's tables before they move into the project's namespace. */
  public static String stagingNamespace(String project) {
    return WarehouseSession.CATALOG + ".staging_" + project.replace('-', '_');
  }

  /** Drops (and purges) every table in the namespace, if it exists. */
  private void dropTables(String namespace) {
    if (!namespaceExists(namespace)) {
      return;
    }
    for (Row table : spark.sql("show tables in " + namespace).collectAsList()) {
      spark.sql("drop table if exists " + namespace + "." + table.getString(1) + " purge");
    }
  }

  /** Replaces the project's tables by the staged ones: the old ones are dropped, the staged ones renamed into the project. */
  private void moveInto(String staging, String project) {
    spark.sql("create namespace if not exists " + project);
    dropTables(project);
    org.apache.iceberg.catalog.Catalog catalog = org.apache.iceberg.spark.Spark3Util.loadIcebergCatalog(spark, WarehouseSession.CATALOG);
    String stagingName = staging.substring(staging.indexOf('.') + 1);
    String projectName = project.substring(project.indexOf('.') + 1);
    for (Row table : spark.sql("show tables in " + staging).collectAsList()) {
      catalog.renameTable(org.apache.iceberg.catalog.TableIdentifier.of(stagingName, table.getString(1)),
          org.apache.iceberg.catalog.TableIdentifier.of(projectName, table.getString(1)));
    }
    spark.sql("drop namespace if exists " + staging);
  }

  private boolean namespaceExists(String namespace) {
    String name = namespace.substring(namespace.indexOf('.') + 1);
    return spark.sql("show namespaces in " + WarehouseSession.CATALOG).collectAsList().stream().anyMatch(row -> row.getString(0).equals(name));
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
