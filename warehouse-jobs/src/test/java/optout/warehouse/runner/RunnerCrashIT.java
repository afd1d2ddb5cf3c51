package optout.warehouse.runner;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import optout.warehouse.TestCatalogs;
import optout.warehouse.TestKeys;
import optout.warehouse.TestSpark;
import optout.warehouse.extract.ExtractJob;
import optout.warehouse.extract.ExtractRelease;
import optout.signing.DetachedSigner;
import optout.warehouse.extract.RegistrySnapshots;
import optout.warehouse.extract.TinyWarehouseAccess;
import optout.warehouse.ledger.UsageLedger;
import optout.warehouse.spark.WarehouseSession;
import optout.warehouse.spec.ExtractSpec;
import org.apache.iceberg.Table;
import org.apache.iceberg.spark.Spark3Util;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/**
 * A runner killed in the middle of an extract (a real process, {@code destroyForcibly}) leaves the job
 * running under a lease; once the lease has run out a second runner claims it, builds the release again
 * and finishes it, and the project holds exactly one release: one extract ID on every table, each table
 * one snapshot, the ledger each included person once.
 */
class RunnerCrashIT {

  static final String PROJECT = "crash-project";
  static final String SPEC = """
      {"project": "crash-project", "purpose": "academic-research", "legalBasis": "PDPA art. 6, IRB 2026-123",
       "tables": {"enrollment": ["person", "birth_date", "sex", "county"],
                  "outpatient_visit": ["visit_id", "person", "visit_date", "icd1", "hospital"],
                  "outpatient_order": ["visit_id", "code", "total_quantity"]},
       "cohort": {"diagnoses": ["E11"], "from": "2022-01-01", "to": "2023-12-31", "minAge": 40, "maxAge": 90},
       "generalisation": {"birthDate": "five-year-band", "careDates": "month"}}""";
  static final Duration LEASE = Duration.ofSeconds(6);

  @Test
  void aRunnerKilledMidExtractLeavesNothingHalfReleasedAndASecondRunnerCompletesTheJob() throws Exception {
    SparkSession spark = TestSpark.session();
    List<Long> layer1 = TinyWarehouseAccess.write(spark);
    // the same persons as ExtractIT excludes: the ledger's person_usage is shared by the tests of this JVM, and ExtractIT checks
    // that its excluded persons are recorded nowhere
    List<Long> excluded = List.of(layer1.get(2), layer1.get(4), layer1.get(10), layer1.get(11), layer1.get(20));
    JobTables tables = JobTables.create();
    ExtractSpec spec = ExtractSpec.parse(SPEC);
    UUID id = tables.queue("extract", PROJECT, "academic-research", SPEC, spec.sha256(), Instant.now());
    Path work = Files.createTempDirectory("runner-crash");
    WarehouseSession.Settings catalog = TestCatalogs.settings();

    Process runner = startRunner(tables, catalog, work, excluded);
    try {
      waitUntilStaging(catalog, id, tables, runner);
    } finally {
      runner.destroyForcibly();
      runner.waitFor();
    }

    // killed mid-extract: the job is still the dead runner's, and nothing reached the project's namespace or the ledger
    JobTables.JobRow killed = tables.read(id);
    assertThat(killed.status()).isEqualTo("running");
    assertThat(killed.attempts()).isEqualTo(1);
    assertThat(catalogTables(catalog, "project_crash_project")).isEmpty();
    assertThat(catalogTables(catalog, "staging_crash_project")).isNotEmpty();

    // a second runner takes the job once the lease has run out, and completes it
    DetachedSigner signer = DetachedSigner.open(work.resolve("keys/second.key"), true, "extract manifests");
    Path snapshots = Files.createTempDirectory("runner-crash-snapshots");
    WarehouseWork warehouse = new WarehouseWork(spark, TestKeys.release(), catalog, signer, work.resolve("output"),
        purpose -> RegistrySnapshots.publish(snapshots.resolve(purpose + System.nanoTime() + ".parquet"), purpose, 42, excluded).verified(),
        Clock.systemUTC());
    JobRunner second = new JobRunner(new JobQueue(tables.as(tables.runnerRole()), Clock.systemUTC()), "second-runner", LEASE, warehouse.kinds());
    Optional<Job> ran = Optional.empty();
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (ran.isEmpty() && System.nanoTime() < deadline) {
      ran = second.runOne();
      if (ran.isEmpty()) {
        Thread.sleep(500);
      }
    }
    assertThat(ran.map(Job::id)).contains(id);
    assertThat(ran.get().attempt()).isEqualTo(2);

    JobTables.JobRow done = tables.read(id);
    assertThat(done.status()).as(done.outcome()).isEqualTo("succeeded");
    assertThat(done.progress()).isEqualTo(100);
    var outcome = Outcomes.JSON.readTree(done.outcome());
    String extractId = outcome.get("extractId").asText();
    assertThat(extractId).isEqualTo(WarehouseWork.extractId(ran.get()));

    // exactly one release: the spec's tables, all from this extract, each a single snapshot, the staging namespace gone
    String namespace = ExtractJob.namespace(PROJECT);
    assertThat(catalogTables(catalog, "project_crash_project")).containsExactlyInAnyOrder("enrollment", "outpatient_visit", "outpatient_order");
    assertThat(catalogTables(catalog, "staging_crash_project")).isEmpty();
    for (String name : List.of("enrollment", "outpatient_visit", "outpatient_order")) {
      Table table = Spark3Util.loadIcebergTable(spark, namespace + "." + name);
      table.refresh();
      assertThat(table.properties()).containsEntry(ExtractJob.EXTRACT_ID_PROPERTY, extractId);
      assertThat(table.snapshots()).hasSize(1);
      assertThat(spark.table(namespace + "." + name).count()).isEqualTo(outcome.get("tables").get(name).asLong());
    }
    long included = outcome.get("persons").get("included").asLong();
    assertThat(outcome.get("persons").get("excluded").asLong()).isPositive();
    Set<Long> enrolled = new HashSet<>();
    for (Row row : spark.table(namespace + ".enrollment").select("person").collectAsList()) {
      enrolled.add(row.getLong(0));
    }
    assertThat(enrolled).hasSize((int) included);
    for (long person : excluded) {
      assertThat(enrolled).doesNotContain(TestKeys.release().project(PROJECT).pseudonym(person));
    }
    assertThat(spark.table(UsageLedger.TABLE).where("project = '" + PROJECT + "'").count()).isEqualTo(included);
    assertThat(spark.table(UsageLedger.TABLE).where("project = '" + PROJECT + "'").select("extract_id").distinct().count()).isEqualTo(1);
    // the manifest is signed and names this extract
    Path manifest = Path.of(outcome.get("manifest").asText());
    assertThat(DetachedSigner.verify(signer.publicKey(), Files.readAllBytes(manifest), Files.readString(Path.of(outcome.get("signature").asText())).strip()))
        .isTrue();
    assertThat(Files.readString(manifest)).contains(extractId);
    assertThat(ExtractRelease.stagingNamespace(PROJECT)).isEqualTo("nhi.staging_crash_project");
  }

