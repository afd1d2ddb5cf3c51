package optout.registry.transparency;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import optout.registry.event.EventLeaf;
import optout.registry.event.store.EventStore;
import optout.registry.event.store.StoredEvent;
import optout.registry.log.Checkpoint;
import optout.registry.log.CheckpointSigner;
import optout.registry.log.Hash;
import optout.registry.log.MerkleHashing;
import optout.registry.log.MerkleLog;
import optout.registry.log.TreeHead;
import optout.registry.record.RecordStore;
import optout.registry.record.StoredRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Gives stored events their place in the log, as Trillian's sequencer does: filings commit
 * concurrently, and one sequencer (one transaction at a time, under a database lock, so several
 * registry processes can run) appends the new ones in insertion order, stores their leaves and the
 * tree's new nodes, and signs a checkpoint at most once per checkpoint interval. An event whose row
 * MAC is not the registry's (inserted behind its back) is not logged; an alert says so. Log records (scope
 * rules, exemption decisions) are logged the same way, each round's before its events.
 *
 * <p>A registry without any checkpoint first signs the one of the empty tree (size 0), before it logs
 * anything: "nobody has opted out as of checkpoint 0" is then a signed statement that releases, the
 * bulk check and auditors can rely on from the registry's first start. A registry that already has
 * checkpoints never gets one of size 0 afterwards.
 */
@Component
public class Sequencer {

  private static final Logger log = LoggerFactory.getLogger(Sequencer.class);
  /** The advisory lock that makes one sequencer at a time, across processes. */
  private static final long LOG_LOCK = 0x6e68692d6c6f6721L;

  private final EventStore events;
  private final RecordStore records;
  private final CheckpointStore checkpoints;
  private final RegistryLogKeys keys;
  private final LogProperties properties;
  private final MerkleLog merkle;
  private final JdbcClient jdbc;
  private final org.springframework.jdbc.core.JdbcTemplate template;
  private final TransactionTemplate transactions;
  private final Clock clock;

  Sequencer(EventStore events, RecordStore records, CheckpointStore checkpoints, RegistryLogKeys keys, LogProperties properties, MerkleLog merkle,
      JdbcClient jdbc, org.springframework.jdbc.core.JdbcTemplate template, TransactionTemplate transactions, Clock clock) {
    this.events = events;
    this.records = records;
    this.checkpoints = checkpoints;
    this.keys = keys;
    this.properties = properties;
    this.merkle = merkle;
    this.jdbc = jdbc;
    this.template = template;
    this.transactions = transactions;
    this.clock = clock;
  }

  @Scheduled(fixedDelayString = "${optout.registry.log.sequence-interval:200ms}")
  void scheduled() {
    try {
      sequence();
    } catch (RuntimeException e) {
      log.error("The sequencer failed; it tries again at its next run", e);
    }
  }

  /** One round: logs what is new and signs a checkpoint if one is due. Answers the number of leaves logged. */
  public int sequence() {
    Integer logged = transactions.execute(status -> {
      if (!jdbc.sql("select pg_try_advisory_xact_lock(?)").param(LOG_LOCK).query(Boolean.class).single()) {
        return 0;  // another process sequences now
      }
      signEmptyTreeIfFirst();
      List<Entry> authentic = new ArrayList<>();
      List<Hash> leafHashes = new ArrayList<>();
      for (StoredRecord stored : records.unlogged(properties.batchSize())) {
        if (keys.verify(stored.leaf(), stored.rowMac())) {
          authentic.add(new Entry(null, stored.seq()));
          leafHashes.add(MerkleHashing.leafHash(stored.leaf()));
        } else {
          quarantine("unauthenticated-record", "Log record", stored.seq());
        }
      }
      for (StoredEvent stored : events.unlogged(properties.batchSize())) {
        byte[] leaf = EventLeaf.encode(stored.event());
        if (keys.verify(leaf, stored.rowMac())) {
          authentic.add(new Entry(stored.seq(), null));
          leafHashes.add(MerkleHashing.leafHash(leaf));
        } else {
          quarantine("unauthenticated-event", "Event", stored.seq());
        }
      }
      if (!authentic.isEmpty()) {
        long first = merkle.size();
        merkle.appendAll(leafHashes);  // its tree head may not be signed yet: checkpoints are rate-limited
        insertLeaves(first, authentic, leafHashes);
      }
      checkpointIfDue();
      return authentic.size();
    });
    return logged == null ? 0 : logged;
  }

  /** Under the lock, so exactly once across processes; the table's primary key would refuse a second one anyway. */
  private void signEmptyTreeIfFirst() {
    if (merkle.size() == 0 && checkpoints.latest().isEmpty()) {
      sign(0, clock.instant().truncatedTo(ChronoUnit.MICROS));
    }
  }

  private void checkpointIfDue() {
    long size = merkle.size();
    Optional<CheckpointStore.StoredCheckpoint> latest = checkpoints.latest();
    if (size == 0 || latest.map(c -> c.treeSize() == size).orElse(false)) {
      return;
    }
    Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
    if (latest.isPresent() && latest.get().createdAt().plus(properties.checkpointInterval()).isAfter(now)) {
      return;
    }
    sign(size, now);
  }

  private void sign(long size, Instant now) {
    TreeHead head = new TreeHead(size, merkle.root(size));
    String note = new CheckpointSigner(keys.signer()).sign(Checkpoint.of(properties.origin(), head)).encoded();
    checkpoints.insert(new CheckpointStore.StoredCheckpoint(size, head.rootHash(), note, now));
  }

  /** What a leaf logs: an event row or a record row, the other null. */
  private record Entry(Long eventSeq, Long recordSeq) {}

  private void insertLeaves(long first, List<Entry> logged, List<Hash> leafHashes) {
    Long[] indexes = new Long[logged.size()];
    Long[] seqs = new Long[logged.size()];
    Long[] recordSeqs = new Long[logged.size()];
    byte[][] hashes = new byte[logged.size()][];
    for (int i = 0; i < logged.size(); i++) {
      indexes[i] = first + i;
      seqs[i] = logged.get(i).eventSeq();
      recordSeqs[i] = logged.get(i).recordSeq();
      hashes[i] = leafHashes.get(i).bytes();
    }
    template.execute((java.sql.Connection connection) -> {
      try (var statement = connection.prepareStatement("insert into log_leaf (log_index, event_seq, record_seq, leaf_hash)"
          + " select * from unnest(?::bigint[], ?::bigint[], ?::bigint[], ?::bytea[])")) {
        statement.setArray(1, connection.createArrayOf("int8", indexes));
        statement.setArray(2, connection.createArrayOf("int8", seqs));
        statement.setArray(3, connection.createArrayOf("int8", recordSeqs));
        statement.setArray(4, connection.createArrayOf("bytea", hashes));
        return statement.executeUpdate();
      }
    });
  }

  /** A row the registry did not write: left out of the log, once alerted. */
  private void quarantine(String kind, String what, long seq) {
    log.error("{} row {} does not carry the registry's MAC: it was not written by the registry and is not logged", what, seq);
    jdbc.sql("insert into registry_alert (kind, raised_at, detail) values (?, ?, jsonb_build_object('seq', ?::bigint))")
        .param(kind).param(java.sql.Timestamp.from(clock.instant())).param(seq).update();
  }
}
