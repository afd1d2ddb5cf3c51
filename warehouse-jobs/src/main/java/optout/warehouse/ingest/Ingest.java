package optout.warehouse.ingest;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import optout.pseudonymizer.custody.KeyCustody;
import optout.pseudonymizer.custody.KeyInfo;
import optout.pseudonymizer.id.ProjectId;
import optout.pseudonymizer.pseudonym.WarehousePseudonymizer;
import optout.pseudonymizer.token.ProjectTokenizer;
import optout.warehouse.ingest.WarehouseTables.Table;
import optout.warehouse.keys.KeyAccess;
import optout.warehouse.spark.WarehouseSession;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.io.compress.CompressionCodecFactory;
import org.apache.iceberg.PartitionField;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SortField;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.spark.Spark3Util;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Raw NHI files into the warehouse: persons become layer-1 pseudonyms, hospitals, pharmacies and insured
 * units warehouse tokens (project {@value WarehouseTables#TOKEN_PROJECT}), on the executors, with the
 * keys opened there through {@link KeyAccess}. The raw national ID never reaches a table, a shuffle or
 * a message.
 *
 * <p>First every row of every file is checked ({@link RawChecks}, duplicate claim numbers, orders of no
 * valid claim); if more rows are refused than allowed, nothing is written and the refusal counts them by
 * file and reason. Then each table's data is replaced in one Iceberg commit (an overwrite), whose snapshot
 * records the raw directory's manifest hash and the warehouse key version. A table whose current
 * snapshot already has both is left alone, so ingesting the same raw directory again changes nothing.
 */
public final class Ingest {

  /** Snapshot summary properties written with every table's data. */
  public static final String MANIFEST_PROPERTY = "optout.raw-manifest-sha256";
  public static final String KEY_VERSION_PROPERTY = "optout.warehouse-key-version";
  public static final String SKIPPED_PROPERTY = "optout.raw-rows-skipped";
  private static final String CORRUPT = "_corrupt_record";

  /**
   * @param namespace the warehouse's namespace in catalog {@code nhi} ({@value WarehouseTables#NAMESPACE})
   * @param maxBadRows how many refused rows (all files together) may be skipped rather than stop the ingest
   * @param force rewrite tables even if they hold this raw directory's data already
   */
  public record Settings(String namespace, long maxBadRows, boolean force) {
    public Settings {
      if (namespace == null || !namespace.matches("[a-z][a-z0-9_]{0,62}")) {
        throw new IllegalArgumentException("Cannot use namespace: lower-case letters, digits and _ only");
      }
      if (maxBadRows < 0) {
        throw new IllegalArgumentException("Cannot allow a negative number of bad rows");
      }
    }

    public static Settings defaults() {
      return new Settings(WarehouseTables.NAMESPACE, 0, false);
    }
  }

  /** What an ingest did: rows per table written (tables left alone are listed apart), and the refused rows. */
  public record Report(String manifestSha256, int keyVersion, Map<String, Long> rowsWritten, List<String> leftAlone,
      Map<String, Long> refusedRows) {

    public boolean nothingToDo() {
      return rowsWritten.isEmpty();
    }

    public long refused() {
      return refusedRows.values().stream().mapToLong(Long::longValue).sum();
    }
  }

  private final SparkSession spark;
  private final KeyAccess keys;
  private final PrintStream progress;

  public Ingest(SparkSession spark, KeyAccess keys, PrintStream progress) {
    this.spark = spark;
    this.keys = keys;
    this.progress = progress;
  }

  public Report run(String rawDirectory, Settings settings) throws IOException, GeneralSecurityException {
    long started = System.nanoTime();
    Configuration hadoop = spark.sparkContext().hadoopConfiguration();
    Path raw = new Path(rawDirectory);
    FileSystem fs = raw.getFileSystem(hadoop);
    raw = fs.makeQualified(raw);
    byte[] manifestBytes = readManifest(fs, raw, rawDirectory);
    RawManifest manifest = RawManifest.parse(manifestBytes);
    String hash = RawManifest.sha256(manifestBytes);
    for (RawFile file : RawFile.values()) {
      checkHeaders(fs, hadoop, new Path(raw, file.name()), file, rawDirectory);
    }

    int keyVersion = prepareKeys();
    String namespace = WarehouseSession.CATALOG + "." + settings.namespace();
    spark.sql("create namespace if not exists " + namespace);
    List<Table> due = new ArrayList<>();
    List<String> leftAlone = new ArrayList<>();
    for (Table table : WarehouseTables.ALL) {
      if (!settings.force() && holds(namespace + "." + table.name(), table, hash, keyVersion)) {
        leftAlone.add(table.name());
      } else {
        due.add(table);
      }
    }
    if (due.isEmpty()) {
      progress.printf("Every table of %s holds this raw data already (manifest %s, warehouse key v%d): nothing to do.%n",
          namespace, hash.substring(0, 12), keyVersion);
      return new Report(hash, keyVersion, Map.of(), leftAlone, Map.of());
    }

    progress.printf("Checking the raw files of %s (%,d persons, %d-%d)%n", rawDirectory, manifest.persons(), manifest.fromYear(),
        manifest.toYear());
    long checking = System.nanoTime();
    RawData data = new RawData(spark, raw.toString());
    Map<RawFile, Map<String, Long>> refused = check(data, manifest, rawDirectory);
    long refusedTotal = refused.values().stream().flatMap(m -> m.values().stream()).mapToLong(Long::longValue).sum();
    progress.printf("  %,d rows refused (%.1f s)%n", refusedTotal, seconds(checking));
    if (refusedTotal > settings.maxBadRows()) {
      throw new BadRawDataException(rawDirectory, refused, settings.maxBadRows());
    }

    progress.printf("Writing %s (warehouse key v%d)%n", namespace, keyVersion);
    Map<String, Long> written = new LinkedHashMap<>();
    for (Table table : due) {
      long tableStarted = System.nanoTime();
      String name = namespace + "." + table.name();
      define(name, table);
      long skipped = refused.get(table.source()).values().stream().mapToLong(Long::longValue).sum();
      try {
        rows(data, table, keyVersion).writeTo(name)
            .option("snapshot-property." + MANIFEST_PROPERTY, hash)
            .option("snapshot-property." + KEY_VERSION_PROPERTY, Integer.toString(keyVersion))
            .option("snapshot-property." + SKIPPED_PROPERTY, Long.toString(skipped))
            .overwrite(lit(true)); // every row replaced, in one commit
      } catch (org.apache.spark.sql.catalyst.analysis.NoSuchTableException e) {
        throw new IllegalStateException("Cannot write " + name + ": it vanished while ingesting", e);
      }
      long rows = Long.parseLong(icebergTable(name).currentSnapshot().summary().getOrDefault("total-records", "0"));
      written.put(table.name(), rows);
      progress.printf("  %-20s %,12d rows %7.1f s%n", table.name(), rows, seconds(tableStarted));
    }
    for (String table : leftAlone) {
      progress.printf("  %-20s already holds this raw data%n", table);
    }
    progress.printf("Done in %.1f s.%n", seconds(started));
    Map<String, Long> refusedRows = new TreeMap<>();
    refused.forEach((file, reasons) -> reasons.forEach((reason, count) -> refusedRows.put(file.name() + ": " + reason, count)));
    return new Report(hash, keyVersion, Collections.unmodifiableMap(written), leftAlone, refusedRows);
  }

  // ---------------------------------------------------------------- the raw directory

  private static byte[] readManifest(FileSystem fs, Path raw, String shown) throws IOException {
    if (!fs.exists(raw)) {
      throw new IllegalArgumentException("Cannot ingest " + shown + ": no such directory");
    }
    Path manifest = new Path(raw, RawFile.MANIFEST);
    if (!fs.exists(manifest)) {
      throw new IllegalArgumentException("Cannot ingest " + shown + ": it has no " + RawFile.MANIFEST
          + " (generate writes it last, so the raw data is incomplete or was not made by generate)");
    }
    try (InputStream in = fs.open(manifest)) {
      return in.readAllBytes();
    }
  }

  /** Every data file of a raw file's directory starts with the contract's header. */
  private static void checkHeaders(FileSystem fs, Configuration hadoop, Path directory, RawFile file, String shown)
      throws IOException {
    if (!fs.isDirectory(directory)) {
      throw new IllegalArgumentException("Cannot ingest " + shown + ": it has no " + file.name() + " directory ("
          + file.description() + ")");
    }
    CompressionCodecFactory codecs = new CompressionCodecFactory(hadoop);
    for (FileStatus status : fs.listStatus(directory)) {
      String name = status.getPath().getName();
      if (!status.isFile() || name.startsWith("_") || name.startsWith(".") || status.getLen() == 0) {
        continue;
      }
      CompressionCodec codec = codecs.getCodec(status.getPath());
      try (InputStream in = codec == null ? fs.open(status.getPath()) : codec.createInputStream(fs.open(status.getPath()));
          BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
        String header = reader.readLine();
        if (header != null && header.startsWith("\uFEFF")) {
          header = header.substring(1);
        }
        if (header != null && !header.strip().equals(file.header())) {
          throw new IllegalArgumentException("Cannot ingest " + shown + ": " + file.name() + "/" + name
              + " does not start with the header " + file.header());
        }
      }
    }
  }

  /** The raw files as Spark reads them: every column a string, and malformed lines marked. */
  private static final class RawData {
    private final SparkSession spark;
    private final String raw;

    RawData(SparkSession spark, String raw) {
      this.spark = spark;
      this.raw = raw;
    }

    Dataset<Row> read(RawFile file) {
      StructType schema = new StructType();
      for (String column : file.columns()) {
        schema = schema.add(column, DataTypes.StringType, true);
      }
      schema = schema.add(CORRUPT, DataTypes.StringType, true);
      return spark.read().schema(schema).option("header", "true").option("mode", "PERMISSIVE")
          .option("columnNameOfCorruptRecord", CORRUPT).csv(raw + "/" + file.name());
    }
  }

  private static String[] fields(Row row, int count) {
    String[] fields = new String[count];
    for (int i = 0; i < count; i++) {
      fields[i] = row.getString(i);
    }
    return fields;
  }

  /** Why a raw row is refused, or "" if it is not. */
  private static String reason(RawFile file, Row row) {
    int count = file.columns().size();
    if (!row.isNullAt(count)) {
      return "row: malformed CSV line";
    }
    String problem = RawChecks.problem(file, fields(row, count));
    return problem == null ? "" : problem;
  }

  /** The parsed row, or null if it is refused. */
  private static RawChecks.Checked checked(RawFile file, Row row) {
    int count = file.columns().size();
    if (!row.isNullAt(count)) {
      return null;
    }
    try {
      return RawChecks.check(file, fields(row, count));
    } catch (RuntimeException refused) {
      return null;
    }
  }

  // ---------------------------------------------------------------- checking

  /** Refused rows by file and reason; every file's rows counted against the manifest. */
  private static Map<RawFile, Map<String, Long>> check(RawData data, RawManifest manifest, String shown) {
    Map<RawFile, Map<String, Long>> refused = new LinkedHashMap<>();
    for (RawFile file : RawFile.values()) {
      Map<String, Long> reasons = new TreeMap<>();
      long rows = 0;
      for (Row count : data.read(file).map((MapFunction<Row, String>) row -> reason(file, row), Encoders.STRING())
          .groupBy("value").count().collectAsList()) {
        rows += count.getLong(1);
        if (!count.getString(0).isEmpty()) {
          reasons.put(count.getString(0), count.getLong(1));
        }
      }
      long expected = manifest.counts().get(file);
      if (rows != expected) {
        throw new IllegalStateException("Cannot ingest " + shown + ": " + file.name() + " has " + rows + " rows but "
            + RawFile.MANIFEST + " says " + expected + "; the raw directory is incomplete or was changed after it was written");
      }
      refused.put(file, reasons);
    }
    for (RawFile parent : List.of(RawFile.CD, RawFile.DD, RawFile.GD)) {
      Row sum = duplicateKeys(data, parent).agg(org.apache.spark.sql.functions.sum("count")).first();
      long duplicated = sum.isNullAt(0) ? 0 : sum.getLong(0);
      if (duplicated > 0) {
        refused.get(parent).put(parent.columns().get(0) + ": the same number on more than one row", duplicated);
      }
    }
    for (RawFile orders : List.of(RawFile.OO, RawFile.DO, RawFile.GO)) {
      RawFile parent = WarehouseTables.parentOf(orders);
      Dataset<Row> keys = validKeys(data, orders).toDF("key");
      Dataset<Row> parents = uniqueKeys(data, parent);
      long orphans = keys.join(parents, keys.col("key").equalTo(parents.col("value")), "left_anti").count();
      if (orphans > 0) {
        refused.get(orders).put(orders.columns().get(0) + ": no valid " + parent.name() + " row with this number (or it was refused)",
            orphans);
      }
    }
    return refused;
  }

  /** Column 0 (the claim number) of every row that passes its checks. */
  private static Dataset<Long> validKeys(RawData data, RawFile file) {
    return data.read(file).flatMap((FlatMapFunction<Row, Long>) row -> {
      RawChecks.Checked checked = checked(file, row);
      return checked == null ? Collections.emptyIterator() : Collections.singletonList(checked.number(0)).iterator();
    }, Encoders.LONG());
  }

  /** Claim numbers on more than one valid row, with how many rows: columns value, count. */
  private static Dataset<Row> duplicateKeys(RawData data, RawFile file) {
    return validKeys(data, file).groupBy("value").count().filter(col("count").gt(1));
  }

  /** Claim numbers on exactly one valid row: column value. */
  private static Dataset<Row> uniqueKeys(RawData data, RawFile file) {
    return validKeys(data, file).groupBy("value").count().filter(col("count").equalTo(1)).select("value");
  }

  // ---------------------------------------------------------------- keys

  /** The newest warehouse key's version; the warehouse token keys created if missing. */
  private int prepareKeys() throws GeneralSecurityException {
    KeyCustody custody = keys.custody(); // shared by the JVM: not closed here
    int version = custody.warehousePseudonymizer().keyVersion();
    ProjectId tokens = ProjectId.of(WarehouseTables.TOKEN_PROJECT);
    boolean present = custody.keys().stream().anyMatch(key -> key.purpose() == KeyInfo.Purpose.PROJECT_TOKEN
        && key.project().equals(Optional.of(tokens)));
    if (!present) {
      try {
        custody.createProjectKeys(tokens);
        progress.printf("Created the warehouse token keys (project %s)%n", tokens);
      } catch (GeneralSecurityException e) {
        boolean meanwhile = custody.keys().stream().anyMatch(key -> key.purpose() == KeyInfo.Purpose.PROJECT_TOKEN
            && key.project().equals(Optional.of(tokens)));
        if (!meanwhile) {
          throw e;
        }
      }
    }
    return version;
  }

  // ---------------------------------------------------------------- tables

  /** Whether the table exists with this definition and its current data came from this raw data and key. */
  private boolean holds(String name, Table table, String hash, int keyVersion) {
    if (!spark.catalog().tableExists(name) || !sameDefinition(name, table)) {
      return false;
    }
    Snapshot current = icebergTable(name).currentSnapshot();
    return current != null && hash.equals(current.summary().get(MANIFEST_PROPERTY))
        && Integer.toString(keyVersion).equals(current.summary().get(KEY_VERSION_PROPERTY));
  }

  private org.apache.iceberg.Table icebergTable(String name) {
    try {
      return Spark3Util.loadIcebergTable(spark, name);
    } catch (Exception e) {
      throw new IllegalStateException("Cannot load table " + name + ": " + e.getMessage(), e);
    }
  }

  /** Same columns and types, and same partitioning. */
  private boolean sameDefinition(String name, Table table) {
    StructType actual = spark.table(name).schema();
    StructType expected = table.schema();
    if (actual.fields().length != expected.fields().length) {
      return false;
    }
    for (int i = 0; i < expected.fields().length; i++) {
      StructField a = actual.fields()[i];
      StructField e = expected.fields()[i];
      if (!a.name().equals(e.name()) || !a.dataType().equals(e.dataType())) {
        return false;
      }
    }
    org.apache.iceberg.Table iceberg = icebergTable(name);
    List<PartitionField> partitions = iceberg.spec().fields();
    if (table.partitioning() == null) {
      return partitions.isEmpty();
    }
    return partitions.size() == 1 && partitions.get(0).transform().toString().equals("year")
        && iceberg.schema().findColumnName(partitions.get(0).sourceId()).equals(table.partitionColumn());
  }

  /** Creates the table, or replaces a table of another definition; sets its write order. */
  private void define(String name, Table table) {
    String definition = "(" + table.columns() + ") using iceberg"
        + (table.partitioning() == null ? "" : " partitioned by (" + table.partitioning() + ")")
        + " tblproperties ('format-version'='2')";
    if (!spark.catalog().tableExists(name)) {
      spark.sql("create table " + name + " " + definition);
    } else if (!sameDefinition(name, table)) {
      progress.printf("  %-20s had another definition: replaced%n", table.name());
      spark.sql("create or replace table " + name + " " + definition);
    }
    org.apache.iceberg.Table iceberg = icebergTable(name);
    List<String> order = new ArrayList<>();
    for (SortField field : iceberg.sortOrder().fields()) {
      order.add(iceberg.schema().findColumnName(field.sourceId()));
    }
    String mode = table.globalOrder() ? "range" : "hash";
    if (!String.join(", ", order).equals(table.order())
        || !mode.equals(iceberg.properties().get(TableProperties.WRITE_DISTRIBUTION_MODE))) {
      spark.sql("alter table " + name + (table.globalOrder() ? " write ordered by " : " write distributed by partition locally ordered by ")
          + table.order());
    }
  }

  /** The rows of a table, from its raw file (and, for orders, its parent's dates). */
  private Dataset<Row> rows(RawData data, Table table, int keyVersion) {
    KeyAccess access = keys;
    RawFile file = table.source();
    return switch (file) {
      case ID -> data.read(file).mapPartitions(keyed(access, keyVersion, file, (c, k) -> RowFactory.create(
          k.person(c.person(0)), date(c.date(1)), c.text(2), date(c.date(3)), date(c.date(4)), k.insuredUnit(c.text(5)),
          c.text(6), c.integer(7))), Encoders.row(table.schema()));
      case CD -> withoutDuplicates(data, file, data.read(file).mapPartitions(keyed(access, keyVersion, file, (c, k) ->
          RowFactory.create(c.number(0), k.person(c.person(2)), k.hospital(c.text(1)), date(c.date(3)), c.text(4), c.text(5),
              c.text(6), c.text(7), c.integer(8), c.integer(9))), Encoders.row(table.schema())), "visit_id");
      case DD -> withoutDuplicates(data, file, data.read(file).mapPartitions(keyed(access, keyVersion, file, (c, k) ->
          RowFactory.create(c.number(0), k.person(c.person(2)), k.hospital(c.text(1)), date(c.date(3)), date(c.date(4)),
              c.text(5), c.text(6), c.text(7), c.text(8), c.text(9), c.integer(10), c.integer(11))),
          Encoders.row(table.schema())), "admission_id");
      case GD -> withoutDuplicates(data, file, data.read(file).mapPartitions(keyed(access, keyVersion, file, (c, k) ->
          RowFactory.create(c.number(0), k.person(c.person(2)), k.hospital(c.text(1)), date(c.date(3)), c.integer(4),
              c.integer(5))), Encoders.row(table.schema())), "rx_id");
      case OO -> withParentDates(data, table, c -> RowFactory.create(c.number(0), c.integer(1), c.integer(2), c.text(3),
          c.decimal(4), c.decimal(5), c.decimal(6), c.integer(7)));
      case DO -> withParentDates(data, table, c -> RowFactory.create(c.number(0), c.integer(1), c.text(2), c.decimal(3),
          c.integer(4)));
      case GO -> withParentDates(data, table, c -> RowFactory.create(c.number(0), c.integer(1), c.text(2), c.decimal(3),
          c.integer(4), c.integer(5)));
    };
  }

  /** Drops the rows whose claim number is on more than one valid row (they were counted as refused). */
  private static Dataset<Row> withoutDuplicates(RawData data, RawFile file, Dataset<Row> rows, String key) {
    Dataset<Row> duplicates = duplicateKeys(data, file);
    return rows.join(duplicates, rows.col(key).equalTo(duplicates.col("value")), "left_anti");
  }

  /**
   * Order rows (no person in them, so no keys) with their claim's date, taken from the parent file's
   * valid, unique rows; orders of no such claim are dropped (they were counted as refused).
   */
  private static Dataset<Row> withParentDates(RawData data, Table table, SerializableFunction<RawChecks.Checked, Row> make) {
    RawFile file = table.source();
    RawFile parent = WarehouseTables.parentOf(file);
    String dateColumn = table.partitionColumn();
    StructType withoutDate = new StructType();
    for (StructField field : table.schema().fields()) {
      if (!field.name().equals(dateColumn)) {
        withoutDate = withoutDate.add(field);
      }
    }
    int dateIndex = 3; // FUNC_DATE of CD and GD, IN_DATE of DD
    Dataset<Row> orders = data.read(file).mapPartitions(unkeyed(file, make), Encoders.row(withoutDate));
    Dataset<Row> dates = data.read(parent).mapPartitions(unkeyed(parent, c -> RowFactory.create(c.number(0), date(c.date(dateIndex)))),
        Encoders.row(StructType.fromDDL("parent_key bigint, parent_date date")));
    Dataset<Row> duplicates = duplicateKeys(data, parent);
    dates = dates.join(duplicates, dates.col("parent_key").equalTo(duplicates.col("value")), "left_anti");
    String key = table.schema().fields()[0].name();
    Dataset<Row> joined = orders.join(dates, orders.col(key).equalTo(dates.col("parent_key")), "inner");
    List<Column> columns = new ArrayList<>();
    for (StructField field : table.schema().fields()) {
      columns.add(field.name().equals(dateColumn) ? col("parent_date").as(dateColumn) : orders.col(field.name()));
    }
    return joined.select(columns.toArray(new Column[0]));
  }

  private static Date date(LocalDate day) {
    return day == null ? null : Date.valueOf(day);
  }

  private static double seconds(long since) {
    return (System.nanoTime() - since) / 1e9;
  }

  // ---------------------------------------------------------------- per-partition mapping

  interface SerializableFunction<T, R> extends Function<T, R>, java.io.Serializable {}

  interface KeyedRow extends java.io.Serializable {
    Row make(RawChecks.Checked checked, Keys keys);
  }

  /** The keyed primitives of one partition: layer 1 at a fixed key version, and the warehouse tokens. */
  static final class Keys {
    private final WarehousePseudonymizer layer1;
    private final ProjectTokenizer tokens;

    Keys(WarehousePseudonymizer layer1, ProjectTokenizer tokens) {
      this.layer1 = layer1;
      this.tokens = tokens;
    }

    long person(optout.pseudonymizer.id.PersonId id) {
      return layer1.pseudonym(id);
    }

    long hospital(String code) {
      return tokens.token(ProjectTokenizer.Kind.HOSPITAL, code);
    }

    long insuredUnit(String code) {
      return tokens.token(ProjectTokenizer.Kind.INSURED_UNIT, code);
    }
  }

  /** Valid rows mapped with the keys, which are opened on the executor for each partition. */
  private static MapPartitionsFunction<Row, Row> keyed(KeyAccess access, int keyVersion, RawFile file, KeyedRow make) {
    return rows -> {
      Keys keys = new Keys(access.custody().warehousePseudonymizer(keyVersion), access.tokenizer(WarehouseTables.TOKEN_PROJECT));
      return new Filtering<>(rows, row -> {
        RawChecks.Checked checked = checked(file, row);
        return checked == null ? null : make.make(checked, keys);
      });
    };
  }

  private static MapPartitionsFunction<Row, Row> unkeyed(RawFile file, SerializableFunction<RawChecks.Checked, Row> make) {
    return rows -> new Filtering<>(rows, row -> {
      RawChecks.Checked checked = checked(file, row);
      return checked == null ? null : make.apply(checked);
    });
  }

  /** Maps lazily, dropping what maps to null. */
  private static final class Filtering<T, R> implements Iterator<R> {
    private final Iterator<T> source;
    private final Function<T, R> mapping;
    private R next;

    Filtering(Iterator<T> source, Function<T, R> mapping) {
      this.source = source;
      this.mapping = mapping;
    }

    @Override
    public boolean hasNext() {
      while (next == null && source.hasNext()) {
        next = mapping.apply(source.next());
      }
      return next != null;
    }

    @Override
    public R next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      R result = next;
      next = null;
      return result;
    }
  }
}
