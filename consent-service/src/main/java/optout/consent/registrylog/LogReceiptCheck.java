package optout.consent.registrylog;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import optout.registry.log.Checkpoint;
import optout.registry.log.CheckpointVerifier;
import optout.registry.log.Hash;
import optout.registry.log.MerkleHashing;
import optout.registry.log.NoteException;
import optout.registry.log.ProofException;
import optout.registry.log.ProofVerifier;

/**
 * Whether the registry's log receipt for a delivered filing proves that the registry logged this filing
 * as sealed: the checkpoint is signed by the pinned log key (and whoever else the verifier demands), the
 * leaf is included in it, and the leaf states the filing's event ID, kind and sealed form's SHA-256.
 * Plain Java: the registry's answer in, a verdict out.
 */
public final class LogReceiptCheck {

  /** The registry's answer to {@code GET /api/v1/filings/{id}/log-receipt}. */
  public record LogReceipt(UUID id, long logIndex, String leaf, String leafHash, long treeSize, List<String> inclusionProof,
      String checkpoint) {}

  /** What this service knows of the filing it delivered. */
  public record Expected(UUID eventId, String registryType, String formSha256) {}

  /** A receipt that proved the filing: its place and the verified checkpoint. */
  public record Proven(long logIndex, Hash leafHash, Checkpoint checkpoint, String signedCheckpoint) {}

  /** A receipt that does not prove the filing; the message says what failed. */
  public static final class InvalidLogReceiptException extends Exception {
    InvalidLogReceiptException(String message) {
      super(message);
    }
  }

  private final CheckpointVerifier verifier;

  public LogReceiptCheck(CheckpointVerifier verifier) {
    this.verifier = Objects.requireNonNull(verifier, "Cannot check log receipts without a checkpoint verifier");
  }

  public Proven check(LogReceipt receipt, Expected expected) throws InvalidLogReceiptException {
    Checkpoint checkpoint;
    try {
      checkpoint = verifier.verify(receipt.checkpoint());
    } catch (NoteException | RuntimeException e) {
      throw new InvalidLogReceiptException("its checkpoint does not verify: " + e.getMessage());
    }
    if (checkpoint.size() != receipt.treeSize() || receipt.logIndex() < 0 || receipt.logIndex() >= checkpoint.size()) {
      throw new InvalidLogReceiptException("it places leaf " + receipt.logIndex() + " in a tree of " + receipt.treeSize()
          + " leaves, its checkpoint has " + checkpoint.size());
    }
    byte[] leaf;
    List<Hash> path = new ArrayList<>();
    try {
      leaf = Base64.getDecoder().decode(receipt.leaf());
      for (String node : receipt.inclusionProof()) {
        path.add(Hash.fromBase64(node));
      }
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new InvalidLogReceiptException("its leaf or proof is not well-formed base64");
    }
    Hash leafHash = MerkleHashing.leafHash(leaf);
    if (!leafHash.base64().equals(receipt.leafHash())) {
      throw new InvalidLogReceiptException("its leaf hash is not the hash of its leaf");
    }
    try {
      ProofVerifier.verifyInclusion(leafHash, receipt.logIndex(), checkpoint.size(), path, checkpoint.rootHash());
    } catch (ProofException e) {
      throw new InvalidLogReceiptException("its leaf is not proven included in the checkpoint: " + e.getMessage());
    }
    Map<String, String> lines = lines(leaf);
    requireLine(lines, "id", expected.eventId().toString());
    requireLine(lines, "type", expected.registryType());
    requireLine(lines, "document", expected.formSha256());
    return new Proven(receipt.logIndex(), leafHash, checkpoint, receipt.checkpoint());
  }

  /** The leaf's {@code name value} lines (the registry's event leaf format, versions 1 and 2). */
  private static Map<String, String> lines(byte[] leaf) throws InvalidLogReceiptException {
    String text = new String(leaf, StandardCharsets.UTF_8);
    String[] all = text.split("\n", -1);
    if (all.length < 2 || !all[0].startsWith("nhi-optout-registry-event/") || !text.endsWith("\n")) {
      throw new InvalidLogReceiptException("its leaf is not a registry event");
    }
    Map<String, String> lines = new HashMap<>();
    for (int i = 1; i < all.length - 1; i++) {
      int space = all[i].indexOf(' ');
      if (space <= 0 || lines.putIfAbsent(all[i].substring(0, space), all[i].substring(space + 1)) != null) {
        throw new InvalidLogReceiptException("its leaf has a malformed or repeated line " + (i + 1));
      }
    }
    return lines;
  }

  private static void requireLine(Map<String, String> lines, String name, String expected) throws InvalidLogReceiptException {
    if (!expected.equals(lines.get(name))) {
      throw new InvalidLogReceiptException("its leaf's " + name + " is " + lines.getOrDefault(name, "missing") + ", the filing's is " + expected);
    }
  }
}
