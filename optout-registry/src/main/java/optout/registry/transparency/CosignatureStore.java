package optout.registry.transparency;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import optout.registry.log.Hash;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The witness's cosignatures of checkpoints, one row per (checkpoint, witness key), never changed. */
@Repository
public class CosignatureStore {

  private final JdbcClient jdbc;

  CosignatureStore(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** Stores a cosignature line; a second one of the same checkpoint by the same witness (two relays racing) is dropped. */
  void insert(long treeSize, String witnessKey, String signatureLine, Instant cosignedAt, Instant receivedAt) {
    jdbc.sql("""
        insert into log_cosignature (tree_size, witness_key, signature_line, cosigned_at, received_at) values (?, ?, ?, ?, ?)
        on conflict (tree_size, witness_key) do nothing""")
        .param(treeSize).param(witnessKey).param(signatureLine).param(Timestamp.from(cosignedAt)).param(Timestamp.from(receivedAt))
        .update();
  }

  /** The size of the newest checkpoint this witness cosigned, as the registry recorded it. */
  OptionalLong newestCosignedSize(String witnessKey) {
    return jdbc.sql("select max(tree_size) from log_cosignature where witness_key = ?").param(witnessKey).query(Long.class).optional()
        .map(OptionalLong::of).orElse(OptionalLong.empty());
  }

  boolean isCosigned(long treeSize, String witnessKey) {
    return jdbc.sql("select count(*) from log_cosignature where tree_size = ? and witness_key = ?").param(treeSize).param(witnessKey)
        .query(Long.class).single() > 0;
  }

  /** The newest checkpoint this witness cosigned, with its size and root. */
  Optional<CheckpointStore.StoredCheckpoint> newestCosigned(String witnessKey) {
    return jdbc.sql("""
        select c.tree_size, c.root_hash, c.signed_note, c.created_at from log_checkpoint c
          join log_cosignature s on s.tree_size = c.tree_size and s.witness_key = ?
         order by c.tree_size desc limit 1""")
        .param(witnessKey)
        .query((rs, n) -> new CheckpointStore.StoredCheckpoint(rs.getLong(1), Hash.of(rs.getBytes(2)), rs.getString(3),
            rs.getTimestamp(4).toInstant())).optional();
  }

  /** Every cosignature line of a checkpoint, by any witness key, oldest first. */
  List<String> lines(long treeSize) {
    return jdbc.sql("select signature_line from log_cosignature where tree_size = ? order by received_at, witness_key")
        .param(treeSize).query(String.class).list();
  }
}
