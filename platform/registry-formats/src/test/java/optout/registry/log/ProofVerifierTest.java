package optout.registry.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;
import optout.registry.log.MerkleVectors.ConsistencyVector;
import optout.registry.log.MerkleVectors.InclusionVector;
import org.junit.jupiter.api.Test;

/**
 * Verification of the published proofs (transparency-dev/merkle, see {@link MerkleVectors}), used as
 * data rather than generated, and of every tampering that transparency-dev/merkle's verify_test.go
 * probes (wrong index, wrong size, wrong leaf or root, extra or missing hashes, flipped bits),
 * plus swapped order.
 */
class ProofVerifierTest {

  /** An arbitrary hash, as in verify_test.go's sha256SomeHash. */
  private static final Hash SOME_HASH = Hash.fromHex("abacaba000000000000000000000000000000000000000000060061e00123456");

  @Test
  void everyPublishedInclusionProofVerifies() {
    for (InclusionVector vector : MerkleVectors.INCLUSION_PROOFS) {
      Hash leaf = MerkleVectors.node(0, (int) vector.leafIndex());
      assertThatCode(() -> ProofVerifier.verifyInclusion(leaf, vector.leafIndex(), vector.treeSize(),
          MerkleVectors.hashes(vector.path()), MerkleVectors.root((int) vector.treeSize())))
          .as("leaf %d of %d", vector.leafIndex(), vector.treeSize())
          .doesNotThrowAnyException();
    }
  }

  @Test
  void everyPublishedConsistencyProofVerifies() {
    for (ConsistencyVector vector : MerkleVectors.CONSISTENCY_PROOFS) {
      assertThatCode(() -> ProofVerifier.verifyConsistency(vector.size1(), vector.size2(), MerkleVectors.hashes(vector.path()),
          MerkleVectors.root((int) vector.size1()), MerkleVectors.root((int) vector.size2())))
          .as("%d to %d", vector.size1(), vector.size2())
          .doesNotThrowAnyException();
    }
  }

  @Test
  void everyTamperedInclusionProofFails() {
    for (InclusionVector vector : MerkleVectors.INCLUSION_PROOFS) {
      long index = vector.leafIndex();
      long size = vector.treeSize();
      List<Hash> path = MerkleVectors.hashes(vector.path());
      Hash root = MerkleVectors.root((int) size);
      Hash leaf = MerkleVectors.node(0, (int) index);
      String what = "leaf " + index + " of " + size + ": ";

      assertInclusionFails(what + "index - 1", leaf, index - 1, size, path, root);
      assertInclusionFails(what + "index + 1", leaf, index + 1, size, path, root);
      assertInclusionFails(what + "index ^ 2", leaf, index ^ 2, size, path, root);
      assertInclusionFails(what + "size * 2", leaf, index, size * 2, path, root);
      assertInclusionFails(what + "size / 2", leaf, index, size / 2, path, root);
      assertInclusionFails(what + "wrong leaf", SOME_HASH, index, size, path, root);
      assertInclusionFails(what + "empty root", leaf, index, size, path, MerkleHashing.emptyRoot());
      assertInclusionFails(what + "random root", leaf, index, size, path, SOME_HASH);
      assertInclusionFails(what + "trailing root", leaf, index, size, with(path, p -> p.add(root)), root);
      assertInclusionFails(what + "preceding root", leaf, index, size, with(path, p -> p.add(0, root)), root);
      for (int i = 0; i < path.size(); i++) {
        int position = i;
        assertInclusionFails(what + "flipped bit in hash " + i, leaf, index, size, with(path, p -> p.set(position, flipBit(p.get(position)))), root);
      }
      if (!path.isEmpty()) {
        assertInclusionFails(what + "removed hash", leaf, index, size, path.subList(0, path.size() - 1), root);
      }
      if (path.size() > 1) {
        assertInclusionFails(what + "inserted hash", leaf, index, size, with(path, p -> p.add(1, SOME_HASH)), root);
        assertInclusionFails(what + "swapped order", leaf, index, size, with(path, Collections::reverse), root);
      }
    }
  }

