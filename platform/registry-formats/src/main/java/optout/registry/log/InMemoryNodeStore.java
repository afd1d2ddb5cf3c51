package optout.registry.log;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A {@link NodeStore} in memory, for tests and tools. Thread-safe. Checks the whole contract on
 * every {@link #putNodes}, including that the nodes are exactly the ones the new size completes,
 * so it also catches a caller that writes the wrong nodes. Hashes are packed into one byte array
 * per level (32 bytes a node), which limits a level to 2^26 nodes: enough for tests of millions of
 * leaves, not a production store.
 */
public final class InMemoryNodeStore implements NodeStore {

  private static final int MAX_NODES_PER_LEVEL = Integer.MAX_VALUE / Hash.LENGTH;

  private final byte[][] levels = new byte[NodeId.MAX_LEVEL + 1][];
  private final long[] counts = new long[NodeId.MAX_LEVEL + 1];
  private long size;

  @Override
  public synchronized long size() {
    return size;
  }

  @Override
  public synchronized Hash node(int level, long index) {
    if (level < 0 || level > NodeId.MAX_LEVEL || index < 0 || index >= counts[level]) {
      throw new IllegalStateException(
          "Cannot read node (level " + level + ", index " + index + "): the store of " + size + " leaves does not hold it");
    }
    int offset = (int) index * Hash.LENGTH;
    return Hash.wrap(Arrays.copyOfRange(levels[level], offset, offset + Hash.LENGTH));
  }

  @Override
  public synchronized List<Hash> nodes(List<NodeId> ids) {
    List<Hash> hashes = new ArrayList<>(ids.size());
    for (NodeId id : ids) {
      hashes.add(node(id.level(), id.index()));
    }
    return hashes;
  }

  @Override
  public synchronized void putNodes(long expectedSize, long newSize, List<TreeNode> nodes) {
    Objects.requireNonNull(nodes, "Cannot put nodes: the list is missing");
    if (expectedSize != size) {
      throw new IllegalStateException(
          "Cannot put nodes: the store has " + size + " leaves, the caller expected " + expectedSize + " (another append came first)");
    }
    if (newSize <= expectedSize) {
      throw new IllegalArgumentException("Cannot put nodes: the new size " + newSize + " is not above " + expectedSize);
    }
    // Check everything before changing anything, so a refused append leaves no trace.
    long[] next = counts.clone();
    for (TreeNode node : nodes) {
      Objects.requireNonNull(node, "Cannot put nodes: one of them is missing");
      int level = node.level();
      if (node.index() < counts[level]) {
        throw new IllegalStateException("Cannot put node " + node.id() + ": it is already stored, and nodes are write-once");
      }
      if (node.index() != next[level]) {
        throw new IllegalArgumentException(
            "Cannot put node " + node.id() + ": the next node of level " + level + " is index " + next[level]);
      }
      next[level]++;
    }
    for (int level = 0; level <= NodeId.MAX_LEVEL; level++) {
      long complete = newSize >>> level;
      if (next[level] != complete) {
        throw new IllegalArgumentException("Cannot put nodes: a tree of " + newSize + " leaves has " + complete
            + " complete nodes at level " + level + ", these nodes would make it " + next[level]);
      }
      if (complete > MAX_NODES_PER_LEVEL) {
        throw new IllegalStateException("Cannot put nodes: the in-memory store holds at most " + MAX_NODES_PER_LEVEL + " nodes a level");
      }
    }
    for (TreeNode node : nodes) {
      int level = node.level();
      int offset = (int) counts[level] * Hash.LENGTH;
      levels[level] = ensureCapacity(levels[level], offset + Hash.LENGTH);
      node.hash().copyInto(levels[level], offset);
      counts[level]++;
    }
    size = newSize;
  }

  private static byte[] ensureCapacity(byte[] array, int needed) {
    if (array != null && array.length >= needed) {
      return array;
    }
    int current = array == null ? 0 : array.length;
    long grown = Math.max(needed, Math.max(16L * Hash.LENGTH, 2L * current));
    int length = (int) Math.min(grown, (long) MAX_NODES_PER_LEVEL * Hash.LENGTH);
    return array == null ? new byte[length] : Arrays.copyOf(array, length);
  }

  @Override
  public synchronized String toString() {
    return "InMemoryNodeStore[size=" + size + "]";
  }
}
