package optout.registry.audit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import optout.registry.event.EventLeaf;
import optout.registry.event.LeafAuthenticator;
import optout.registry.event.store.PersonRekeys;
import optout.registry.event.PersonState;
import optout.registry.event.store.EventRows;
import optout.registry.event.store.StoredEvent;
import optout.registry.log.Checkpoint;
import optout.registry.log.CheckpointVerifier;
import optout.registry.log.Hash;
import optout.registry.log.MerkleHashing;
import optout.registry.log.NoteException;
import optout.registry.log.RootAccumulator;
import tools.jackson.databind.json.JsonMapper;

/**
 * Recomputes the transparency log from the database rows, as an outsider would, and reports every row
 * that was edited, deleted, inserted or reordered behind the application's back.
 *
 * <ol>
 *   <li>Every checkpoint's signature is checked with the verifier key; sizes must grow.
 *   <li>The leaves are read in log order, each recomputed from its event row: a row whose content no
 *       longer hashes to the leaf recorded for it was edited; a missing index or row was deleted; a
 *       leaf hash that appears at another index than recorded means reordering; with the registry's
 *       key, every row must carry the registry's MAC.
 *   <li>The tree is rebuilt from the recomputed leaves and its root compared with every checkpoint, so
 *       that even a tamperer who also rewrote the stored leaf hashes and nodes is caught by the signed
 *       roots.
 *   <li>Rows not in the log, older than a grace period, are reported (the sequencer logs within a second).
 *   <li>The current-state projection is compared with the fold of each person's events.
 * </ol>
 *
 * Runs in one repeatable-read transaction, so a live registry can be audited.
 */
public final class LogAudit {

  /** What the audit saw and found. */
  public record Report(long leaves, int checkpoints, long persons, List<Finding> findings) {
    public boolean clean() {
      return findings.isEmpty();
    }
  }

  private static final Duration UNLOGGED_GRACE = Duration.ofMinutes(1);
  private static final int MAX_FINDINGS = 1000;

  private final Connection connection;
  private final CheckpointVerifier verifier;
  private final Optional<LeafAuthenticator> authenticator;
  private final List<Finding> findings = new ArrayList<>();
  private final Map<String, String> held = new java.util.TreeMap<>();

  /**
   * @param authenticator the registry's row-MAC key, if the auditor holds it; without it, inserted rows
   *     are found only when they break the log
   */
  public LogAudit(Connection connection, CheckpointVerifier verifier, Optional<LeafAuthenticator> authenticator) {
    this.connection = connection;
    this.verifier = verifier;
    this.authenticator = authenticator;
  }

  /**
   * Checkpoints held outside the database (a witness's, a consumer's, a citizen's receipt), by where they
   * came from: the rows must recompute to each, so a log that lost its tail together with its stored
   * checkpoints, an old backup, or a second history shown to someone else is caught.
   */
  public LogAudit heldElsewhere(Map<String, String> signedNotesBySource) {
    held.putAll(signedNotesBySource);
    return this;
  }

  public Report run() throws SQLException {
    boolean autoCommit = connection.getAutoCommit();
    connection.setAutoCommit(false);
    connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
    connection.setReadOnly(true);
    try {
      Map<Long, Hash> signedRoots = checkpoints();
      addHeldElsewhere(signedRoots);
      long leaves = leaves(signedRoots);
      unlogged();
      long persons = projection();
      return new Report(leaves, signedRoots.size(), persons, List.copyOf(findings));
    } finally {
      connection.rollback();
      connection.setReadOnly(false);
      connection.setAutoCommit(autoCommit);
    }
  }

  private void find(Finding.Kind kind, String message) {
    if (findings.size() < MAX_FINDINGS) {
      findings.add(new Finding(kind, message));
    } else if (findings.size() == MAX_FINDINGS) {
      findings.add(new Finding(kind, "more findings left out: the first " + MAX_FINDINGS + " are listed"));
    }
  }

