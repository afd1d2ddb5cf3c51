package optout.portal.citizen;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import optout.registry.log.Checkpoint;
import optout.registry.log.CheckpointVerifier;
import optout.registry.log.Ed25519CosignatureVerifier;
import optout.registry.log.Ed25519NoteVerifier;
import optout.registry.log.NoteException;
import org.springframework.core.env.Environment;
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

  WitnessedCheckpoints(Environment environment) {
    String origin = environment.getProperty("optout.portal.registry-log.origin", "localhost/nhi-optout-registry");
    String logKey = key(environment, "optout.portal.registry-log.verifier-key");
    String witnessKey = key(environment, "optout.portal.registry-log.witness-verifier-key");
    this.log = logKey == null ? null : new CheckpointVerifier(origin, Ed25519NoteVerifier.fromVerifierKey(logKey));
    this.witnessed = log == null || witnessKey == null ? null
        : log.requiringCosignatures(List.of(Ed25519CosignatureVerifier.fromVerifierKey(witnessKey)));
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

  private static String key(Environment environment, String property) {
    String key = environment.getProperty(property);
    String file = environment.getProperty(property + "-file");
    if ((key == null || key.isBlank()) && file != null && !file.isBlank()) {
      try {
        key = Files.readString(Path.of(file), StandardCharsets.US_ASCII);
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot read " + property + "-file", e);
      }
    }
    return key == null || key.isBlank() ? null : key.strip();
  }
}
