package optout.registry.identity;

import java.security.GeneralSecurityException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import optout.pseudonymizer.id.PersonId;
import optout.pseudonymizer.identity.IdentitySealer;
import optout.pseudonymizer.pseudonym.WarehousePseudonymizer;
import optout.registry.event.EventLeaf;
import optout.registry.event.LeafAuthenticator;
import optout.registry.event.store.EventRows;
import optout.registry.event.store.PersonRekeys;
import optout.registry.event.store.StoredEvent;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Which warehouse key version the registry's pseudonyms are under, and the re-key that moves them to a
 * newer one. The registry always works under the newest version its warehouse custody holds: when it starts
 * with a newer one than its stored pseudonyms (after {@code ./optout keys rotate-warehouse}), it re-keys
 * before it serves, in one transaction that no filing interleaves with:
 *
 * <ul>
 *   <li>the log keeps every event exactly as filed (its leaf commits to the pseudonym of its day); for every
 *       pseudonym the events carry under an older version, {@code person_rekey} records the same person's
 *       pseudonym under the new one, made from the event's sealed ID (the identity key opens it; it is bound
 *       to the pseudonym it was sealed for) and MACed with the registry's row key;
 *   <li>the current state moves to the new pseudonyms, its sealed IDs sealed again for them;
 *   <li>{@code registry_key_version} records the version, when, and how many persons moved.
 * </ul>
 *
 * After it, the old warehouse key version is no longer needed by the registry and may leave its custody.
 * The registry's exclusion snapshots name the version (manifest format 2), and extracts refuse a snapshot of
 * another version than their tables, so an extract between the warehouse's re-key and the registry's is
 * refused loudly instead of missing every opt-out.
 *
 * <p>At its first start with versions recorded, the registry finds the version of the pseudonyms already
 * stored by opening one event's sealed ID and making its pseudonym under each version the custody holds;
 * at every start it checks one current-state row the same way, so a custody with another key under the same
 * version number stops the registry instead of filing under a second pseudonym space.
 */
@Component
public class WarehouseKeyVersions {

  /** The two-key advisory lock (apart from the one-key locks on persons and on the log): shared by filings, taken alone by a re-key. */
  private static final int LOCK_CLASS = 0x6e6869;       // "nhi"
  private static final int LOCK_VERSIONS = 0x6b766572;  // "kver"

  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(WarehouseKeyVersions.class);

  private final JdbcTemplate jdbc;
  private final TransactionTemplate transactions;
  private final LeafAuthenticator authenticator;
  private final Clock clock;

  WarehouseKeyVersions(JdbcTemplate jdbc, TransactionTemplate transactions, LeafAuthenticator authenticator, Clock clock) {
    this.jdbc = jdbc;
    this.transactions = transactions;
    this.authenticator = authenticator;
    this.clock = clock;
  }

  /**
   * Settles the version the registry works under (re-keying to the custody's newest if needed) and answers it.
   *
   * @param held the warehouse pseudonymizer of every version the custody holds, by version
   * @throws IllegalStateException if the stored pseudonyms are under a version the custody does not hold, or
   *     the custody's key of that version does not give them
   */
  int adopt(NavigableMap<Integer, WarehousePseudonymizer> held, IdentitySealer sealer) {
    if (held.isEmpty()) {
      throw new IllegalStateException("Cannot start the registry: its warehouse custody holds no warehouse key");
    }
    return transactions.execute(status -> {
      jdbc.queryForObject("select pg_advisory_xact_lock(?, ?)::text", String.class, LOCK_CLASS, LOCK_VERSIONS);
      List<Integer> recorded = jdbc.queryForList("select version from registry_key_version order by version", Integer.class);
      int current = recorded.isEmpty() ? first(held, sealer) : recorded.get(recorded.size() - 1);
      if (!held.containsKey(current)) {
        throw new IllegalStateException("Cannot start the registry: its pseudonyms are under warehouse key version " + current
            + ", and its warehouse custody holds versions " + held.keySet() + ". Give it a custody with version " + current
            + " (and any newer one to re-key to).");
      }
      check(current, held.get(current), sealer);
      if (held.lastKey() > current) {
        rekey(current, held.lastKey(), held.lastEntry().getValue(), sealer, recorded.isEmpty() ? current : recorded.get(0));
        return held.lastKey();
      }
      return current;
    });
  }

  /**
   * Holds off a re-key until the caller's transaction ends and checks that the registry still works under
   * {@code version}: a registry process started before another one re-keyed must not file under the old one.
   */
  public void requireCurrent(int version) {
    jdbc.queryForObject("select pg_advisory_xact_lock_shared(?, ?)::text", String.class, LOCK_CLASS, LOCK_VERSIONS);
    Integer newest = jdbc.queryForObject("select max(version) from registry_key_version", Integer.class);
    if (newest == null || newest != version) {
      throw new IllegalStateException("The registry's pseudonyms were re-keyed to warehouse key version " + newest
          + " since this process started under version " + version + ": restart it");
    }
  }

  /** Calls {@code each} with the sealed ID of every one of these current-state persons under {@code version}. */
  void sealedIds(int version, long[] pseudonyms, java.util.function.BiConsumer<Long, byte[]> each) {
    int chunk = 10_000;
    for (int from = 0; from < pseudonyms.length; from += chunk) {
      Long[] part = java.util.Arrays.stream(pseudonyms, from, Math.min(pseudonyms.length, from + chunk)).boxed().toArray(Long[]::new);
      jdbc.query(connection -> {
        var statement = connection.prepareStatement("select person, sealed_id from person_state where key_version = ? and person = any(?)");
        statement.setInt(1, version);
        statement.setArray(2, connection.createArrayOf("bigint", part));
        return statement;
      }, (org.springframework.jdbc.core.RowCallbackHandler) rows -> each.accept(rows.getLong(1), rows.getBytes(2)));
    }
  }

