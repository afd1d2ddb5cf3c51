package optout.warehouse.registry;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;
import optout.registry.log.Checkpoint;
import optout.registry.log.CheckpointVerifier;
import optout.registry.log.Hash;
import optout.registry.log.NoteException;
import optout.registry.log.OneHistory;
import optout.warehouse.extract.VerifiedSnapshots.UnverifiedSnapshotException;

/**
 * The newest registry checkpoint this warehouse has verified, kept in a file, so that every later one must
 * extend it by a consistency proof: a registry that lost signed events (a deleted tail, an old backup) or
 * shows the warehouse another history than before is refused before any snapshot of it is used. The
 * registry's own database cannot tell; only those who keep what they were shown can.
 */
public final class CheckpointMemory {

  /** Where consistency proofs come from: the registry's public log API. */
  @FunctionalInterface
  public interface ConsistencyProofs {
    /** The RFC 9162 consistency proof between two tree sizes. */
    List<Hash> between(long fromSize, long toSize) throws IOException, InterruptedException;
  }

  private final Path file;
  private final CheckpointVerifier verifier;

  public CheckpointMemory(Path file, CheckpointVerifier verifier) {
    this.file = file;
    this.verifier = verifier;
  }

  /**
   * Accepts a verified checkpoint only if it extends the newest one remembered (or equals it), and then
   * remembers it.
   *
   * @throws UnverifiedSnapshotException if it is older, differs at the same size, or no valid proof shows
   *     that it extends the remembered one
   */
  public Checkpoint advance(String signedCheckpoint, ConsistencyProofs proofs)
      throws IOException, InterruptedException, UnverifiedSnapshotException {
    Checkpoint now = open(signedCheckpoint, "the registry's checkpoint");
    Optional<Checkpoint> seen = newest();
    if (seen.isPresent()) {
      Checkpoint before = seen.get();
      // older is refused outright: an extract must never be built against less than was already shown
      if (now.size() < before.size()) {
        throw new UnverifiedSnapshotException("The registry's latest checkpoint (" + now.size() + " leaves) is older than checkpoint "
            + before.size() + ", which this warehouse verified before: the registry lost signed events or shows another history");
      }
      try {
        OneHistory.check(before, now, proofs::between);
      } catch (OneHistory.ForkedHistoryException e) {
        throw new UnverifiedSnapshotException("The registry's checkpoint " + now.size() + " is not of the history of checkpoint "
            + before.size() + ", which this warehouse verified before: " + e.getMessage(), e);
      }
    }
    if (seen.isEmpty() || now.size() > seen.get().size()) {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Path partial = Files.createTempFile(file.toAbsolutePath().getParent(), ".checkpoint-", ".partial");
      Files.writeString(partial, signedCheckpoint, StandardCharsets.UTF_8);
      Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
    return now;
  }

  /** The newest checkpoint remembered, if any. */
  public Optional<Checkpoint> newest() throws IOException, UnverifiedSnapshotException {
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    return Optional.of(open(Files.readString(file, StandardCharsets.UTF_8), "the remembered checkpoint in " + file));
  }

  private Checkpoint open(String note, String what) throws UnverifiedSnapshotException {
    try {
      return verifier.verify(note);
    } catch (NoteException e) {
      throw new UnverifiedSnapshotException("Cannot verify " + what + ": " + e.getMessage(), e);
    }
  }
}
