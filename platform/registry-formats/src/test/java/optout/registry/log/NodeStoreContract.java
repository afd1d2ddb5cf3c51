package optout.registry.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The {@link NodeStore} contract as tests. Extend it with a {@link #newEmptyStore()} to check an
 * implementation (a PostgreSQL store: one fresh, empty table per call).
 */
abstract class NodeStoreContract {

  /** A new store holding nothing. */
  protected abstract NodeStore newEmptyStore();

  private static final Hash LEAF_0 = MerkleVectors.node(0, 0);
  private static final Hash LEAF_1 = MerkleVectors.node(0, 1);
  private static final Hash LEAF_2 = MerkleVectors.node(0, 2);
  private static final Hash NODE_1_0 = MerkleVectors.node(1, 0);

  @Test
  void anEmptyStoreHasNoLeavesAndNoNodes() {
    NodeStore store = newEmptyStore();
    assertThat(store.size()).isZero();
    assertThatThrownBy(() -> store.node(0, 0)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void storesNodesAndReadsThemInTheOrderAsked() {
    NodeStore store = newEmptyStore();
    store.putNodes(0, 2, List.of(new TreeNode(0, 0, LEAF_0), new TreeNode(0, 1, LEAF_1), new TreeNode(1, 0, NODE_1_0)));
    assertThat(store.size()).isEqualTo(2);
    assertThat(store.node(1, 0)).isEqualTo(NODE_1_0);
    assertThat(store.nodes(List.of(new NodeId(1, 0), new NodeId(0, 1), new NodeId(0, 0), new NodeId(0, 1))))
        .containsExactly(NODE_1_0, LEAF_1, LEAF_0, LEAF_1);
    assertThat(store.nodes(List.of())).isEmpty();
  }

  @Test
  void refusesAnAppendFromAStaleSizeAndKeepsTheFirst() {
    NodeStore store = newEmptyStore();
    store.putNodes(0, 1, List.of(new TreeNode(0, 0, LEAF_0)));
    // A second writer that also read size 0 must not succeed.
    assertThatThrownBy(() -> store.putNodes(0, 1, List.of(new TreeNode(0, 0, LEAF_1))))
        .isInstanceOf(IllegalStateException.class);
    assertThat(store.size()).isEqualTo(1);
    assertThat(store.node(0, 0)).isEqualTo(LEAF_0);
  }

  @Test
  void neverOverwritesAStoredNodeAndLeavesNoTraceOfARefusedAppend() {
    NodeStore store = newEmptyStore();
    store.putNodes(0, 1, List.of(new TreeNode(0, 0, LEAF_0)));
    assertThatThrownBy(() -> store.putNodes(1, 2,
        List.of(new TreeNode(0, 1, LEAF_1), new TreeNode(0, 0, LEAF_2), new TreeNode(1, 0, NODE_1_0))))
        .isInstanceOf(IllegalStateException.class);
    assertThat(store.size()).isEqualTo(1);
    assertThat(store.node(0, 0)).isEqualTo(LEAF_0);
    assertThatThrownBy(() -> store.node(0, 1)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void aMissingNodeIsAnErrorNotAnAnswer() {
    NodeStore store = newEmptyStore();
    store.putNodes(0, 1, List.of(new TreeNode(0, 0, LEAF_0)));
    assertThatThrownBy(() -> store.nodes(List.of(new NodeId(0, 0), new NodeId(1, 0)))).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void carriesAWholeLogWithThePublishedRoots() {
    NodeStore store = newEmptyStore();
    MerkleLog log = new MerkleLog(store);
    for (int i = 0; i < 8; i++) {
      log.append(MerkleHashing.leafHash(MerkleVectors.leafInput(i)));
    }
    for (int size = 0; size <= 8; size++) {
      assertThat(log.root(size)).isEqualTo(MerkleVectors.root(size));
    }
  }

  @Test
  void twoLogsOverOneStoreCannotBothAppendFromTheSameSize() {
    NodeStore store = newEmptyStore();
    MerkleLog first = new MerkleLog(store);
    first.append(LEAF_0);
    // Simulate the race: a writer that computed its nodes for size 1 commits after another did.
    List<TreeNode> late = List.of(new TreeNode(0, 1, LEAF_2), new TreeNode(1, 0, MerkleHashing.nodeHash(LEAF_0, LEAF_2)));
    new MerkleLog(store).append(LEAF_1);
    assertThatThrownBy(() -> store.putNodes(1, 2, late)).isInstanceOf(IllegalStateException.class);
    assertThat(first.root(2)).isEqualTo(MerkleVectors.root(2));
  }
}
