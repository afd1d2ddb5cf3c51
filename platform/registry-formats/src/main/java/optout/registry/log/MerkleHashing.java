package optout.registry.log;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Objects;

/**
 * The Merkle Tree Hash of RFC 9162 section 2.1.1 (identical to RFC 6962 section 2.1) with SHA-256.
 * The one-byte prefixes keep a leaf from ever hashing like an inner node, which is what stops a
 * second-preimage attack that passes a node off as a leaf.
 */
public final class MerkleHashing {

  private static final byte LEAF_PREFIX = 0x00;
  private static final byte NODE_PREFIX = 0x01;

  /** One digest per thread: looking one up costs more than hashing 65 bytes. */
  private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(MerkleHashing::newSha256);

  private static final Hash EMPTY_ROOT = Hash.wrap(newSha256().digest());

  private MerkleHashing() {}

  /** The leaf hash of an entry: SHA-256(0x00 || entry). */
  public static Hash leafHash(byte[] entry) {
    Objects.requireNonNull(entry, "Cannot hash a leaf: the entry is missing");
    MessageDigest digest = SHA_256.get();
    digest.update(LEAF_PREFIX);
    digest.update(entry);
    return Hash.wrap(digest.digest());
  }

  /** The hash of an inner node: SHA-256(0x01 || left || right). */
  public static Hash nodeHash(Hash left, Hash right) {
    Objects.requireNonNull(left, "Cannot hash a node: the left child is missing");
    Objects.requireNonNull(right, "Cannot hash a node: the right child is missing");
    MessageDigest digest = SHA_256.get();
    digest.update(NODE_PREFIX);
    left.updateDigest(digest);
    right.updateDigest(digest);
    return Hash.wrap(digest.digest());
  }

  /** The root of the empty tree: SHA-256 of no bytes. */
  public static Hash emptyRoot() {
    return EMPTY_ROOT;
  }

  /**
   * The root of the tree with these leaf hashes, computed from scratch by the recursive definition:
   * for n &gt; 1, MTH(D[n]) = nodeHash(MTH(D[0:k]), MTH(D[k:n])) with k the largest power of two
   * smaller than n. For the auditor that recomputes the log from the database; it shares no code
   * with {@link MerkleLog}, so it checks the log rather than repeating it. Time O(n), memory
   * O(log n) beyond the list.
   */
  public static Hash rootOf(List<Hash> leafHashes) {
    Objects.requireNonNull(leafHashes, "Cannot compute a root: the leaf hashes are missing");
    if (leafHashes.isEmpty()) {
      return EMPTY_ROOT;
    }
    return treeHash(leafHashes, 0, leafHashes.size());
  }

  private static Hash treeHash(List<Hash> leafHashes, int start, int end) {
    if (end - start == 1) {
      return Objects.requireNonNull(leafHashes.get(start), "Cannot compute a root: leaf hash " + start + " is missing");
    }
    int split = start + (int) largestPowerOfTwoBelow(end - start);
    return nodeHash(treeHash(leafHashes, start, split), treeHash(leafHashes, split, end));
  }

  /** The largest power of two smaller than n (n &ge; 2): where RFC 9162 splits a tree of n leaves. */
  static long largestPowerOfTwoBelow(long n) {
    if (n < 2) {
      throw new IllegalArgumentException("Cannot split a tree of " + n + " leaves: it needs at least 2");
    }
    return Long.highestOneBit(n - 1);
  }

  private static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("Cannot hash: this JDK has no SHA-256", e);
    }
  }
}
