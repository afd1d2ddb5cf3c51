package optout.warehouse.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import optout.pseudonymizer.id.ProjectId;
import optout.warehouse.TestCatalogs;
import optout.warehouse.TestKeys;
import optout.warehouse.TestSpark;
import optout.warehouse.extract.ExtractJob;
import optout.signing.DetachedSigner;
import optout.warehouse.extract.RegistrySnapshots;
import optout.warehouse.extract.TinyWarehouseAccess;
import optout.warehouse.spec.ExtractSpec;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/**
 * The runner's three kinds of job on real Spark over the tiny warehouse, through the real job table: a
 * preview shows suppressed and rounded counts and writes nothing (no project namespace, no project key);
 * the extract makes the project's keys and releases; a propagation removes who opted out since.
 */
class WarehouseWorkIT {

  static final String PROJECT = "runner-project";
  static final String SPEC = """
      {"project": "runner-project", "purpose": "academic-research", "legalBasis": "PDPA art. 6, IRB 2026-123",
       "tables": {"enrollment": ["person", "sex"], "outpatient_visit": ["visit_id", "person", "icd1"]},
       "cohort": {"diagnoses": ["E11"], "from": "2022-01-01", "to": "2023-12-31", "minAge": 40, "maxAge": 90},
       "generalisation": {"birthDate": "year", "careDates": "month"}}""";

  @Test
  void aPreviewWritesNothingTheExtractMakesTheKeysAndAPropagationRemovesLaterOptOuts() throws Exception {
    SparkSession spark = TestSpark.session();
    List<Long> layer1 = TinyWarehouseAccess.write(spark);
    // ExtractIT's excluded persons (the ledger is shared in this JVM), then two more in the cohort opt out
    List<Long> excluded = new ArrayList<>(List.of(layer1.get(2), layer1.get(4), layer1.get(10), layer1.get(11), layer1.get(20)));
    AtomicReference<List<Long>> registry = new AtomicReference<>(List.copyOf(excluded));
    Path work = Files.createTempDirectory("runner-work");
    WarehouseWork warehouse = new WarehouseWork(spark, TestKeys.release(), TestCatalogs.settings(),
        DetachedSigner.open(work.resolve("keys/manifest.key"), true, "extract manifests"), work.resolve("output"),
        purpose -> RegistrySnapshots.publish(work.resolve(purpose + System.nanoTime() + ".parquet"), purpose, 40 + registry.get().size(),
            registry.get()).verified(), Clock.systemUTC());
    JobTables tables = JobTables.create();
    JobRunner runner = new JobRunner(new JobQueue(tables.as(tables.runnerRole()), Clock.systemUTC()), "work-runner", Duration.ofSeconds(30),
        warehouse.kinds());
    String sha = ExtractSpec.parse(SPEC).sha256();

    UUID preview = tables.queue("preview", PROJECT, "academic-research", SPEC, sha, Instant.now());
    assertThat(runner.runOne().map(Job::id)).contains(preview);
    JobTables.JobRow previewed = tables.read(preview);
    assertThat(previewed.status()).as(previewed.outcome()).isEqualTo("succeeded");
    var result = Outcomes.JSON.readTree(previewed.outcome());
    assertThat(result.get("optedOut").isNull()).as("5 opted out: suppressed").isTrue();
    assertThat(result.get("cohort").asLong() % 10).isZero();
    assertThat(result.at("/representativeness/dimensions").size()).isEqualTo(4);
    assertThat(spark.sql("show namespaces in nhi").collectAsList()).noneMatch(row -> row.getString(0).endsWith("runner_project"));
    assertThat(TestKeys.release().custody().keys()).noneMatch(key -> key.project().equals(Optional.of(ProjectId.of(PROJECT))));

    UUID extract = tables.queue("extract", PROJECT, "academic-research", SPEC, sha, Instant.now());
    assertThat(runner.runOne().map(Job::id)).contains(extract);
    JobTables.JobRow extracted = tables.read(extract);
    assertThat(extracted.status()).as(extracted.outcome()).isEqualTo("succeeded");
    var release = Outcomes.JSON.readTree(extracted.outcome());
    long inCohort = release.at("/persons/inCohort").asLong();
    assertThat(result.get("cohort").asLong()).isEqualTo(PreviewFigures.shown(inCohort));
    assertThat(TestKeys.release().custody().keys()).anyMatch(key -> key.project().equals(Optional.of(ProjectId.of(PROJECT))));
    long enrolled = spark.table(ExtractJob.namespace(PROJECT) + ".enrollment").count();
    assertThat(enrolled).isEqualTo(release.at("/persons/included").asLong());

    // persons 8 and 14 (diabetic, 63 and 57) opt out after delivery
    List<Long> later = new ArrayList<>(excluded);
    later.addAll(List.of(layer1.get(8), layer1.get(14)));
    registry.set(List.copyOf(later));
    UUID propagation = tables.queue("propagation", PROJECT, "academic-research", SPEC, sha, Instant.now());
    assertThat(runner.runOne().map(Job::id)).contains(propagation);
    JobTables.JobRow propagated = tables.read(propagation);
    assertThat(propagated.status()).as(propagated.outcome()).isEqualTo("succeeded");
    assertThat(Outcomes.JSON.readTree(propagated.outcome()).get("personsRemoved").asLong()).isEqualTo(2);
    assertThat(spark.table(ExtractJob.namespace(PROJECT) + ".enrollment").count()).isEqualTo(enrolled - 2);

    // project end: its release keys destroyed, its tables dropped
    UUID close = tables.queue("close", PROJECT, "academic-research", SPEC, sha, Instant.now());
    assertThat(runner.runOne().map(Job::id)).contains(close);
    JobTables.JobRow closed = tables.read(close);
    assertThat(closed.status()).as(closed.outcome()).isEqualTo("succeeded");
    assertThat(Outcomes.JSON.readTree(closed.outcome()).get("keys").asText()).isEqualTo("destroyed");
    assertThatThrownBy(() -> TestKeys.release().custody().projectPseudonymizer(ProjectId.of(PROJECT))).hasMessageContaining("destroyed");
    assertThat(spark.sql("show namespaces in nhi").collectAsList()).noneMatch(row -> row.getString(0).endsWith("runner_project"));
  }
}