  @Test
  void everyTamperedConsistencyProofFails() {
    for (ConsistencyVector vector : MerkleVectors.CONSISTENCY_PROOFS) {
      long size1 = vector.size1();
      long size2 = vector.size2();
      List<Hash> path = MerkleVectors.hashes(vector.path());
      if (path.isEmpty()) {
        continue; // the trivial proof; tampering it is tested below
      }
      Hash root1 = MerkleVectors.root((int) size1);
      Hash root2 = MerkleVectors.root((int) size2);
      String what = size1 + " to " + size2 + ": ";

      assertConsistencyFails(what + "size1 - 1", size1 - 1, size2, path, root1, root2);
      assertConsistencyFails(what + "size1 + 1", size1 + 1, size2, path, root1, root2);
      assertConsistencyFails(what + "size1 ^ 2", size1 ^ 2, size2, path, root1, root2);
      assertConsistencyFails(what + "size2 * 2", size1, size2 * 2, path, root1, root2);
      assertConsistencyFails(what + "size2 / 2", size1, size2 / 2, path, root1, root2);
      assertConsistencyFails(what + "wrong root1", size1, size2, path, SOME_HASH, root2);
      assertConsistencyFails(what + "wrong root2", size1, size2, path, root1, SOME_HASH);
      assertConsistencyFails(what + "swapped roots", size1, size2, path, root2, root1);
      assertConsistencyFails(what + "empty proof", size1, size2, List.of(), root1, root2);
      assertConsistencyFails(what + "trailing root1", size1, size2, with(path, p -> p.add(root1)), root1, root2);
      assertConsistencyFails(what + "trailing root2", size1, size2, with(path, p -> p.add(root2)), root1, root2);
      assertConsistencyFails(what + "preceding root1", size1, size2, with(path, p -> p.add(0, root1)), root1, root2);
      assertConsistencyFails(what + "preceding root2", size1, size2, with(path, p -> p.add(0, root2)), root1, root2);
      assertConsistencyFails(what + "preceding proof[0]", size1, size2, with(path, p -> p.add(0, p.get(0))), root1, root2);
      assertConsistencyFails(what + "truncated", size1, size2, path.subList(0, path.size() - 1), root1, root2);
      for (int i = 0; i < path.size(); i++) {
        int position = i;
        assertConsistencyFails(what + "flipped bit in hash " + i, size1, size2, with(path, p -> p.set(position, flipBit(p.get(position)))), root1, root2);
      }
      if (path.size() > 1) {
        assertConsistencyFails(what + "swapped order", size1, size2, with(path, Collections::reverse), root1, root2);
      }
    }
  }

  @Test
  void inclusionFailuresSayExactlyWhatIsWrong() {
    Hash leaf = MerkleVectors.node(0, 4);
    Hash root = MerkleVectors.root(7);
    List<Hash> path = MerkleVectors.logOf(7).inclusionProof(4, 7).path();
    assertThatThrownBy(() -> ProofVerifier.verifyInclusion(leaf, 4, 7, path.subList(0, 2), root))
        .isInstanceOf(ProofException.class)
        .hasMessage("Cannot verify inclusion: the proof has 2 hashes, a tree of 7 needs 3 for leaf 4");
    assertThatThrownBy(() -> ProofVerifier.verifyInclusion(leaf, 7, 7, path, root))
        .hasMessage("Cannot verify inclusion: leaf index 7 is not below the tree size 7");
    assertThatThrownBy(() -> ProofVerifier.verifyInclusion(leaf, -1, 7, path, root))
        .hasMessage("Cannot verify inclusion: the leaf index -1 is negative");
    assertThatThrownBy(() -> ProofVerifier.verifyInclusion(leaf, 0, 0, List.of(), root))
        .hasMessage("Cannot verify inclusion: leaf index 0 is not below the tree size 0");
    assertThatThrownBy(() -> ProofVerifier.verifyInclusion(MerkleVectors.node(0, 3), 4, 7, path, root))
        .hasMessageStartingWith("Cannot verify inclusion: the proof for leaf 4 in a tree of 7 leads to root ")
        .hasMessageEndingWith(", not to the expected " + root.hex());
  }

  @Test
  void consistencyFailuresSayExactlyWhatIsWrong() {
    Hash root3 = MerkleVectors.root(3);
    Hash root7 = MerkleVectors.root(7);
    List<Hash> path = MerkleVectors.logOf(7).consistencyProof(3, 7).path();
    assertThatThrownBy(() -> ProofVerifier.verifyConsistency(3, 7, path.subList(1, 4), root3, root7))
        .isInstanceOf(ProofException.class)
        .hasMessage("Cannot verify consistency: the proof has 3 hashes, trees of 3 and 7 need 4");
    assertThatThrownBy(() -> ProofVerifier.verifyConsistency(7, 3, path, root7, root3))
        .hasMessage("Cannot verify consistency: the first tree (7 leaves) is larger than the second (3); a log only grows");
    assertThatThrownBy(() -> ProofVerifier.verifyConsistency(3, 7, path, SOME_HASH, root7))
        .hasMessageStartingWith("Cannot verify consistency: the proof from 3 to 7 leads to the first root ");
    assertThatThrownBy(() -> ProofVerifier.verifyConsistency(3, 7, path, root3, SOME_HASH))
        .hasMessageStartingWith("Cannot verify consistency: the proof from 3 to 7 leads to the second root ");
    assertThatThrownBy(() -> ProofVerifier.verifyConsistency(-1, 7, path, root3, root7))
        .hasMessage("Cannot verify consistency: the sizes -1 and 7 must not be negative");
  }

