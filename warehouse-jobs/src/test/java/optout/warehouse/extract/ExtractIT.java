package optout.warehouse.extract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import optout.signing.DetachedSigner;
import optout.warehouse.TestCatalogs;
import optout.warehouse.TestKeys;
import optout.warehouse.TestSpark;
import optout.warehouse.ledger.UsageLedger;
import optout.warehouse.spec.ExtractSpec;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** An extract over a tiny warehouse: the cohort less the excluded, in every table, pseudonymised, generalised, signed and recorded. */
class ExtractIT {

  /** The spec library's example (warehouse-spec's ExtractSpecTest): two diagnoses, three tables, five-year bands. */
  static final String VALID = """
      {"project": "demo-project", "purpose": "academic-research", "legalBasis": "PDPA art. 6, IRB 2026-123",
       "tables": {"enrollment": ["person", "birth_date", "sex", "county"],
                  "outpatient_visit": ["visit_id", "person", "visit_date", "icd1", "hospital"],
                  "outpatient_order": ["visit_id", "code", "total_quantity"]},
       "cohort": {"diagnoses": ["E11", "I10"], "from": "2022-01-01", "to": "2023-12-31", "minAge": 40, "maxAge": 90},
       "generalisation": {"birthDate": "five-year-band", "careDates": "month"}}""";

  private static SparkSession spark;
  private static TinyWarehouse warehouse;
  private static ExtractJob.Outcome outcome;
  private static final Set<Integer> EXCLUDED = Set.of(2, 4, 10, 11, 20);
  private static Path directory;

  @BeforeAll
  static void extract() throws Exception {
    spark = TestSpark.session();
    warehouse = new TinyWarehouse().write(spark);
    directory = Files.createTempDirectory("extract-it");
    List<Long> excluded = new ArrayList<>();
    for (int i : EXCLUDED) {
      excluded.add(warehouse.layer1.get(i));
    }
    // the registry's own snapshot format, signed and verified as a release would
    ExclusionInput exclusion = RegistrySnapshots.publish(directory.resolve("snapshot.parquet"), "academic-research", 42, excluded).verified();
    ExtractSpec spec = ExtractSpec.parse(VALID.replace("\"I10\"", "\"E10\""));
    Clock clock = Clock.fixed(Instant.parse("2026-11-25T03:00:00Z"), ZoneOffset.UTC);
    outcome = new ExtractJob(spark, TestKeys.release(), clock).run(spec, exclusion);
  }

  private static Set<Long> column(String table, String column) {
    Set<Long> values = new HashSet<>();
    for (Row row : spark.table(ExtractJob.namespace("demo-project") + "." + table).select(column).collectAsList()) {
      values.add(row.getLong(0));
    }
    return values;
  }

  @Test
  void theCohortLessTheExcludedIsInEveryTableUnderProjectPseudonyms() throws Exception {
    int expectedCohort = 0;
    int expectedExcluded = 0;
    Set<Long> includedLayer2 = new HashSet<>();
    Set<Long> excludedLayer2 = new HashSet<>();
    for (int i = 0; i < TinyWarehouse.PERSONS; i++) {
      if (TinyWarehouse.inCohort(i)) {
        expectedCohort++;
        long layer2 = TestKeys.release().project("demo-project").pseudonym(warehouse.layer1.get(i));
        if (EXCLUDED.contains(i)) {
          expectedExcluded++;
          excludedLayer2.add(layer2);
        } else {
          includedLayer2.add(layer2);
        }
      }
    }
    assertThat(expectedExcluded).as("the test excludes some of the cohort").isPositive();
    assertThat(outcome.personsInCohort()).isEqualTo(expectedCohort);
    assertThat(outcome.personsExcluded()).isEqualTo(expectedExcluded);
    assertThat(outcome.personsIncluded()).isEqualTo(expectedCohort - expectedExcluded);

    assertThat(column("enrollment", "person")).isEqualTo(includedLayer2);
    assertThat(column("outpatient_visit", "person")).isEqualTo(includedLayer2).doesNotContainAnyElementsOf(excludedLayer2);
    assertThat(includedLayer2).allMatch(p -> p >= 20_000_000_000L && p < 30_000_000_000L);
    assertThat(includedLayer2).doesNotContainAnyElementsOf(warehouse.layer1);
    // orders only of released visits
    assertThat(column("outpatient_order", "visit_id")).isEqualTo(column("outpatient_visit", "visit_id"));
    assertThat(outcome.outputRows().get("outpatient_visit")).isEqualTo(2L * includedLayer2.size());
  }

