package optout.warehouse.extract;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.months_between;
import static org.apache.spark.sql.functions.trunc;
import static org.apache.spark.sql.functions.year;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import optout.pseudonymizer.token.ProjectTokenizer;
import optout.warehouse.keys.KeyAccess;
import optout.warehouse.spark.WarehouseSession;
import optout.warehouse.spec.DataDictionary;
import optout.warehouse.spec.ExtractSpec;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.storage.StorageLevel;

/**
 * Builds a project's extract from the warehouse: the cohort the spec describes, less everyone in the
 * registry's exclusion snapshot for the spec's purpose, with only the spec's columns, the project's
 * layer-2 pseudonyms, tokens and record keys, and quasi-identifiers generalised (each column as its kind's
 * release rule in the {@link DataDictionary} says). Every input table is read at one
 * pinned Iceberg snapshot, so the manifest says exactly what the extract was built from. Excluded
 * persons are removed from every table, order tables included (through their visits).
 */
public final class ExtractJob {

  /** What one extract run produced, before the manifest is signed. */
  public record Outcome(String extractId, ExtractSpec spec, ExclusionInput exclusion, Map<String, Long> inputSnapshots,
      Map<String, Long> outputRows, Map<String, Long> outputSnapshots, long personsInCohort, long personsExcluded,
      long personsIncluded, Instant createdAt, Dataset<Row> cohort, int warehouseKeyVersion) {}

  private final SparkSession spark;
  private final KeyAccess keys;
  private final Clock clock;

  private final String source;

  public ExtractJob(SparkSession spark, KeyAccess keys, Clock clock) {
    this(spark, keys, clock, WarehouseSession.CATALOG + ".warehouse");
  }

  /** @param source the warehouse namespace to read, e.g. {@code nhi.warehouse} (the benchmark keeps one per scale) */
  public ExtractJob(SparkSession spark, KeyAccess keys, Clock clock, String source) {
    this.spark = spark;
    this.keys = keys;
    this.clock = clock;
    this.source = source;
  }

  /** The project's namespace: {@code nhi.project_<project with - as _>}. */
  public static String namespace(String project) {
    return WarehouseSession.CATALOG + ".project_" + project.replace('-', '_');
  }

  /**
   * Runs the extract.
   *
   * @throws IllegalArgumentException if the exclusion snapshot is for another purpose than the spec's
   */
  public Outcome run(ExtractSpec spec, ExclusionInput exclusion) {
    return run(spec, exclusion, newExtractId(clock), namespace(spec.project()));
  }

  /** A fresh extract ID, {@code EX-<yyyymmdd>-<8 hex>}. */
  public static String newExtractId(Clock clock) {
    return "EX-" + LocalDate.ofInstant(clock.instant(), java.time.ZoneOffset.UTC).toString().replace("-", "") + "-"
        + UUID.randomUUID().toString().substring(0, 8);
  }

  /** The table property that names the extract a project table was written by. */
  public static final String EXTRACT_ID_PROPERTY = "optout.extract-id";

  /** The cohort of a spec, each person flagged {@code excluded} or not, and its counts: what a preview shows and an extract starts from. */
  public record Cohort(Dataset<Row> flagged, long personsInCohort, long personsExcluded) {}

  /**
   * The spec's cohort against the exclusion snapshot, nothing written and no project key used (the impact
   * preview). The caller unpersists {@code flagged}.
   */
  public Cohort cohort(ExtractSpec spec, ExclusionInput exclusion) {
    checkPurpose(spec, exclusion);
    Map<String, Dataset<Row>> inputs = new LinkedHashMap<>();
    for (String table : List.of("enrollment", "outpatient_visit", "inpatient_stay")) {
      inputs.put(table, spark.read().option("versionAsOf", currentSnapshot(source + "." + table)).table(source + "." + table));
    }
    return flag(cohort(spec, inputs), exclusion);
  }

  private static void checkPurpose(ExtractSpec spec, ExclusionInput exclusion) {
    if (!exclusion.purpose().equals(spec.purpose())) {
      throw new IllegalArgumentException("Cannot build the extract: the spec's purpose is " + spec.purpose()
          + " but the exclusion snapshot is for " + exclusion.purpose());
    }
  }

