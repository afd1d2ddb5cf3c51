package optout.registry.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The store-based log against the RFC's recursive definitions ({@link ReferenceTree}), on seeded
 * random leaves: every root and inclusion proof for all sizes up to 300 and all leaves, every
 * consistency proof for all pairs of sizes up to 100, each verified, and tampered copies refused.
 */
class MerkleLogRandomizedTest {

  private static final long SEED = 0x6f70746f7574L; // "optout"
  private static final int MAX_SIZE = 300;
  private static final int MAX_CONSISTENCY_SIZE = 100;

  private static List<Hash> leaves;
  private static ReferenceTree reference;
  private static MerkleLog singly;
  private static MerkleLog batched;

  @BeforeAll
  static void buildTrees() {
    Random random = new Random(SEED);
    leaves = new ArrayList<>();
    for (int i = 0; i < MAX_SIZE; i++) {
      byte[] entry = new byte[random.nextInt(64)];
      random.nextBytes(entry);
      leaves.add(MerkleHashing.leafHash(entry));
    }
    reference = new ReferenceTree(leaves);
    singly = new MerkleLog(new InMemoryNodeStore());
    for (Hash leaf : leaves) {
      singly.append(leaf);
    }
    batched = new MerkleLog(new InMemoryNodeStore());
    for (int start = 0; start < MAX_SIZE; ) {
      int end = Math.min(MAX_SIZE, start + 1 + random.nextInt(17));
      TreeHead head = batched.appendAll(leaves.subList(start, end));
      assertThat(head).isEqualTo(new TreeHead(end, reference.mth(0, end)));
      start = end;
    }
  }

  @Test
  void everyRootMatchesTheDefinition() {
    for (int size = 0; size <= MAX_SIZE; size++) {
      Hash expected = reference.mth(0, size);
      assertThat(singly.root(size)).as("size %d", size).isEqualTo(expected);
      assertThat(batched.root(size)).as("size %d, batched", size).isEqualTo(expected);
    }
  }

  @Test
  void everyInclusionProofMatchesTheDefinitionAndVerifies() throws ProofException {
    for (int size = 1; size <= MAX_SIZE; size++) {
      Hash root = reference.mth(0, size);
      for (int index = 0; index < size; index++) {
        InclusionProof proof = singly.inclusionProof(index, size);
        assertThat(proof.path()).as("leaf %d of %d", index, size).isEqualTo(reference.path(index, size));
        ProofVerifier.verifyInclusion(leaves.get(index), proof, root);
      }
      assertThat(batched.inclusionProof(size - 1, size)).isEqualTo(singly.inclusionProof(size - 1, size));
    }
  }

  @Test
  void everyConsistencyProofMatchesTheDefinitionAndVerifies() throws ProofException {
    for (int size2 = 0; size2 <= MAX_CONSISTENCY_SIZE; size2++) {
      for (int size1 = 0; size1 <= size2; size1++) {
        ConsistencyProof proof = singly.consistencyProof(size1, size2);
        List<Hash> expected = size1 == 0 || size1 == size2 ? List.of() : reference.proof(size1, size2);
        assertThat(proof.path()).as("%d to %d", size1, size2).isEqualTo(expected);
        assertThat(batched.consistencyProof(size1, size2)).isEqualTo(proof);
        ProofVerifier.verifyConsistency(proof, reference.mth(0, size1), reference.mth(0, size2));
      }
    }
  }

