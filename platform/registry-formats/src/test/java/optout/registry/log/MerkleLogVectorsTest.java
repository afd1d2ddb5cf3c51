package optout.registry.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import optout.registry.log.MerkleVectors.ConsistencyVector;
import optout.registry.log.MerkleVectors.InclusionVector;
import org.junit.jupiter.api.Test;

/** The store-based log reproduces published roots, nodes and proofs exactly. */
class MerkleLogVectorsTest {

  @Test
  void eachAppendAnswersThePublishedRoot() {
    MerkleLog log = new MerkleLog(new InMemoryNodeStore());
    assertThat(log.treeHead()).isEqualTo(new TreeHead(0, MerkleVectors.root(0)));
    for (int i = 0; i < 8; i++) {
      TreeHead head = log.append(MerkleHashing.leafHash(MerkleVectors.leafInput(i)));
      assertThat(head).isEqualTo(new TreeHead(i + 1, MerkleVectors.root(i + 1)));
    }
  }

  @Test
  void everyEarlierRootCanBeRecomputedFromTheStore() {
    MerkleLog log = MerkleVectors.logOf(8);
    for (int size = 0; size <= 8; size++) {
      assertThat(log.root(size)).as("size %d", size).isEqualTo(MerkleVectors.root(size));
    }
  }

  @Test
  void theStoreHoldsExactlyThePublishedCompleteNodes() {
    InMemoryNodeStore store = new InMemoryNodeStore();
    MerkleLog log = new MerkleLog(store);
    for (int i = 0; i < 8; i++) {
      log.append(MerkleHashing.leafHash(MerkleVectors.leafInput(i)));
    }
    for (int level = 0; level < MerkleVectors.NODE_HASHES.size(); level++) {
      for (int index = 0; index < MerkleVectors.NODE_HASHES.get(level).size(); index++) {
        assertThat(store.node(level, index)).isEqualTo(MerkleVectors.node(level, index));
      }
    }
    assertThatThrownBy(() -> store.node(4, 0)).isInstanceOf(IllegalStateException.class);
    assertThat(log.leafHash(5)).isEqualTo(MerkleVectors.node(0, 5));
  }