  private Cohort flag(Dataset<Row> found, ExclusionInput exclusion) {
    Dataset<Row> cohort = found.persist(StorageLevel.MEMORY_AND_DISK());
    Dataset<Row> excludedSet = spark.read().parquet(exclusion.parquet().toString()).select(col("pseudonym").as("person"))
        .withColumn("excluded", lit(true));
    Dataset<Row> flagged = cohort.join(excludedSet, cohort.col("person").equalTo(excludedSet.col("person")), "left")
        .select(cohort.col("*"), org.apache.spark.sql.functions.coalesce(excludedSet.col("excluded"), lit(false)).as("excluded"))
        .persist(StorageLevel.MEMORY_AND_DISK());
    // one pass for both counts
    Row counts = flagged.agg(org.apache.spark.sql.functions.count(lit(1)),
        org.apache.spark.sql.functions.sum(org.apache.spark.sql.functions.when(col("excluded"), 1L).otherwise(0L))).first();
    return new Cohort(flagged, counts.getLong(0), counts.isNullAt(1) ? 0 : counts.getLong(1));
  }

  /**
   * Runs the extract as {@code extractId}, writing the project's tables into {@code targetNamespace} (the
   * project's own, or a staging namespace that a release then moves into it), each table carrying
   * {@value #EXTRACT_ID_PROPERTY}.
   */
  public Outcome run(ExtractSpec spec, ExclusionInput exclusion, String extractId, String targetNamespace) {
    checkPurpose(spec, exclusion);
    Instant createdAt = clock.instant();

    Map<String, Long> inputSnapshots = new LinkedHashMap<>();
    Map<String, Dataset<Row>> inputs = new LinkedHashMap<>();
    Map<String, Map.Entry<org.apache.iceberg.Table, Long>> pinned = new LinkedHashMap<>();
    for (String table : neededTables(spec)) {
      long snapshot = currentSnapshot(source + "." + table);
      inputSnapshots.put(table, snapshot);
      pinned.put(source + "." + table, Map.entry(icebergTable(source + "." + table), snapshot));
      inputs.put(table, spark.read().option("versionAsOf", snapshot).table(source + "." + table));
    }
    // one version for every input, recorded with every output: re-identification must reverse layer 1 with it
    int keyVersion = optout.warehouse.ingest.WarehouseKeyVersion.ofExtractInputs(pinned);
    exclusion.requireKeyVersion(keyVersion);

    Cohort flaggedCohort = flag(cohort(spec, inputs), exclusion);
    Dataset<Row> flagged = flaggedCohort.flagged();
    long inCohort = flaggedCohort.personsInCohort();
    long excluded = flaggedCohort.personsExcluded();
    registerTransforms(spec.project());
    // each included person's project pseudonym, computed once a person rather than once a row
    Dataset<Row> included = flagged.where(col("excluded").equalTo(false))
        .select(col("person").as("included_person"), org.apache.spark.sql.functions.callUDF(UDF_PERSON, col("person")).as("project_person"))
        .persist(StorageLevel.MEMORY_AND_DISK());
    String namespace = targetNamespace;
    spark.sql("create namespace if not exists " + namespace);
    Map<String, Long> outputRows = new LinkedHashMap<>();
    Map<String, Long> outputSnapshots = new LinkedHashMap<>();
    Map<String, Dataset<Row>> released = new LinkedHashMap<>();
    for (DataDictionary.Table table : DataDictionary.tables()) {
      if (!spec.tables().containsKey(table.name())) {
        continue;
      }
      Dataset<Row> rows = rowsOfIncluded(spec, table, inputs, released, included);
      released.put(table.name(), rows);
      Dataset<Row> output = transform(spec, table, rows);
      String target = namespace + "." + table.name();
      // the warehouse key version under the layer-2 pseudonyms, as a table property (it outlives propagation's snapshots) and in the snapshot
      // copy-on-write: a later propagation rewrites data files without the deleted rows, leaving no delete files to hide them
      output.writeTo(target).using("iceberg").tableProperty("format-version", "2").tableProperty("write.delete.mode", "copy-on-write")
          .tableProperty("write.update.mode", "copy-on-write").tableProperty("write.merge.mode", "copy-on-write")
          .tableProperty(optout.warehouse.ingest.Ingest.KEY_VERSION_PROPERTY, Integer.toString(keyVersion))
          .tableProperty(EXTRACT_ID_PROPERTY, extractId)
          .option("snapshot-property." + optout.warehouse.ingest.Ingest.KEY_VERSION_PROPERTY, Integer.toString(keyVersion)).createOrReplace();
      outputRows.put(table.name(), spark.table(target).count());
      outputSnapshots.put(table.name(), currentSnapshot(target));
    }
    included.unpersist();
    return new Outcome(extractId, spec, exclusion, inputSnapshots, outputRows, outputSnapshots, inCohort, excluded, inCohort - excluded,
        createdAt, flagged, keyVersion);
  }