  /** Signed roots by tree size, each signature verified. */
  private Map<Long, Hash> checkpoints() throws SQLException {
    Map<Long, Hash> roots = new java.util.TreeMap<>();
    try (PreparedStatement query = connection.prepareStatement("select tree_size, root_hash, signed_note from log_checkpoint order by tree_size");
        ResultSet rows = query.executeQuery()) {
      while (rows.next()) {
        long size = rows.getLong(1);
        try {
          Checkpoint checkpoint = verifier.verify(rows.getString(3));
          if (checkpoint.size() != size) {
            find(Finding.Kind.BAD_CHECKPOINT, "the checkpoint stored for size " + size + " is signed for size " + checkpoint.size());
          } else if (!checkpoint.rootHash().equals(Hash.of(rows.getBytes(2)))) {
            find(Finding.Kind.BAD_CHECKPOINT, "the root stored beside checkpoint " + size + " is not the root it signs");
          }
          roots.put(size, checkpoint.rootHash());
        } catch (NoteException e) {
          find(Finding.Kind.BAD_CHECKPOINT, "checkpoint " + size + " does not verify: " + e.getMessage());
        }
      }
    }
    return roots;
  }

  /** Adds the verified checkpoints held elsewhere to those the rows must recompute to. */
  private void addHeldElsewhere(Map<Long, Hash> signedRoots) {
    held.forEach((source, note) -> {
      try {
        Checkpoint checkpoint = verifier.verify(note);
        Hash stored = signedRoots.putIfAbsent(checkpoint.size(), checkpoint.rootHash());
        if (stored != null && !stored.equals(checkpoint.rootHash())) {
          find(Finding.Kind.TREE_MISMATCH, "the checkpoint of size " + checkpoint.size() + " held in " + source
              + " signs another root than the database's: the log has shown two histories");
        }
      } catch (NoteException e) {
        find(Finding.Kind.BAD_CHECKPOINT, "the checkpoint held in " + source + " does not verify: " + e.getMessage());
      }
    });
  }

  private long leaves(Map<Long, Hash> signedRoots) throws SQLException {
    Map<Hash, Long> edited = new HashMap<>();  // what an edited row recomputes to -> its index
    java.util.Set<Long> recordLeaves = new java.util.HashSet<>();
    RootAccumulator tree = new RootAccumulator();
    long expected = 0;
    String sql = """
        select l.log_index, l.leaf_hash as recorded_hash, n.hash as node_hash, coalesce(l.event_seq, l.record_seq),
               e.seq is not null or r.seq is not null as present, l.record_seq is not null as is_record,
               r.seq as record_seq, r.leaf as record_leaf, r.row_mac as record_mac, """ + EventRows.COLUMNS + """

        from log_leaf l left join registry_event e on e.seq = l.event_seq left join log_record r on r.seq = l.record_seq
        left join log_node n on n.level = 0 and n.index = l.log_index
        order by l.log_index""";
    try (PreparedStatement query = connection.prepareStatement(sql)) {
      query.setFetchSize(10_000);
      try (ResultSet rows = query.executeQuery()) {
        while (rows.next()) {
          long index = rows.getLong(1);
          Hash recorded = Hash.of(rows.getBytes(2));
          byte[] node = rows.getBytes(3);
          while (expected < index) {
            find(Finding.Kind.DELETED, "leaf " + expected + " is missing from the log");
            expected++;
          }
          expected = index + 1;
          if (node == null || !Hash.of(node).equals(recorded)) {
            find(Finding.Kind.TREE_MISMATCH, "the tree node of leaf " + index + (node == null ? " is missing" : " differs from the leaf recorded"));
          }
          boolean record = rows.getBoolean(6);
          String row = (record ? "the record row of leaf " : "the event row of leaf ") + index + " (" + (record ? "record " : "row ")
              + rows.getLong(4) + ")";
          if (!rows.getBoolean(5)) {
            find(Finding.Kind.DELETED, row + " was deleted");
            tree.add(recorded);
            continue;
          }
          byte[] leaf;
          byte[] mac;
          if (record) {
            recordLeaves.add(index);
            leaf = rows.getBytes("record_leaf");
            mac = rows.getBytes("record_mac");
          } else {
            StoredEvent stored = EventRows.row(rows, 0);
            leaf = EventLeaf.encode(stored.event());
            mac = stored.rowMac();
          }
          Hash actual = MerkleHashing.leafHash(leaf);
          tree.add(actual);
          if (!actual.equals(recorded)) {
            edited.put(actual, index);
          }
          if (authenticator.isPresent() && !authenticator.get().verify(leaf, mac)) {
            find(Finding.Kind.INSERTED, row + " was not written by the registry");
          }
          Hash root = signedRoots.get(index + 1);
          if (root != null && !root.equals(tree.root())) {
            find(Finding.Kind.TREE_MISMATCH, "the rows up to leaf " + index + " do not recompute to checkpoint " + (index + 1) + "'s signed root");
          }
        }
      }
    }
    long last = signedRoots.keySet().stream().mapToLong(Long::longValue).max().orElse(0);
    if (expected < last) {
      find(Finding.Kind.DELETED, "checkpoint " + last + " signed " + last + " leaves, but the log holds " + expected);
    }
    reorderingsAndEdits(edited, recordLeaves);
    return expected;
  }

