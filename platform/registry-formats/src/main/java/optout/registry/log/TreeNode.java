package optout.registry.log;

import java.util.Objects;

/** A complete subtree and its hash: one row of the node store. */
public record TreeNode(int level, long index, Hash hash) {

  public TreeNode {
    new NodeId(level, index); // the same range checks
    Objects.requireNonNull(hash, "Cannot make a tree node: its hash is missing");
  }

  public NodeId id() {
    return new NodeId(level, index);
  }
}
