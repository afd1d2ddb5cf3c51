package optout.registry.snapshot;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.Objects;
import java.util.PrimitiveIterator;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.LongStream;
import java.util.stream.StreamSupport;
import optout.registry.log.Hash;

/**
 * Writes, reads and verifies exclusion snapshots: the layer-1 pseudonyms to exclude for one purpose
 * as of one log checkpoint, as a Parquet file for the Spark jobs and a {@link Manifest} signed by
 * the registry's log key. Formats and the choice of library are in {@code package-info.java}.
 *
 * <p>Everything streams: writing takes a {@link LongStream} and holds at most one row group
 * ({@value SnapshotFileWriter#ROW_GROUP_ROWS} values, 32 MiB before compression); reading holds one
 * page. 25 million pseudonyms never sit in memory at once, boxed or not.
 */
public final class ExclusionSnapshot {

  /** The format name in the Parquet footer ({@code nhi-optout.format}). */
  public static final String FORMAT = "nhi-optout-exclusion-snapshot/1";

  /** The smallest layer-1 pseudonym: 11 digits, the first one 1. */
  public static final long MIN_PSEUDONYM = 10_000_000_000L;

  /** The largest layer-1 pseudonym. */
  public static final long MAX_PSEUDONYM = 19_999_999_999L;

  private ExclusionSnapshot() {}

  /**
   * Writes a snapshot file. The values must be layer-1 pseudonyms in strictly ascending order (so
   * sorted and distinct); the first one that is not stops the write. The file is written beside
   * {@code parquetFile} under a temporary name, forced to disk and moved into place only when
   * complete, so a failure leaves nothing behind and a reader never sees half a file. The file is
   * readable by its owner only (like any temporary file); hand it on by copying.
   *
   * <p>The stream is consumed, not closed: whoever opened it (e.g. over a database cursor) closes it.
   * The same values and description give the same bytes with the same parquet-java version.
   *
   * @return count, set hash and file hash, for {@link Manifest#of}
   * @throws IllegalArgumentException if a value is out of range, repeated or out of order (the
   *     message gives its position, not its value)
   * @throws FileAlreadyExistsException if {@code parquetFile} exists: a published snapshot is
   *     never replaced in place
   */
  public static SnapshotSummary write(Path parquetFile, SnapshotDescription description, LongStream sortedDistinctPseudonyms)
      throws IOException {
    Objects.requireNonNull(parquetFile, "Cannot write an exclusion snapshot: the file is missing");
    Objects.requireNonNull(description, "Cannot write an exclusion snapshot: the description is missing");
    Objects.requireNonNull(sortedDistinctPseudonyms, "Cannot write an exclusion snapshot: the pseudonyms are missing");
    Path target = parquetFile.toAbsolutePath();
    if (Files.exists(target)) {
      throw new FileAlreadyExistsException(target.toString(), null,
          "Cannot write an exclusion snapshot: the file exists, and a published snapshot is never replaced");
    }
    Path directory = target.getParent();
    Path temporary = Files.createTempFile(directory, "." + target.getFileName() + ".", ".partial");
    boolean done = false;
    SnapshotFileWriter writer = null;
    try {
      writer = new SnapshotFileWriter(temporary, description);
      PseudonymOrder order = new PseudonymOrder();
      PrimitiveIterator.OfLong values = sortedDistinctPseudonyms.iterator();
      while (values.hasNext()) {
        long value = values.nextLong();
        String problem = order.accept(value);
        if (problem != null) {
          throw new IllegalArgumentException("Cannot write an exclusion snapshot: " + problem);
        }
        writer.append(value);
      }
      writer.close();
      SnapshotSummary summary = new SnapshotSummary(writer.count(), writer.setSha256(), writer.fileSha256());
      // Same directory, so a rename: atomic. Without REPLACE_EXISTING it also refuses a file that
      // appeared since the check above.
      Files.move(temporary, target);
      done = true;
      forceDirectory(directory);
      return summary;
    } finally {
      if (!done) {
        if (writer != null) {
          writer.abort();
        }
        Files.deleteIfExists(temporary);
      }
    }
  }

