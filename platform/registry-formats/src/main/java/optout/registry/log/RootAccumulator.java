package optout.registry.log;

import java.util.Objects;

/**
 * Computes the root of a tree from its leaf hashes streamed in order, holding only one hash per
 * set bit of the size (at most 63). For an auditor that reads millions of leaves from the database
 * in pages and must not hold them all. Not thread-safe.
 */
public final class RootAccumulator {

  /** The roots of the perfect subtrees the leaves so far form, largest (leftmost) first. */
  private final Hash[] peaks = new Hash[64];
  private int peakCount;
  private long size;

  /** Adds the next leaf hash. */
  public void add(Hash leafHash) {
    Objects.requireNonNull(leafHash, "Cannot add a leaf: its hash is missing");
    if (size == Long.MAX_VALUE) {
      throw new IllegalStateException("Cannot add a leaf: the tree already has 2^63-1 leaves");
    }
    Hash hash = leafHash;
    // Each trailing one bit of the old size is a peak of equal height that the new leaf completes.
    for (long carry = size; (carry & 1) == 1; carry >>>= 1) {
      hash = MerkleHashing.nodeHash(peaks[--peakCount], hash);
    }
    peaks[peakCount++] = hash;
    size++;
  }

  /** The number of leaves added. */
  public long size() {
    return size;
  }

  /** The root of the tree of the leaves added so far. */
  public Hash root() {
    if (peakCount == 0) {
      return MerkleHashing.emptyRoot();
    }
    Hash root = peaks[peakCount - 1];
    for (int i = peakCount - 2; i >= 0; i--) {
      root = MerkleHashing.nodeHash(peaks[i], root);
    }
    return root;
  }
}
