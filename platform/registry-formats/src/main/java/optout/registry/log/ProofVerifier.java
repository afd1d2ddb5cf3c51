package optout.registry.log;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Verifies inclusion and consistency proofs with the algorithms of RFC 9162 sections 2.1.3.2 and
 * 2.1.4.2, step by step as written there. It shares nothing with {@link MerkleLog} but the two hash
 * functions: a proof is checked by folding it into a root, never by generating a proof and comparing,
 * so a bug in the generator cannot hide behind the same bug in the verifier.
 *
 * <p>Before the RFC's steps, the proof's length is checked against the length the tree shape
 * requires. The RFC's own steps would also reject a proof of the wrong length (they run out of
 * hashes, or of tree), but only with a vaguer reason; the length check gives the precise one.
 *
 * <p>A proof binds a leaf to a root; the tree size only steers the fold. Take the size and the root
 * from the same verified {@link Checkpoint}: a proof for one size can verify against the same root
 * with another size claimed when both sizes give the leaf a path of the same shape.
 */
public final class ProofVerifier {

  private ProofVerifier() {}

  /** Verifies that {@code leafHash} is the leaf in {@code proof} of the tree with {@code rootHash}. */
  public static void verifyInclusion(Hash leafHash, InclusionProof proof, Hash rootHash) throws ProofException {
    Objects.requireNonNull(proof, "Cannot verify inclusion: the proof is missing");
    verifyInclusion(leafHash, proof.leafIndex(), proof.treeSize(), proof.path(), rootHash);
  }

  /**
   * Verifies that {@code leafHash} is leaf {@code leafIndex} of the tree of {@code treeSize} leaves
   * whose root is {@code rootHash}, by RFC 9162 section 2.1.3.2.
   *
   * @throws ProofException saying which check failed
   */
  public static void verifyInclusion(Hash leafHash, long leafIndex, long treeSize, List<Hash> path, Hash rootHash)
      throws ProofException {
    Objects.requireNonNull(leafHash, "Cannot verify inclusion: the leaf hash is missing");
    Objects.requireNonNull(path, "Cannot verify inclusion: the proof path is missing");
    Objects.requireNonNull(rootHash, "Cannot verify inclusion: the root hash is missing");
    requireNoMissingHash("inclusion", path);
    if (leafIndex < 0) {
      throw new ProofException("Cannot verify inclusion: the leaf index " + leafIndex + " is negative");
    }
    // Step 1: the leaf must be in the tree.
    if (leafIndex >= treeSize) {
      throw new ProofException(
          "Cannot verify inclusion: leaf index " + leafIndex + " is not below the tree size " + treeSize);
    }
    int needed = inclusionPathLength(leafIndex, treeSize);
    if (path.size() != needed) {
      throw new ProofException("Cannot verify inclusion: the proof has " + hashes(path.size()) + ", a tree of "
          + treeSize + " needs " + needed + " for leaf " + leafIndex);
    }
    // Steps 2 and 3.
    long fn = leafIndex;
    long sn = treeSize - 1;
    Hash r = leafHash;
    // Step 4.
    for (Hash p : path) {
      if (sn == 0) {
        throw new ProofException("Cannot verify inclusion: the proof has more hashes than the path to the root");
      }
      if ((fn & 1) == 1 || fn == sn) {
        r = MerkleHashing.nodeHash(p, r);
        if ((fn & 1) == 0) {
          while ((fn & 1) == 0 && fn != 0) {
            fn >>= 1;
            sn >>= 1;
          }
        }
      } else {
        r = MerkleHashing.nodeHash(r, p);
      }
      fn >>= 1;
      sn >>= 1;
    }
    // Step 5.
    if (sn != 0) {
      throw new ProofException("Cannot verify inclusion: the proof has fewer hashes than the path to the root");
    }
    if (!r.equals(rootHash)) {
      throw new ProofException("Cannot verify inclusion: the proof for leaf " + leafIndex + " in a tree of " + treeSize
          + " leads to root " + r.hex() + ", not to the expected " + rootHash.hex());
    }
  }

  /** Verifies that the tree with {@code root2} extends the tree with {@code root1}. */
  public static void verifyConsistency(ConsistencyProof proof, Hash root1, Hash root2) throws ProofException {
    Objects.requireNonNull(proof, "Cannot verify consistency: the proof is missing");
    verifyConsistency(proof.size1(), proof.size2(), proof.path(), root1, root2);
  }

