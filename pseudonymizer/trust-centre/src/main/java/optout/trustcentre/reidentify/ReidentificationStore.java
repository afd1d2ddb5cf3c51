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
import optout.pseudonymizer.reidentify.AuditChain;
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

  /** Serialises appends to the audit chain (a transaction-scoped advisory lock). */
  private static final long AUDIT_CHAIN_LOCK = 0x6e68692d61756469L;

  record Stored(ReidentificationRequest request, String requestHash) {}

  /** The request's key pair: the public key, and the private key sealed under the requester's secret. */
  record Seal(byte[] publicKey, byte[] sealedPrivateKey) {}

  /** A custodian's share as an approval stored it: which of the two, encrypted to the request's key. */
  record SealedShare(String custodian, int slot, byte[] sealed) {}

  void insert(ReidentificationRequest request, String idempotencyKey, String requestHash, String manifestSha256, Seal seal) {
    jdbc.sql("""
            insert into reidentification_request (id, requester, idempotency_key, request_hash, project, pseudonyms,
              legal_basis, reason, status, requested_at, expires_at, updated_at, request_public_key, sealed_private_key,
              extract_id, warehouse_key_version, manifest_sha256)
            values (:id, :requester, :key, :hash, :project, :pseudonyms, :legalBasis, :reason, :status, :requestedAt, :expiresAt,
              :requestedAt, :publicKey, :sealedPrivateKey, :extractId, :version, :manifestSha256)""")
        .param("extractId", request.extract().id())
        .param("version", request.extract().warehouseKeyVersion())
        .param("manifestSha256", manifestSha256)
        .param("publicKey", seal.publicKey())
        .param("sealedPrivateKey", seal.sealedPrivateKey())
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

  void save(ReidentificationRequest request, Instant now) {
    save(request, now, Optional.empty());
  }

  /**
   * Stores the request's status and any approvals it does not have yet (with the new approval's sealed
   * share), and appends its new events to the audit chain. A closed request's seals are erased: after
   * that nothing stored can ever open its shares.
   */
  void save(ReidentificationRequest request, Instant now, Optional<SealedShare> newShare) {
    jdbc.sql("update reidentification_request set status = :status, updated_at = :now where id = :id")
        .param("status", request.status().name()).param("now", Timestamp.from(now)).param("id", request.id()).update();
    for (Approval approval : request.approvals()) {
      Optional<SealedShare> share = newShare.filter(s -> s.custodian().equals(approval.custodian()));
      jdbc.sql("""
              insert into reidentification_approval (request_id, custodian, approved_at, share_slot, sealed_share)
              values (:id, :custodian, :at, :slot, :sealed)
              on conflict (request_id, custodian) do nothing""")
          .param("id", request.id()).param("custodian", approval.custodian()).param("at", Timestamp.from(approval.at()))
          .param("slot", share.map(SealedShare::slot).orElse(null), java.sql.Types.SMALLINT)
          .param("sealed", share.map(SealedShare::sealed).orElse(null), java.sql.Types.BINARY)
          .update();
    }
    if (request.status() != Status.AWAITING_APPROVAL && request.status() != Status.APPROVED) {
      jdbc.sql("update reidentification_request set sealed_private_key = null where id = :id and sealed_private_key is not null")
          .param("id", request.id()).update();
      jdbc.sql("update reidentification_approval set sealed_share = null where request_id = :id and sealed_share is not null")
          .param("id", request.id()).update();
    }
    audit(request.events());
  }

  /** Appends events to the audit chain, in order. */
  void audit(List<AuditEvent> events) {
    if (events.isEmpty()) {
      return;
    }
    jdbc.sql("select pg_advisory_xact_lock(:lock)").param("lock", AUDIT_CHAIN_LOCK).query((row, n) -> 1).list();
    record Head(long sequence, byte[] hash) {}
    Head head = jdbc.sql("select chain_sequence, chain_hash from audit_event where chain_sequence is not null order by chain_sequence desc limit 1")
        .query((row, n) -> new Head(row.getLong(1), row.getBytes(2))).optional()
        .orElse(new Head(0, AuditChain.GENESIS));
    long sequence = head.sequence();
    byte[] previous = head.hash();
    for (AuditEvent recorded : events) {
      AuditEvent event = new AuditEvent(recorded.type(), recorded.request(), recorded.actor(), recorded.project(),
          recorded.pseudonymCount(), AuditChain.precision(recorded.at()), recorded.note());
      sequence++;
      previous = AuditChain.link(previous, sequence, event);
      jdbc.sql("""
              insert into audit_event (type, request_id, actor, project, pseudonym_count, at, note, chain_sequence, chain_hash)
              values (:type, :request, :actor, :project, :count, :at, :note, :sequence, :hash)""")
          .param("type", event.type().name()).param("request", event.request()).param("actor", event.actor())
          .param("project", event.project()).param("count", event.pseudonymCount())
          .param("at", Timestamp.from(event.at())).param("note", event.note())
          .param("sequence", sequence).param("hash", previous)
          .update();
    }
  }

  Optional<Seal> seal(UUID id) {
    return jdbc.sql("select request_public_key, sealed_private_key from reidentification_request where id = :id")
        .param("id", id)
        .query((row, n) -> new Seal(row.getBytes(1), row.getBytes(2))).optional()
        .filter(seal -> seal.publicKey() != null && seal.sealedPrivateKey() != null);
  }

  List<SealedShare> sealedShares(UUID id) {
    return jdbc.sql("select custodian, share_slot, sealed_share from reidentification_approval where request_id = :id and sealed_share is not null order by share_slot")
        .param("id", id)
        .query((row, n) -> new SealedShare(row.getString(1), row.getInt(2), row.getBytes(3))).list();
  }

  /** Recomputes the chain over every chained event, in chain order. */
  AuditChain.Verification verifyChain() {
    List<AuditChain.Linked> events = jdbc.sql("select * from audit_event where chain_sequence is not null order by chain_sequence")
        .query((row, n) -> new AuditChain.Linked(row.getLong("chain_sequence"), event(row), row.getBytes("chain_hash"))).list();
    return AuditChain.verify(events);
  }

  /** Events from before the chain (the migration that added it). */
  long unchainedEvents() {
    return jdbc.sql("select count(*) from audit_event where chain_sequence is null").query(Long.class).single();
  }

  private static AuditEvent event(ResultSet row) throws SQLException {
    return new AuditEvent(AuditEvent.Type.valueOf(row.getString("type")),
        row.getObject("request_id", UUID.class), row.getString("actor"), row.getString("project"),
        row.getInt("pseudonym_count"), row.getTimestamp("at").toInstant(), row.getString("note"));
  }

  List<AuditEvent> events(Optional<UUID> request, long afterId, int limit) {
    String filter = request.isPresent() ? "and request_id = :request " : "";
    JdbcClient.StatementSpec query = jdbc.sql("select * from audit_event where id > :after " + filter + "order by id limit :limit")
        .param("after", afterId).param("limit", limit);
    if (request.isPresent()) {
      query = query.param("request", request.get());
    }
    return query.query((row, n) -> event(row)).list();
  }

  private ReidentificationRequest restore(ResultSet row, int rowNumber) throws SQLException {
    UUID id = row.getObject("id", UUID.class);
    Array array = row.getArray("pseudonyms");
    List<Long> pseudonyms = Arrays.asList((Long[]) array.getArray());
    List<Approval> approvals = jdbc.sql("select custodian, approved_at from reidentification_approval where request_id = :id order by approved_at, custodian")
        .param("id", id)
        .query((approval, n) -> new Approval(approval.getString("custodian"), approval.getTimestamp("approved_at").toInstant()))
        .list();
    int version = row.getInt("warehouse_key_version"); // 0 if null: a request from before V3, never resolved
    String extractId = row.getString("extract_id");
    ReidentificationRequest.Extract extract = extractId == null || version == 0 ? ReidentificationRequest.Extract.unrecorded()
        : new ReidentificationRequest.Extract(extractId, version);
    return ReidentificationRequest.restore(id, row.getString("requester"), ProjectId.of(row.getString("project")), extract, pseudonyms,
        row.getString("legal_basis"), row.getString("reason"), row.getTimestamp("requested_at").toInstant(),
        row.getTimestamp("expires_at").toInstant(), Status.valueOf(row.getString("status")), approvals);
  }
}
