package optout.warehouse.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import optout.pseudonymizer.custody.KeyCustodies;
import optout.pseudonymizer.custody.KeyCustody;
import optout.pseudonymizer.custody.KeyInfo;
import optout.pseudonymizer.custody.Passphrase;
import optout.pseudonymizer.id.PersonId;
import optout.pseudonymizer.pseudonym.Pseudonyms;
import optout.pseudonymizer.pseudonym.WarehousePseudonymizer;
import optout.warehouse.TestCatalogs;
import optout.warehouse.TestSpark;
import optout.warehouse.keys.KeyAccess;
import optout.warehouse.synthetic.TestRaw;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.spark.Spark3Util;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Generated raw files into the test catalog, end to end: every row arrives, persons as reversible
 * layer-1 pseudonyms, no raw ID in any file under the warehouse, a second ingest adds nothing, and bad
 * rows stop the ingest with counts (or are skipped when allowed).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class IngestIT {

  private static final String PASSPHRASE = "test-only-ingest-keystore";
  private static final String NAMESPACE = "ingest_it";
  private static final Pattern NATIONAL_ID = Pattern.compile("[A-Z][12][0-9]{8}");

  @TempDir
  static Path temp;

  private static SparkSession spark;
  private static Path raw;
  private static Path keystore;
  private static KeyAccess keys;
  private static RawManifest manifest;
  private static Ingest.Report first;
  private static String progress;

  @BeforeAll
  static void ingest() throws Exception {
    spark = TestSpark.session();
    raw = TestRaw.directory();
    manifest = RawManifest.parse(Files.readAllBytes(raw.resolve(RawFile.MANIFEST)));
    keystore = temp.resolve("keys").resolve("pseudonymizer.bcfks");
    try (KeyCustody custody = KeyCustodies.createBcfks(keystore, Passphrase.of(PASSPHRASE.toCharArray()))) {
      custody.createWarehouseKey(); // the warehouse token keys are left for the ingest to create
    }
    keys = KeyAccess.of(KeyCustodies.Duty.WAREHOUSE, Map.of(KeyCustodies.Duty.WAREHOUSE.keystoreVariable(), keystore.toString(),
        KeyCustodies.Duty.WAREHOUSE.passphraseVariable(), PASSPHRASE));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    first = new Ingest(spark, keys, new PrintStream(out, true, StandardCharsets.UTF_8))
        .run(raw.toString(), new Ingest.Settings(NAMESPACE, 0, false));
    progress = out.toString(StandardCharsets.UTF_8);
    System.out.print(progress);
  }

  private static long count(String table) {
    return spark.table("nhi." + NAMESPACE + "." + table).count();
  }

  private static WarehousePseudonymizer layer1() throws Exception {
    try (KeyCustody custody = KeyCustodies.openBcfks(keystore, Passphrase.of(PASSPHRASE.toCharArray()))) {
      return custody.warehousePseudonymizer();
    }
  }

  @Test
  @Order(1)
  void everyRawRowArrivesInItsTable() {
    Map<String, Long> expected = new HashMap<>();
    for (WarehouseTables.Table table : WarehouseTables.ALL) {
      expected.put(table.name(), manifest.counts().get(table.source()));
      assertThat(count(table.name())).as(table.name()).isEqualTo(manifest.counts().get(table.source()));
    }
    assertThat(first.rowsWritten()).isEqualTo(expected);
    assertThat(first.refusedRows()).isEmpty();
    assertThat(first.keyVersion()).isEqualTo(1);
    for (WarehouseTables.Table table : WarehouseTables.ALL) {
      assertThat(progress).containsPattern("(?m)^  " + table.name() + " +[\\d,]+ rows +\\d+\\.\\d s$");
    }
    // orders carry their visit's date
    assertThat(spark.sql("select count(*) from nhi." + NAMESPACE + ".outpatient_order o join nhi." + NAMESPACE
        + ".outpatient_visit v on o.visit_id = v.visit_id where o.visit_date = v.visit_date").first().getLong(0))
        .isEqualTo(manifest.counts().get(RawFile.OO));
    assertThat(spark.sql("select count(*) from nhi." + NAMESPACE + ".pharmacy_order o join nhi." + NAMESPACE
        + ".pharmacy_dispensing d on o.rx_id = d.rx_id where o.dispense_date = d.dispense_date").first().getLong(0))
        .isEqualTo(manifest.counts().get(RawFile.GO));
  }

  @Test
  @Order(2)
  void tablesArePartitionedByYearInFormatVersionTwo() throws Exception {
    for (WarehouseTables.Table table : WarehouseTables.ALL) {
      org.apache.iceberg.Table iceberg = Spark3Util.loadIcebergTable(spark, "nhi." + NAMESPACE + "." + table.name());
      assertThat(((HasTableOperations) iceberg).operations().current().formatVersion()).isEqualTo(2);
      assertThat(iceberg.spec().fields()).hasSize(table.partitioning() == null ? 0 : 1);
      assertThat(iceberg.sortOrder().isSorted()).isTrue();
      assertThat(iceberg.currentSnapshot().summary()).containsEntry(Ingest.MANIFEST_PROPERTY, first.manifestSha256());
      assertThat(spark.table("nhi." + NAMESPACE + "." + table.name()).schema()).isEqualTo(table.schema());
    }
    // within each data file, visits are in person order
    List<String> files = spark.sql("select file_path from nhi." + NAMESPACE + ".outpatient_visit.files").collectAsList().stream()
        .map(row -> row.getString(0)).toList();
    assertThat(files).isNotEmpty();
    for (String file : files) {
      long previous = Long.MIN_VALUE;
      try (ParquetReader<Group> reader = ParquetReader.builder(new GroupReadSupport(), new org.apache.hadoop.fs.Path(file)).build()) {
        for (Group group = reader.read(); group != null; group = reader.read()) {
          long person = group.getLong("person", 0);
          assertThat(person).isGreaterThanOrEqualTo(previous);
          previous = person;
        }
      }
    }
  }

  @Test
  @Order(3)
  void personsAreLayerOnePseudonymsThatTheKeyReversesToTheRawId() throws Exception {
    for (String table : List.of("enrollment", "outpatient_visit", "inpatient_stay", "pharmacy_dispensing")) {
      assertThat(spark.sql("select count(*) from nhi." + NAMESPACE + "." + table + " where person < 10000000000 or person >= 20000000000 "
          + "or person is null").first().getLong(0)).as(table).isZero();
    }
    assertThat(spark.sql("select count(distinct person) from nhi." + NAMESPACE + ".enrollment").first().getLong(0)).isEqualTo(470);
    WarehousePseudonymizer layer1 = layer1();
    List<String> rawPersons = TestRaw.lines(raw, RawFile.ID);
    for (String line : List.of(rawPersons.get(0), rawPersons.get(99), rawPersons.get(250), rawPersons.get(469))) {
      String[] fields = line.split(",", -1);
      long pseudonym = layer1.pseudonym(PersonId.parse(fields[0]));
      assertThat(Pseudonyms.isLayer1(pseudonym)).isTrue();
      List<Row> rows = spark.sql("select cast(birth_date as string), sex, county from nhi." + NAMESPACE + ".enrollment where person = "
          + pseudonym).collectAsList();
      assertThat(rows).hasSize(1);
      assertThat(rows.get(0).getString(0)).isEqualTo(fields[1]);
      assertThat(rows.get(0).getString(1)).isEqualTo(fields[2]);
      assertThat(rows.get(0).getString(2)).matches("[a-z]+(-[a-z]+)*-(city|county)");
      assertThat(layer1.reveal(pseudonym).unmaskedValue()).isEqualTo(fields[0]);
    }
    // a visit's person is the same pseudonym as in the enrollment
    assertThat(spark.sql("select count(*) from nhi." + NAMESPACE + ".outpatient_visit v left anti join nhi." + NAMESPACE
        + ".enrollment e on v.person = e.person").first().getLong(0)).isZero();
    // hospitals are tokens, one per raw code
    long rawHospitals = TestRaw.lines(raw, RawFile.CD).stream().map(l -> l.split(",", -1)[1]).distinct().count();
    assertThat(spark.sql("select count(distinct hospital) from nhi." + NAMESPACE + ".outpatient_visit").first().getLong(0))
        .isEqualTo(rawHospitals);
  }

  @Test
  @Order(4)
  void theIngestCreatedTheWarehouseTokenKeys() throws Exception {
    try (KeyCustody custody = KeyCustodies.openBcfks(keystore, Passphrase.of(PASSPHRASE.toCharArray()))) {
      assertThat(custody.keys()).anyMatch(key -> key.purpose() == KeyInfo.Purpose.PROJECT_TOKEN
          && key.project().map(Object::toString).orElse("").equals(WarehouseTables.TOKEN_PROJECT));
    }
    assertThat(progress).contains("Created the warehouse token keys");
  }

  @Test
  @Order(5)
  void noRawNationalIdIsInAnyFileUnderTheWarehouse() throws Exception {
    Set<String> rawIds = new HashSet<>();
    TestRaw.lines(raw, RawFile.ID).forEach(line -> rawIds.add(line.substring(0, 10)));
    assertThat(rawIds).hasSize(470);
    Path location = Path.of(URI.create(TestCatalogs.settings().location()));
    List<Path> files;
    try (Stream<Path> walk = Files.walk(location)) {
      files = walk.filter(Files::isRegularFile).toList();
    }
    int parquet = 0;
    int avro = 0;
    int json = 0;
    Set<String> found = new TreeSet<>();
    for (Path file : files) {
      String name = file.getFileName().toString();
      // the bytes as they are (footers, statistics, uncompressed pages, metadata JSON)
      found.addAll(idsIn(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1), rawIds));
      // and decoded, in case a compressed page or block held one
      if (name.endsWith(".parquet")) {
        parquet++;
        found.addAll(idsIn(parquetText(file), rawIds));
      } else if (name.endsWith(".avro")) {
        avro++;
        found.addAll(idsIn(avroText(file), rawIds));
      } else if (name.endsWith(".metadata.json")) {
        json++;
      }
    }
    assertThat(parquet).as("Parquet data files scanned").isGreaterThanOrEqualTo(WarehouseTables.ALL.size());
    assertThat(avro).as("Iceberg manifests scanned").isGreaterThanOrEqualTo(2 * WarehouseTables.ALL.size());
    assertThat(json).as("table metadata files scanned").isGreaterThanOrEqualTo(WarehouseTables.ALL.size());
    assertThat(found).as("raw national IDs found under the warehouse (count only)").hasSize(0);
    // the scan does find an ID where there is one
    assertThat(idsIn("x" + rawIds.iterator().next() + "y", rawIds)).hasSize(1);
  }

  private static Set<String> idsIn(String text, Set<String> rawIds) {
    Set<String> found = new HashSet<>();
    Matcher matcher = NATIONAL_ID.matcher(text);
    while (matcher.find()) {
      if (rawIds.contains(matcher.group())) {
        found.add(matcher.group());
      }
    }
    return found;
  }

  private static String parquetText(Path file) throws IOException {
    StringBuilder text = new StringBuilder();
    try (ParquetReader<Group> reader = ParquetReader.builder(new GroupReadSupport(), new org.apache.hadoop.fs.Path(file.toUri()))
        .build()) {
      for (Group group = reader.read(); group != null; group = reader.read()) {
        text.append(group).append('\n');
      }
    }
    return text.toString();
  }

  private static String avroText(Path file) throws IOException {
    StringBuilder text = new StringBuilder();
    try (DataFileReader<GenericRecord> reader = new DataFileReader<>(file.toFile(), new GenericDatumReader<>())) {
      for (String key : reader.getMetaKeys()) {
        text.append(reader.getMetaString(key)).append('\n');
      }
      while (reader.hasNext()) {
        text.append(reader.next()).append('\n');
      }
    }
    return text.toString();
  }

  @Test
  @Order(6)
  void ingestingTheSameRawDataAgainAddsNothing() throws Exception {
    Map<String, Long> snapshots = new HashMap<>();
    for (WarehouseTables.Table table : WarehouseTables.ALL) {
      snapshots.put(table.name(), spark.sql("select count(*) from nhi." + NAMESPACE + "." + table.name() + ".snapshots").first().getLong(0));
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Ingest.Report again = new Ingest(spark, keys, new PrintStream(out, true, StandardCharsets.UTF_8))
        .run(raw.toString(), new Ingest.Settings(NAMESPACE, 0, false));
    assertThat(again.nothingToDo()).isTrue();
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("nothing to do");
    for (WarehouseTables.Table table : WarehouseTables.ALL) {
      assertThat(count(table.name())).isEqualTo(manifest.counts().get(table.source()));
      assertThat(spark.sql("select count(*) from nhi." + NAMESPACE + "." + table.name() + ".snapshots").first().getLong(0))
          .isEqualTo(snapshots.get(table.name()));
    }

    // forced, each table's data is replaced in one commit: the same rows, one more snapshot, an overwrite
    Ingest.Report forced = new Ingest(spark, keys, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8))
        .run(raw.toString(), new Ingest.Settings(NAMESPACE, 0, true));
    assertThat(forced.rowsWritten()).isEqualTo(first.rowsWritten());
    for (WarehouseTables.Table table : WarehouseTables.ALL) {
      String name = "nhi." + NAMESPACE + "." + table.name();
      assertThat(count(table.name())).isEqualTo(manifest.counts().get(table.source()));
      assertThat(spark.sql("select count(*) from " + name + ".snapshots").first().getLong(0)).isEqualTo(snapshots.get(table.name()) + 1);
      assertThat(spark.sql("select operation from " + name + ".snapshots order by committed_at desc limit 1").first().getString(0))
          .isEqualTo("overwrite");
    }
    assertThat(spark.sql("select count(distinct person) from nhi." + NAMESPACE + ".enrollment").first().getLong(0)).isEqualTo(470);
  }

  @Test
  @Order(7)
  void badRowsStopTheIngestWithCountsByFileAndReasonUnlessAllowed() throws Exception {
    Path bad = copy(raw, temp.resolve("bad-raw"));
    Set<Long> brokenVisits = new HashSet<>();
    Set<String> shownIds = new HashSet<>();
    edit(TestRaw.parts(bad, RawFile.CD).get(0), 3, fields -> { // wrong check digits
      shownIds.add(fields[2]);
      brokenVisits.add(Long.parseLong(fields[0]));
      char check = fields[2].charAt(9);
      fields[2] = fields[2].substring(0, 9) + (char) ('0' + (check - '0' + 1) % 10);
      shownIds.add(fields[2]);
    });
    edit(TestRaw.parts(bad, RawFile.ID).get(0), 2, fields -> { // a postal code of no county
      shownIds.add(fields[0]);
      fields[6] = "999";
    });
    Path inpatientOrders = TestRaw.parts(bad, RawFile.DO).get(0);
    List<String> lines = new ArrayList<>(Files.readAllLines(inpatientOrders, StandardCharsets.UTF_8));
    lines.set(1, String.join(",", List.of(lines.get(1).split(",")).subList(0, 3))); // a line cut short
    Files.write(inpatientOrders, lines, StandardCharsets.UTF_8);
    long orphanOrders = TestRaw.lines(bad, RawFile.OO).stream()
        .filter(line -> brokenVisits.contains(Long.parseLong(line.substring(0, line.indexOf(','))))).count();
    assertThat(orphanOrders).isPositive();
    long refused = 3 + 2 + 1 + orphanOrders;

    Ingest ingest = new Ingest(spark, keys, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    assertThatThrownBy(() -> ingest.run(bad.toString(), new Ingest.Settings("ingest_bad", refused - 1, false)))
        .isInstanceOfSatisfying(BadRawDataException.class, e -> {
          assertThat(e.total()).isEqualTo(refused);
          assertThat(e.refused().get(RawFile.CD)).containsExactly(Map.entry("ID: not a valid national ID (check digit mismatch)", 3L));
          assertThat(e.refused().get(RawFile.ID)).containsExactly(Map.entry("AREA_CODE: unknown county code", 2L));
          assertThat(e.refused().get(RawFile.DO)).containsExactly(Map.entry("row: malformed CSV line", 1L));
          assertThat(e.refused().get(RawFile.OO)).containsExactly(
              Map.entry("VISIT_ID: no valid CD row with this number (or it was refused)", orphanOrders));
          assertThat(e.getMessage()).contains("CD          3  ID: not a valid national ID (check digit mismatch)")
              .contains("ID          2  AREA_CODE: unknown county code").contains("Nothing was written")
              .contains("--max-bad-rows " + refused);
          assertThat(idsIn(e.getMessage(), shownIds)).isEmpty();
          assertThat(NATIONAL_ID.matcher(e.getMessage()).find()).isFalse();
        });
    assertThat(spark.catalog().tableExists("nhi.ingest_bad.enrollment")).isFalse();

    Ingest.Report allowed = ingest.run(bad.toString(), new Ingest.Settings("ingest_bad", refused, false));
    assertThat(allowed.refused()).isEqualTo(refused);
    assertThat(allowed.rowsWritten().get("enrollment")).isEqualTo(470 - 2);
    assertThat(allowed.rowsWritten().get("outpatient_visit")).isEqualTo(manifest.counts().get(RawFile.CD) - 3);
    assertThat(allowed.rowsWritten().get("outpatient_order")).isEqualTo(manifest.counts().get(RawFile.OO) - orphanOrders);
    assertThat(allowed.rowsWritten().get("inpatient_stay")).isEqualTo(manifest.counts().get(RawFile.DD));
    assertThat(allowed.rowsWritten().get("inpatient_order")).isEqualTo(manifest.counts().get(RawFile.DO) - 1);
    assertThat(Spark3Util.loadIcebergTable(spark, "nhi.ingest_bad.outpatient_visit").currentSnapshot().summary())
        .containsEntry(Ingest.SKIPPED_PROPERTY, "3");
  }

  @Test
  @Order(8)
  void aRawDirectoryWithoutItsManifestIsRefused() throws Exception {
    Path incomplete = copy(raw, temp.resolve("incomplete"));
    Files.delete(incomplete.resolve(RawFile.MANIFEST));
    Ingest ingest = new Ingest(spark, keys, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    assertThatThrownBy(() -> ingest.run(incomplete.toString(), new Ingest.Settings("ingest_bad", 0, false)))
        .hasMessageContaining("has no _GENERATED.json");
    Path renamed = copy(raw, temp.resolve("renamed"));
    Path part = TestRaw.parts(renamed, RawFile.GD).get(0);
    List<String> lines = new ArrayList<>(Files.readAllLines(part));
    lines.set(0, lines.get(0).replace("DRUG_DAYS", "DAYS"));
    Files.write(part, lines);
    assertThatThrownBy(() -> ingest.run(renamed.toString(), new Ingest.Settings("ingest_bad", 0, false)))
        .hasMessageContaining("does not start with the header RX_ID,HOSP_ID,ID,FUNC_DATE,DRUG_DAYS,T_DOT");
  }

  /** A copy of a raw directory without Hadoop's .crc files (the tests edit the copies). */
  private static Path copy(Path from, Path to) throws IOException {
    try (Stream<Path> walk = Files.walk(from)) {
      for (Path source : walk.toList()) {
        Path target = to.resolve(from.relativize(source).toString());
        if (Files.isDirectory(source)) {
          Files.createDirectories(target);
        } else if (!source.getFileName().toString().endsWith(".crc")) {
          Files.copy(source, target);
        }
      }
    }
    return to;
  }

  private interface Edit {
    void apply(String[] fields);
  }

  /** Edits the first {@code rows} data lines of a part file. */
  private static void edit(Path part, int rows, Edit edit) throws IOException {
    List<String> lines = new ArrayList<>(Files.readAllLines(part, StandardCharsets.UTF_8));
    assertThat(lines.size()).isGreaterThan(rows);
    for (int i = 1; i <= rows; i++) {
      String[] fields = lines.get(i).split(",", -1);
      edit.apply(fields);
      lines.set(i, String.join(",", fields));
    }
    Files.write(part, lines, StandardCharsets.UTF_8);
  }

  /** Ingest is given the warehouse custody; with the release custody (the extracts') it cannot make layer 1 and writes nothing. */
  @Test
  @Order(99)
  void ingestWithTheReleaseCustodyInsteadOfTheWarehouseCustodyIsRefused() throws Exception {
    assertThatThrownBy(() -> new Ingest(spark, optout.warehouse.TestKeys.release(), new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8))
        .run(raw.toString(), new Ingest.Settings("wrong_custody", 0, false)))
        .hasStackTraceContaining("with the release custody: that is the warehouse custody's duty");
    assertThat(spark.sql("show namespaces in nhi").collectAsList().toString()).as("nothing written").doesNotContain("wrong_custody");
  }
}
