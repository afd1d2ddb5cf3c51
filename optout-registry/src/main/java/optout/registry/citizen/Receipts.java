package optout.registry.citizen;

import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import optout.registry.event.EventLeaf;
import optout.registry.event.store.StoredEvent;
import optout.registry.log.Hash;
import optout.registry.log.MerkleLog;
import optout.registry.transparency.PublishedCheckpoints;
import org.springframework.stereotype.Component;

/**
 * A receipt for one event: the leaf exactly as logged, the salt that opens the person's commitment in
 * it, and the inclusion proof of the leaf in the latest published checkpoint (with a witness: the newest one it
 * cosigned, with the cosignature, so that a citizen's receipt verifies against the witness too). With the verifier key, anyone
 * holding it can check, without our code, that the registry logged this event and cannot quietly drop
 * it later.
 */
@Component
public class Receipts {

  /** What a receipt holds; {@code checkpoint} is the signed note the proof leads to. */
  public record Receipt(long logIndex, String leaf, String leafHash, String personSalt, long treeSize, List<String> inclusionProof,
      String checkpoint) {}

  private final MerkleLog merkle;
  private final PublishedCheckpoints checkpoints;

  Receipts(MerkleLog merkle, PublishedCheckpoints checkpoints) {
    this.merkle = merkle;
    this.checkpoints = checkpoints;
  }

  /** The receipt, or empty while the event waits for its place in a signed checkpoint (about a second). */
  public Optional<Receipt> of(StoredEvent stored) {
    if (stored.logIndex().isEmpty()) {
      return Optional.empty();
    }
    long index = stored.logIndex().getAsLong();
    return checkpoints.latest().filter(c -> c.treeSize() > index).map(checkpoint -> {
      byte[] leaf = EventLeaf.encode(stored.event());
      return new Receipt(index, Base64.getEncoder().encodeToString(leaf),
          optout.registry.log.MerkleHashing.leafHash(leaf).base64(),
          HexFormat.of().formatHex(stored.event().personSalt()), checkpoint.treeSize(),
          merkle.inclusionProof(index, checkpoint.treeSize()).path().stream().map(Hash::base64).toList(),
          checkpoint.signedNote());
    });
  }
}