  /**
   * The pseudonyms of a snapshot file, in ascending order. The footer is checked now; each value as
   * it is read (range, order); and at the end the footer's count and set hash against the values,
   * so a stream read to its end without an exception came from a consistent file. Close the stream
   * (try-with-resources) to close the file. The stream is sequential.
   *
   * @throws SnapshotFormatException now if the file's footer is not a snapshot's
   * @throws UncheckedIOException while streaming, with a {@link SnapshotFormatException} cause, if a
   *     page or value is invalid
   */
  public static LongStream read(Path parquetFile) throws IOException {
    Objects.requireNonNull(parquetFile, "Cannot read an exclusion snapshot: the file is missing");
    SnapshotFileReader reader = SnapshotFileReader.open(parquetFile);
    Spliterator.OfLong spliterator = Spliterators.spliteratorUnknownSize(reader,
        Spliterator.ORDERED | Spliterator.SORTED | Spliterator.DISTINCT | Spliterator.NONNULL | Spliterator.IMMUTABLE);
    return StreamSupport.longStream(spliterator, false).onClose(() -> {
      try {
        reader.close();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  /** What a snapshot file says it is (from its footer, checked); does not read the values. */
  public static SnapshotDescription describe(Path parquetFile) throws IOException {
    Objects.requireNonNull(parquetFile, "Cannot read an exclusion snapshot: the file is missing");
    try (SnapshotFileReader reader = SnapshotFileReader.open(parquetFile)) {
      return reader.description();
    }
  }

  /**
   * Checks a snapshot file against its manifest: the file's SHA-256, the description in its footer,
   * and, reading every value, the count and set hash recomputed from the values. Verify the
   * manifest's signature first ({@link Manifest#verify}) and its checkpoint against the log.
   *
   * @return the recomputed summary
   * @throws ManifestException {@link ManifestException.Reason#MISMATCH} if the file is not the one
   *     the manifest describes
   * @throws SnapshotFormatException if the file is not a valid snapshot
   */
  public static SnapshotSummary verify(Path parquetFile, Manifest manifest) throws IOException, ManifestException {
    Objects.requireNonNull(parquetFile, "Cannot verify an exclusion snapshot: the file is missing");
    Objects.requireNonNull(manifest, "Cannot verify an exclusion snapshot: the manifest is missing");
    // One open file for hashing and reading, so the bytes hashed are the bytes read.
    try (FileChannel channel = FileChannel.open(parquetFile, StandardOpenOption.READ)) {
      Hash fileSha256 = sha256(channel);
      if (!fileSha256.equals(manifest.fileSha256())) {
        throw new ManifestException(ManifestException.Reason.MISMATCH, "Cannot match the snapshot file to its manifest: "
            + "the file's SHA-256 is " + fileSha256.hex() + ", the manifest says " + manifest.fileSha256().hex());
      }
      SnapshotFileReader reader = SnapshotFileReader.open(parquetFile, channel);
      try {
        while (reader.hasNext()) {
          reader.nextLong();
        }
      } catch (UncheckedIOException e) {
        throw e.getCause();
      }
      SnapshotSummary summary = new SnapshotSummary(reader.count(), reader.setSha256(), fileSha256);
      manifest.requireMatches(reader.description(), summary);
      return summary;
    }
  }

  /**
   * The set hash: SHA-256 over the pseudonyms in ascending order, each as 8 bytes big-endian,
   * concatenated (SHA-256 of nothing for the empty set). Independent of Parquet, so anyone can
   * recompute it from the values however they read them.
   *
   * @throws IllegalArgumentException if a value is out of range, repeated or out of order
   */
  public static Hash setHash(LongStream sortedDistinctPseudonyms) {
    Objects.requireNonNull(sortedDistinctPseudonyms, "Cannot hash a set of pseudonyms: they are missing");
    PseudonymOrder order = new PseudonymOrder();
    SetHasher hasher = new SetHasher();
    PrimitiveIterator.OfLong values = sortedDistinctPseudonyms.iterator();
    while (values.hasNext()) {
      long value = values.nextLong();
      String problem = order.accept(value);
      if (problem != null) {
        throw new IllegalArgumentException("Cannot hash a set of pseudonyms: " + problem);
      }
      hasher.add(value);
    }
    return hasher.finish();
  }

  /** SHA-256 of a whole file, read by position (the channel's position is left alone). */
  private static Hash sha256(FileChannel channel) throws IOException {
    MessageDigest digest = SetHasher.sha256();
    ByteBuffer buffer = ByteBuffer.allocate(1 << 16);
    long position = 0;
    int read;
    while ((read = channel.read(buffer.clear(), position)) >= 0) {
      digest.update(buffer.array(), 0, read);
      position += read;
    }
    return Hash.of(digest.digest());
  }

  /**
   * Forces the directory entry of the moved file to disk, so a crash right after the move cannot
   * lose a file whose manifest may already have been handed out. Linux allows this; where the
   * platform does not, the move is still atomic, only not yet durable.
   */
  private static void forceDirectory(Path directory) {
    try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      // Not supported here (e.g. Windows); see above.
    }
  }
}