  @Test
  void onlyTheSpecsColumnsLeaveAndQuasiIdentifiersAreGeneralised() {
    String namespace = ExtractJob.namespace("demo-project");
    assertThat(spark.table(namespace + ".enrollment").columns()).containsExactly("person", "birth_band", "sex", "county");
    assertThat(spark.table(namespace + ".outpatient_visit").columns()).containsExactly("visit_id", "person", "visit_date", "icd1", "hospital");
    assertThat(spark.table(namespace + ".enrollment").collectAsList()).allMatch(row -> row.getInt(1) % 5 == 0);
    assertThat(spark.table(namespace + ".outpatient_visit").collectAsList()).allMatch(row -> row.getDate(2).toLocalDate().getDayOfMonth() == 1);
    Set<Long> hospitals = column("outpatient_visit", "hospital");
    assertThat(hospitals).isNotEmpty().noneMatch(h -> h >= 8_000_000_000L && h < 8_000_000_007L);
    assertThat(spark.catalog().tableExists(namespace + ".pharmacy_dispensing")).isFalse();
  }

  @Test
  void theManifestIsSignedAndNamesEveryInputAndOutput() throws Exception {
    byte[] manifest = ExtractManifest.of(outcome);
    String text = new String(manifest, StandardCharsets.UTF_8);
    assertThat(text).contains("\"format\":\"" + ExtractManifest.FORMAT + "\"").contains("\"size\":42").contains(outcome.spec().sha256())
        .contains("\"excluded\":" + outcome.personsExcluded()).contains("\"icebergSnapshotId\":" + outcome.inputSnapshots().get("enrollment"));
    assertThat(ExtractManifest.of(outcome)).isEqualTo(manifest);
    Path keyFile = directory.resolve("keys/extract-manifest.key");
    DetachedSigner signer = DetachedSigner.open(keyFile, true, "extract manifests");
    Path written = ExtractManifest.write(directory.resolve("manifests"), outcome.extractId(), manifest, signer);
    String signature = Files.readString(written.resolveSibling(written.getFileName() + ".sig"));
    var published = DetachedSigner.publicKey(DetachedSigner.publicKeyFile(keyFile));
    assertThat(DetachedSigner.verify(published, Files.readAllBytes(written), signature)).isTrue();
    byte[] tampered = text.replace("\"excluded\":" + outcome.personsExcluded(), "\"excluded\":0").getBytes(StandardCharsets.UTF_8);
    assertThat(DetachedSigner.verify(published, tampered, signature)).isFalse();
    assertThatThrownBy(() -> DetachedSigner.open(directory.resolve("keys/missing.key"), false, "extract manifests")).hasMessageContaining("does not exist");
  }

  @Test
  void thePortalsReaderRoleMayReadTheLedgerAndNothingElse() throws Exception {
    var settings = TestCatalogs.settings();
    String reader = settings.user() + "_reader";
    try (Connection admin = DriverManager.getConnection(System.getenv("OPTOUT_TEST_PG_ADMIN_URL"),
        System.getenv().getOrDefault("OPTOUT_TEST_PG_ADMIN_USER", "postgres"), "");
        var statement = admin.createStatement()) {
      statement.execute("create role " + reader + " login password 'test-only-reader'");
    }
    assertThatThrownBy(() -> UsageLedger.preparePostgres(settings, "reader; drop table person_usage")).isInstanceOf(IllegalArgumentException.class);
    // before any extract (the runner's start): the table is made, and the reader may read it
    UsageLedger.preparePostgres(settings, reader);
    UsageLedger.preparePostgres(settings, reader);  // again at the next start: nothing changes
    try (Connection connection = DriverManager.getConnection(settings.jdbcUrl(), reader, "test-only-reader");
        var statement = connection.createStatement()) {
      try (ResultSet rs = statement.executeQuery("select count(*) from person_usage where coalesce(warehouse_key_version, 1) = 1")) {
        assertThat(rs.next()).isTrue();
      }
      assertThatThrownBy(() -> statement.execute("insert into person_usage (person, project, extract_id, purpose, used_on) "
          + "values (1, 'p', 'e', 'academic-research', current_date)")).hasMessageContaining("permission denied");
      assertThatThrownBy(() -> statement.execute("delete from person_usage")).hasMessageContaining("permission denied");
      try (Connection owner = DriverManager.getConnection(settings.jdbcUrl(), settings.user(), settings.password());
          var create = owner.createStatement()) {
        create.execute("create table if not exists ledger_neighbour (x int)");
      }
      assertThatThrownBy(() -> statement.executeQuery("select * from ledger_neighbour")).hasMessageContaining("permission denied");
    }
  }

