package optout.registry.audit;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.HexFormat;
import optout.registry.event.EventLeaf;
import optout.registry.event.RegistryEvent;
import optout.registry.event.store.EventRows;
import optout.registry.log.Ed25519NoteVerifier;

/**
 * Writes the log so that anyone can verify it without our code (see {@link #FORMAT}): the leaves in
 * order, every signed checkpoint and the verifier key, and, for auditors only, the openings of the event
 * leaves' person commitments ({@link #OPENINGS}). Event leaves are recomputed from the event rows, as
 * the auditor does, so an export of a tampered database does not verify.
 */
public final class LogExport {

  public static final String FORMAT = """
      # The NHI opt-out registry's transparency log, exported

      - `origin`: the log's name, as its checkpoints carry it.
      - `verifier-key`: the Ed25519 key that signs the checkpoints, as golang.org/x/mod/sumdb/note encodes
        it: `<name>+<key ID, 8 hex digits>+<base64 of 0x01 followed by the 32-byte public key>`.
      - `leaves`: one line per leaf, in log order (line 1 is leaf 0): the base64 of the leaf's exact bytes.
        A leaf is UTF-8 text, one `name value` line each, and its first line names its format. An event:
        `nhi-optout-registry-event/1`, or `/2` for sealed filings, which end in `filer <clerk|citizen> <32 hex:
        keyed pseudonym of the account>`; the person appears only as `person <hex SHA-256("nhi-optout-person/1"
        0x00 salt pseudonym-as-8-bytes)>`. A record: `nhi-optout-registry-scope-rules/1` (the scope rules in
        force from this leaf on: `scope <purpose> excluded-by <scopes>` and `exemption <code> overrides
        <purposes>` lines) or `nhi-optout-registry-exemption-decision/1` (an auditor's grant or revocation of a
        legal exemption to a releasing service). optout-registry/README.md specifies both.
      - `openings.jsonl` (**sensitive**): one JSON object a line, for every event leaf in `leaves`:
        `{"index": <leaf index>, "person": <warehouse pseudonym, decimal>, "salt": "<32 hex: the 16-byte salt>",
        "keyVersion": <the warehouse key version the pseudonym is under>}`, which opens its commitment:
        SHA-256("nhi-optout-person/1" 0x00 salt person-as-8-bytes-big-endian) must be the leaf's `person` value. These are the warehouse pseudonyms of everyone who filed an opt-out: for
        auditors only (the file is written readable by its owner only). Keep it on encrypted storage, never copy
        it into tickets, mail or the warehouse, and delete it once the recomputation is done; hand the rest of the
        export on without it. `docs/recompute-snapshot.py` uses it to recompute a signed exclusion snapshot.
      - `rekeys.jsonl` (**sensitive**, like the openings): after a warehouse key rotation the registry re-keys its
        pseudonyms; the log keeps each event as filed, and this file holds, one JSON object a line, the mapping
        the registry made: `{"fromVersion": v, "fromPerson": <pseudonym under v>, "toVersion": w, "toPerson":
        <the same person's pseudonym under w>}`. A snapshot's manifest names its warehouse key version; events
        filed under another version count for the person the mapping names. The mapping is the registry's
        statement (made from sealed IDs with its keys, MACed with its row key): an auditor without the keys
        checks that snapshots follow from the log and it, not the mapping itself.
      - `checkpoints/<size>`: each signed checkpoint, a C2SP tlog-checkpoint (origin, size, base64 root, each
        on its own line) in a C2SP signed note (a blank line, then `— <name> <base64(4-byte key ID ||
        64-byte Ed25519 signature over the checkpoint text)>`), followed by the witness's cosignature lines
        if a witness cosigned it (C2SP tlog-cosignature, cosignature/v1: `— <witness name> <base64(4-byte key
        ID || 8-byte big-endian timestamp || 64-byte Ed25519 signature over "cosignature/v1\ntime
        <timestamp>\n" followed by the checkpoint text)>`; key ID = first 4 bytes of SHA-256(name || 0x0A ||
        0x04 || public key)). Take the witness's key from the witness, not from this export.

      To verify: for every checkpoint, check its signature with the verifier key; hash the first `size`
      leaves as RFC 9162 does (leaf hash SHA-256(0x00 || leaf), node hash SHA-256(0x01 || left || right),
      splitting at the largest power of two below n) and compare with the checkpoint's root. If every
      checkpoint verifies, the log grew append-only: no leaf was changed, removed or reordered after a
      checkpoint signed it. With the witness's key, also check that the witness cosigned the newest
      checkpoint: then the registry cannot have shown anyone another history than this one without the
      witness refusing. `docs/verify-registry-log.py` in the repository does exactly this with Python's
      standard library and the openssl command (`--witness-key`); `docs/recompute-snapshot.py` then checks
      every opening and recomputes an exclusion snapshot from the leaves up to its checkpoint.
      """;

  /** The file of the openings, which name the people who filed (by warehouse pseudonym). */
  public static final String OPENINGS = "openings.jsonl";
  /** The file of the re-key mappings, which name the same people under later warehouse key versions. */
  public static final String REKEYS = "rekeys.jsonl";