  /**
   * A row that no longer hashes to its leaf was either edited, or moved: if what it hashes to is the leaf
   * recorded at another index, the rows were reordered (e.g. their log positions swapped).
   */
  private void reorderingsAndEdits(Map<Hash, Long> mismatched, java.util.Set<Long> recordLeaves) throws SQLException {
    if (mismatched.isEmpty()) {
      return;
    }
    Map<Long, Long> movedFrom = new java.util.TreeMap<>();
    try (PreparedStatement query = connection.prepareStatement("select log_index, leaf_hash from log_leaf order by log_index")) {
      query.setFetchSize(10_000);
      try (ResultSet rows = query.executeQuery()) {
        while (rows.next()) {
          Long at = mismatched.get(Hash.of(rows.getBytes(2)));
          if (at != null) {
            movedFrom.put(at, rows.getLong(1));
          }
        }
      }
    }
    mismatched.values().stream().sorted().forEach(index -> {
      Long from = movedFrom.get(index);
      if (from != null) {
        find(Finding.Kind.REORDERED, "leaf " + index + " holds the row that was logged as leaf " + from);
      } else {
        find(Finding.Kind.EDITED, (recordLeaves.contains(index) ? "the record row of leaf " : "the event row of leaf ") + index
            + " was changed after it was logged");
      }
    });
  }

  private void unlogged() throws SQLException {
    unloggedRecords();
    String sql = EventRows.SELECT + " where l.log_index is null order by e.seq";
    Instant old = Instant.now().minus(UNLOGGED_GRACE);
    try (PreparedStatement query = connection.prepareStatement(sql); ResultSet rows = query.executeQuery()) {
      while (rows.next()) {
        StoredEvent stored = EventRows.row(rows, 0);
        boolean authentic = authenticator.map(a -> a.verify(EventLeaf.encode(stored.event()), stored.rowMac())).orElse(true);
        if (!authentic) {
          find(Finding.Kind.INSERTED, "row " + stored.seq() + " was not written by the registry and is not in the log");
        } else if (stored.event().recordedAt().isBefore(old)) {
          find(Finding.Kind.INSERTED, "row " + stored.seq() + " has waited more than a minute for the log: inserted behind the"
              + " registry's back, or the sequencer has stopped");
        }
      }
    }
  }

  /** Records the sequencer would have logged within a second, or refused as not the registry's. */
  private void unloggedRecords() throws SQLException {
    String sql = """
        select r.seq, r.leaf, r.row_mac, r.recorded_at from log_record r
        where not exists (select 1 from log_leaf l where l.record_seq = r.seq) order by r.seq""";
    Instant old = Instant.now().minus(UNLOGGED_GRACE);
    try (PreparedStatement query = connection.prepareStatement(sql); ResultSet rows = query.executeQuery()) {
      while (rows.next()) {
        long seq = rows.getLong(1);
        if (!authenticator.map(a -> verify(a, rows)).orElse(true)) {
          find(Finding.Kind.INSERTED, "record " + seq + " was not written by the registry and is not in the log");
        } else if (rows.getTimestamp(4).toInstant().isBefore(old)) {
          find(Finding.Kind.INSERTED, "record " + seq + " has waited more than a minute for the log: inserted behind the"
              + " registry's back, or the sequencer has stopped");
        }
      }
    }
  }

