package optout.registry.exclusion;

import java.sql.ResultSet;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import optout.registry.event.PersonState;
import optout.registry.event.store.EventRows;
import optout.registry.event.store.StoredEvent;
import optout.registry.event.store.PersonRekeys;
import optout.registry.event.LeafAuthenticator;
import optout.registry.identity.PersonIdentities;
import optout.registry.record.RecordKind;
import optout.registry.record.RecordStore;
import optout.registry.scope.ScopeCatalogue;
import optout.registry.scope.ScopeRules;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Who must be left out of a use for a purpose, as of a tree size of the log: every person whose events
 * among the first {@code treeSize} leaves fold to an opt-out that covers the purpose. This is the one
 * definition the snapshots, the bulk check and an outside recomputation from the exported log share.
 * A legal exemption that covers the purpose empties the set: the law mandates that use.
 *
 * <p>Which opt-outs cover a purpose, and which exemptions override it, are the scope rules logged among
 * those leaves ({@link ScopeRules}, the last one logged before the tree size), never today's configuration:
 * a set at a checkpoint stays what it was after the configuration changes, and an auditor recomputes it
 * from the exported log. A tree without rules and without events (checkpoint 0) gives empty sets; one whose
 * events precede the first logged rules (a log from before rules were logged) gives none.
 *
 * <p>Sets are sorted arrays of pseudonyms under the registry's warehouse key version ({@link #keyVersion}),
 * computed in one pass over the events ordered by person and log index, and the last few are kept (a bulk
 * check of a million pseudonyms should not recompute). An event filed under an older version counts for
 * the person its re-key mapping names ({@code person_rekey}, checked by its MAC): a set is always in one
 * pseudonym space, whatever versions its events were filed under.
 */
@Service
public class ExclusionSets {

  private static final int CACHED = 4;