  @Test
  void tamperedInclusionProofsFail() {
    Random random = new Random(SEED + 1);
    for (int size = 2; size <= MAX_SIZE; size++) {
      int index = random.nextInt(size);
      Hash leaf = leaves.get(index);
      Hash root = reference.mth(0, size);
      List<Hash> path = singly.inclusionProof(index, size).path();
      int position = random.nextInt(path.size());
      String what = "leaf " + index + " of " + size;

      assertInclusionFails(what + ", flipped bit", leaf, index, size, flipRandomBit(path, position, random), root);
      assertInclusionFails(what + ", missing hash", leaf, index, size, without(path, position), root);
      assertInclusionFails(what + ", extra hash", leaf, index, size, ProofVerifierTest.with(path, p -> p.add(position, root)), root);
      assertInclusionFails(what + ", other index", leaf, otherIndex(index, size, random), size, path, root);
      // A tree size means something only with its own root: both come from one checkpoint. (With the
      // old root, a larger size whose path to this leaf has the same shape would verify.)
      int otherSize = index + 1 + random.nextInt(MAX_SIZE - index);
      if (otherSize != size) {
        assertInclusionFails(what + ", size " + otherSize, leaf, index, otherSize, path, reference.mth(0, otherSize));
      }
      if (path.size() > 1) {
        assertInclusionFails(what + ", swapped", leaf, index, size, swapped(path, random), root);
      }
    }
  }

  @Test
  void tamperedConsistencyProofsFail() {
    Random random = new Random(SEED + 2);
    for (int size2 = 2; size2 <= MAX_CONSISTENCY_SIZE; size2++) {
      for (int size1 = 1; size1 < size2; size1++) {
        Hash root1 = reference.mth(0, size1);
        Hash root2 = reference.mth(0, size2);
        List<Hash> path = singly.consistencyProof(size1, size2).path();
        int position = random.nextInt(path.size());
        String what = size1 + " to " + size2;

        assertConsistencyFails(what + ", flipped bit", size1, size2, flipRandomBit(path, position, random), root1, root2);
        assertConsistencyFails(what + ", missing hash", size1, size2, without(path, position), root1, root2);
        assertConsistencyFails(what + ", extra hash", size1, size2, ProofVerifierTest.with(path, p -> p.add(position, root2)), root1, root2);
        assertConsistencyFails(what + ", other root1", size1, size2, path, reference.mth(0, size1 - 1), root2);
        assertConsistencyFails(what + ", other root2", size1, size2, path, root1, reference.mth(0, size2 - 1));
        if (path.size() > 1) {
          assertConsistencyFails(what + ", swapped", size1, size2, swapped(path, random), root1, root2);
        }
      }
    }
  }

  private static void assertInclusionFails(String what, Hash leaf, long index, long size, List<Hash> path, Hash root) {
    assertThatThrownBy(() -> ProofVerifier.verifyInclusion(leaf, index, size, path, root)).as(what).isInstanceOf(ProofException.class);
  }

  private static void assertConsistencyFails(String what, long size1, long size2, List<Hash> path, Hash root1, Hash root2) {
    assertThatThrownBy(() -> ProofVerifier.verifyConsistency(size1, size2, path, root1, root2)).as(what).isInstanceOf(ProofException.class);
  }

  private static List<Hash> flipRandomBit(List<Hash> path, int position, Random random) {
    byte[] bytes = path.get(position).bytes();
    bytes[random.nextInt(Hash.LENGTH)] ^= (byte) (1 << random.nextInt(8));
    return ProofVerifierTest.with(path, p -> p.set(position, Hash.of(bytes)));
  }

  private static List<Hash> without(List<Hash> path, int position) {
    return ProofVerifierTest.with(path, p -> p.remove(position));
  }

  /** Two different positions swapped (their hashes always differ in these trees). */
  private static List<Hash> swapped(List<Hash> path, Random random) {
    int first = random.nextInt(path.size());
    int second = (first + 1 + random.nextInt(path.size() - 1)) % path.size();
    return ProofVerifierTest.with(path, p -> Collections.swap(p, first, second));
  }

  private static long otherIndex(int index, int size, Random random) {
    return (index + 1 + random.nextInt(size - 1)) % size;
  }

  @Test
  void aProofForAnOldSizeStillVerifiesAgainstTheOldRoot() {
    // Proofs are served for any size ever checkpointed, not only the current one.
    InclusionProof old = singly.inclusionProof(17, 42);
    assertThatCode(() -> ProofVerifier.verifyInclusion(leaves.get(17), old, reference.mth(0, 42))).doesNotThrowAnyException();
    assertThatThrownBy(() -> ProofVerifier.verifyInclusion(leaves.get(17), old, reference.mth(0, MAX_SIZE)))
        .isInstanceOf(ProofException.class);
  }
}