  private final Connection connection;
  private final Ed25519NoteVerifier verifier;
  private final String origin;

  /** One line of {@link #REKEYS} (also what the registry's {@code GET /api/v1/log/rekeys} answers, a line each). */
  public static String rekeyLine(int fromVersion, long fromPerson, int toVersion, long toPerson) {
    return "{\"fromVersion\": " + fromVersion + ", \"fromPerson\": " + fromPerson + ", \"toVersion\": " + toVersion + ", \"toPerson\": "
        + toPerson + "}\n";
  }

  public LogExport(Connection connection, Ed25519NoteVerifier verifier, String origin) {
    this.connection = connection;
    this.verifier = verifier;
    this.origin = origin;
  }

  /**
   * Writes into an empty or new directory; answers the number of leaves. Every signed checkpoint is
   * exported: one that signs more leaves than the database still holds (a log that lost its tail) fails
   * the export, before anything is written, rather than being left out of it.
   */
  public long export(Path directory) throws IOException, SQLException {
    boolean autoCommit = connection.getAutoCommit();
    connection.setAutoCommit(false);
    connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
    try {
      requireEveryCheckpointCovered();
      Files.createDirectories(directory.resolve("checkpoints"));
      try (var existing = Files.list(directory)) {
        if (existing.anyMatch(p -> !p.getFileName().toString().equals("checkpoints"))) {
          throw new IOException(directory + " is not empty: export into a new directory");
        }
      }
      Files.writeString(directory.resolve("FORMAT.md"), FORMAT, StandardCharsets.UTF_8);
      Files.writeString(directory.resolve("origin"), origin + "\n", StandardCharsets.UTF_8);
      Files.writeString(directory.resolve("verifier-key"), verifier.verifierKey() + "\n", StandardCharsets.UTF_8);
      long leaves = 0;
      Path openingsFile = Files.createFile(directory.resolve(OPENINGS),
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      try (BufferedWriter out = Files.newBufferedWriter(directory.resolve("leaves"), StandardCharsets.US_ASCII);
          BufferedWriter openings = Files.newBufferedWriter(openingsFile, StandardCharsets.US_ASCII);
          PreparedStatement query = connection.prepareStatement(EventRows.LEAVES
              + " where e.seq is not null or r.seq is not null order by l.log_index")) {
        query.setFetchSize(10_000);
        try (ResultSet rows = query.executeQuery()) {
          while (rows.next()) {
            byte[] leaf = rows.getBytes("record_leaf");
            if (leaf == null) {
              RegistryEvent event = EventRows.row(rows, 0).event();
              leaf = EventLeaf.encode(event);
              openings.write("{\"index\": " + leaves + ", \"person\": " + event.person() + ", \"salt\": \""
                  + HexFormat.of().formatHex(event.personSalt()) + "\", \"keyVersion\": " + rows.getInt("person_key_version") + "}\n");
            }
            out.write(Base64.getEncoder().encodeToString(leaf));
            out.write('\n');
            leaves++;
          }
        }
      }
      Path rekeysFile = Files.createFile(directory.resolve(REKEYS),
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      try (BufferedWriter rekeys = Files.newBufferedWriter(rekeysFile, StandardCharsets.US_ASCII);
          PreparedStatement query = connection.prepareStatement(
              "select from_version, from_person, to_version, to_person from person_rekey order by to_version, from_version, from_person")) {
        query.setFetchSize(10_000);
        try (ResultSet rows = query.executeQuery()) {
          while (rows.next()) {
            rekeys.write(rekeyLine(rows.getInt(1), rows.getLong(2), rows.getInt(3), rows.getLong(4)));
          }
        }
      }
      try (PreparedStatement query = connection.prepareStatement("""
          select c.tree_size, c.signed_note || coalesce((select string_agg(s.signature_line, '' order by s.received_at, s.witness_key)
                                                           from log_cosignature s where s.tree_size = c.tree_size), '')
            from log_checkpoint c order by c.tree_size""")) {
        try (ResultSet rows = query.executeQuery()) {
          while (rows.next()) {
            Files.writeString(directory.resolve("checkpoints").resolve(Long.toString(rows.getLong(1))), rows.getString(2), StandardCharsets.UTF_8);
          }
        }
      }
      return leaves;
    } finally {
      connection.rollback();
      connection.setAutoCommit(autoCommit);
    }
  }

  private void requireEveryCheckpointCovered() throws SQLException, IOException {
    try (PreparedStatement query = connection.prepareStatement("""
        select (select coalesce(max(tree_size), 0) from log_checkpoint),
               (select count(*) from log_leaf l left join registry_event e on e.seq = l.event_seq
                  left join log_record r on r.seq = l.record_seq where e.seq is not null or r.seq is not null)""");
        ResultSet row = query.executeQuery()) {
      row.next();
      long signed = row.getLong(1);
      long leaves = row.getLong(2);
      if (signed > leaves) {
        throw new IOException("Cannot export the log: checkpoint " + signed + " signs " + signed + " leaves, but the database holds "
            + leaves + " logged events and records; the log lost leaves it signed (./optout registry audit tells which)");
      }
    }
  }
}
