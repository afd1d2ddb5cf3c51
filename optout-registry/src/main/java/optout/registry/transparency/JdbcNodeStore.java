package optout.registry.transparency;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import optout.registry.log.Hash;
import optout.registry.log.NodeId;
import optout.registry.log.NodeStore;
import optout.registry.log.TreeNode;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The log's complete subtrees in the {@code log_node} table. Reads take one query whatever the number
 * of nodes; an append is one insert of all its nodes. It runs in the caller's transaction: the
 * sequencer holds the log's lock, so the compare-and-set of the size cannot race.
 */
final class JdbcNodeStore implements NodeStore {

  private final JdbcClient jdbc;
  private final JdbcTemplate template;

  JdbcNodeStore(JdbcClient jdbc, JdbcTemplate template) {
    this.jdbc = jdbc;
    this.template = template;
  }

  @Override
  public long size() {
    return jdbc.sql("select coalesce(max(index) + 1, 0) from log_node where level = 0").query(Long.class).single();
  }

  @Override
  public Hash node(int level, long index) {
    return nodes(List.of(new NodeId(level, index))).get(0);
  }

  @Override
  public List<Hash> nodes(List<NodeId> ids) {
    if (ids.isEmpty()) {
      return List.of();
    }
    Integer[] levels = ids.stream().map(NodeId::level).toArray(Integer[]::new);
    Long[] indexes = ids.stream().map(NodeId::index).toArray(Long[]::new);
    List<byte[]> hashes = template.execute((Connection connection) -> {
      try (var statement = connection.prepareStatement("""
          select n.hash from unnest(?::int[], ?::bigint[]) with ordinality as q(level, index, position)
          left join log_node n on n.level = q.level and n.index = q.index order by q.position""")) {
        statement.setArray(1, connection.createArrayOf("int4", levels));
        statement.setArray(2, connection.createArrayOf("int8", indexes));
        List<byte[]> found = new ArrayList<>(ids.size());
        try (var rows = statement.executeQuery()) {
          while (rows.next()) {
            found.add(rows.getBytes(1));
          }
        }
        return found;
      }
    });
    List<Hash> result = new ArrayList<>(ids.size());
    for (int i = 0; i < ids.size(); i++) {
      if (hashes.get(i) == null) {
        throw new IllegalStateException("The log is corrupt: node " + ids.get(i) + " is not stored");
      }
      result.add(Hash.of(hashes.get(i)));
    }
    return result;
  }

  @Override
  public void putNodes(long expectedSize, long newSize, List<TreeNode> nodes) {
    long size = size();
    if (size != expectedSize) {
      throw new IllegalStateException("Cannot append to the log: its size is " + size + ", not " + expectedSize);
    }
    Integer[] levels = nodes.stream().map(TreeNode::level).toArray(Integer[]::new);
    Long[] indexes = nodes.stream().map(TreeNode::index).toArray(Long[]::new);
    byte[][] hashes = nodes.stream().map(n -> n.hash().bytes()).toArray(byte[][]::new);
    try {
      insert(levels, indexes, hashes);
    } catch (org.springframework.dao.DuplicateKeyException e) {
      throw new IllegalStateException("Cannot append to the log: a node is stored already (another append won)", e);
    }
  }

  private void insert(Integer[] levels, Long[] indexes, byte[][] hashes) {
    template.execute((Connection connection) -> {
      try (var statement = connection.prepareStatement(
          "insert into log_node (level, index, hash) select * from unnest(?::smallint[], ?::bigint[], ?::bytea[])")) {
        statement.setArray(1, connection.createArrayOf("int2", levels));
        statement.setArray(2, connection.createArrayOf("int8", indexes));
        statement.setArray(3, connection.createArrayOf("bytea", hashes));
        return statement.executeUpdate();
      }
    });
  }
}
