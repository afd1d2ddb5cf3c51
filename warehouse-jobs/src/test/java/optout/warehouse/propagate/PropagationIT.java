package optout.warehouse.propagate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.stream.Stream;
import optout.warehouse.TestCatalogs;
import optout.warehouse.TestKeys;
import optout.warehouse.TestSpark;
import optout.warehouse.extract.ExclusionInput;
import optout.warehouse.extract.ExtractJob;
import optout.warehouse.spec.ExtractSpec;
import optout.warehouse.extract.RegistrySnapshots;
import optout.warehouse.extract.TinyWarehouseAccess;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/** Opt-outs after delivery leave the project's live tables, and their bytes leave the disk. */
class PropagationIT {

  private static final String SPEC = """
      {"project": "propagation-project", "purpose": "academic-research", "legalBasis": "PDPA art. 6, IRB 2026-124",
       "tables": {"enrollment": ["person", "birth_date", "sex"],
                  "outpatient_visit": ["visit_id", "person", "visit_date", "icd1"],
                  "outpatient_order": ["visit_id", "code"]},
       "cohort": {"diagnoses": ["E11", "J06"], "from": "2022-01-01", "to": "2022-12-31", "minAge": 0, "maxAge": 120}}""";

  private static ExclusionInput exclusion(Path parquet, long size, List<Long> layer1) throws Exception {
    return RegistrySnapshots.publish(parquet, "academic-research", size, layer1).verified();
  }

  /**
   * How many Parquet files on disk under the directory hold a row with this person: every file is read
   * on its own, bypassing Iceberg, so files that no snapshot references any more are read too.
   */
  private static long filesHolding(SparkSession spark, Path directory, long person) {
    try (Stream<Path> files = Files.walk(directory)) {
      return files.filter(file -> file.toString().endsWith(".parquet"))
          .filter(file -> spark.read().parquet(file.toString()).where("person = " + person).count() > 0).count();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void personsWhoOptOutAfterDeliveryAreDeletedAndTheirBytesAreGone() throws Exception {
    SparkSession spark = TestSpark.session();
    List<Long> layer1 = TinyWarehouseAccess.write(spark);
    Path directory = Files.createTempDirectory("propagation-it");
    ExtractJob.Outcome extract = new ExtractJob(spark, TestKeys.release(), Clock.systemUTC())
        .run(ExtractSpec.parse(SPEC), exclusion(directory.resolve("academic-research@0.parquet"), 0, List.of()));
    // Released against a registry nobody had filed with yet: its checkpoint 0, the empty tree.
    assertThat(extract.exclusion().checkpointSize()).isZero();
    assertThat(extract.personsExcluded()).isZero();
    long visitsBefore = extract.outputRows().get("outpatient_visit");

    List<Long> leaving = List.of(layer1.get(1), layer1.get(7));
    long staying = layer1.get(3);
    String namespace = ExtractJob.namespace("propagation-project");
    long rowsBefore = spark.table(namespace + ".enrollment").count();
    // a snapshot under another warehouse key version (the registry re-keyed, the project was not rebuilt) would
    // remove no one: refused before any table changes
    ExclusionInput rotated = RegistrySnapshots.publish(directory.resolve("rotated.parquet"), "academic-research", 12, leaving, 2).verified();
    assertThatThrownBy(() -> new Propagation(spark, TestKeys.release(), Clock.systemUTC()).propagate("propagation-project", rotated))
        .hasMessageContaining("under warehouse key version 2, the data under version 1");
    assertThat(spark.table(namespace + ".enrollment").count()).isEqualTo(rowsBefore);
    Path projectData = Path.of(URI.create(TestCatalogs.settings().location())).resolve("project_propagation_project");
    long leaver = TestKeys.release().project("propagation-project").pseudonym(leaving.get(0));
    assertThat(filesHolding(spark, projectData.resolve("enrollment"), leaver)).as("the scan finds a pseudonym in the data files").isPositive();

    Propagation.Removed removed = new Propagation(spark, TestKeys.release(), Clock.systemUTC())
        .propagate("propagation-project", exclusion(directory.resolve("newer.parquet"), 12, leaving));

    assertThat(removed.persons()).isEqualTo(2);
    assertThat(removed.rowsPerTable()).containsEntry("enrollment", 2L).containsEntry("outpatient_visit", 4L).containsEntry("outpatient_order", 4L);
    assertThat(removed.filesDeleted()).isPositive();
    assertThat(spark.table(namespace + ".outpatient_visit").count()).isEqualTo(visitsBefore - 4);
    for (long person : leaving) {
      long layer2 = TestKeys.release().project("propagation-project").pseudonym(person);
      assertThat(spark.table(namespace + ".enrollment").where("person = " + layer2).count()).isZero();
      assertThat(filesHolding(spark, projectData.resolve("enrollment"), layer2) + filesHolding(spark, projectData.resolve("outpatient_visit"), layer2)).as("files still holding a removed person's pseudonym").isZero();
    }
    long stayer = TestKeys.release().project("propagation-project").pseudonym(staying);
    assertThat(spark.table(namespace + ".enrollment").where("person = " + stayer).count()).isEqualTo(1);
    assertThat(spark.sql("select count(*) from " + namespace + ".enrollment.snapshots").first().getLong(0)).isEqualTo(1);
  }
}
