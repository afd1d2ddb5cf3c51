package optout.registry.log;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * An append-only RFC 9162 Merkle log over a {@link NodeStore}. Holds no state of its own: every
 * call reads what it needs from the store, in one {@link NodeStore#nodes} call of O(log n) ids, so
 * the log works the same over a table of millions of nodes as over a map.
 *
 * <ul>
 *   <li>{@link #appendAll} reads the right-edge frontier (one node per set bit of the size), hashes
 *       the new leaves into it and writes every node they complete in one {@link NodeStore#putNodes}.
 *   <li>{@link #root(long)}, {@link #inclusionProof} and {@link #consistencyProof} work for any size
 *       up to the current one, so a proof can be served for any checkpoint ever signed. A subtree on
 *       the right edge of an older tree that is not complete is hashed from the complete subtrees it
 *       is made of; at most one such subtree appears in a proof.
 * </ul>
 *
 * <p>Thread-safe if the store is; concurrent appends are refused by the store's compare-and-set.
 */
public final class MerkleLog {

  private final NodeStore store;

  public MerkleLog(NodeStore store) {
    this.store = Objects.requireNonNull(store, "Cannot make a log: the node store is missing");
  }

  /** The number of leaves. */
  public long size() {
    return store.size();
  }

  /** Appends one leaf hash; see {@link #appendAll}. */
  public TreeHead append(Hash leafHash) {
    return appendAll(List.of(Objects.requireNonNull(leafHash, "Cannot append: the leaf hash is missing")));
  }

  /**
   * Appends leaf hashes in order (the first gets index {@link #size()}) and answers the new tree
   * head. One frontier read and one write, whatever the count, so batches are cheap.
   *
   * @throws IllegalStateException if another append changed the store meanwhile (nothing is written)
   */
  public TreeHead appendAll(List<Hash> leafHashes) {
    Objects.requireNonNull(leafHashes, "Cannot append: the leaf hashes are missing");
    if (leafHashes.isEmpty()) {
      throw new IllegalArgumentException("Cannot append: no leaf hashes were given");
    }
    long oldSize = store.size();
    if (leafHashes.size() > Long.MAX_VALUE - oldSize) {
      throw new IllegalArgumentException("Cannot append: the log would exceed 2^63-1 leaves");
    }
    // The frontier: the complete subtrees of the current tree, largest first, as a stack whose top
    // is the smallest. A new leaf merges with the top while their heights match, like a binary
    // counter carrying.
    List<NodeId> frontier = perfectSubtrees(0, oldSize);
    List<Hash> frontierHashes = read(frontier);
    int[] stackLevels = new int[64];
    Hash[] stackHashes = new Hash[64];
    int top = 0;
    for (int i = 0; i < frontier.size(); i++) {
      stackLevels[top] = frontier.get(i).level();
      stackHashes[top++] = frontierHashes.get(i);
    }
    List<TreeNode> completed = new ArrayList<>(2 * leafHashes.size() + 1);
    long index = oldSize;
    for (Hash leafHash : leafHashes) {
      Objects.requireNonNull(leafHash, "Cannot append: the leaf hash for index " + index + " is missing");
      completed.add(new TreeNode(0, index, leafHash));
      int level = 0;
      long nodeIndex = index;
      Hash hash = leafHash;
      while (top > 0 && stackLevels[top - 1] == level) {
        hash = MerkleHashing.nodeHash(stackHashes[--top], hash);
        level++;
        nodeIndex >>>= 1;
        completed.add(new TreeNode(level, nodeIndex, hash));
      }
      stackLevels[top] = level;
      stackHashes[top++] = hash;
      index++;
    }
    store.putNodes(oldSize, index, completed);
    return new TreeHead(index, foldFromRight(stackHashes, 0, top));
  }

  /** The size and root of the current tree. */
  public TreeHead treeHead() {
    long size = store.size();
    return new TreeHead(size, root(size));
  }

  /** The root of the tree of the first {@code treeSize} leaves. */
  public Hash root(long treeSize) {
    requireSize("compute the root", treeSize);
    if (treeSize == 0) {
      return MerkleHashing.emptyRoot();
    }
    List<Hash> hashes = read(perfectSubtrees(0, treeSize));
    return foldFromRight(hashes.toArray(new Hash[0]), 0, hashes.size());
  }

  /** The leaf hash at {@code leafIndex}. */
  public Hash leafHash(long leafIndex) {
    long size = store.size();
    if (leafIndex < 0 || leafIndex >= size) {
      throw new IllegalArgumentException("Cannot read leaf " + leafIndex + ": the log has " + size + " leaves");
    }
    return read(List.of(new NodeId(0, leafIndex))).get(0);
  }

  /**
   * The inclusion proof of leaf {@code leafIndex} in the tree of {@code treeSize} leaves: PATH(m,
   * D[n]) of RFC 9162 section 2.1.3.1.
   */
  public InclusionProof inclusionProof(long leafIndex, long treeSize) {
    requireSize("prove inclusion", treeSize);
    if (leafIndex < 0 || leafIndex >= treeSize) {
      throw new IllegalArgumentException(
          "Cannot prove inclusion: leaf " + leafIndex + " is not in a tree of " + treeSize + " leaves");
    }
    // Walk from the root down to the leaf; each step passes by one sibling subtree. The RFC lists
    // them leaf first, so reverse at the end.
    List<long[]> siblings = new ArrayList<>();
    long start = 0;
    long end = treeSize;
    while (end - start > 1) {
      long split = start + MerkleHashing.largestPowerOfTwoBelow(end - start);
      if (leafIndex < split) {
        siblings.add(new long[] {split, end});
        end = split;
      } else {
        siblings.add(new long[] {start, split});
        start = split;
      }
    }
    Collections.reverse(siblings);
    return new InclusionProof(leafIndex, treeSize, subtreeHashes(siblings));
  }

  /**
   * The consistency proof from the tree of {@code size1} leaves to the tree of {@code size2}: PROOF(m,
   * D[n]) of RFC 9162 section 2.1.4.1. Empty when {@code size1} is 0 or equal to {@code size2}.
   */
  public ConsistencyProof consistencyProof(long size1, long size2) {
    requireSize("prove consistency", size2);
    if (size1 < 0 || size1 > size2) {
      throw new IllegalArgumentException(
          "Cannot prove consistency: size1 " + size1 + " must be between 0 and size2 " + size2);
    }
    if (size1 == 0 || size1 == size2) {
      return new ConsistencyProof(size1, size2, List.of());
    }
    // SUBPROOF(m, D[start:end], b) unrolled: descend towards the subtree holding the old tree's
    // right edge, collecting the sibling of each step. Invariant: start < size1 <= end.
    List<long[]> siblings = new ArrayList<>();
    long start = 0;
    long end = size2;
    boolean oldRootKnown = true; // "b" in the RFC: the subtree reached is the old tree's root
    while (size1 != end) {
      long split = start + MerkleHashing.largestPowerOfTwoBelow(end - start);
      if (size1 <= split) {
        siblings.add(new long[] {split, end});
        end = split;
      } else {
        siblings.add(new long[] {start, split});
        start = split;
        oldRootKnown = false;
      }
    }
    if (!oldRootKnown) {
      siblings.add(new long[] {start, end});
    }
    Collections.reverse(siblings);
    return new ConsistencyProof(size1, size2, subtreeHashes(siblings));
  }

  /** The hashes of these subtree ranges, read from the store in one call. */
  private List<Hash> subtreeHashes(List<long[]> ranges) {
    List<NodeId> ids = new ArrayList<>();
    int[] counts = new int[ranges.size()];
    for (int i = 0; i < ranges.size(); i++) {
      List<NodeId> parts = perfectSubtrees(ranges.get(i)[0], ranges.get(i)[1]);
      counts[i] = parts.size();
      ids.addAll(parts);
    }
    Hash[] hashes = read(ids).toArray(new Hash[0]);
    List<Hash> result = new ArrayList<>(ranges.size());
    int offset = 0;
    for (int count : counts) {
      result.add(foldFromRight(hashes, offset, offset + count));
      offset += count;
    }
    return result;
  }

  /**
   * The complete subtrees that [start, end) is made of, largest first. For the ranges RFC 9162's
   * recursion produces (start a multiple of a power of two at least end - start), hashing them
   * together from the right gives exactly MTH(D[start:end]): the RFC splits at the largest power of
   * two below the size, which is the first subtree here.
   */
  static List<NodeId> perfectSubtrees(long start, long end) {
    List<NodeId> ids = new ArrayList<>(Long.bitCount(end - start));
    long position = start;
    while (position < end) {
      int level = 63 - Long.numberOfLeadingZeros(end - position);
      if (position != 0 && Long.numberOfTrailingZeros(position) < level) {
        throw new IllegalStateException("Cannot split [" + start + ", " + end + "): it is not aligned to complete subtrees");
      }
      ids.add(new NodeId(level, position >>> level));
      position += 1L << level;
    }
    return ids;
  }

  /** hashes[from] combined with the fold of the rest: nodeHash(h0, nodeHash(h1, ... h(n-1))). */
  private static Hash foldFromRight(Hash[] hashes, int from, int to) {
    Hash result = hashes[to - 1];
    for (int i = to - 2; i >= from; i--) {
      result = MerkleHashing.nodeHash(hashes[i], result);
    }
    return result;
  }

  private List<Hash> read(List<NodeId> ids) {
    if (ids.isEmpty()) {
      return List.of();
    }
    List<Hash> hashes = store.nodes(ids);
    if (hashes == null || hashes.size() != ids.size()) {
      throw new IllegalStateException("Cannot read nodes: the store answered "
          + (hashes == null ? "nothing" : hashes.size() + " hashes") + " for " + ids.size() + " nodes");
    }
    for (int i = 0; i < hashes.size(); i++) {
      if (hashes.get(i) == null) {
        throw new IllegalStateException("Cannot read node " + ids.get(i) + ": the store answered no hash");
      }
    }
    return hashes;
  }

  private void requireSize(String action, long treeSize) {
    long size = store.size();
    if (treeSize < 0 || treeSize > size) {
      throw new IllegalArgumentException(
          "Cannot " + action + " for a tree of " + treeSize + " leaves: the log has " + size);
    }
  }
}
