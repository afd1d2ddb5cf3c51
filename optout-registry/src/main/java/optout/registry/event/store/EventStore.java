package optout.registry.event.store;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import optout.registry.event.LeafAuthenticator;
import optout.registry.event.PersonState;
import optout.registry.event.Proxy;
import optout.registry.event.RegistryEvent;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.json.JsonMapper;

/**
 * Events, the current-state projection and their SQL. Events are only ever inserted (the database
 * refuses anything else); the projection is upserted in the same transaction.
 */
@Repository
public class EventStore {


  private final JdbcClient jdbc;
  private final LeafAuthenticator authenticator;
  private final JsonMapper json = JsonMapper.builder().build();

  EventStore(JdbcClient jdbc, LeafAuthenticator authenticator) {
    this.jdbc = jdbc;
    this.authenticator = authenticator;
  }

  /** Serialises every write about one person until the transaction ends (new persons included). */
  public void lockPerson(long person) {
    jdbc.sql("select pg_advisory_xact_lock(?)").param(person).query().singleRow();
  }

  public Optional<StoredEvent> byIdempotencyKey(String key) {
    return jdbc.sql(EventRows.SELECT + " where e.idempotency_key = ?").param(key).query(EventRows::row).optional();
  }

  public Optional<StoredEvent> byId(UUID id) {
    return jdbc.sql(EventRows.SELECT + " where e.id = ?").param(id).query(EventRows::row).optional();
  }

  /**
   * A person's events in the order they were stored (which is their log order): those filed under their
   * pseudonym of warehouse key {@code version}, and those filed under an older version whose pseudonym a
   * re-key carried to it (an authentic {@code person_rekey} row; see {@code WarehouseKeyVersions}).
   */
  public List<StoredEvent> eventsOf(int version, long person) {
    Set<FiledAs> filedAs = new HashSet<>();
    filedAs.add(new FiledAs(version, person));
    jdbc.sql("select from_version, from_person, row_mac from person_rekey where to_version = ? and to_person = ?")
        .param(version).param(person)
        .query((rs, n) -> {
          if (PersonRekeys.authentic(authenticator, version, rs.getInt(1), rs.getLong(2), person, rs.getBytes(3))) {
            filedAs.add(new FiledAs(rs.getInt(1), rs.getLong(2)));
          }
          return null;
        }).list();
    Long[] pseudonyms = filedAs.stream().map(FiledAs::person).distinct().toArray(Long[]::new);
    return jdbc.sql(EventRows.SELECT + " where e.person = any(?) order by e.seq").param(pseudonyms).query(EventRows::row).list().stream()
        .filter(stored -> filedAs.contains(new FiledAs(stored.personKeyVersion(), stored.event().person()))).toList();
  }

  /** A pseudonym as an event carries it: under the warehouse key version it was filed under. */
  private record FiledAs(int version, long person) {}

  /** Events the sequencer has not logged yet, in insertion order. */
  public List<StoredEvent> unlogged(int limit) {
    return jdbc.sql(EventRows.SELECT + """
         where l.log_index is null and not exists (select 1 from registry_alert a
           where a.kind = 'unauthenticated-event' and (a.detail ->> 'seq')::bigint = e.seq)
         order by e.seq limit ?""").param(limit).query(EventRows::row).list();
  }

  /** The events of log indexes [from, to), in log order. */
  public List<StoredEvent> logged(long from, long to) {
    return jdbc.sql(EventRows.SELECT + " where l.log_index >= ? and l.log_index < ? order by l.log_index").param(from).param(to)
        .query(EventRows::row).list();
  }

  public Optional<PersonState> state(int version, long person) {
    return jdbc.sql("select opted_out::text from person_state where key_version = ? and person = ?").param(version).param(person)
        .query((rs, n) -> state(rs.getString(1))).optional();
  }

  public long insert(RegistryEvent event, int personKeyVersion, byte[] sealedId, String idempotencyKey, byte[] requestSha256, byte[] rowMac,
      StatisticsFacets facets, String filedBySubject) {
    return jdbc.sql("""
        insert into registry_event (id, type, person, person_salt, person_id_sealed, scopes, channel, proxy_relation,
          proxy_evidence, document_reference, document_sha256, effective_at, recorded_at, filed_by, filed_by_subject,
          filer_role, filer_pseudonym, idempotency_key, request_sha256, row_mac, stat_sex, stat_county, stat_age_band,
          person_key_version)
        values (?, ?, ?, ?, ?, ?::text[], ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        returning seq""")
        .param(event.id())
        .param(event.type().code())
        .param(event.person())
        .param(event.personSalt())
        .param(sealedId)
        .param(textArray(event.scopes()))
        .param(event.channel().code())
        .param(event.proxy().map(p -> p.relation().code()).orElse(null))
        .param(event.proxy().map(Proxy::evidenceReference).orElse(null))
        .param(event.document().reference())
        .param(event.document().sha256())
        .param(Timestamp.from(event.effectiveAt()))
        .param(Timestamp.from(event.recordedAt()))
        .param(event.filedBy())
        .param(filedBySubject)
        .param(event.filer().map(RegistryEvent.Filer::role).orElse(null))
        .param(event.filer().map(RegistryEvent.Filer::pseudonym).orElse(null))
        .param(idempotencyKey)
        .param(requestSha256)
        .param(rowMac)
        .param(facets.sex())
        .param(facets.county())
        .param(facets.ageBand())
        .param(personKeyVersion)
        .query(Long.class).single();
  }

  public void saveState(int version, long person, PersonState state, long seq, byte[] sealedId) {
    Map<String, String> optedOut = new LinkedHashMap<>();
    state.optedOutSince().forEach((scope, since) -> optedOut.put(scope, since.toString()));
    jdbc.sql("""
        insert into person_state (key_version, person, opted_out, last_seq, sealed_id) values (?, ?, ?::jsonb, ?, ?)
        on conflict (key_version, person) do update set opted_out = excluded.opted_out, last_seq = excluded.last_seq,
          sealed_id = excluded.sealed_id""")
        .param(version).param(person).param(json.writeValueAsString(optedOut)).param(seq).param(sealedId).update();
  }

  private PersonState state(String optedOutJson) {
    Map<String, Instant> optedOut = new LinkedHashMap<>();
    json.readTree(optedOutJson).properties().forEach(e -> optedOut.put(e.getKey(), Instant.parse(e.getValue().asString())));
    return PersonState.of(optedOut);
  }

  private static String textArray(java.util.Collection<String> values) {
    // scope codes are [a-z0-9-] only (checked by the catalogue), so no quoting is needed
    return "{" + String.join(",", values) + "}";
  }
}
