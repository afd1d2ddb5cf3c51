package optout.warehouse.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import optout.pseudonymizer.custody.KeyCustodies;
import optout.pseudonymizer.custody.KeyCustody;
import optout.pseudonymizer.custody.Passphrase;
import optout.pseudonymizer.id.PersonId;
import optout.pseudonymizer.pseudonym.WarehousePseudonymizer;
import optout.warehouse.TestSpark;
import optout.warehouse.keys.KeyAccess;
import optout.warehouse.synthetic.TestRaw;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.spark.Spark3Util;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * After a rotation, the warehouse's layer-1 pseudonyms move to the new key without the raw files: every
 * table then holds the new version's pseudonyms of the same people (checked against the generator's
 * national IDs) and says so; nothing else changes, a second run has nothing to do, and neither has an
 * ingest of the same raw files.
 */
class RekeyIT {

  private static final String PASSPHRASE = "test-only-rekey-keystore";
  private static final String NAMESPACE = "rekey_it";

  @TempDir
  static Path temp;

  private static Set<Long> persons(SparkSession spark, String table) {
    Set<Long> persons = new HashSet<>();
    for (Row row : spark.table("nhi." + NAMESPACE + "." + table).select("person").distinct().collectAsList()) {
      persons.add(row.getLong(0));
    }
    return persons;
  }

  private static Snapshot current(SparkSession spark, String table) throws Exception {
    var iceberg = Spark3Util.loadIcebergTable(spark, "nhi." + NAMESPACE + "." + table);
    iceberg.refresh();
    return iceberg.currentSnapshot();
  }

  @Test
  void theWarehouseMovesToTheNewKeyAsTheSamePeople() throws Exception {
    SparkSession spark = TestSpark.session();
    Path raw = TestRaw.directory();
    Path keystore = temp.resolve("pseudonymizer.bcfks");
    try (KeyCustody custody = KeyCustodies.createBcfks(keystore, Passphrase.of(PASSPHRASE.toCharArray()))) {
      custody.createWarehouseKey();
    }
    KeyAccess keys = KeyAccess.of(KeyCustodies.Duty.WAREHOUSE, Map.of(KeyCustodies.Duty.WAREHOUSE.keystoreVariable(), keystore.toString(),
        KeyCustodies.Duty.WAREHOUSE.passphraseVariable(), PASSPHRASE));
    PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    Ingest.Report ingested = new Ingest(spark, keys, quiet).run(raw.toString(), new Ingest.Settings(NAMESPACE, 0, false));
    assertThat(ingested.keyVersion()).isEqualTo(1);
    Map<String, Long> rows = new HashMap<>();
    for (WarehouseTables.Table table : WarehouseTables.ALL) {
      rows.put(table.name(), spark.table("nhi." + NAMESPACE + "." + table.name()).count());
    }
    Rekey rekey = new Rekey(spark, keys, quiet);
    assertThat(rekey.run(NAMESPACE).rekeyedFrom()).as("nothing to do before a rotation").isEmpty();

    assertThat(keys.custody().createWarehouseKey().version()).isEqualTo(2);
    Rekey.Report report = rekey.run(NAMESPACE);
    assertThat(report.version()).isEqualTo(2);
    assertThat(report.rekeyedFrom()).hasSize(WarehouseTables.ALL.size()).allSatisfy((table, from) -> assertThat(from).isEqualTo(1));

    // the generator's people, pseudonymised under v2 directly: exactly the enrollment table's persons now
    Set<Long> expected = new HashSet<>();
    WarehousePseudonymizer v2;
    try (KeyCustody custody = KeyCustodies.openBcfks(keystore, Passphrase.of(PASSPHRASE.toCharArray()))) {
      v2 = custody.warehousePseudonymizer(2);
      for (String line : TestRaw.lines(raw, RawFile.ID)) {
        expected.add(v2.pseudonym(PersonId.parse(line.substring(0, line.indexOf(',')))));
      }
    }
    assertThat(persons(spark, "enrollment")).isEqualTo(expected);
    assertThat(expected).containsAll(persons(spark, "outpatient_visit")).containsAll(persons(spark, "inpatient_stay"))
        .containsAll(persons(spark, "pharmacy_dispensing"));
    for (WarehouseTables.Table table : WarehouseTables.ALL) {
      assertThat(spark.table("nhi." + NAMESPACE + "." + table.name()).count()).as(table.name()).isEqualTo(rows.get(table.name()));
      Snapshot snapshot = current(spark, table.name());
      assertThat(snapshot.summary()).as(table.name()).containsEntry(Ingest.KEY_VERSION_PROPERTY, "2")
          .containsEntry(Rekey.FROM_PROPERTY, "1").containsEntry(Ingest.MANIFEST_PROPERTY, ingested.manifestSha256());
    }

    assertThat(rekey.run(NAMESPACE).rekeyedFrom()).as("a second run").isEmpty();
    assertThat(new Ingest(spark, keys, quiet).run(raw.toString(), new Ingest.Settings(NAMESPACE, 0, false)).nothingToDo())
        .as("the same raw files, under the same version: nothing to do").isTrue();

    // a table written by something else records no version: refused, nothing changed
    spark.table("nhi." + NAMESPACE + ".pharmacy_order").limit(1).writeTo("nhi." + NAMESPACE + ".pharmacy_order").append();
    keys.custody().createWarehouseKey();
    assertThatThrownBy(() -> rekey.run(NAMESPACE)).isInstanceOf(IllegalStateException.class)
        .hasMessage("Cannot re-key nhi." + NAMESPACE + ".pharmacy_order: it records no warehouse key version (it was not written by"
            + " ./optout warehouse ingest or rekey); ingest it again");
    for (String table : List.of("enrollment", "outpatient_visit")) {
      assertThat(current(spark, table).summary()).containsEntry(Ingest.KEY_VERSION_PROPERTY, "2");
    }
  }
}