  @Test
  void batchesGiveTheSameTreeAsSingleAppends() {
    List<Hash> leaves = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      leaves.add(MerkleHashing.leafHash(MerkleVectors.leafInput(i)));
    }
    InMemoryNodeStore store = new InMemoryNodeStore();
    MerkleLog log = new MerkleLog(store);
    assertThat(log.appendAll(leaves.subList(0, 3))).isEqualTo(new TreeHead(3, MerkleVectors.root(3)));
    assertThat(log.appendAll(leaves.subList(3, 8))).isEqualTo(new TreeHead(8, MerkleVectors.root(8)));
    assertThat(store.node(3, 0)).isEqualTo(MerkleVectors.node(3, 0));
    assertThat(new MerkleLog(new InMemoryNodeStore()).appendAll(leaves)).isEqualTo(new TreeHead(8, MerkleVectors.root(8)));
  }

  @Test
  void inclusionProofsAreThePublishedOnes() {
    MerkleLog log = MerkleVectors.logOf(8);
    for (InclusionVector vector : MerkleVectors.INCLUSION_PROOFS) {
      assertThat(log.inclusionProof(vector.leafIndex(), vector.treeSize()))
          .as("leaf %d of %d", vector.leafIndex(), vector.treeSize())
          .isEqualTo(new InclusionProof(vector.leafIndex(), vector.treeSize(), MerkleVectors.hashes(vector.path())));
    }
  }

  @Test
  void consistencyProofsAreThePublishedOnes() {
    MerkleLog log = MerkleVectors.logOf(8);
    for (ConsistencyVector vector : MerkleVectors.CONSISTENCY_PROOFS) {
      assertThat(log.consistencyProof(vector.size1(), vector.size2()))
          .as("%d to %d", vector.size1(), vector.size2())
          .isEqualTo(new ConsistencyProof(vector.size1(), vector.size2(), MerkleVectors.hashes(vector.path())));
    }
  }

  /**
   * RFC 6962 section 2.1.3 (and RFC 9162 section 2.1.5) state the proofs of a 7-leaf tree by node
   * label; the labels name the vector tree's nodes:
   *
   * <pre>
   *            hash
   *           /    \
   *          k      l
   *         / \    / \
   *        g   h  i   j
   *       /\  /\  /\  |
   *       a b c d e f d6
   * </pre>
   */
  @Test
  void theRfcExampleTreeHasTheProofsTheRfcStates() {
    Map<String, Hash> node = Map.ofEntries(
        Map.entry("a", MerkleVectors.node(0, 0)),
        Map.entry("b", MerkleVectors.node(0, 1)),
        Map.entry("c", MerkleVectors.node(0, 2)),
        Map.entry("d", MerkleVectors.node(0, 3)),
        Map.entry("e", MerkleVectors.node(0, 4)),
        Map.entry("f", MerkleVectors.node(0, 5)),
        Map.entry("j", MerkleVectors.node(0, 6)),
        Map.entry("g", MerkleVectors.node(1, 0)),
        Map.entry("h", MerkleVectors.node(1, 1)),
        Map.entry("i", MerkleVectors.node(1, 2)),
        Map.entry("k", MerkleVectors.node(2, 0)),
        Map.entry("l", MerkleHashing.nodeHash(MerkleVectors.node(1, 2), MerkleVectors.node(0, 6))));
    MerkleLog log = MerkleVectors.logOf(7);
    assertThat(log.root(7)).isEqualTo(MerkleHashing.nodeHash(node.get("k"), node.get("l"))).isEqualTo(MerkleVectors.root(7));

    // "The audit path for d0 is [b, h, l]. ... for d3 is [c, g, l]. ... for d4 is [f, j, k]. ... for d6 is [i, k]."
    assertThat(log.inclusionProof(0, 7).path()).containsExactly(node.get("b"), node.get("h"), node.get("l"));
    assertThat(log.inclusionProof(3, 7).path()).containsExactly(node.get("c"), node.get("g"), node.get("l"));
    assertThat(log.inclusionProof(4, 7).path()).containsExactly(node.get("f"), node.get("j"), node.get("k"));
    assertThat(log.inclusionProof(6, 7).path()).containsExactly(node.get("i"), node.get("k"));

    // "PROOF(3, D[7]) = [c, d, g, l]", "PROOF(4, D[7]) = [l]", "PROOF(6, D[7]) = [i, j, k]".
    assertThat(log.consistencyProof(3, 7).path()).containsExactly(node.get("c"), node.get("d"), node.get("g"), node.get("l"));
    assertThat(log.consistencyProof(4, 7).path()).containsExactly(node.get("l"));
    assertThat(log.consistencyProof(6, 7).path()).containsExactly(node.get("i"), node.get("j"), node.get("k"));
  }

  @Test
  void provesNothingAboutSizesItDoesNotHave() {
    MerkleLog log = MerkleVectors.logOf(8);
    assertThatThrownBy(() -> log.root(9))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot compute the root for a tree of 9 leaves: the log has 8");
    assertThatThrownBy(() -> log.root(-1)).hasMessageContaining("tree of -1 leaves");
    assertThatThrownBy(() -> log.inclusionProof(8, 8)).hasMessage("Cannot prove inclusion: leaf 8 is not in a tree of 8 leaves");
    assertThatThrownBy(() -> log.inclusionProof(0, 9)).hasMessage("Cannot prove inclusion for a tree of 9 leaves: the log has 8");
    assertThatThrownBy(() -> log.consistencyProof(5, 4)).hasMessage("Cannot prove consistency: size1 5 must be between 0 and size2 4");
    assertThatThrownBy(() -> log.leafHash(8)).hasMessage("Cannot read leaf 8: the log has 8 leaves");
    assertThatThrownBy(() -> log.appendAll(List.of())).hasMessage("Cannot append: no leaf hashes were given");
    assertThat(log.consistencyProof(0, 8).path()).isEmpty();
    assertThat(log.consistencyProof(8, 8).path()).isEmpty();
  }
}
