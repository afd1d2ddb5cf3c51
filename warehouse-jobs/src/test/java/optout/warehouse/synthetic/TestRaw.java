package optout.warehouse.synthetic;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import optout.warehouse.TestSpark;
import optout.warehouse.ingest.RawFile;
import org.apache.spark.sql.SparkSession;

/** One tiny generated raw directory per test JVM (470 persons, 2022), and ways to read it back. */
public final class TestRaw {

  public static final GeneratorSettings SETTINGS = new GeneratorSettings(42, 0.00002, 2022, 2022);
  public static final int PARTITIONS = 2;
  private static Path directory;

  private TestRaw() {}

  public static synchronized Path directory() throws Exception {
    if (directory == null) {
      Path parent = Files.createTempDirectory("raw-test");
      Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(parent), "delete-test-raw"));
      directory = generate(parent.resolve("raw"), PARTITIONS);
    }
    return directory;
  }

  public static Path generate(Path target, int partitions) throws Exception {
    SparkSession spark = TestSpark.session();
    GenerateJob.run(spark, SETTINGS, new org.apache.hadoop.fs.Path(target.toUri()), partitions,
        new PrintStream(System.out, true, StandardCharsets.UTF_8));
    return target;
  }

  private static void delete(Path root) {
    try (Stream<Path> walk = Files.walk(root)) {
      walk.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      // a temporary directory: the system cleans it up eventually
    }
  }

  /** A file's part files, in partition order. */
  public static List<Path> parts(Path raw, RawFile file) {
    try (Stream<Path> files = Files.list(raw.resolve(file.name()))) {
      return files.filter(p -> p.getFileName().toString().startsWith("part-")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A file's data lines (headers left out), in partition order. */
  public static List<String> lines(Path raw, RawFile file) {
    List<String> lines = new ArrayList<>();
    for (Path part : parts(raw, file)) {
      try {
        List<String> all = Files.readAllLines(part, StandardCharsets.UTF_8);
        lines.addAll(all.subList(Math.min(1, all.size()), all.size()));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return lines;
  }
}