  @Test
  void theLedgerRecordsExactlyTheIncludedPersons() throws Exception {
    var included = outcome.cohort().where("excluded = false").select("person");
    long recorded = new UsageLedger(TestCatalogs.settings()).record(included, outcome.warehouseKeyVersion(), "demo-project",
        outcome.extractId(), "academic-research", LocalDate.of(2026, 11, 25));
    assertThat(recorded).isEqualTo(outcome.personsIncluded());
    var settings = TestCatalogs.settings();
    try (Connection connection = DriverManager.getConnection(settings.jdbcUrl(), settings.user(), settings.password())) {
      for (int i : EXCLUDED) {
        try (var query = connection.prepareStatement("select count(*) from person_usage where person = ?")) {
          query.setLong(1, warehouse.layer1.get(i));
          try (ResultSet rs = query.executeQuery()) {
            rs.next();
            assertThat(rs.getLong(1)).as("excluded person %d", i).isZero();
          }
        }
      }
    }
    assertThat(spark.table(UsageLedger.TABLE).where("extract_id = '" + outcome.extractId() + "'").count()).isEqualTo(outcome.personsIncluded());
    assertThat(spark.table(UsageLedger.TABLE).where("extract_id = '" + outcome.extractId() + "' and warehouse_key_version = 1").count())
        .as("every row says which warehouse key made its pseudonym").isEqualTo(outcome.personsIncluded());
    try (Connection connection = DriverManager.getConnection(settings.jdbcUrl(), settings.user(), settings.password());
        var query = connection.prepareStatement("select count(*) from person_usage where extract_id = ? and warehouse_key_version = 1")) {
      query.setString(1, outcome.extractId());
      try (ResultSet rs = query.executeQuery()) {
        rs.next();
        assertThat(rs.getLong(1)).isEqualTo(outcome.personsIncluded());
      }
    }
  }

  @Test
  void theWarehouseKeyVersionIsInTheManifestAndTheProjectTables() throws Exception {
    assertThat(outcome.warehouseKeyVersion()).isEqualTo(1);
    assertThat(new String(ExtractManifest.of(outcome), StandardCharsets.UTF_8)).contains("\"keys\":{\"warehouseKeyVersion\":1}");
    for (String table : outcome.outputRows().keySet()) {
      var iceberg = org.apache.iceberg.spark.Spark3Util.loadIcebergTable(spark, ExtractJob.namespace("demo-project") + "." + table);
      assertThat(iceberg.properties()).as(table).containsEntry(optout.warehouse.ingest.Ingest.KEY_VERSION_PROPERTY, "1");
      assertThat(iceberg.currentSnapshot().summary()).as(table).containsEntry(optout.warehouse.ingest.Ingest.KEY_VERSION_PROPERTY, "1");
    }
  }