  private final JdbcTemplate jdbc;
  private final TransactionTemplate readOnly;
  private final ScopeCatalogue catalogue;
  private final RecordStore records;
  private final Map<String, long[]> cache = new LinkedHashMap<>(CACHED, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, long[]> eldest) {
      return size() > CACHED;
    }
  };

  private final PersonIdentities identities;
  private final LeafAuthenticator authenticator;

  ExclusionSets(JdbcTemplate jdbc, PlatformTransactionManager transactions, ScopeCatalogue catalogue, RecordStore records,
      PersonIdentities identities, LeafAuthenticator authenticator) {
    this.jdbc = jdbc;
    this.identities = identities;
    this.authenticator = authenticator;
    this.readOnly = new TransactionTemplate(transactions);
    this.readOnly.setReadOnly(true);  // and a cursor: PostgreSQL streams rows only inside a transaction
    this.catalogue = catalogue;
    this.records = records;
  }

  /** The warehouse key version of every set's pseudonyms. */
  public int keyVersion() {
    return identities.version();
  }

  /**
   * The sorted, distinct pseudonyms to exclude, under warehouse key {@link #keyVersion}.
   *
   * @throws IllegalArgumentException for an unknown purpose or exemption, or an exemption that does
   *     not cover the purpose
   */
  public long[] excluded(String purpose, Optional<String> exemption, long treeSize) {
    return excluded(purpose, exemption, treeSize, keyVersion());
  }

  /**
   * As {@link #excluded(String, Optional, long)}, the pseudonyms under warehouse key {@code version}: the current one,
   * or an older one the registry's custody still holds (for projects built before a rotation).
   *
   * @throws IllegalArgumentException also if the custody holds no such version
   */
  public long[] excluded(String purpose, Optional<String> exemption, long treeSize, int version) {
    long[] current = excludedUnderCurrent(purpose, exemption, treeSize);
    if (version == keyVersion()) {
      return current;
    }
    String key = purpose + exemption.map(e -> "+" + e).orElse("") + "@" + treeSize + "/" + version;
    synchronized (cache) {
      long[] cached = cache.get(key);
      if (cached != null) {
        return cached;
      }
    }
    long[] older = identities.under(version, current);
    synchronized (cache) {
      cache.put(key, older);
    }
    return older;
  }

  private long[] excludedUnderCurrent(String purpose, Optional<String> exemption, long treeSize) {
    Optional<RecordStore.Logged> logged = records.latestLogged(RecordKind.SCOPE_RULES, treeSize);
    if (logged.isEmpty()) {
      if (records.eventLoggedBelow(treeSize)) {
        throw new IllegalArgumentException("Cannot compute an exclusion set at tree size " + treeSize
            + ": its events were logged before any scope rules; use a checkpoint after the first scope rules in the log");
      }
      // nothing opted out, whatever the rules: the configuration only says which codes may be asked for
      catalogue.require(java.util.List.of(purpose));
      exemption.ifPresent(code -> requireOverrides(catalogue.rules(), code, purpose));
      return new long[0];
    }
    ScopeRules rules = ScopeRules.parse(logged.get().leaf());
    if (!rules.knows(purpose)) {
      throw new IllegalArgumentException("Unknown purpose " + purpose + ": the scope rules in force at tree size " + treeSize
          + " are " + String.join(", ", rules.excludedBy().keySet()));
    }
    if (exemption.isPresent()) {
      requireOverrides(rules, exemption.get(), purpose);
      return new long[0];
    }
    String key = purpose + "@" + treeSize + "/" + keyVersion();
    synchronized (cache) {
      long[] cached = cache.get(key);
      if (cached != null) {
        return cached;
      }
    }
    long[] computed = readOnly.execute(status -> compute(rules, purpose, treeSize, keyVersion()));
    synchronized (cache) {
      cache.put(key, computed);
    }
    return computed;
  }

  private static void requireOverrides(ScopeRules rules, String exemption, String purpose) {
    if (!rules.overrides(exemption).orElseThrow(() -> new IllegalArgumentException("Unknown legal exemption " + exemption))
        .contains(purpose)) {
      throw new IllegalArgumentException("Legal exemption " + exemption + " does not cover " + purpose);
    }
  }

  private long[] compute(ScopeRules rules, String purpose, long treeSize, int version) {
    long[][] out = {new long[1024]};
    int[] count = {0};
    long[] person = {Long.MIN_VALUE};
    PersonState[] state = {PersonState.none()};
    Runnable flush = () -> {
      if (person[0] != Long.MIN_VALUE && rules.excludes(state[0].optedOutSince().keySet(), purpose)) {
        if (count[0] == out[0].length) {
          out[0] = Arrays.copyOf(out[0], out[0].length * 2);
        }
        out[0][count[0]++] = person[0];
      }
    };
    jdbc.query(connection -> {
      var statement = connection.prepareStatement(BY_PERSON_UNDER_VERSION, ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
      statement.setFetchSize(10_000);
      statement.setInt(1, version);
      statement.setLong(2, treeSize);
      return statement;
    }, (ResultSet rows) -> {
      StoredEvent stored = EventRows.row(rows, 0);
      long current = personUnder(version, stored, rows);
      if (current != person[0]) {
        flush.run();
        person[0] = current;
        state[0] = PersonState.none();
      }
      state[0] = state[0].replay(stored.event());
    });
    flush.run();
    return Arrays.copyOf(out[0], count[0]);
  }

  /** The logged events below a tree size, with each one's person under a version ({@code current_person}), ordered by it. */
  private static final String BY_PERSON_UNDER_VERSION = "select " + EventRows.COLUMNS + """
      , r.to_person as rekeyed_person, r.from_version as rekeyed_from, r.row_mac as rekey_mac
        from registry_event e join log_leaf l on l.event_seq = e.seq
        left join person_rekey r on r.to_version = ? and r.from_person = e.person
          and r.from_version = coalesce(e.person_key_version, (select min(version) from registry_key_version))
       where l.log_index < ?
       order by coalesce(r.to_person, e.person), l.log_index""";

  /** An event's person under {@code version}: its own pseudonym, or the one its authentic re-key mapping names. */
  private long personUnder(int version, StoredEvent stored, ResultSet rows) throws java.sql.SQLException {
    long filed = stored.event().person();
    if (stored.personKeyVersion() == version) {
      return filed;
    }
    long rekeyed = rows.getLong("rekeyed_person");
    if (rows.wasNull() || !PersonRekeys.authentic(authenticator, version, stored.personKeyVersion(), filed, rekeyed, rows.getBytes("rekey_mac"))) {
      throw new IllegalStateException("Cannot compute an exclusion set under warehouse key version " + version + ": the event at leaf "
          + stored.logIndex().orElse(-1) + " was filed under version " + stored.personKeyVersion()
          + " and has no authentic re-key mapping; run ./optout registry audit");
    }
    return rekeyed;
  }
}
