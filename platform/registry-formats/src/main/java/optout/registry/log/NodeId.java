package optout.registry.log;

/**
 * The position of a complete (perfect) subtree: its height {@code level} (0 = a leaf) and its
 * {@code index} among the subtrees of that height, counted from the left. It covers the leaves
 * [index * 2^level, (index + 1) * 2^level).
 */
public record NodeId(int level, long index) {

  /** The largest level a tree of at most 2^63-1 leaves can complete. */
  public static final int MAX_LEVEL = 62;

  public NodeId {
    if (level < 0 || level > MAX_LEVEL) {
      throw new IllegalArgumentException("Cannot name a node at level " + level + ": levels run from 0 to " + MAX_LEVEL);
    }
    if (index < 0 || index > (Long.MAX_VALUE >>> level) - 1) {
      throw new IllegalArgumentException(
          "Cannot name node " + index + " at level " + level + ": it would cover leaves beyond 2^63-1");
    }
  }

  @Override
  public String toString() {
    return "(level " + level + ", index " + index + ")";
  }
}