  /** Warehouse tables as an ingest that stopped half-way after a rotation leaves them, or as something other than ingest wrote them. */
  @Test
  void anExtractRefusesTablesOfDifferentOrUnknownKeyVersions() throws Exception {
    ExclusionInput empty = RegistrySnapshots.publish(directory.resolve("versions.parquet"), "academic-research", 0, List.of()).verified();
    ExtractSpec spec = ExtractSpec.parse(VALID.replace("\"I10\"", "\"E10\"").replace(TestKeys.PROJECT, "versions-test-project"));
    String key = "snapshot-property." + optout.warehouse.ingest.Ingest.KEY_VERSION_PROPERTY;
    spark.sql("create namespace if not exists nhi.versions_test");
    for (String table : List.of("enrollment", "outpatient_visit", "outpatient_order", "inpatient_stay")) {
      spark.table("nhi.warehouse." + table).writeTo("nhi.versions_test." + table).using("iceberg")
          .option(key, table.equals("outpatient_visit") ? "2" : "1").createOrReplace();
    }
    ExtractJob job = new ExtractJob(spark, TestKeys.release(), Clock.systemUTC(), "nhi.versions_test");
    assertThatThrownBy(() -> job.run(spec, empty)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("different warehouse key versions (nhi.versions_test.enrollment v1,"
            + " nhi.versions_test.inpatient_stay v1, nhi.versions_test.outpatient_order v1, nhi.versions_test.outpatient_visit v2)")
        .hasMessageContaining("run ./optout warehouse rekey");

    spark.table("nhi.warehouse.outpatient_visit").writeTo("nhi.versions_test.outpatient_visit").append(); // no version recorded
    assertThatThrownBy(() -> job.run(spec, empty)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("nhi.versions_test.outpatient_visit (snapshot ").hasMessageContaining("records no warehouse key version");
    assertThat(spark.catalog().tableExists(ExtractJob.namespace("versions-test-project") + ".enrollment")).as("nothing was written").isFalse();
  }

  @Test
  void theRepresentativenessReportCountsTheCohortBeforeAndAfter() throws Exception {
    var report = new optout.warehouse.report.RepresentativenessReport(optout.warehouse.report.Representativeness.withDefaults())
        .compute(outcome.cohort());
    assertThat(report.personsBefore()).isEqualTo(outcome.personsInCohort());
    // a person with two enrollment rows is one person in every dimension
    var doubled = outcome.cohort().unionByName(outcome.cohort().limit(1).withColumn("county", org.apache.spark.sql.functions.lit("ZZ")));
    var once = new optout.warehouse.report.RepresentativenessReport(optout.warehouse.report.Representativeness.withDefaults()).compute(doubled);
    assertThat(once.personsBefore()).isEqualTo(outcome.personsInCohort());
    assertThat(report.personsAfter()).isEqualTo(outcome.personsIncluded());
    assertThat(report.dimensions()).extracting(d -> d.name()).containsExactly("age_band", "sex", "county", "leading_diagnosis");
    // the age bands never overlap (80-84, then 85+), so each person counts in one
    assertThat(report.dimensions().get(0).categories()).extracting(c -> c.name())
        .allMatch(name -> name.matches("[0-7]?0-[0-7]?9|80-84|85\\+"));
    Path json = optout.warehouse.report.RepresentativenessReport.write(directory.resolve("reports"), outcome.extractId(), report);
    assertThat(Files.readString(json)).contains("\"personsExcluded\" : " + outcome.personsExcluded());
    assertThat(Files.readString(json.resolveSibling(outcome.extractId() + ".representativeness.html"))).contains("<svg").contains("排除前後");
  }

  /** A first release on a fresh install: the registry's checkpoint 0 excludes nobody, and the manifest says so verifiably. */
  @Test
  void anExtractAgainstTheEmptyTreesCheckpointKeepsTheWholeCohort() throws Exception {
    ExclusionInput empty = RegistrySnapshots.publish(directory.resolve("academic-research@0.parquet"), "academic-research", 0, List.of())
        .verified();
    ExtractSpec spec = ExtractSpec.parse(VALID.replace("\"I10\"", "\"E10\"").replace(TestKeys.PROJECT, TestKeys.FRESH_REGISTRY_PROJECT));
    ExtractJob.Outcome fresh = new ExtractJob(spark, TestKeys.release(), Clock.fixed(Instant.parse("2026-11-25T04:00:00Z"), ZoneOffset.UTC))
        .run(spec, empty);

    Set<Long> cohortLayer2 = new HashSet<>();
    for (int i = 0; i < TinyWarehouse.PERSONS; i++) {
      if (TinyWarehouse.inCohort(i)) {
        cohortLayer2.add(TestKeys.release().project(TestKeys.FRESH_REGISTRY_PROJECT).pseudonym(warehouse.layer1.get(i)));
      }
    }
    assertThat(fresh.personsExcluded()).isZero();
    assertThat(fresh.personsIncluded()).isEqualTo(fresh.personsInCohort()).isEqualTo(cohortLayer2.size()).isEqualTo(outcome.personsInCohort());
    Set<Long> enrolled = new HashSet<>();
    for (Row row : spark.table(ExtractJob.namespace(TestKeys.FRESH_REGISTRY_PROJECT) + ".enrollment").select("person").collectAsList()) {
      enrolled.add(row.getLong(0));
    }
    assertThat(enrolled).isEqualTo(cohortLayer2);

    byte[] manifest = ExtractManifest.of(fresh);
    assertThat(new String(manifest, StandardCharsets.UTF_8))
        .contains("\"checkpoint\":{\"origin\":\"" + RegistrySnapshots.ORIGIN + "\",\"rootHash\":\"47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\",\"size\":0}")
        .contains("\"exclusionSnapshot\":{\"count\":0,\"fileSha256\":\"" + empty.fileSha256() + "\",\"purpose\":\"academic-research\","
            + "\"setSha256\":\"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\"}")
        .contains("\"persons\":{\"excluded\":0,\"inCohort\":" + cohortLayer2.size() + ",\"included\":" + cohortLayer2.size() + "}");
    Path keyFile = directory.resolve("keys/fresh-manifest.key");
    DetachedSigner signer = DetachedSigner.open(keyFile, true, "extract manifests");
    Path written = ExtractManifest.write(directory.resolve("fresh-manifests"), fresh.extractId(), manifest, signer);
    assertThat(DetachedSigner.verify(DetachedSigner.publicKey(DetachedSigner.publicKeyFile(keyFile)), Files.readAllBytes(written),
        Files.readString(written.resolveSibling(written.getFileName() + ".sig")))).isTrue();
  }

  @Test
  void aSnapshotForAnotherPurposeIsRefused() throws Exception {
    ExclusionInput other = RegistrySnapshots.publish(directory.resolve("commercial.parquet"), "commercial-use", 42, List.of()).verified();
    assertThatThrownBy(() -> new ExtractJob(spark, TestKeys.release(), Clock.systemUTC()).run(ExtractSpec.parse(VALID), other))
        .hasMessageContaining("purpose");
  }

  /** An extract is given the release custody; with the warehouse custody (ingest's) it cannot make a project value. */
  @Test
  void anExtractWithTheWarehouseCustodyInsteadOfTheReleaseCustodyIsRefused() throws Exception {
    ExclusionInput none = RegistrySnapshots.publish(directory.resolve("wrong-custody.parquet"), "academic-research", 42, List.of()).verified();
    assertThatThrownBy(() -> new ExtractJob(spark, TestKeys.warehouse(), Clock.systemUTC()).run(ExtractSpec.parse(VALID), none))
        .hasStackTraceContaining("with the warehouse custody: that is the release custody's duty");
  }

  /**
   * A snapshot under another warehouse key version than the tables would exclude no one (its pseudonyms match
   * nothing): refused before anything is written, as is one whose manifest does not name its version.
   */
  @Test
  void aSnapshotUnderAnotherWarehouseKeyVersionIsRefusedBeforeAnythingIsWritten() throws Exception {
    ExclusionInput rotated = RegistrySnapshots.publish(directory.resolve("rotated.parquet"), "academic-research", 42, List.of(10_000_000_001L), 2)
        .verified();
    assertThat(rotated.warehouseKeyVersion()).isEqualTo(2);
    String namespace = "refused_" + Long.toHexString(System.nanoTime());
    ExtractSpec spec = ExtractSpec.parse(VALID);
    assertThatThrownBy(() -> new ExtractJob(spark, TestKeys.release(), Clock.systemUTC()).run(spec, rotated, "x", namespace))
        .hasMessageContaining("under warehouse key version 2, the data under version 1").hasMessageContaining("nothing was written");
    ExclusionInput unstated = new ExclusionInput(rotated.parquet(), rotated.purpose(), rotated.checkpointOrigin(), rotated.checkpointSize(),
        rotated.checkpointRootHash(), rotated.setSha256(), rotated.count(), rotated.fileSha256(), 0);
    assertThatThrownBy(() -> new ExtractJob(spark, TestKeys.release(), Clock.systemUTC()).run(spec, unstated, "x", namespace))
        .hasMessageContaining("an unstated version");
    assertThat(spark.catalog().tableExists(namespace + ".enrollment")).isFalse();
  }
}