  private static boolean verify(LeafAuthenticator authenticator, ResultSet record) {
    try {
      return authenticator.verify(record.getBytes(2), record.getBytes(3));
    } catch (SQLException e) {
      throw new IllegalStateException("Cannot read a record row", e);
    }
  }

  /**
   * The projection against the fold of the events, person by person, under the registry's current warehouse
   * key version: an event filed under an older one counts for the person its re-key mapping names.
   */
  private long projection() throws SQLException {
    JsonMapper json = JsonMapper.builder().build();
    int current = 0;
    try (PreparedStatement query = connection.prepareStatement("select coalesce(max(version), 0) from registry_key_version");
        ResultSet rows = query.executeQuery()) {
      rows.next();
      current = rows.getInt(1);
    }
    Map<String, Long> rekeyed = new HashMap<>();
    try (PreparedStatement query = connection.prepareStatement(
        "select from_version, from_person, to_person, row_mac from person_rekey where to_version = ?")) {
      query.setInt(1, current);
      try (ResultSet rows = query.executeQuery()) {
        while (rows.next()) {
          int fromVersion = rows.getInt(1);
          long from = rows.getLong(2);
          long to = rows.getLong(3);
          if (authenticator.isPresent() && !PersonRekeys.authentic(authenticator.get(), current, fromVersion, from, to, rows.getBytes(4))) {
            find(Finding.Kind.INSERTED, "a re-key mapping into warehouse key version " + current + " was not written by the registry");
          } else {
            rekeyed.put(fromVersion + " " + from, to);
          }
        }
      }
    }
    Map<Long, PersonState> folded = new HashMap<>();
    try (PreparedStatement query = connection.prepareStatement(EventRows.SELECT + " order by e.seq")) {
      query.setFetchSize(10_000);
      try (ResultSet rows = query.executeQuery()) {
        while (rows.next()) {
          StoredEvent stored = EventRows.row(rows, 0);
          Long person = current == 0 || stored.personKeyVersion() == current ? Long.valueOf(stored.event().person())
              : rekeyed.get(stored.personKeyVersion() + " " + stored.event().person());
          if (person == null) {
            find(Finding.Kind.PROJECTION_DRIFT, "event row " + stored.seq() + " was filed under warehouse key version "
                + stored.personKeyVersion() + " and has no re-key mapping into version " + current);
            continue;
          }
          folded.merge(person, PersonState.none().replay(stored.event()), (a, b) -> a.replay(stored.event()));
        }
      }
    }
    long persons = 0;
    try (PreparedStatement query = connection.prepareStatement("select person, opted_out::text, key_version from person_state");
        ResultSet rows = query.executeQuery()) {
      while (rows.next()) {
        persons++;
        long person = rows.getLong(1);
        if (current != 0 && rows.getInt(3) != current) {
          find(Finding.Kind.PROJECTION_DRIFT, "a current-state row is under warehouse key version " + rows.getInt(3)
              + ", the registry's is " + current);
          continue;
        }
        Map<String, Instant> optedOut = new java.util.TreeMap<>();
        json.readTree(rows.getString(2)).properties().forEach(e -> optedOut.put(e.getKey(), Instant.parse(e.getValue().asString())));
        PersonState expected = folded.remove(person);
        if (expected == null || !expected.equals(PersonState.of(optedOut))) {
          find(Finding.Kind.PROJECTION_DRIFT, "a person's current state (" + optedOut.keySet() + ") is not the fold of their events");
        }
      }
    }
    for (PersonState missing : folded.values()) {
      find(Finding.Kind.PROJECTION_DRIFT, "a person with events has no current state (their events give " + missing.optedOutSince().keySet() + ")");
    }
    return persons;
  }
}
