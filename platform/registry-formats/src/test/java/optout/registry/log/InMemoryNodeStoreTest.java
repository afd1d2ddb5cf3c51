package optout.registry.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class InMemoryNodeStoreTest extends NodeStoreContract {

  @Override
  protected NodeStore newEmptyStore() {
    return new InMemoryNodeStore();
  }

  /** Stricter than the contract requires: it also checks the nodes are exactly those the size completes. */
  @Test
  void refusesAnAppendThatLeavesOutACompletedNode() {
    InMemoryNodeStore store = new InMemoryNodeStore();
    assertThatThrownBy(() -> store.putNodes(0, 2,
        List.of(new TreeNode(0, 0, MerkleVectors.node(0, 0)), new TreeNode(0, 1, MerkleVectors.node(0, 1)))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot put nodes: a tree of 2 leaves has 1 complete nodes at level 1, these nodes would make it 0");
    assertThat(store.size()).isZero();
  }

  @Test
  void refusesNodesOutOfOrder() {
    InMemoryNodeStore store = new InMemoryNodeStore();
    assertThatThrownBy(() -> store.putNodes(0, 2, List.of(new TreeNode(0, 1, MerkleVectors.node(0, 1)))))
        .hasMessage("Cannot put node (level 0, index 1): the next node of level 0 is index 0");
    assertThatThrownBy(() -> store.putNodes(1, 2, List.of()))
        .hasMessage("Cannot put nodes: the store has 0 leaves, the caller expected 1 (another append came first)");
  }

  @Test
  void namesTheMissingNode() {
    assertThatThrownBy(() -> new InMemoryNodeStore().node(2, 5))
        .hasMessage("Cannot read node (level 2, index 5): the store of 0 leaves does not hold it");
    assertThat(new InMemoryNodeStore()).hasToString("InMemoryNodeStore[size=0]");
  }
}