  /** The version of the pseudonyms stored before versions were recorded, found from one sealed ID; recorded. */
  private int first(NavigableMap<Integer, WarehousePseudonymizer> held, IdentitySealer sealer) {
    Optional<StoredEvent> sample = jdbc.query(EventRows.SELECT + " order by e.seq limit 1000", rows -> {
      while (rows.next()) {
        StoredEvent stored = EventRows.row(rows, 0);
        if (authenticator.verify(EventLeaf.encode(stored.event()), stored.rowMac())) {
          return Optional.of(stored);
        }
      }
      return Optional.<StoredEvent>empty();
    });
    int version = held.lastKey();
    if (sample.isPresent()) {
      PersonId person = open(sealer, sample.get().sealedId(), sample.get().event().person());
      version = held.entrySet().stream().filter(entry -> entry.getValue().pseudonym(person) == sample.get().event().person())
          .map(Map.Entry::getKey).findFirst()
          .orElseThrow(() -> new IllegalStateException("Cannot start the registry: its stored pseudonyms are under none of the"
              + " warehouse key versions its custody holds (" + held.keySet() + "). Give it the warehouse custody it filed under."));
    }
    jdbc.update("insert into registry_key_version (version, adopted_at, persons) values (?, ?, 0)", version, Timestamp.from(clock.instant()));
    jdbc.update("update person_state set key_version = ? where key_version = 0", version);
    log.info("The registry's pseudonyms are under warehouse key version {}", version);
    return version;
  }

  /** One current-state row must be the pseudonym of its own sealed ID under {@code version}, and every row under it. */
  private void check(int version, WarehousePseudonymizer pseudonymizer, IdentitySealer sealer) {
    Integer elsewhere = jdbc.queryForObject("select count(*) from person_state where key_version <> ?", Integer.class, version);
    if (elsewhere != 0) {
      throw new IllegalStateException("Cannot start the registry: " + elsewhere + " current-state rows are not under warehouse key"
          + " version " + version + ", the registry's version");
    }
    jdbc.query("select person, sealed_id from person_state where key_version = ? order by last_seq desc limit 1", rows -> {
      long person = rows.getLong(1);
      if (pseudonymizer.pseudonym(open(sealer, rows.getBytes(2), person)) != person) {
        throw new IllegalStateException("Cannot start the registry: its warehouse custody's key version " + version
            + " does not give the pseudonyms the registry stored under that version. Give it the warehouse custody it filed under.");
      }
    }, version);
  }

  private void rekey(int from, int to, WarehousePseudonymizer target, IdentitySealer sealer, int firstVersion) {
    // every pseudonym the authentic events carry under an older version, with the same person's under the new one
    Map<Filed, Long> moved = new HashMap<>();
    List<Object[]> mappings = new ArrayList<>();
    jdbc.query(EventRows.SELECT + " order by e.seq", rows -> {
      StoredEvent stored = EventRows.row(rows, 0);
      int version = stored.personKeyVersion() == 0 ? firstVersion : stored.personKeyVersion();
      long person = stored.event().person();
      if (version == to || moved.containsKey(new Filed(version, person))
          || !authenticator.verify(EventLeaf.encode(stored.event()), stored.rowMac())) {
        return;  // a row inserted behind the registry's back counts nowhere, so it is not carried over either
      }
      long next = target.pseudonym(open(sealer, stored.sealedId(), person));
      moved.put(new Filed(version, person), next);
      mappings.add(new Object[] {to, version, person, next, PersonRekeys.mac(authenticator, to, version, person, next)});
    });
    List<Object[]> states = new ArrayList<>();
    jdbc.query("select person, sealed_id from person_state where key_version = ?", rows -> {
      long person = rows.getLong(1);
      PersonId id = open(sealer, rows.getBytes(2), person);
      long next = target.pseudonym(id);
      if (!Long.valueOf(next).equals(moved.get(new Filed(from, person)))) {
        throw new IllegalStateException("Cannot re-key the registry: a current-state row has no authentic event under its pseudonym;"
            + " run ./optout registry audit");
      }
      try {
        states.add(new Object[] {to, next, sealer.seal(id, next), from, person});
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("Cannot seal an identity again: " + e.getMessage(), e);
      }
    }, from);
    jdbc.update("insert into registry_key_version (version, adopted_at, persons) values (?, ?, ?)", to, Timestamp.from(clock.instant()),
        states.size());
    jdbc.batchUpdate("insert into person_rekey (to_version, from_version, from_person, to_person, row_mac) values (?, ?, ?, ?, ?)", mappings);
    jdbc.batchUpdate("update person_state set key_version = ?, person = ?, sealed_id = ? where key_version = ? and person = ?", states);
    log.info("Re-keyed the registry from warehouse key version {} to {}: {} persons, {} filed pseudonyms", from, to, states.size(),
        mappings.size());
  }

  /** A pseudonym as events carry it: under the warehouse key version it was filed under. */
  private record Filed(int version, long person) {}

  private static PersonId open(IdentitySealer sealer, byte[] sealed, long pseudonym) {
    try {
      return sealer.open(sealed, pseudonym);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Cannot open a sealed ID with the registry's identity key (" + e.getMessage() + "):"
          + " give it the identity custody it sealed with", e);
    }
  }
}
