package optout.registry.log;

import java.util.Objects;

/** The size of the tree and its root hash: what a checkpoint commits to. */
public record TreeHead(long size, Hash rootHash) {

  public TreeHead {
    if (size < 0) {
      throw new IllegalArgumentException("Cannot make a tree head: the size " + size + " is negative");
    }
    Objects.requireNonNull(rootHash, "Cannot make a tree head: the root hash is missing");
  }
}
