package optout.registry.transparency;

import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * The checkpoints the registry hands to consumers, and the one place that decides which. Without a witness:
 * its own signed checkpoints, as always. With one: only checkpoints the witness cosigned, each served as one
 * signed note with the log's signature and the cosignature lines, so that a consumer that demands the
 * witness can verify everything it is given. The latest checkpoint for consumers is then the newest
 * cosigned one, which trails the newest signed one by the relay's round trip; a receipt, a bulk check's
 * {@code Registry-Checkpoint} and a snapshot made "at the latest checkpoint" all refer to it.
 *
 * <p>The sequencer, the consistency proofs and the audit keep working on every signed checkpoint: they are
 * the log's own, and a proof between two cosigned sizes passes through sizes that need not be.
 */
@Component
public class PublishedCheckpoints {

  private final CheckpointStore checkpoints;
  private final CosignatureStore cosignatures;
  private final Optional<String> witnessKey;

  PublishedCheckpoints(CheckpointStore checkpoints, CosignatureStore cosignatures, WitnessProperties witness) {
    this.checkpoints = checkpoints;
    this.cosignatures = cosignatures;
    this.witnessKey = Optional.ofNullable(witness.verifierKey());
  }

  /** Whether consumers are served only cosigned checkpoints. */
  public boolean witnessed() {
    return witnessKey.isPresent();
  }

  /** The newest checkpoint consumers can verify, with its cosignatures in the note. */
  public Optional<CheckpointStore.StoredCheckpoint> latest() {
    Optional<CheckpointStore.StoredCheckpoint> latest = witnessKey.isPresent()
        ? cosignatures.newestCosigned(witnessKey.get()) : checkpoints.latest();
    return latest.map(this::withCosignatures);
  }

  /** The checkpoint of a tree size, with whatever cosignatures it has (none if no witness cosigned that size). */
  public Optional<CheckpointStore.StoredCheckpoint> bySize(long treeSize) {
    return checkpoints.bySize(treeSize).map(this::withCosignatures);
  }

  private CheckpointStore.StoredCheckpoint withCosignatures(CheckpointStore.StoredCheckpoint stored) {
    List<String> lines = cosignatures.lines(stored.treeSize());
    if (lines.isEmpty()) {
      return stored;
    }
    return new CheckpointStore.StoredCheckpoint(stored.treeSize(), stored.rootHash(), stored.signedNote() + String.join("", lines),
        stored.createdAt());
  }
}
