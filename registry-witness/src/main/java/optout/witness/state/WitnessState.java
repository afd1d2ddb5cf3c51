package optout.witness.state;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import optout.registry.log.Checkpoint;
import optout.registry.log.NoteException;
import optout.registry.log.SignedNote;

/**
 * What the witness holds, in files (no database), per log:
 *
 * <pre>
 * &lt;directory&gt;/logs/&lt;hex SHA-256 of the origin&gt;/
 *     origin        the log's origin line, for people
 *     checkpoint    the latest checkpoint cosigned: the log's signature and the witness's cosignature in one signed note
 *     history/      every checkpoint cosigned, one signed note a file named by its tree size (20 digits), never rewritten
 *     refused/      validly signed checkpoints refused as inconsistent: evidence of the log's misbehaviour
 *     lock          the file lock that serialises updates across processes
 * </pre>
 *
 * Every file is written whole by {@link AtomicFiles} (temporary file, fsync, atomic rename, directory
 * fsync). {@link #compareAndSwap} reads the latest checkpoint and writes the next under an in-process lock
 * and a file lock, so two submissions can never both advance from the same checkpoint, here or in another
 * process on the same directory. The latest is written before the history entry; a crash between the two
 * leaves the history one short, and the next update fills it in before anything else.
 */
public final class WitnessState {

  /** The checkpoint held for a log and the signed note it came in (with the witness's cosignature). */
  public record Held(Checkpoint checkpoint, String note) {}

  /**
   * Decides, from what is held (empty before the first checkpoint of a log), the signed note to hold next.
   * Throws to refuse; then nothing changes.
   */
  @FunctionalInterface
  public interface Transition<E extends Exception> {
    String next(Optional<Held> held) throws E;
  }

  /**
   * One lock per log directory for the whole JVM: a file lock is held per JVM, and a second channel of the
   * same JVM asking for it fails instead of waiting, so every instance here queues on this first.
   */
  private static final ConcurrentHashMap<String, ReentrantLock> LOCKS = new ConcurrentHashMap<>();

  private final Path directory;

  public WitnessState(Path directory) throws IOException {
    this.directory = Objects.requireNonNull(directory, "Cannot open the witness state: the directory is missing").toAbsolutePath();
    Files.createDirectories(this.directory.resolve("logs"));
  }

  /** The hex SHA-256 of an origin: its directory name here and its path in the monitoring API (c2sp.org/tlog-witness). */
  public static String originHash(String origin) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(origin.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java has SHA-256", e);
    }
  }

  /** The latest checkpoint held for the log with this origin hash, if any. */
  public Optional<Held> latestByOriginHash(String originHash) throws IOException {
    Path file = directory.resolve("logs").resolve(originHash).resolve("checkpoint");
    if (!originHash.matches("[0-9a-f]{64}") || !Files.isRegularFile(file)) {
      return Optional.empty();
    }
    return Optional.of(read(file));
  }

  /** The latest checkpoint held for this log, if any. */
  public Optional<Held> latest(String origin) throws IOException {
    return latestByOriginHash(originHash(origin));
  }

  /** The directory of every checkpoint cosigned for this log, one signed note a file ({@code ./optout registry audit --checkpoints}). */
  public Path history(String origin) {
    return logDirectory(origin).resolve("history");
  }

  /**
   * Atomically: reads what is held for {@code origin}, asks {@code transition} for the next note, and
   * holds it (the latest file, then a history entry). Answers what is now held.
   *
   * @throws E the transition's refusal; nothing was written
   */
  public <E extends Exception> Held compareAndSwap(String origin, Transition<E> transition) throws IOException, E {
    Path log = logDirectory(origin);
    ReentrantLock lock = LOCKS.computeIfAbsent(log.toString(), any -> new ReentrantLock());
    lock.lock();
    try {
      Files.createDirectories(log.resolve("history"));
      try (FileChannel lockFile = FileChannel.open(log.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
          FileLock held = lockFile.lock()) {
        if (!Files.exists(log.resolve("origin"))) {
          AtomicFiles.replace(log.resolve("origin"), (origin + "\n").getBytes(StandardCharsets.UTF_8), log);
        }
        Path latestFile = log.resolve("checkpoint");
        Optional<Held> current = Files.isRegularFile(latestFile) ? Optional.of(read(latestFile)) : Optional.empty();
        if (current.isPresent()) {
          recordHistory(log, current.get());  // a crash may have left the last one out
        }
        String next = transition.next(current);
        Held now = parse(next, "the note to hold");
        if (!now.checkpoint().origin().equals(origin)) {
          throw new IllegalArgumentException("Cannot hold a checkpoint of " + now.checkpoint().origin() + " for the log " + origin);
        }
        AtomicFiles.replace(latestFile, next.getBytes(StandardCharsets.UTF_8), log);
        recordHistory(log, now);
        return now;
      }
    } finally {
      lock.unlock();
    }
  }

  /** Keeps a validly signed checkpoint that was refused as inconsistent: the log signed two histories. */
  public void recordRefused(String origin, String note, Instant at) throws IOException {
    Path refused = Files.createDirectories(logDirectory(origin).resolve("refused"));
    Path file = refused.resolve(at.toEpochMilli() + "-" + Integer.toHexString(note.hashCode()));
    if (!Files.exists(file)) {
      AtomicFiles.replace(file, note.getBytes(StandardCharsets.UTF_8), logDirectory(origin));
    }
  }

  private void recordHistory(Path log, Held held) throws IOException {
    Path entry = log.resolve("history").resolve(String.format("%020d", held.checkpoint().size()));
    if (!Files.exists(entry)) {  // the first cosigned note of a size stays: the history is only appended to
      AtomicFiles.replace(entry, held.note().getBytes(StandardCharsets.UTF_8), log);
    }
  }

  private Path logDirectory(String origin) {
    return directory.resolve("logs").resolve(originHash(origin));
  }

  private static Held read(Path file) throws IOException {
    return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
  }

  private static Held parse(String note, String what) throws IOException {
    try {
      return new Held(Checkpoint.parse(SignedNote.parse(note).text()), note);
    } catch (NoteException e) {
      throw new IOException("Cannot read " + what + " of the witness state: " + e.getMessage(), e);
    }
  }

  @Override
  public String toString() {
    return "WitnessState[" + directory + "]";
  }
}
