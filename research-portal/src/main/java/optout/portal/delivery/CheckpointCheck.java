package optout.portal.delivery;

import optout.portal.registrylog.RegistryLogProperties;
import optout.registry.log.Checkpoint;
import optout.registry.log.CheckpointVerifier;
import optout.registry.log.NoteException;

/**
 * Checks the registry checkpoint an extract's manifest names (origin, tree size, root hash) against the
 * signed checkpoint the registry publishes for that size, with registry-formats' verifier as every other
 * consumer does: the registry's log signature under the configured log key, the witness's cosignature
 * (c2sp.org/tlog-cosignature) under the configured witness key, and that the signed tree is the one the
 * manifest names. Each is reported on its own, so the page can say which failed. Plain Java.
 */
final class CheckpointCheck {

  /**
   * What the researcher is told. {@code origin}, {@code size} and {@code rootHash} are as the manifest names them;
   * {@code problem} says why it is not verified (null when it is).
   */
  record Verdict(String origin, Long size, String rootHash, boolean registrySignatureVerified, boolean witnessCosignatureVerified,
      boolean matchesManifest, String problem) {

    boolean verified() {
      return registrySignatureVerified && witnessCosignatureVerified && matchesManifest;
    }
  }

  private final CheckpointVerifier log;        // null: no log key configured
  private final CheckpointVerifier witnessed;  // null: no witness key configured

  /** @param logKey the registry's log verifier key (null: none configured); @param witnessKey the witness's (null: none) */
  CheckpointCheck(String origin, String logKey, String witnessKey) {
    this.log = RegistryLogProperties.logVerifier(origin, logKey);
    this.witnessed = RegistryLogProperties.witnessed(log, witnessKey);
  }

  /**
   * @param origin, size, rootHash what the manifest names (any may be null if it names none)
   * @param signedCheckpoint the registry's signed checkpoint of that size, or null if it could not be had
   */
  Verdict check(String origin, Long size, String rootHash, String signedCheckpoint) {
    if (origin == null || size == null || rootHash == null) {
      return new Verdict(origin, size, rootHash, false, false, false, "The manifest names no registry checkpoint.");
    }
    if (log == null) {
      return new Verdict(origin, size, rootHash, false, false, false, "No registry log key is configured: the checkpoint cannot be checked.");
    }
    if (signedCheckpoint == null) {
      return new Verdict(origin, size, rootHash, false, false, false, "The registry's signed checkpoint " + size + " could not be fetched.");
    }
    Checkpoint signed;
    try {
      signed = log.verify(signedCheckpoint);
    } catch (NoteException | IllegalArgumentException e) {
      return new Verdict(origin, size, rootHash, false, false, false, "The registry's signature does not verify: " + reason(e));
    }
    boolean matches = signed.origin().equals(origin) && signed.size() == size && signed.rootHash().base64().equals(rootHash);
    String problem = matches ? null : "The registry signed another tree than the manifest names (size " + signed.size() + ").";
    boolean cosigned = false;
    if (witnessed == null) {
      problem = problem != null ? problem : "No witness key is configured: the checkpoint's cosignature cannot be checked.";
    } else {
      try {
        witnessed.verify(signedCheckpoint);
        cosigned = true;
      } catch (NoteException | IllegalArgumentException e) {
        problem = problem != null ? problem : "The witness's cosignature does not verify: " + reason(e);
      }
    }
    return new Verdict(origin, size, rootHash, true, cosigned, matches, problem);
  }

  private static String reason(Exception e) {
    return e instanceof NoteException note ? note.reason().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-') : "malformed";
  }
}
