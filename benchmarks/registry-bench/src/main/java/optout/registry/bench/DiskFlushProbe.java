package optout.registry.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;

/**
 * How fast this machine's disk makes an 8 KiB write durable (fdatasync, as PostgreSQL's WAL flush
 * does), like pg_test_fsync's first line. The platform's embedded PostgreSQL runs with fsync off, so its
 * commits never wait for the disk; this says what a commit would add if it did.
 */
final class DiskFlushProbe {

  private DiskFlushProbe() {}

  /** Flushes per second in {@code directory} over {@code window}. */
  static double flushesPerSecond(Path directory, Duration window) throws IOException {
    Path file = Files.createTempFile(directory, ".flush-probe-", ".tmp");
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ByteBuffer block = ByteBuffer.allocate(8192);
      long end = System.nanoTime() + window.toNanos();
      long start = System.nanoTime();
      long flushes = 0;
      while (System.nanoTime() - end < 0) {
        block.clear();
        channel.write(block, 0);
        channel.force(false);
        flushes++;
      }
      return flushes / ((System.nanoTime() - start) / 1e9);
    } finally {
      Files.deleteIfExists(file);
    }
  }
}
