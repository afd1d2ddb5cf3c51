package optout.registry.event.store;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeSet;
import java.util.UUID;
import optout.registry.event.Channel;
import optout.registry.event.EventType;
import optout.registry.event.Proxy;
import optout.registry.event.RegistryEvent;
import optout.registry.event.SignedDocument;

/** How an event row reads, for the service and for the auditor's plain JDBC alike. */
public final class EventRows {

  /**
   * The columns {@link #row} reads, of {@code registry_event e} and {@code log_leaf l}. An event filed before
   * versions were recorded is under the registry's first version.
   */
  public static final String COLUMNS = """
      e.seq, e.id, e.type, e.person, e.person_salt, e.person_id_sealed, e.scopes, e.channel, e.proxy_relation,
             e.proxy_evidence, e.document_reference, e.document_sha256, e.effective_at, e.recorded_at, e.filed_by,
             e.filer_role, e.filer_pseudonym, e.idempotency_key, e.request_sha256, e.row_mac, l.log_index,
             coalesce(e.person_key_version, (select min(version) from registry_key_version), 0) as person_key_version""";

  /** Events with their log index (null until logged); add a where and an order. */
  public static final String SELECT = "select " + COLUMNS + "\nfrom registry_event e left join log_leaf l on l.event_seq = e.seq\n";

  /**
   * Every leaf in log order, with its event's columns or its record ({@code record_seq}, {@code record_leaf},
   * {@code record_mac}); both null where the row is missing. For the auditor's and the export's plain JDBC.
   */
  public static final String LEAVES = "select " + COLUMNS + """
      , r.seq as record_seq, r.leaf as record_leaf, r.row_mac as record_mac
      from log_leaf l left join registry_event e on e.seq = l.event_seq left join log_record r on r.seq = l.record_seq
      """;

  private EventRows() {}

  public static StoredEvent row(ResultSet rs, int rowNumber) throws SQLException {
    Array scopes = rs.getArray("scopes");
    String relation = rs.getString("proxy_relation");
    Optional<Proxy> proxy = relation == null ? Optional.empty()
        : Optional.of(new Proxy(Proxy.Relation.fromCode(relation).orElseThrow(), rs.getString("proxy_evidence")));
    RegistryEvent event = new RegistryEvent(
        rs.getObject("id", UUID.class),
        EventType.fromCode(rs.getString("type")).orElseThrow(),
        rs.getLong("person"),
        rs.getBytes("person_salt"),
        new TreeSet<>(Arrays.asList((String[]) scopes.getArray())),
        Channel.fromCode(rs.getString("channel")).orElseThrow(),
        proxy,
        new SignedDocument(rs.getString("document_reference"), rs.getString("document_sha256")),
        rs.getTimestamp("effective_at").toInstant(),
        rs.getTimestamp("recorded_at").toInstant(),
        rs.getString("filed_by"),
        rs.getString("filer_role") == null ? Optional.empty()
            : Optional.of(new RegistryEvent.Filer(rs.getString("filer_role"), rs.getString("filer_pseudonym"))));
    // null until the sequencer logs the event (getLong would read it as leaf 0)
    Long logIndex = rs.getObject("log_index", Long.class);
    return new StoredEvent(rs.getLong("seq"), event, rs.getBytes("person_id_sealed"), rs.getString("idempotency_key"),
        rs.getBytes("request_sha256"), rs.getBytes("row_mac"), logIndex == null ? OptionalLong.empty() : OptionalLong.of(logIndex),
        rs.getInt("person_key_version"));
  }

}