  private static Process startRunner(JobTables tables, WarehouseSession.Settings catalog, Path work, List<Long> excluded) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .filter(a -> a.startsWith("--add-opens") || a.startsWith("--add-exports")).toList());
    command.addAll(List.of("-Xmx1g", "-cp", System.getProperty("java.class.path"), CrashRunnerMain.class.getName()));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(work.resolve("first-runner.log").toFile());
    Map<String, String> env = builder.environment();
    env.putAll(TestKeys.releaseVariables());
    env.putAll(Map.of(
        "OPTOUT_WAREHOUSE_JDBC_URL", catalog.jdbcUrl(), "OPTOUT_WAREHOUSE_JDBC_USER", catalog.user(), "OPTOUT_WAREHOUSE_JDBC_PASSWORD", catalog.password(),
        "OPTOUT_WAREHOUSE_LOCATION", catalog.location(), "OPTOUT_SPARK_MASTER", "local[2]",
        "OPTOUT_WAREHOUSE_MANIFEST_KEY", work.resolve("keys/first.key").toString(), "OPTOUT_WAREHOUSE_CREATE_MANIFEST_KEY", "true",
        "OPTOUT_WAREHOUSE_OUTPUT", work.resolve("output").toString()));
    env.putAll(Map.of("OPTOUT_RUNNER_JDBC_URL", tables.url, "OPTOUT_RUNNER_JDBC_USER", tables.runnerRole(),
        "OPTOUT_RUNNER_JDBC_PASSWORD", JobTables.PASSWORD, "OPTOUT_RUNNER_LEASE", LEASE.toString(), "OPTOUT_RUNNER_POLL", "PT0.2S",
        "OPTOUT_RUNNER_NAME", "first-runner", "TEST_EXCLUDED", excluded.stream().map(String::valueOf).collect(Collectors.joining(","))));
    return builder.start();
  }

  /** Waits until the runner has written a table into the staging namespace (the extract is under way). */
  private static void waitUntilStaging(WarehouseSession.Settings catalog, UUID id, JobTables tables, Process runner) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(240).toNanos();
    while (System.nanoTime() < deadline) {
      assertThat(runner.isAlive()).as("the first runner is running (see its log)").isTrue();
      assertThat(tables.read(id).status()).as("the job must still be under way when the runner is killed").isIn("queued", "running");
      if (!catalogTables(catalog, "staging_crash_project").isEmpty()) {
        return;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("the first runner did not start the extract within 240 s");
  }

  /** The tables in a namespace, read from the Iceberg catalog's own table (no Spark, no cache). */
  private static List<String> catalogTables(WarehouseSession.Settings catalog, String namespace) throws Exception {
    List<String> names = new ArrayList<>();
    try (Connection connection = DriverManager.getConnection(catalog.jdbcUrl(), catalog.user(), catalog.password())) {
      try (PreparedStatement query = connection.prepareStatement("select table_name from iceberg_tables where table_namespace = ?")) {
        query.setString(1, namespace);
        try (ResultSet rows = query.executeQuery()) {
          while (rows.next()) {
            names.add(rows.getString(1));
          }
        }
      } catch (java.sql.SQLException e) {
        if (!"42P01".equals(e.getSQLState())) {  // the catalog's tables do not exist before the first table
          throw e;
        }
      }
    }
    return names;
  }
}