  /**
   * The baseline the benchmark measures extracts against: the same cohort's rows and the same columns,
   * copied as they are (no exclusion, no pseudonyms or tokens, no generalisation, no ledger) to
   * {@code target}. Never a release: the copy holds warehouse pseudonyms.
   *
   * @return the rows written
   */
  public long copyPlain(ExtractSpec spec, String target) {
    Map<String, Dataset<Row>> inputs = new LinkedHashMap<>();
    for (String table : neededTables(spec)) {
      inputs.put(table, spark.table(source + "." + table));
    }
    Dataset<Row> persons = cohort(spec, inputs).select(col("person").as("included_person")).persist(StorageLevel.MEMORY_AND_DISK());
    spark.sql("create namespace if not exists " + target);
    Map<String, Dataset<Row>> copied = new LinkedHashMap<>();
    long rows = 0;
    for (DataDictionary.Table table : DataDictionary.tables()) {
      if (spec.tables().containsKey(table.name())) {
        Dataset<Row> selected = rowsOfIncluded(spec, table, inputs, copied, persons);
        copied.put(table.name(), selected);
        selected.select(spec.tables().get(table.name()).stream().map(org.apache.spark.sql.functions::col).toArray(Column[]::new))
            .writeTo(target + "." + table.name()).using("iceberg").createOrReplace();
        rows += spark.table(target + "." + table.name()).count();
      }
    }
    persons.unpersist();
    return rows;
  }

  /** The tables read: those released, and the visit tables the cohort is found in. */
  private static List<String> neededTables(ExtractSpec spec) {
    List<String> needed = new ArrayList<>(List.of("enrollment", "outpatient_visit", "inpatient_stay"));
    for (DataDictionary.Table table : DataDictionary.tables()) {
      if (spec.tables().containsKey(table.name()) && !needed.contains(table.name())) {
        needed.add(table.name());
      }
    }
    return needed;
  }

  /** The table's current Iceberg snapshot, from its metadata (no Spark job). */
  private long currentSnapshot(String table) {
    org.apache.iceberg.Table iceberg = icebergTable(table);
    iceberg.refresh();
    return iceberg.currentSnapshot().snapshotId();
  }

  private org.apache.iceberg.Table icebergTable(String table) {
    try {
      return org.apache.iceberg.spark.Spark3Util.loadIcebergTable(spark, table);
    } catch (org.apache.spark.sql.catalyst.parser.ParseException | org.apache.spark.sql.catalyst.analysis.NoSuchTableException e) {
      throw new IllegalStateException("Cannot read the snapshot of " + table + ": " + e.getMessage(), e);
    }
  }

  /**
   * The cohort: persons with a qualifying diagnosis in an outpatient visit or an inpatient stay in the
   * period, aged from minAge to maxAge on its first day, with what the representativeness report needs.
   */
  private Dataset<Row> cohort(ExtractSpec spec, Map<String, Dataset<Row>> inputs) {
    ExtractSpec.Cohort cohort = spec.cohort();
    Dataset<Row> outpatient = inputs.get("outpatient_visit")
        .where(col("visit_date").between(lit(cohort.from()), lit(cohort.to())))
        .where(diagnosed(cohort.diagnoses(), "icd1", "icd2", "icd3"))
        .select(col("person"), col("icd1").as("diagnosis"));
    Dataset<Row> inpatient = inputs.get("inpatient_stay")
        .where(col("admit_date").between(lit(cohort.from()), lit(cohort.to())))
        .where(diagnosed(cohort.diagnoses(), "icd1", "icd2", "icd3", "icd4", "icd5"))
        .select(col("person"), col("icd1").as("diagnosis"));
    Dataset<Row> diagnosed = outpatient.unionByName(inpatient)
        .groupBy("person").agg(org.apache.spark.sql.functions.min("diagnosis").as("leading_diagnosis"));
    Column age = floor(months_between(lit(cohort.from()), col("birth_date")).divide(12)).cast(DataTypes.IntegerType);
    return inputs.get("enrollment").join(diagnosed, "person")
        .withColumn("age", age)
        .where(col("age").between(cohort.minAge(), cohort.maxAge()))
        .select(col("person"), col("age"), col("sex"), col("county"), col("leading_diagnosis"));
  }

