package optout.warehouse.propagate;

import static org.apache.spark.sql.functions.col;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import optout.warehouse.spec.DataDictionary;
import optout.warehouse.extract.ExclusionInput;
import optout.warehouse.extract.ExtractJob;
import optout.warehouse.keys.KeyAccess;
import org.apache.iceberg.Table;
import org.apache.iceberg.spark.Spark3Util;
import org.apache.iceberg.spark.actions.SparkActions;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.types.DataTypes;

/**
 * Opt-outs filed after an extract was delivered, carried into the project's live tables: everyone in
 * a newer exclusion snapshot is deleted from every table of the project (orders through their visits,
 * before the visits), and then the bytes are made to go: the deletes are copy-on-write (data files
 * rewritten without the rows), every older snapshot is expired, which deletes the files only they
 * referenced, and files no snapshot references are removed. Time travel to before the propagation is
 * therefore impossible afterwards, which is the point.
 */
public final class Propagation {

  /** What was removed from one project. */
  public record Removed(String project, Map<String, Long> rowsPerTable, long persons, long filesDeleted) {}

  private final SparkSession spark;
  private final KeyAccess keys;
  private final Clock clock;

  public Propagation(SparkSession spark, KeyAccess keys, Clock clock) {
    this.spark = spark;
    this.keys = keys;
    this.clock = clock;
  }

  /**
   * The warehouse key version the project's pseudonyms were made from, as its extract recorded it on every
   * table; 0 if its enrollment table does not say (then no snapshot applies, and propagation is refused).
   */
  public static int projectKeyVersion(SparkSession spark, String project) throws Exception {
    String enrollment = ExtractJob.namespace(project) + ".enrollment";
    if (!spark.catalog().tableExists(enrollment)) {
      return 0;
    }
    String recorded = org.apache.iceberg.spark.Spark3Util.loadIcebergTable(spark, enrollment).properties()
        .get(optout.warehouse.ingest.Ingest.KEY_VERSION_PROPERTY);
    return recorded == null ? 0 : Integer.parseInt(recorded);
  }

  /**
   * Removes from the project's tables everyone in {@code exclusion}; tables the project does not have are skipped.
   * Refused, before anything changes, for a snapshot under another warehouse key version than the project's.
   */
  public Removed propagate(String project, ExclusionInput exclusion) throws Exception {
    String namespace = ExtractJob.namespace(project);
    exclusion.requireKeyVersion(projectKeyVersion(spark, project));
    KeyAccess access = keys;
    String udf = "optout_propagation_layer2";
    spark.udf().register(udf, (UDF1<Long, Long>) layer1 -> access.project(project).pseudonym(layer1), DataTypes.LongType);
    Dataset<Row> gone = spark.read().parquet(exclusion.parquet().toString())
        .select(org.apache.spark.sql.functions.callUDF(udf, col("pseudonym")).as("person")).distinct().cache();
    gone.createOrReplaceTempView("propagation_gone");

    Map<String, Long> removed = new LinkedHashMap<>();
    long persons = 0;
    List<DataDictionary.Table> tables = new ArrayList<>(DataDictionary.tables());
    // orders first: they find their rows through visits that are about to go
    tables.sort((a, b) -> Boolean.compare(a.parent().isEmpty(), b.parent().isEmpty()));
    for (DataDictionary.Table table : tables) {
      String name = namespace + "." + table.name();
      if (!spark.catalog().tableExists(name)) {
        continue;
      }
      long before = spark.table(name).count();
      if (table.personColumn().isPresent()) {
        if (!List.of(spark.table(name).columns()).contains("person")) {
          continue;
        }
        if (table.name().equals("enrollment")) {
          persons = spark.table(name).join(gone, "person").count();
        }
        spark.sql("delete from " + name + " where person in (select person from propagation_gone)");
      } else {
        String parent = namespace + "." + table.parent().orElseThrow();
        String key = table.parentKey().orElseThrow();
        if (!spark.catalog().tableExists(parent) || !List.of(spark.table(parent).columns()).contains("person")) {
          continue;
        }
        spark.sql("delete from " + name + " where " + key + " in (select " + key + " from " + parent
            + " where person in (select person from propagation_gone))");
      }
      removed.put(table.name(), before - spark.table(name).count());
    }
    long filesDeleted = 0;
    for (String table : removed.keySet()) {
      filesDeleted += purge(namespace + "." + table);
    }
    gone.unpersist();
    return new Removed(project, removed, persons, filesDeleted);
  }

  /** Expires every snapshot but the current one and removes unreferenced files; returns how many files went. */
  private long purge(String name) throws Exception {
    Table table = Spark3Util.loadIcebergTable(spark, name);
    table.refresh();
    long now = clock.millis();
    var expired = SparkActions.get(spark).expireSnapshots(table).expireOlderThan(now + 1).retainLast(1).execute();
    var orphans = SparkActions.get(spark).deleteOrphanFiles(table).olderThan(now + 1).execute();
    long count = expired.deletedDataFilesCount() + expired.deletedPositionDeleteFilesCount() + expired.deletedManifestsCount()
        + expired.deletedManifestListsCount();
    for (var ignored : orphans.orphanFileLocations()) {
      count++;
    }
    return count;
  }
}
