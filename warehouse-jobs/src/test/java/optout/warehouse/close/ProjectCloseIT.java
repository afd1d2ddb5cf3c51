package optout.warehouse.close;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import optout.pseudonymizer.custody.KeyInfo;
import optout.pseudonymizer.custody.KeyUnavailableException;
import optout.pseudonymizer.id.ProjectId;
import optout.warehouse.TestCatalogs;
import optout.warehouse.TestKeys;
import optout.warehouse.TestSpark;
import optout.warehouse.extract.ExtractJob;
import optout.warehouse.extract.RegistrySnapshots;
import optout.warehouse.extract.TinyWarehouseAccess;
import optout.warehouse.spec.ExtractSpec;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/** A project's end on the tiny warehouse: its keys destroyed, its tables and their files gone; a retry changes nothing. */
class ProjectCloseIT {

  private static final String SPEC = """
      {"project": "closing-project", "purpose": "academic-research", "legalBasis": "PDPA art. 6, IRB 2026-125",
       "tables": {"enrollment": ["person", "birth_date", "sex"],
                  "outpatient_visit": ["visit_id", "person", "visit_date", "icd1"]},
       "cohort": {"diagnoses": ["E11"], "from": "2022-01-01", "to": "2022-12-31", "minAge": 0, "maxAge": 120}}""";

  private static long parquetFiles(Path directory) {
    if (!Files.exists(directory)) {
      return 0;
    }
    try (Stream<Path> files = Files.walk(directory)) {
      return files.filter(f -> f.toString().endsWith(".parquet")).count();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void closingDestroysTheKeysAndDropsTheTablesWithTheirFiles() throws Exception {
    SparkSession spark = TestSpark.session();
    List<Long> layer1 = TinyWarehouseAccess.write(spark);
    Path directory = Files.createTempDirectory("close-it");
    ExtractJob.Outcome extract = new ExtractJob(spark, TestKeys.release(), Clock.systemUTC()).run(ExtractSpec.parse(SPEC),
        RegistrySnapshots.publish(directory.resolve("academic-research@0.parquet"), "academic-research", 0, List.of()).verified());
    assertThat(extract.outputRows().get("enrollment")).isPositive();
    Path projectData = Path.of(URI.create(TestCatalogs.settings().location())).resolve("project_closing_project");
    assertThat(parquetFiles(projectData)).isPositive();
    long pseudonym = TestKeys.release().project(TestKeys.CLOSING_PROJECT).pseudonym(layer1.get(0));

    ProjectClose.Closed closed = new ProjectClose(spark, TestKeys.release()).close(TestKeys.CLOSING_PROJECT);

    assertThat(closed.keys()).isEqualTo("destroyed");
    assertThat(closed.keysDestroyedAt()).isPresent();
    assertThat(closed.tablesDropped()).containsExactlyInAnyOrder("enrollment", "outpatient_visit");
    assertThat(spark.sql("show namespaces in nhi").collectAsList()).noneMatch(r -> r.getString(0).equals("project_closing_project"));
    assertThat(parquetFiles(projectData)).as("data files left of the closed project").isZero();
    // crypto-shredding: nothing can make or reverse the project's pseudonyms any more
    assertThat(TestKeys.release().custody().keys()).anyMatch(k -> k.purpose() == KeyInfo.Purpose.DESTROYED_PROJECT
        && k.project().equals(Optional.of(ProjectId.of(TestKeys.CLOSING_PROJECT))));
    assertThatThrownBy(() -> TestKeys.release().custody().projectPseudonymizer(ProjectId.of(TestKeys.CLOSING_PROJECT)))
        .isInstanceOf(KeyUnavailableException.class);
    assertThat(pseudonym).isNotZero();
    // the warehouse and the other projects are untouched
    assertThat(spark.table("nhi.warehouse.enrollment").count()).isEqualTo(layer1.size());
    assertThat(TestKeys.release().custody().projectPseudonymizer(ProjectId.of(TestKeys.PROJECT))).isNotNull();

    // a retried close job finishes without harm
    ProjectClose.Closed again = new ProjectClose(spark, TestKeys.release()).close(TestKeys.CLOSING_PROJECT);
    assertThat(again.keys()).isEqualTo("destroyed-before");
    assertThat(again.tablesDropped()).isEmpty();
  }

  @Test
  void onlyTheReleaseCustodyClosesAndOnlyProjects() throws Exception {
    SparkSession spark = TestSpark.session();
    assertThatThrownBy(() -> new ProjectClose(spark, TestKeys.warehouse())).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("release custody");
    ProjectClose close = new ProjectClose(spark, TestKeys.release());
    assertThatThrownBy(() -> close.close("nhi.warehouse; drop")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> close.close(null)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> close.close(TestKeys.WAREHOUSE_TOKENS)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("warehouse's own tokens");
    // a project that never had keys or tables: nothing to do, said so
    ProjectClose.Closed nothing = close.close("never-extracted-project");
    assertThat(nothing.keys()).isEqualTo("none");
    assertThat(nothing.tablesDropped()).isEmpty();
  }
}