  private static Column diagnosed(List<String> prefixes, String... columns) {
    Column any = lit(false);
    for (String column : columns) {
      for (String prefix : prefixes) {
        any = any.or(col(column).startsWith(prefix));
      }
    }
    return any;
  }

  /**
   * A table's rows about included persons in the period; order tables through their released parent.
   * {@code included} has the column {@code included_person} (and, for a release, {@code project_person},
   * which the rows then carry); it is small, so it is broadcast.
   */
  private static Dataset<Row> rowsOfIncluded(ExtractSpec spec, DataDictionary.Table table, Map<String, Dataset<Row>> inputs,
      Map<String, Dataset<Row>> released, Dataset<Row> included) {
    Dataset<Row> rows = inputs.get(table.name());
    if (table.personColumn().isPresent()) {
      rows = rows.join(org.apache.spark.sql.functions.broadcast(included), rows.col("person").equalTo(included.col("included_person")));
      if (!table.name().equals("enrollment")) {
        rows = rows.where(col(table.dateColumn()).between(lit(spec.cohort().from()), lit(spec.cohort().to())));
      }
      return rows;
    }
    String key = table.parentKey().orElseThrow();
    Dataset<Row> parents = released.get(table.parent().orElseThrow()).select(key);
    return rows.join(parents, rows.col(key).equalTo(parents.col(key)), "left_semi");
  }

  /**
   * Only the spec's columns, each as its kind's release rule says: persons pseudonymised, organisations
   * tokenised, record keys mapped to the project's, quasi-identifiers generalised, content as it is.
   */
  private static Dataset<Row> transform(ExtractSpec spec, DataDictionary.Table table, Dataset<Row> rows) {
    List<Column> columns = new ArrayList<>();
    for (String name : spec.tables().get(table.name())) {
      DataDictionary.Column column = table.column(name).orElseThrow();
      columns.add(switch (column.kind().release()) {
        case PROJECT_PSEUDONYM -> col("project_person").as(name);
        case PROJECT_TOKEN -> org.apache.spark.sql.functions.callUDF(UDF_ORGANISATION,
            lit(name.equals("insured_unit") ? ProjectTokenizer.Kind.INSURED_UNIT.name() : ProjectTokenizer.Kind.HOSPITAL.name()),
            col(name)).as(name);
        // the key's name picks its permutation: a visit's key and its orders' foreign key are both visit_id
        case PROJECT_RECORD_KEY -> org.apache.spark.sql.functions.callUDF(UDF_RECORD_KEY + name, col(name)).as(name);
        case GENERALISED -> generalise(spec, name);
        case AS_IS -> col(name);
      });
    }
    return rows.select(columns.toArray(Column[]::new));
  }

  private static Column generalise(ExtractSpec spec, String name) {
    if (name.equals("birth_date")) {
      return spec.generalisation().birthDate() == ExtractSpec.BirthDate.YEAR
          ? year(col(name)).as("birth_year")
          : floor(year(col(name)).divide(5)).multiply(5).cast(DataTypes.IntegerType).as("birth_band");
    }
    return spec.generalisation().careDates() == ExtractSpec.CareDates.MONTH ? trunc(col(name), "month").as(name) : col(name);
  }

  private static final String UDF_PERSON = "optout_project_pseudonym";
  private static final String UDF_ORGANISATION = "optout_project_token";
  /** Followed by the key's name: one function per name, so no row carries the name as a string. */
  private static final String UDF_RECORD_KEY = "optout_project_record_key_";

  /** The project's pseudonym and token functions, run on the executors with their own keys. */
  private void registerTransforms(String project) {
    KeyAccess access = keys;
    spark.udf().register(UDF_PERSON, (UDF1<Long, Long>) layer1 -> layer1 == null ? null : access.project(project).pseudonym(layer1),
        DataTypes.LongType);
    spark.udf().register(UDF_ORGANISATION, (org.apache.spark.sql.api.java.UDF2<String, Long, Long>) (kind, token) ->
        token == null ? null : access.projectToken(project, ProjectTokenizer.Kind.valueOf(kind), token), DataTypes.LongType);
    for (DataDictionary.Table table : DataDictionary.tables()) {
      for (DataDictionary.Column column : table.columns().values()) {
        if (column.kind().release() == DataDictionary.Release.PROJECT_RECORD_KEY) {
          String name = column.name();
          spark.udf().register(UDF_RECORD_KEY + name, (UDF1<Long, Long>) key -> key == null ? null : access.recordKeys(project).released(name, key),
              DataTypes.LongType);
        }
      }
    }
  }

}
