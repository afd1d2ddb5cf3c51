package optout.registry.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Millions of pseudonyms stream through in bounded memory. Times are printed, not asserted: a
 * loaded CI machine must not fail a test that is about memory, not speed.
 */
class LargeSnapshotTest {

  private static final int FIVE_MILLION = 5_000_000;

  @TempDir
  Path directory;

  @Test
  void writesReadsAndVerifiesFiveMillionPseudonyms() throws Exception {
    Path file = directory.resolve("large.parquet");

    long start = System.nanoTime();
    SnapshotSummary summary = ExclusionSnapshot.write(file, Snapshots.ACADEMIC, Snapshots.pseudonyms(FIVE_MILLION, 21));
    long written = System.nanoTime();
    long count;
    try (LongStream read = ExclusionSnapshot.read(file)) {
      count = read.count();
    }
    long read = System.nanoTime();
    SnapshotSummary verified = ExclusionSnapshot.verify(file, Manifest.of(Snapshots.ACADEMIC, summary, 1, Instant.now()));
    long end = System.nanoTime();

    assertThat(summary.count()).isEqualTo(FIVE_MILLION);
    assertThat(count).isEqualTo(FIVE_MILLION);
    assertThat(verified).isEqualTo(summary);
    assertThat(summary.setSha256()).isEqualTo(ExclusionSnapshot.setHash(Snapshots.pseudonyms(FIVE_MILLION, 21)));
    System.out.printf("[snapshot] 5,000,000 pseudonyms: write %d ms, read %d ms, verify %d ms, %d bytes (%.2f bytes a value)%n",
        millis(start, written), millis(written, read), millis(read, end), Files.size(file),
        Files.size(file) / (double) FIVE_MILLION);
  }

  /**
   * The proof of bounded memory: a separate JVM with a 64 MiB heap writes and verifies 25 million
   * pseudonyms, the whole insured population. Boxed in a list they alone would take about 480 MiB,
   * as a long[] 190 MiB. (Measured: 32 MiB suffice.)
   */
  @Test
  void aSixtyFourMebibyteHeapWritesAndVerifiesTwentyFiveMillion() throws Exception {
    Path file = directory.resolve("population.parquet");
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx64m", "-cp", System.getProperty("java.class.path"), BoundedMemoryMain.class.getName(), file.toString(),
        "25000000"));
    Path log = directory.resolve("child.log");
    Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    boolean exited = process.waitFor(5, TimeUnit.MINUTES);
    if (!exited) {
      process.destroyForcibly();
    }
    String output = Files.readString(log);
    System.out.print(output);
    assertThat(exited).as("the child JVM finished within 5 minutes").isTrue();
    assertThat(process.exitValue()).as(output).isZero();
    assertThat(output).contains("[snapshot] 25000000 pseudonyms in -Xmx64m");
  }

  private static long millis(long from, long to) {
    return (to - from) / 1_000_000;
  }

  /** Run in the child JVM: write, then verify, 25 million values; prints the timings. */
  static final class BoundedMemoryMain {
    public static void main(String[] arguments) throws Exception {
      Path file = Path.of(arguments[0]);
      int count = Integer.parseInt(arguments[1]);
      long start = System.nanoTime();
      SnapshotSummary summary = ExclusionSnapshot.write(file, Snapshots.ACADEMIC, Snapshots.pseudonyms(count, 31));
      long written = System.nanoTime();
      SnapshotSummary verified = ExclusionSnapshot.verify(file, Manifest.of(Snapshots.ACADEMIC, summary, 1, Instant.now()));
      long end = System.nanoTime();
      if (!verified.equals(summary) || summary.count() != count) {
        throw new AssertionError("Cannot confirm the snapshot: " + verified + " differs from " + summary);
      }
      System.out.printf("[snapshot] %d pseudonyms in -Xmx%dm: write %d ms, verify %d ms, %d bytes%n",
          count, Runtime.getRuntime().maxMemory() >> 20, millis(start, written), millis(written, end), Files.size(file));
    }
  }
}
