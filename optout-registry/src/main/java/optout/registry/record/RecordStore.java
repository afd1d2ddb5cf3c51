package optout.registry.record;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import optout.registry.event.LeafAuthenticator;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Log records and their SQL: only ever inserted (the database refuses anything else), each with the
 * registry's row MAC over its leaf, which the sequencer checks before it logs one.
 */
@Repository
public class RecordStore {

  /** Records with their log index (null until logged); add a where and an order. */
  public static final String SELECT = """
      select r.seq, r.kind, r.leaf, r.row_mac, l.log_index
      from log_record r left join log_leaf l on l.record_seq = r.seq
      """;

  /** A record as the log holds it at a tree size: its leaf and its index. */
  public record Logged(long logIndex, byte[] leaf) {}

  private final JdbcClient jdbc;
  private final LeafAuthenticator authenticator;
  private final Clock clock;

  RecordStore(JdbcClient jdbc, LeafAuthenticator authenticator, Clock clock) {
    this.jdbc = jdbc;
    this.authenticator = authenticator;
    this.clock = clock;
  }

  public static StoredRecord row(ResultSet rs, int rowNumber) throws SQLException {
    Long logIndex = rs.getObject("log_index", Long.class);
    return new StoredRecord(rs.getLong("seq"), RecordKind.fromCode(rs.getString("kind")).orElseThrow(), rs.getBytes("leaf"),
        rs.getBytes("row_mac"), logIndex == null ? OptionalLong.empty() : OptionalLong.of(logIndex));
  }

  /** Stores a record for the sequencer to log; {@code exemptionDecision} names the decision row it logs, if any. */
  public long insert(RecordKind kind, byte[] leaf, Long exemptionDecision) {
    return jdbc.sql("insert into log_record (kind, leaf, exemption_decision, recorded_at, row_mac) values (?, ?, ?, ?, ?) returning seq")
        .param(kind.code()).param(leaf).param(exemptionDecision).param(Timestamp.from(clock.instant())).param(authenticator.mac(leaf))
        .query(Long.class).single();
  }

  /** Records the sequencer has not logged yet (nor refused as not the registry's), in insertion order. */
  public List<StoredRecord> unlogged(int limit) {
    return jdbc.sql(SELECT + """
         where l.log_index is null and not exists (select 1 from registry_alert a
           where a.kind = 'unauthenticated-record' and (a.detail ->> 'seq')::bigint = r.seq)
         order by r.seq limit ?""").param(limit).query(RecordStore::row).list();
  }

  /** The records of log indexes [from, to), in log order. */
  public List<StoredRecord> logged(long from, long to) {
    return jdbc.sql(SELECT + " where l.log_index >= ? and l.log_index < ? order by l.log_index").param(from).param(to)
        .query(RecordStore::row).list();
  }

  /** The leaf of the newest stored record of a kind that the registry wrote (logged or waiting for the sequencer). */
  public Optional<byte[]> latestAuthentic(RecordKind kind) {
    return jdbc.sql(SELECT + " where r.kind = ? order by r.seq desc").param(kind.code()).query(RecordStore::row).stream()
        .filter(stored -> authenticator.verify(stored.leaf(), stored.rowMac())).findFirst().map(StoredRecord::leaf);
  }

  /** The newest record of a kind among the first {@code treeSize} leaves. */
  public Optional<Logged> latestLogged(RecordKind kind, long treeSize) {
    return jdbc.sql("""
        select l.log_index, r.leaf from log_record r join log_leaf l on l.record_seq = r.seq
        where r.kind = ? and l.log_index < ? order by l.log_index desc limit 1""")
        .param(kind.code()).param(treeSize).query((rs, n) -> new Logged(rs.getLong(1), rs.getBytes(2))).optional();
  }

  /** Whether an event is logged below a leaf index. */
  public boolean eventLoggedBelow(long index) {
    return jdbc.sql("select exists (select 1 from log_leaf where event_seq is not null and log_index < ?)").param(index)
        .query(Boolean.class).single();
  }
}
