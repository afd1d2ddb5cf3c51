package optout.registry.alert;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The alert rows. Only ever inserted and read: the application role has no UPDATE or DELETE on the table,
 * and a trigger refuses them to everyone else.
 */
@Repository
class AlertStore {

  /**
   * Serialises "is this day alerted yet? if not, insert" across registry processes. The two-key form of
   * the advisory lock: its key space is apart from the one-key locks on persons and on the log.
   */
  private static final int LOCK_CLASS = 0x6e6869;       // "nhi"
  private static final int LOCK_ALERTS = 0x616c7274;    // "alrt"

  record Alert(long id, String kind, Instant raisedAt, JsonNode detail) {}

  private final JdbcClient jdbc;
  private final TransactionTemplate transactions;
  private final JsonMapper json = JsonMapper.builder().build();

  AlertStore(JdbcClient jdbc, TransactionTemplate transactions) {
    this.jdbc = jdbc;
    this.transactions = transactions;
  }

  /**
   * Inserts an alert unless one of the same kind already names the same day ({@code detail.day}); answers
   * whether it inserted.
   */
  boolean raiseOnce(String kind, Instant raisedAt, ObjectNode detail) {
    String day = detail.path("day").asString(null);
    if (day == null || day.isBlank()) {
      throw new IllegalArgumentException("Cannot raise an alert once per day: its detail names no day");
    }
    Boolean inserted = transactions.execute(status -> {
      jdbc.sql("select pg_advisory_xact_lock(?, ?)").param(LOCK_CLASS).param(LOCK_ALERTS).query().singleRow();
      return jdbc.sql("""
          insert into registry_alert (kind, raised_at, detail)
          select ?, ?, ?::jsonb
           where not exists (select 1 from registry_alert where kind = ? and detail ->> 'day' = ?)""")
          .param(kind).param(OffsetDateTime.ofInstant(raisedAt, ZoneOffset.UTC)).param(json.writeValueAsString(detail))
          .param(kind).param(day)
          .update() == 1;
    });
    return Boolean.TRUE.equals(inserted);
  }

  /** Alerts newest first (then by insertion), optionally of one kind. */
  List<Alert> page(Optional<String> kind, int page, int size) {
    String where = kind.isPresent() ? " where kind = :kind" : "";
    var statement = jdbc.sql("select id, kind, raised_at, detail::text from registry_alert" + where
        + " order by raised_at desc, id desc limit :limit offset :offset")
        .param("limit", size).param("offset", (long) page * size);
    if (kind.isPresent()) {
      statement = statement.param("kind", kind.get());
    }
    return statement.query((rs, n) -> new Alert(rs.getLong(1), rs.getString(2), rs.getObject(3, OffsetDateTime.class).toInstant(),
        json.readTree(rs.getString(4)))).list();
  }

  long count(Optional<String> kind) {
    return kind.map(k -> jdbc.sql("select count(*) from registry_alert where kind = ?").param(k))
        .orElseGet(() -> jdbc.sql("select count(*) from registry_alert"))
        .query(Long.class).single();
  }

  JsonMapper json() {
    return json;
  }
}
