package optout.warehouse.extract;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import optout.registry.log.Checkpoint;
import optout.registry.log.CheckpointVerifier;
import optout.registry.log.Ed25519CosignatureVerifier;
import optout.registry.log.Ed25519NoteVerifier;
import optout.registry.log.NoteException;
import optout.registry.snapshot.ExclusionSnapshot;
import optout.registry.snapshot.Manifest;
import optout.registry.snapshot.ManifestException;
import optout.registry.snapshot.SnapshotSummary;

/**
 * An exclusion snapshot checked before any extract relies on it: the manifest's signature under the
 * log's key, that the log signed the checkpoint the manifest names (and, when witnesses are configured,
 * that each of them cosigned it), and the file against the manifest
 * (its SHA-256, count and set hash, every value in range and order). Only then does it become an
 * {@link ExclusionInput}.
 */
public final class VerifiedSnapshots {

  private VerifiedSnapshots() {}

  /** A snapshot that does not hold, with the reason. */
  public static final class UnverifiedSnapshotException extends Exception {
    public UnverifiedSnapshotException(String message) {
      super(message);
    }

    public UnverifiedSnapshotException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * @param logOrigin the log's origin line, as configured (not taken from the files being checked)
   * @param verifierKey the log's note verifier key, as configured or fetched from the registry
   */
  public static ExclusionInput verify(Path parquet, String signedManifest, String signedCheckpoint, String logOrigin, String verifierKey)
      throws IOException, UnverifiedSnapshotException {
    return verify(parquet, signedManifest, signedCheckpoint, logOrigin, verifierKey, List.of());
  }

  /**
   * As above, and the checkpoint must carry a valid cosignature by each of these witnesses (their
   * cosignature verifier keys, as configured): a checkpoint no witness vouched for is refused.
   */
  public static ExclusionInput verify(Path parquet, String signedManifest, String signedCheckpoint, String logOrigin, String verifierKey,
      List<String> witnessKeys) throws IOException, UnverifiedSnapshotException {
    try {
      Ed25519NoteVerifier logKey = Ed25519NoteVerifier.fromVerifierKey(verifierKey.strip());
      Manifest manifest = Manifest.verify(signedManifest, logKey);
      Checkpoint published = checkpointVerifier(logOrigin, logKey, witnessKeys).verify(signedCheckpoint);
      manifest.requireCheckpoint(published);
      SnapshotSummary summary = ExclusionSnapshot.verify(parquet, manifest);
      Checkpoint checkpoint = manifest.description().checkpoint();
      return new ExclusionInput(parquet, manifest.description().purpose(), checkpoint.origin(), checkpoint.size(),
          checkpoint.rootHash().base64(), summary.setSha256().hex(), summary.count(), summary.fileSha256().hex(), manifest.warehouseKeyVersion());
    } catch (ManifestException | NoteException | IllegalArgumentException e) {
      throw new UnverifiedSnapshotException("The exclusion snapshot cannot be trusted: " + e.getMessage(), e);
    }
  }

  /** The log's checkpoints, cosigned by each of these witnesses (none: the log's signature alone). */
  public static CheckpointVerifier checkpointVerifier(String logOrigin, Ed25519NoteVerifier logKey, List<String> witnessKeys) {
    List<Ed25519CosignatureVerifier> witnesses = witnessKeys.stream().map(key -> Ed25519CosignatureVerifier.fromVerifierKey(key.strip())).toList();
    CheckpointVerifier log = new CheckpointVerifier(logOrigin, logKey);
    return witnesses.isEmpty() ? log : log.requiringCosignatures(witnesses);
  }
}
