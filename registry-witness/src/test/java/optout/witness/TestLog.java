package optout.witness;

import java.util.ArrayList;
import java.util.List;
import optout.registry.log.Checkpoint;
import optout.registry.log.CheckpointSigner;
import optout.registry.log.Ed25519NoteSigner;
import optout.registry.log.Hash;
import optout.registry.log.InMemoryNodeStore;
import optout.registry.log.MerkleHashing;
import optout.registry.log.MerkleLog;

/** A log for the tests: leaves "leaf i", checkpoints signed with its own key, consistency proofs. */
public final class TestLog {

  private final String origin;
  private final Ed25519NoteSigner key;
  private final MerkleLog tree = new MerkleLog(new InMemoryNodeStore());
  private final String prefix;

  /** A log whose leaves are {@code prefix + i}: two prefixes, two histories under the same key. */
  public TestLog(String origin, Ed25519NoteSigner key, String prefix) {
    this.origin = origin;
    this.key = key;
    this.prefix = prefix;
  }

  public TestLog growTo(long size) {
    List<Hash> leaves = new ArrayList<>();
    for (long i = tree.size(); i < size; i++) {
      leaves.add(MerkleHashing.leafHash((prefix + i).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }
    if (!leaves.isEmpty()) {
      tree.appendAll(leaves);
    }
    return this;
  }

  public Checkpoint checkpoint(long size) {
    return Checkpoint.of(origin, new optout.registry.log.TreeHead(size, tree.root(size)));
  }

  public String signed(long size) {
    return new CheckpointSigner(key).sign(checkpoint(size)).encoded();
  }

  public List<Hash> proof(long from, long to) {
    return from == 0 || from == to ? List.of() : tree.consistencyProof(from, to).path();
  }

  public Ed25519NoteSigner key() {
    return key;
  }
}
