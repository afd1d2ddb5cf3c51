package optout.registry.transparency;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import optout.registry.log.Hash;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Signed checkpoints, one row per published tree size, never changed. */
@Repository
public class CheckpointStore {

  /** A published checkpoint: its size, root, signed note and when it was signed. */
  public record StoredCheckpoint(long treeSize, Hash rootHash, String signedNote, Instant createdAt) {}

  private final JdbcClient jdbc;

  CheckpointStore(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  public Optional<StoredCheckpoint> latest() {
    return jdbc.sql("select tree_size, root_hash, signed_note, created_at from log_checkpoint order by tree_size desc limit 1")
        .query(CheckpointStore::row).optional();
  }

  public Optional<StoredCheckpoint> bySize(long treeSize) {
    return jdbc.sql("select tree_size, root_hash, signed_note, created_at from log_checkpoint where tree_size = ?")
        .param(treeSize).query(CheckpointStore::row).optional();
  }

  /** The first checkpoint that covers a leaf index (its tree size exceeds the index). */
  public Optional<StoredCheckpoint> firstCovering(long leafIndex) {
    return jdbc.sql("select tree_size, root_hash, signed_note, created_at from log_checkpoint where tree_size > ? order by tree_size limit 1")
        .param(leafIndex).query(CheckpointStore::row).optional();
  }

  /** The last checkpoint signed at or before an instant. */
  public Optional<StoredCheckpoint> latestAt(Instant instant) {
    return jdbc.sql("select tree_size, root_hash, signed_note, created_at from log_checkpoint where created_at <= ? order by tree_size desc limit 1")
        .param(Timestamp.from(instant)).query(CheckpointStore::row).optional();
  }

  public List<StoredCheckpoint> all() {
    return jdbc.sql("select tree_size, root_hash, signed_note, created_at from log_checkpoint order by tree_size")
        .query(CheckpointStore::row).list();
  }

  void insert(StoredCheckpoint checkpoint) {
    jdbc.sql("insert into log_checkpoint (tree_size, root_hash, signed_note, created_at) values (?, ?, ?, ?)")
        .param(checkpoint.treeSize()).param(checkpoint.rootHash().bytes()).param(checkpoint.signedNote())
        .param(Timestamp.from(checkpoint.createdAt())).update();
  }

  private static StoredCheckpoint row(java.sql.ResultSet rs, int n) throws java.sql.SQLException {
    return new StoredCheckpoint(rs.getLong(1), Hash.of(rs.getBytes(2)), rs.getString(3), rs.getTimestamp(4).toInstant());
  }
}
