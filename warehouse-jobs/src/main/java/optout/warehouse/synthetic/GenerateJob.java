package optout.warehouse.synthetic;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import optout.warehouse.ingest.RawFile;
import optout.warehouse.ingest.RawManifest;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.LongAccumulator;

/**
 * Writes the raw files with Spark: {@code spark.range(N)} in partitions, each partition's persons turned
 * into the rows of one file at a time, written as CSV with a header under {@code <out>/<FILE>/}, then
 * {@code _GENERATED.json} last. The rows depend only on the settings, never on the partitioning (only
 * how they are cut into part files does).
 */
public final class GenerateJob {

  /** Persons per partition at large scales: about 130 MB of outpatient visits per part file. */
  static final long PERSONS_PER_PARTITION = 50_000;

  private GenerateJob() {}

  /**
   * Refuses an output directory that exists and holds anything, unless {@code overwrite}; with it, a
   * directory that holds only what generate writes is emptied (anything else there is refused, so
   * that nothing of someone else's is ever deleted).
   *
   * @return the qualified output path
   * @throws IllegalArgumentException saying why the directory cannot be used
   */
  public static Path prepareOutput(String out, boolean overwrite, Configuration hadoop) throws IOException {
    Path path = new Path(out);
    FileSystem fs = path.getFileSystem(hadoop);
    path = fs.makeQualified(path);
    if (!fs.exists(path)) {
      return path;
    }
    if (!fs.getFileStatus(path).isDirectory()) {
      throw new IllegalArgumentException("Cannot write to " + out + ": it is a file, not a directory");
    }
    FileStatus[] entries = fs.listStatus(path);
    if (entries.length == 0) {
      return path;
    }
    if (!overwrite) {
      throw new IllegalArgumentException("Cannot write to " + out + ": it is not empty (give --overwrite to replace raw files"
          + " written there before, or choose another directory)");
    }
    Set<String> ours = Stream.concat(Stream.of(RawFile.values()).map(RawFile::name), Stream.of(RawFile.MANIFEST, "." + RawFile.MANIFEST + ".crc"))
        .collect(Collectors.toSet());
    List<String> foreign = new ArrayList<>();
    for (FileStatus entry : entries) {
      if (!ours.contains(entry.getPath().getName())) {
        foreign.add(entry.getPath().getName());
      }
    }
    if (!foreign.isEmpty()) {
      throw new IllegalArgumentException("Cannot overwrite " + out + ": it holds " + String.join(", ", foreign.subList(0,
          Math.min(5, foreign.size()))) + (foreign.size() > 5 ? ", ..." : "") + ", which generate did not write; nothing was deleted");
    }
    // the manifest first: a directory without it is incomplete, whatever else is left if this stops half-way
    for (String name : List.of(RawFile.MANIFEST, "." + RawFile.MANIFEST + ".crc")) {
      fs.delete(new Path(path, name), false);
    }
    for (FileStatus entry : entries) {
      fs.delete(entry.getPath(), true);
    }
    return path;
  }

  /** Partitions for N persons: at least the cluster's parallelism, about 50,000 persons each beyond. */
  public static int defaultPartitions(SparkSession spark, long persons) {
    long wanted = Math.max(spark.sparkContext().defaultParallelism(), (persons + PERSONS_PER_PARTITION - 1) / PERSONS_PER_PARTITION);
    return (int) Math.max(1, Math.min(persons, wanted));
  }

  /**
   * Generates and writes every raw file, then the manifest.
   *
   * @param out a directory (local path or Hadoop URI) that {@link #prepareOutput} accepted
   * @param progress gets a line per file: rows written and time taken
   */
  public static RawManifest run(SparkSession spark, GeneratorSettings settings, Path out, int partitions, PrintStream progress)
      throws IOException {
    long persons = settings.persons();
    progress.printf("Generating %,d persons (scale %s, seed %d, %d-%d) in %d partitions into %s%n", persons,
        java.math.BigDecimal.valueOf(settings.scale()).stripTrailingZeros().toPlainString(), settings.seed(), settings.fromYear(),
        settings.toYear(), partitions, out);
    long started = System.nanoTime();
    Map<RawFile, Long> counts = new EnumMap<>(RawFile.class);
    for (RawFile file : RawFile.values()) {
      long fileStarted = System.nanoTime();
      LongAccumulator rows = spark.sparkContext().longAccumulator("rows of " + file.name());
      StructType schema = new StructType();
      for (String column : file.columns()) {
        schema = schema.add(column, DataTypes.StringType, true);
      }
      spark.range(0, persons, 1, partitions)
          .mapPartitions(rowsOf(settings, file, rows), Encoders.row(schema))
          .write()
          .mode(SaveMode.ErrorIfExists)
          .option("header", "true")
          .csv(new Path(out, file.name()).toString());
      counts.put(file, rows.value());
      progress.printf("  %-2s %-20s %,14d rows %8.1f s%n", file.name(), file.description(), rows.value(),
          (System.nanoTime() - fileStarted) / 1e9);
    }
    RawManifest manifest = new RawManifest(settings.seed(), settings.scale(), persons, settings.fromYear(), settings.toYear(),
        counts);
    FileSystem fs = out.getFileSystem(spark.sparkContext().hadoopConfiguration());
    try (OutputStream stream = fs.create(new Path(out, RawFile.MANIFEST), false)) {
      stream.write(manifest.bytes());
    }
    progress.printf("Wrote %s in %.1f s.%n", new Path(out, RawFile.MANIFEST), (System.nanoTime() - started) / 1e9);
    return manifest;
  }

  /** One generator per settings and executor JVM (it is immutable and thread-safe). */
  private static final Map<GeneratorSettings, SyntheticNhi> GENERATORS = new ConcurrentHashMap<>();

  private static MapPartitionsFunction<Long, Row> rowsOf(GeneratorSettings settings, RawFile file, LongAccumulator counter) {
    return persons -> {
      RawRows rows = new RawRows(GENERATORS.computeIfAbsent(settings, SyntheticNhi::new));
      return new Iterator<Row>() {
        private Iterator<String[]> current = java.util.Collections.emptyIterator();
        private long count;

        @Override
        public boolean hasNext() {
          while (!current.hasNext()) {
            if (!persons.hasNext()) {
              if (count > 0) {
                counter.add(count);
                count = 0;
              }
              return false;
            }
            current = rows.rows(file, persons.next()).iterator();
          }
          return true;
        }

        @Override
        public Row next() {
          if (!hasNext()) {
            throw new NoSuchElementException();
          }
          count++;
          return RowFactory.create((Object[]) current.next());
        }
      };
    };
  }
}
