package optout.registry.log;

import java.util.ArrayList;
import java.util.List;

/**
 * Where the log keeps the hash of every complete subtree, so that {@link MerkleLog} never holds the
 * tree in memory and reads O(log n) hashes per root or proof.
 *
 * <p>The contract, for any implementation (the in-memory one for tests, a PostgreSQL table of
 * {@code (level, index, hash)} in the service):
 *
 * <ul>
 *   <li><b>What is stored.</b> For a store of {@link #size()} n, exactly the nodes (level, index)
 *       with {@code (index + 1) * 2^level <= n}: every leaf hash (level 0) and every complete
 *       perfect subtree above them. The right edge of a tree whose size is not a power of two is
 *       never stored; the log computes it from stored nodes when it needs it.
 *   <li><b>Write once.</b> A node, once stored, never changes and is never deleted: its hash is
 *       fixed by the leaves below it, and the log's proofs for old sizes read it.
 *   <li><b>Atomic append.</b> {@link #putNodes} stores all the given nodes and moves the size from
 *       {@code expectedSize} to {@code newSize} in one step, or does nothing and throws. Readers
 *       never see a size without all its nodes.
 *   <li><b>One writer at a time.</b> {@link #putNodes} fails when {@code expectedSize} is not the
 *       current size (compare-and-set), so two appends that both started from size n cannot both
 *       succeed. Callers serialise appends (a lock) or retry from a fresh size.
 *   <li><b>Reads.</b> {@link #nodes} answers the hashes in the order asked, one per id, and throws
 *       {@link IllegalStateException} if any of them is not stored: the log asks only for nodes that
 *       must exist, so a missing one is corruption, not a normal answer. Because stored nodes never
 *       change, reads for sizes up to a committed size are consistent without any locking.
 * </ul>
 *
 * <p>On PostgreSQL with a table {@code log_node(level smallint, index bigint, hash bytea, primary
 * key (level, index))} the contract maps directly: {@link #size()} is {@code coalesce(max(index) + 1,
 * 0)} over level 0 (an index-only scan); {@link #putNodes} runs in the appending transaction, checks
 * the size, and inserts all rows in one statement (arrays through {@code unnest}); the primary key
 * makes nodes write-once and turns a racing append from the same size into a unique violation on
 * (0, expectedSize), to be reported as {@link IllegalStateException}; {@link #nodes} is one {@code
 * select ... where (level, index) in (select * from unnest(?, ?))}, reordered to the ids asked.
 * {@code NodeStoreContract} in the tests states all this as tests to extend.
 */
public interface NodeStore {

  /** The number of leaves whose nodes are stored. */
  long size();

  /** The hash of one stored node; throws {@link IllegalStateException} if it is not stored. */
  Hash node(int level, long index);

  /**
   * The hashes of these stored nodes, in the same order. The log reads every root, proof and append
   * frontier through one call to this method, so a database implementation should override it
   * with a single query.
   */
  default List<Hash> nodes(List<NodeId> ids) {
    List<Hash> hashes = new ArrayList<>(ids.size());
    for (NodeId id : ids) {
      hashes.add(node(id.level(), id.index()));
    }
    return hashes;
  }

  /**
   * Stores the nodes that growing the tree from {@code expectedSize} to {@code newSize} leaves
   * completes, and the new size, atomically (see the class comment). {@link MerkleLog} passes them
   * in the order it completed them: each leaf, then the nodes that leaf completes, bottom up.
   *
   * @throws IllegalStateException if the size is no longer {@code expectedSize} or a node is already
   *     stored; nothing is stored then
   */
  void putNodes(long expectedSize, long newSize, List<TreeNode> nodes);
}
