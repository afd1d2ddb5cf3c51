package optout.registry.log;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** Counts the nodes read and the read calls made through it, to check the O(log n) promises. */
final class CountingNodeStore implements NodeStore {

  private final NodeStore store;
  private final AtomicLong nodesRead = new AtomicLong();
  private final AtomicLong readCalls = new AtomicLong();

  CountingNodeStore(NodeStore store) {
    this.store = store;
  }

  @Override
  public long size() {
    return store.size();
  }

  @Override
  public Hash node(int level, long index) {
    readCalls.incrementAndGet();
    nodesRead.incrementAndGet();
    return store.node(level, index);
  }

  @Override
  public List<Hash> nodes(List<NodeId> ids) {
    readCalls.incrementAndGet();
    nodesRead.addAndGet(ids.size());
    return store.nodes(ids);
  }

  @Override
  public void putNodes(long expectedSize, long newSize, List<TreeNode> nodes) {
    store.putNodes(expectedSize, newSize, nodes);
  }

  long nodesRead() {
    return nodesRead.get();
  }

  long readCalls() {
    return readCalls.get();
  }

  void reset() {
    nodesRead.set(0);
    readCalls.set(0);
  }
}
