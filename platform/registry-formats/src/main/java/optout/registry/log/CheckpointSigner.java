package optout.registry.log;

import java.util.Objects;

/**
 * Signs checkpoints as signed notes. The log must never sign two checkpoints that are not
 * consistent with each other (c2sp.org/tlog-checkpoint); that is the caller's duty, by signing only
 * tree heads computed by {@link MerkleLog} from the store.
 */
public final class CheckpointSigner {

  private final NoteSigner signer;

  public CheckpointSigner(NoteSigner signer) {
    this.signer = Objects.requireNonNull(signer, "Cannot make a checkpoint signer: the note signer is missing");
  }

  /** The signed note of {@code checkpoint}. */
  public SignedNote sign(Checkpoint checkpoint) {
    Objects.requireNonNull(checkpoint, "Cannot sign a checkpoint: it is missing");
    return SignedNote.sign(checkpoint.text(), signer);
  }

  @Override
  public String toString() {
    return "CheckpointSigner[" + signer + "]";
  }
}