  /** The two cases RFC 9162 leaves out: equal sizes, and growing from the empty tree. */
  @Test
  void trivialConsistencyNeedsAnEmptyProofAndMatchingRoots() throws ProofException {
    Hash root7 = MerkleVectors.root(7);
    ProofVerifier.verifyConsistency(7, 7, List.of(), root7, root7);
    ProofVerifier.verifyConsistency(0, 7, List.of(), MerkleHashing.emptyRoot(), root7);
    ProofVerifier.verifyConsistency(0, 0, List.of(), MerkleHashing.emptyRoot(), MerkleHashing.emptyRoot());

    assertThatThrownBy(() -> ProofVerifier.verifyConsistency(7, 7, List.of(), root7, SOME_HASH))
        .hasMessage("Cannot verify consistency: two trees of 7 leaves have different roots " + root7.hex() + " and " + SOME_HASH.hex());
    assertThatThrownBy(() -> ProofVerifier.verifyConsistency(7, 7, List.of(root7), root7, root7))
        .hasMessage("Cannot verify consistency: the proof has 1 hash, trees of 7 and 7 need none");
    assertThatThrownBy(() -> ProofVerifier.verifyConsistency(0, 7, List.of(), SOME_HASH, root7))
        .hasMessageStartingWith("Cannot verify consistency: the first root " + SOME_HASH.hex() + " is not the root of the empty tree");
    assertThatThrownBy(() -> ProofVerifier.verifyConsistency(0, 0, List.of(), SOME_HASH, SOME_HASH))
        .hasMessageContaining("is not the root of the empty tree");
    assertThatThrownBy(() -> ProofVerifier.verifyConsistency(0, 7, List.of(root7), MerkleHashing.emptyRoot(), root7))
        .hasMessage("Cannot verify consistency: the proof has 1 hash, trees of 0 and 7 need none");
  }

  /** verify_test.go TestVerifyInclusionSingleEntry: in a tree of one leaf, the root is the leaf hash. */
  @Test
  void aSingleLeafIsItsOwnRoot() throws ProofException {
    Hash leaf = MerkleHashing.leafHash("data".getBytes(StandardCharsets.UTF_8));
    ProofVerifier.verifyInclusion(leaf, 0, 1, List.of(), leaf);
    assertThatThrownBy(() -> ProofVerifier.verifyInclusion(leaf, 0, 1, List.of(), SOME_HASH)).isInstanceOf(ProofException.class);
    assertThatThrownBy(() -> ProofVerifier.verifyInclusion(SOME_HASH, 0, 1, List.of(), leaf)).isInstanceOf(ProofException.class);
  }

  @Test
  void theRecordOverloadsCheckTheSameThing() throws ProofException {
    MerkleLog log = MerkleVectors.logOf(8);
    ProofVerifier.verifyInclusion(MerkleVectors.node(0, 5), log.inclusionProof(5, 8), MerkleVectors.root(8));
    ProofVerifier.verifyConsistency(log.consistencyProof(6, 8), MerkleVectors.root(6), MerkleVectors.root(8));
    assertThatThrownBy(() -> ProofVerifier.verifyConsistency(log.consistencyProof(6, 8), MerkleVectors.root(5), MerkleVectors.root(8)))
        .isInstanceOf(ProofException.class);
  }

  @Test
  void proofLengthsMatchTheTreeShape() {
    // The RFC 6962 example: PATH lengths 3, 3, 3, 2 for d0, d3, d4, d6 of 7; PROOF lengths 4, 1, 3 from 3, 4, 6 to 7.
    assertThat(ProofVerifier.inclusionPathLength(0, 7)).isEqualTo(3);
    assertThat(ProofVerifier.inclusionPathLength(3, 7)).isEqualTo(3);
    assertThat(ProofVerifier.inclusionPathLength(4, 7)).isEqualTo(3);
    assertThat(ProofVerifier.inclusionPathLength(6, 7)).isEqualTo(2);
    assertThat(ProofVerifier.inclusionPathLength(0, 1)).isEqualTo(0);
    assertThat(ProofVerifier.consistencyPathLength(3, 7)).isEqualTo(4);
    assertThat(ProofVerifier.consistencyPathLength(4, 7)).isEqualTo(1);
    assertThat(ProofVerifier.consistencyPathLength(6, 7)).isEqualTo(3);
    assertThat(ProofVerifier.inclusionPathLength(Long.MAX_VALUE - 1, Long.MAX_VALUE)).isEqualTo(62);
  }

  private static void assertInclusionFails(String what, Hash leaf, long index, long size, List<Hash> path, Hash root) {
    assertThatThrownBy(() -> ProofVerifier.verifyInclusion(leaf, index, size, path, root))
        .as(what)
        .isInstanceOf(ProofException.class)
        .hasMessageStartingWith("Cannot verify inclusion: ");
  }

  private static void assertConsistencyFails(String what, long size1, long size2, List<Hash> path, Hash root1, Hash root2) {
    assertThatThrownBy(() -> ProofVerifier.verifyConsistency(size1, size2, path, root1, root2))
        .as(what)
        .isInstanceOf(ProofException.class)
        .hasMessageStartingWith("Cannot verify consistency: ");
  }

  static List<Hash> with(List<Hash> path, Consumer<List<Hash>> change) {
    List<Hash> copy = new ArrayList<>(path);
    change.accept(copy);
    return copy;
  }

  static Hash flipBit(Hash hash) {
    byte[] bytes = hash.bytes();
    bytes[0] ^= 8;
    return Hash.of(bytes);
  }
}