  /**
   * Verifies that the tree of {@code size2} leaves with root {@code root2} extends the tree of
   * {@code size1} leaves with root {@code root1}, by RFC 9162 section 2.1.4.2. The RFC defines the
   * proof for 0 &lt; size1 &lt; size2; for the two cases it leaves out, the proof must be empty and:
   * for equal sizes, the roots equal; for size1 = 0, root1 is the empty tree's root (every tree
   * extends the empty tree).
   *
   * @throws ProofException saying which check failed
   */
  public static void verifyConsistency(long size1, long size2, List<Hash> path, Hash root1, Hash root2)
      throws ProofException {
    Objects.requireNonNull(path, "Cannot verify consistency: the proof path is missing");
    Objects.requireNonNull(root1, "Cannot verify consistency: the first root hash is missing");
    Objects.requireNonNull(root2, "Cannot verify consistency: the second root hash is missing");
    requireNoMissingHash("consistency", path);
    if (size1 < 0 || size2 < 0) {
      throw new ProofException("Cannot verify consistency: the sizes " + size1 + " and " + size2 + " must not be negative");
    }
    if (size1 > size2) {
      throw new ProofException("Cannot verify consistency: the first tree (" + size1
          + " leaves) is larger than the second (" + size2 + "); a log only grows");
    }
    if (size1 == size2 || size1 == 0) {
      if (!path.isEmpty()) {
        throw new ProofException("Cannot verify consistency: the proof has " + hashes(path.size())
            + ", trees of " + size1 + " and " + size2 + " need none");
      }
      if (size1 == 0 && !root1.equals(MerkleHashing.emptyRoot())) {
        throw new ProofException("Cannot verify consistency: the first root " + root1.hex()
            + " is not the root of the empty tree " + MerkleHashing.emptyRoot().hex());
      }
      if (size1 == size2 && !root1.equals(root2)) {
        throw new ProofException("Cannot verify consistency: two trees of " + size1
            + " leaves have different roots " + root1.hex() + " and " + root2.hex());
      }
      return;
    }
    int needed = consistencyPathLength(size1, size2);
    if (path.size() != needed) {
      throw new ProofException("Cannot verify consistency: the proof has " + hashes(path.size())
          + ", trees of " + size1 + " and " + size2 + " need " + needed);
    }
    // Step 1.
    if (path.isEmpty()) {
      throw new ProofException("Cannot verify consistency: the proof is empty");
    }
    // Step 2.
    List<Hash> consistencyPath = new ArrayList<>(path.size() + 1);
    if (Long.bitCount(size1) == 1) {
      consistencyPath.add(root1);
    }
    consistencyPath.addAll(path);
    // Step 3.
    long fn = size1 - 1;
    long sn = size2 - 1;
    // Step 4.
    while ((fn & 1) == 1) {
      fn >>= 1;
      sn >>= 1;
    }
    // Step 5.
    Hash fr = consistencyPath.get(0);
    Hash sr = consistencyPath.get(0);
    // Step 6.
    for (Hash c : consistencyPath.subList(1, consistencyPath.size())) {
      if (sn == 0) {
        throw new ProofException("Cannot verify consistency: the proof has more hashes than the second tree needs");
      }
      if ((fn & 1) == 1 || fn == sn) {
        fr = MerkleHashing.nodeHash(c, fr);
        sr = MerkleHashing.nodeHash(c, sr);
        if ((fn & 1) == 0) {
          while ((fn & 1) == 0 && fn != 0) {
            fn >>= 1;
            sn >>= 1;
          }
        }
      } else {
        sr = MerkleHashing.nodeHash(sr, c);
      }
      fn >>= 1;
      sn >>= 1;
    }
    // Step 7.
    if (sn != 0) {
      throw new ProofException("Cannot verify consistency: the proof has fewer hashes than the second tree needs");
    }
    if (!fr.equals(root1)) {
      throw new ProofException("Cannot verify consistency: the proof from " + size1 + " to " + size2
          + " leads to the first root " + fr.hex() + ", not to the expected " + root1.hex());
    }
    if (!sr.equals(root2)) {
      throw new ProofException("Cannot verify consistency: the proof from " + size1 + " to " + size2
          + " leads to the second root " + sr.hex() + ", not to the expected " + root2.hex());
    }
  }

  /**
   * The number of hashes in the inclusion proof of a leaf: one per level where the path leaves the
   * part of the tree shared with the last leaf ("inner"), plus one per left sibling above that.
   */
  static int inclusionPathLength(long leafIndex, long treeSize) {
    int inner = 64 - Long.numberOfLeadingZeros(leafIndex ^ (treeSize - 1));
    int border = Long.bitCount(leafIndex >>> inner);
    return inner + border;
  }

  /**
   * The number of hashes in a consistency proof for 0 &lt; size1 &lt; size2: the inclusion proof of
   * the largest complete subtree ending at size1, plus that subtree itself unless it is the whole
   * first tree (size1 a power of two).
   */
  static int consistencyPathLength(long size1, long size2) {
    int level = Long.numberOfTrailingZeros(size1);
    long index = (size1 - 1) >>> level;
    long sizeAtLevel = ((size2 - 1) >>> level) + 1;
    return inclusionPathLength(index, sizeAtLevel) + (index == 0 ? 0 : 1);
  }

  private static void requireNoMissingHash(String what, List<Hash> path) {
    for (int i = 0; i < path.size(); i++) {
      Objects.requireNonNull(path.get(i), "Cannot verify " + what + ": hash " + i + " of the proof is missing");
    }
  }

  private static String hashes(int count) {
    return count == 1 ? "1 hash" : count + " hashes";
  }
}
