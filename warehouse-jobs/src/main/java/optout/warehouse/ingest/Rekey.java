package optout.warehouse.ingest;

import static org.apache.spark.sql.functions.callUDF;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.io.PrintStream;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import optout.warehouse.ingest.WarehouseTables.Table;
import optout.warehouse.keys.KeyAccess;
import optout.warehouse.spark.WarehouseSession;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.spark.Spark3Util;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.types.DataTypes;

/**
 * After a warehouse key rotation, moves the warehouse's layer-1 pseudonyms to the newest key version
 * without the raw files: each person value is revealed under its table's recorded version and
 * pseudonymised under the newest ({@code WarehousePseudonymizer.rekey}: the ID never leaves the call), on
 * the executors. Each table is rewritten whole in one Iceberg commit that records the new version (and
 * keeps the raw manifest hash, so ingesting the same raw files again still finds nothing to do); tables
 * without a person column are rewritten alike, so that every table says the same version. A table at the
 * newest version already is left alone, so a re-keying that stopped half-way resumes. A table whose
 * version is unknown is refused: ingest it again.
 */
public final class Rekey {

  /** Snapshot summary property of a re-keyed table: the version its pseudonyms were moved from. */
  public static final String FROM_PROPERTY = "optout.warehouse-key-version-rekeyed-from";

  /** What a re-keying did: the target version, tables re-keyed (with the version each came from) and tables already there. */
  public record Report(int version, Map<String, Integer> rekeyedFrom, List<String> leftAlone) {}

  private final SparkSession spark;
  private final KeyAccess keys;
  private final PrintStream progress;

  public Rekey(SparkSession spark, KeyAccess keys, PrintStream progress) {
    this.spark = spark;
    this.keys = keys;
    this.progress = progress;
  }

  /** Re-keys the warehouse in {@code namespace} (e.g. {@value WarehouseTables#NAMESPACE}) to the newest warehouse key. */
  public Report run(String namespace) throws GeneralSecurityException {
    int target = keys.custody().warehousePseudonymizer().keyVersion();
    String qualified = WarehouseSession.CATALOG + "." + namespace;
    Map<Table, Integer> due = new LinkedHashMap<>();
    List<String> leftAlone = new ArrayList<>();
    Map<Table, Snapshot> current = new LinkedHashMap<>();
    for (Table table : WarehouseTables.ALL) {
      String name = qualified + "." + table.name();
      if (!spark.catalog().tableExists(name)) {
        throw new IllegalStateException("Cannot re-key " + qualified + ": it has no table " + table.name() + " (ingest first)");
      }
      org.apache.iceberg.Table iceberg = icebergTable(name);
      iceberg.refresh();
      Snapshot snapshot = iceberg.currentSnapshot();
      int from = snapshot == null ? -1 : WarehouseKeyVersion.recorded(iceberg, snapshot.snapshotId()).orElse(-1);
      if (from < 1) {
        throw new IllegalStateException("Cannot re-key " + name + ": it records no warehouse key version (it was not written by"
            + " ./optout warehouse ingest or rekey); ingest it again");
      }
      if (from > target) {
        throw new IllegalStateException("Cannot re-key " + name + ": it is under warehouse key v" + from + ", newer than this custody's"
            + " newest (v" + target + "); use the custody that holds it");
      }
      if (from == target) {
        leftAlone.add(table.name());
      } else {
        keys.custody().warehousePseudonymizer(from); // the old version must still be there: fails clearly before any write
        due.put(table, from);
        current.put(table, snapshot);
      }
    }
    if (due.isEmpty()) {
      progress.printf("Every table of %s is under warehouse key v%d: nothing to do.%n", qualified, target);
      return new Report(target, Map.of(), leftAlone);
    }
    progress.printf("Re-keying %s to warehouse key v%d%n", qualified, target);
    Map<String, Integer> rekeyed = new LinkedHashMap<>();
    for (Map.Entry<Table, Integer> entry : due.entrySet()) {
      Table table = entry.getKey();
      int from = entry.getValue();
      String name = qualified + "." + table.name();
      Snapshot snapshot = current.get(table);
      Dataset<Row> rows = spark.read().option("versionAsOf", snapshot.snapshotId()).table(name);
      if (Arrays.asList(rows.columns()).contains("person")) {
        rows = rows.withColumn("person", callUDF(function(from, target), col("person"))); // in place: the column order stays
      }
      var write = rows.writeTo(name)
          .option("snapshot-property." + Ingest.KEY_VERSION_PROPERTY, Integer.toString(target))
          .option("snapshot-property." + FROM_PROPERTY, Integer.toString(from));
      for (String kept : List.of(Ingest.MANIFEST_PROPERTY, Ingest.SKIPPED_PROPERTY)) {
        String value = snapshot.summary().get(kept);
        if (value != null) {
          write = write.option("snapshot-property." + kept, value);
        }
      }
      try {
        write.overwrite(lit(true)); // every row replaced, in one commit
      } catch (org.apache.spark.sql.catalyst.analysis.NoSuchTableException e) {
        throw new IllegalStateException("Cannot re-key " + name + ": it vanished meanwhile", e);
      }
      rekeyed.put(table.name(), from);
      progress.printf("  %-20s v%d -> v%d%n", table.name(), from, target);
    }
    for (String table : leftAlone) {
      progress.printf("  %-20s already under v%d%n", table, target);
    }
    return new Report(target, rekeyed, leftAlone);
  }

  /** The Spark function that moves a layer-1 pseudonym from one version to another, on the executors. */
  private String function(int from, int to) {
    String name = "optout_rekey_v" + from + "_v" + to;
    KeyAccess access = keys;
    spark.udf().register(name, (UDF1<Long, Long>) pseudonym -> pseudonym == null ? null
        : access.warehouse(from).rekey(pseudonym, access.warehouse(to)), DataTypes.LongType);
    return name;
  }

  private org.apache.iceberg.Table icebergTable(String name) {
    try {
      return Spark3Util.loadIcebergTable(spark, name);
    } catch (Exception e) {
      throw new IllegalStateException("Cannot load table " + name + ": " + e.getMessage(), e);
    }
  }
}
