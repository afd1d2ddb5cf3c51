package optout.trustcentre.reidentify;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import optout.pseudonymizer.id.ProjectId;
import optout.pseudonymizer.reidentify.AuditEvent;
import optout.pseudonymizer.reidentify.ReidentificationRequest;
import optout.pseudonymizer.reidentify.ReidentificationRequest.Approval;
import optout.pseudonymizer.reidentify.ReidentificationRequest.Status;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.SqlArrayValue;
import org.springframework.stereotype.Repository;

/** Requests, approvals and audit events in PostgreSQL. Audit events are only ever appended. */
@Repository
class ReidentificationStore {

  private final JdbcClient jdbc;

  ReidentificationStore(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  record Stored(ReidentificationRequest request, String requestHash) {}

  void insert(ReidentificationRequest request, String idempotencyKey, String requestHash) {
    jdbc.sql("""
            insert into reidentification_request (id, requester, idempotency_key, request_hash, project, pseudonyms,
              legal_basis, reason, status, requested_at, expires_at, updated_at)
            values (:id, :requester, :key, :hash, :project, :pseudonyms, :legalBasis, :reason, :status, :requestedAt, :expiresAt, :requestedAt)""")
        .param("id", request.id())
        .param("requester", request.requester())
        .param("key", idempotencyKey)
        .param("hash", requestHash)
        .param("project", request.project().value())
        .param("pseudonyms", new SqlArrayValue("bigint", request.pseudonyms().toArray()))
        .param("legalBasis", request.legalBasis())
        .param("reason", request.reason())
        .param("status", request.status().name())
        .param("requestedAt", Timestamp.from(request.requestedAt()))
        .param("expiresAt", Timestamp.from(request.expiresAt()))
        .update();
  }

  /** The request, locked for this transaction, so concurrent approvals are applied one after another. */
  Optional<ReidentificationRequest> lock(UUID id) {
    return jdbc.sql("select * from reidentification_request where id = :id for update")
        .param("id", id).query(this::restore).optional();
  }

  Optional<ReidentificationRequest> find(UUID id) {
    return jdbc.sql("select * from reidentification_request where id = :id").param("id", id).query(this::restore).optional();
  }

  Optional<Stored> findByIdempotencyKey(String requester, String key) {
    return jdbc.sql("select * from reidentification_request where requester = :requester and idempotency_key = :key")
        .param("requester", requester).param("key", key)
        .query((row, n) -> new Stored(restore(row, n), row.getString("request_hash"))).optional();
  }

  List<ReidentificationRequest> byStatus(Status status, int limit) {
    return jdbc.sql("select * from reidentification_request where status = :status order by requested_at limit :limit")
        .param("status", status.name()).param("limit", limit).query(this::restore).list();
  }

  List<UUID> openAndDue(Instant now) {
    return jdbc.sql("select id from reidentification_request where status in ('AWAITING_APPROVAL', 'APPROVED') and expires_at <= :now")
        .param("now", Timestamp.from(now)).query(UUID.class).list();
  }

  /** Stores the request's status and any approvals it does not have yet, and appends its new events. */
  void save(ReidentificationRequest request, Instant now) {
    jdbc.sql("update reidentification_request set status = :status, updated_at = :now where id = :id")
        .param("status", request.status().name()).param("now", Timestamp.from(now)).param("id", request.id()).update();
    for (Approval approval : request.approvals()) {
      jdbc.sql("""
              insert into reidentification_approval (request_id, custodian, approved_at) values (:id, :custodian, :at)
              on conflict (request_id, custodian) do nothing""")
          .param("id", request.id()).param("custodian", approval.custodian()).param("at", Timestamp.from(approval.at()))
          .update();
    }
    for (AuditEvent event : request.events()) {
      jdbc.sql("""
              insert into audit_event (type, request_id, actor, project, pseudonym_count, at, note)
              values (:type, :request, :actor, :project, :count, :at, :note)""")
          .param("type", event.type().name()).param("request", event.request()).param("actor", event.actor())
          .param("project", event.project()).param("count", event.pseudonymCount())
          .param("at", Timestamp.from(event.at())).param("note", event.note())
          .update();
    }
  }

  List<AuditEvent> events(Optional<UUID> request, long afterId, int limit) {
    String filter = request.isPresent() ? "and request_id = :request " : "";
    JdbcClient.StatementSpec query = jdbc.sql("select * from audit_event where id > :after " + filter + "order by id limit :limit")
        .param("after", afterId).param("limit", limit);
    if (request.isPresent()) {
      query = query.param("request", request.get());
    }
    return query.query((row, n) -> new AuditEvent(AuditEvent.Type.valueOf(row.getString("type")),
        row.getObject("request_id", UUID.class), row.getString("actor"), row.getString("project"),
        row.getInt("pseudonym_count"), row.getTimestamp("at").toInstant(), row.getString("note"))).list();
  }

  private ReidentificationRequest restore(ResultSet row, int rowNumber) throws SQLException {
    UUID id = row.getObject("id", UUID.class);
    Array array = row.getArray("pseudonyms");
    List<Long> pseudonyms = Arrays.asList((Long[]) array.getArray());
    List<Approval> approvals = jdbc.sql("select custodian, approved_at from reidentification_approval where request_id = :id order by approved_at, custodian")
        .param("id", id)
        .query((approval, n) -> new Approval(approval.getString("custodian"), approval.getTimestamp("approved_at").toInstant()))
        .list();
    return ReidentificationRequest.restore(id, row.getString("requester"), ProjectId.of(row.getString("project")), pseudonyms,
        row.getString("legal_basis"), row.getString("reason"), row.getTimestamp("requested_at").toInstant(),
        row.getTimestamp("expires_at").toInstant(), Status.valueOf(row.getString("status")), approvals);
  }
}
