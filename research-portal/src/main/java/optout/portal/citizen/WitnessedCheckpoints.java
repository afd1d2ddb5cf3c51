package optout.portal.citizen;

import optout.portal.registrylog.RegistryLogProperties;
import optout.registry.log.Checkpoint;
import optout.registry.log.CheckpointVerifier;
import optout.registry.log.NoteException;
import org.springframework.stereotype.Component;

/**
 * Checks the checkpoint a receipt's proof leads to: signed by the registry's log key and cosigned by the
 * witness (keys from {@code optout.portal.registry-log.*}, as the delivery checks manifests' checkpoints),
 * for the tree size the receipt names. The Merkle path itself is recomputed by the citizen's browser, never
 * here: the page says "verified" only when both hold.
 */
@Component
class WitnessedCheckpoints {

  /** {@code witnessed}: the registry signed it and the witness cosigned it; otherwise {@code problem} says why not. */
  record Verdict(boolean registrySignatureVerified, boolean witnessCosignatureVerified, String problem) {
    boolean witnessed() {
      return registrySignatureVerified && witnessCosignatureVerified;
    }
  }

  private final CheckpointVerifier log;
  private final CheckpointVerifier witnessed;

  WitnessedCheckpoints(RegistryLogProperties registryLog) {
    this.log = registryLog.logVerifier();
    this.witnessed = registryLog.witnessedVerifier();
  }

  Verdict check(String signedCheckpoint, long treeSize) {
    if (log == null) {
      return new Verdict(false, false, "No registry log key is configured: the checkpoint cannot be checked.");
    }
    if (signedCheckpoint == null) {
      return new Verdict(false, false, "The receipt holds no checkpoint.");
    }
    Checkpoint signed;
    try {
      signed = log.verify(signedCheckpoint);
    } catch (NoteException | IllegalArgumentException e) {
      return new Verdict(false, false, "The registry's signature does not verify.");
    }
    if (signed.size() != treeSize) {
      return new Verdict(true, false, "The checkpoint is of another tree size than the proof's.");
    }
    if (witnessed == null) {
      return new Verdict(true, false, "No witness key is configured: the checkpoint's cosignature cannot be checked.");
    }
    try {
      witnessed.verify(signedCheckpoint);
      return new Verdict(true, true, null);
    } catch (NoteException | IllegalArgumentException e) {
      return new Verdict(true, false, "The witness's cosignature does not verify.");
    }
  }
}
