package optout.registry.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Hashing against the transparency-dev/merkle vectors (see {@link MerkleVectors}). */
class MerkleHashingTest {

  @Test
  void leafHashesAreTheLevelZeroNodesOfTheVectors() {
    for (int i = 0; i < 8; i++) {
      assertThat(MerkleHashing.leafHash(MerkleVectors.leafInput(i))).as("leaf %d", i).isEqualTo(MerkleVectors.node(0, i));
    }
  }

  @Test
  void nodeHashesBuildEveryLevelOfTheVectors() {
    for (int level = 1; level < MerkleVectors.NODE_HASHES.size(); level++) {
      for (int index = 0; index < MerkleVectors.NODE_HASHES.get(level).size(); index++) {
        Hash left = MerkleVectors.node(level - 1, 2 * index);
        Hash right = MerkleVectors.node(level - 1, 2 * index + 1);
        assertThat(MerkleHashing.nodeHash(left, right)).as("level %d index %d", level, index)
            .isEqualTo(MerkleVectors.node(level, index));
      }
    }
  }

  @Test
  void rootOfEveryPrefixIsThePublishedRoot() {
    List<Hash> leaves = new ArrayList<>();
    assertThat(MerkleHashing.rootOf(leaves)).isEqualTo(MerkleVectors.root(0));
    for (int i = 0; i < 8; i++) {
      leaves.add(MerkleHashing.leafHash(MerkleVectors.leafInput(i)));
      assertThat(MerkleHashing.rootOf(leaves)).as("size %d", i + 1).isEqualTo(MerkleVectors.root(i + 1));
    }
  }

  @Test
  void theEmptyRootIsTheHashOfNothing() {
    assertThat(MerkleHashing.emptyRoot().hex()).isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  }

  @Test
  void theAccumulatorAgreesWithTheRecursiveDefinitionForEverySizeUpTo300() {
    Random random = new Random(20261125);
    List<Hash> leaves = new ArrayList<>();
    RootAccumulator accumulator = new RootAccumulator();
    assertThat(accumulator.root()).isEqualTo(MerkleHashing.emptyRoot());
    ReferenceTree reference = new ReferenceTree(leaves); // reads the list as it grows
    for (int size = 1; size <= 300; size++) {
      byte[] entry = new byte[random.nextInt(40)];
      random.nextBytes(entry);
      Hash leaf = MerkleHashing.leafHash(entry);
      leaves.add(leaf);
      accumulator.add(leaf);
      assertThat(accumulator.size()).isEqualTo(size);
      assertThat(accumulator.root()).as("size %d", size).isEqualTo(MerkleHashing.rootOf(leaves)).isEqualTo(reference.mth(0, size));
    }
  }

  @Test
  void theLeafPrefixKeepsALeafFromPassingAsANode() {
    // A leaf whose data is 0x01 || left || right must not hash like the node of left and right.
    Hash left = MerkleVectors.node(0, 0);
    Hash right = MerkleVectors.node(0, 1);
    byte[] forged = new byte[65];
    forged[0] = 1;
    System.arraycopy(left.bytes(), 0, forged, 1, 32);
    System.arraycopy(right.bytes(), 0, forged, 33, 32);
    assertThat(MerkleHashing.leafHash(forged)).isNotEqualTo(MerkleHashing.nodeHash(left, right));
    assertThat(MerkleHashing.leafHash(Arrays.copyOfRange(forged, 1, 65))).isNotEqualTo(MerkleHashing.nodeHash(left, right));
  }

  @Test
  void splitsAtTheLargestPowerOfTwoBelow() {
    // Pairs from transparency-dev/merkle testonly/reference_test.go TestDownToPowerOfTwo.
    long[][] pairs = {{2, 1}, {7, 4}, {8, 4}, {63, 32}, {28937, 16384}};
    for (long[] pair : pairs) {
      assertThat(MerkleHashing.largestPowerOfTwoBelow(pair[0])).as("%d", pair[0]).isEqualTo(pair[1]);
    }
    assertThatThrownBy(() -> MerkleHashing.largestPowerOfTwoBelow(1)).hasMessage("Cannot split a tree of 1 leaves: it needs at least 2");
  }
}
