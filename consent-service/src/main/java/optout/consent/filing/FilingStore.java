package optout.consent.filing;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The archive in PostgreSQL: documents addressed by their SHA-256, the filings, and the outbox row that
 * each filing is written with. A filing, its documents and its outbox row go in one transaction, so
 * there is never a filing the registry will not hear of, nor a document without its filing.
 */
@Repository
public class FilingStore {

  /** What is written for a new filing. The national ID is only in the sealed outbox payload. */
  public record NewFiling(String filingId, UUID draftId, String kind, String channel, byte[] personLookup, String maskedPersonId,
      List<String> scopes, Optional<String> representativeRelation, Optional<String> representativeMaskedId,
      Optional<String> representativeSubject, Optional<String> evidenceType, Optional<Draft.Evidence> evidence,
      String identityCheck, String filedByRole, String filedBySubject, Instant signedAt, Instant sealedAt, String templateId,
      int templateVersion, String templateSha256, byte[] form, byte[] receipt, String receiptCode, byte[] outboxPayload,
      boolean heldForReview) {}

  /** A stored document. */
  public record Document(String sha256, String mediaType, byte[] content) {}

  private static final String SELECT = """
      select f.*, o.status, o.attempts, o.delivered_at, o.registry_event_id, o.last_error,
             r.status as review_status, r.decided_by, r.decided_at, r.reason as review_reason
        from filing f left join registry_outbox o on o.filing_id = f.filing_id left join proxy_review r on r.filing_id = f.filing_id
      """;

  private final JdbcTemplate jdbc;
  private final TransactionTemplate transactions;

  FilingStore(JdbcTemplate jdbc, TransactionTemplate transactions) {
    this.jdbc = jdbc;
    this.transactions = transactions;
  }

  /**
   * Stores the filing, its documents and its outbox row, all or nothing; a filing held for review gets
   * its review row instead, with the registry request waiting in it.
   */
  public void store(NewFiling filing) {
    transactions.executeWithoutResult(status -> {
      Instant now = Instant.now();
      storeDocument(filing.form(), "application/pdf", now);
      storeDocument(filing.receipt(), "application/pdf", now);
      filing.evidence().ifPresent(evidence -> storeDocument(evidence.content(), evidence.mediaType(), now));
      jdbc.update(connection -> {
        var insert = connection.prepareStatement("""
            insert into filing (filing_id, draft_id, kind, channel, person_lookup, masked_person_id, scopes,
              representative_relation, representative_masked_id, representative_subject, evidence_type, evidence_sha256,
              identity_check, filed_by_role, filed_by_subject, signed_at, sealed_at, template_id, template_version, template_sha256,
              form_sha256, receipt_sha256, receipt_code)
            values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""");
        int i = 0;
        insert.setString(++i, filing.filingId());
        insert.setObject(++i, filing.draftId());
        insert.setString(++i, filing.kind());
        insert.setString(++i, filing.channel());
        insert.setBytes(++i, filing.personLookup());
        insert.setString(++i, filing.maskedPersonId());
        insert.setArray(++i, connection.createArrayOf("text", filing.scopes().toArray()));
        insert.setString(++i, filing.representativeRelation().orElse(null));
        insert.setString(++i, filing.representativeMaskedId().orElse(null));
        insert.setString(++i, filing.representativeSubject().orElse(null));
        insert.setString(++i, filing.evidenceType().orElse(null));
        insert.setString(++i, filing.evidence().map(Draft.Evidence::sha256).orElse(null));
        insert.setString(++i, filing.identityCheck());
        insert.setString(++i, filing.filedByRole());
        insert.setString(++i, filing.filedBySubject());
        insert.setTimestamp(++i, Timestamp.from(filing.signedAt()));
        insert.setTimestamp(++i, Timestamp.from(filing.sealedAt()));
        insert.setString(++i, filing.templateId());
        insert.setInt(++i, filing.templateVersion());
        insert.setString(++i, filing.templateSha256());
        insert.setString(++i, Digests.sha256Hex(filing.form()));
        insert.setString(++i, Digests.sha256Hex(filing.receipt()));
        insert.setString(++i, filing.receiptCode());
        return insert;
      });
      if (filing.heldForReview()) {
        jdbc.update("insert into proxy_review (filing_id, status, payload_sealed, held_at) values (?, 'pending', ?, ?)",
            filing.filingId(), filing.outboxPayload(), Timestamp.from(now));
      } else {
        queueForRegistry(filing.filingId(), filing.outboxPayload(), now);
      }
    });
  }

  /**
   * The filing's outbox row: from now on the relay delivers it. Called in the transaction that stores the
   * filing, or in the one that records a clerk's acceptance of a representative's filing.
   */
  public void queueForRegistry(String filingId, byte[] outboxPayload, Instant now) {
    jdbc.update("""
        insert into registry_outbox (filing_id, payload_sealed, status, attempts, next_attempt_at, created_at)
        values (?, ?, 'pending', 0, ?, ?)""",
        filingId, outboxPayload, Timestamp.from(now), Timestamp.from(now));
  }

  private void storeDocument(byte[] content, String mediaType, Instant now) {
    // the same bytes stored twice are the same document: keep the first
    jdbc.update("insert into archived_document (sha256, media_type, size, content, stored_at) values (?, ?, ?, ?, ?) on conflict do nothing",
        Digests.sha256Hex(content), mediaType, content.length, content, Timestamp.from(now));
  }

  /**
   * The filing's form as the archive now keeps it: its newest archive-timestamped version, or the form
   * as filed. Either way the form as filed (whose SHA-256 the registry knows) is its exact prefix.
   */
  public String currentFormSha256(String filingId) {
    List<String> latest = jdbc.queryForList("select sha256 from form_restamp where filing_id = ? order by stamped_at desc limit 1",
        String.class, filingId);
    if (!latest.isEmpty()) {
      return latest.get(0);
    }
    return jdbc.queryForObject("select form_sha256 from filing where filing_id = ?", String.class, filingId);
  }

  /** Every filing's ID, oldest first (the archive timestamping goes through them all). */
  public List<String> filingIds() {
    return jdbc.queryForList("select filing_id from filing order by sealed_at, filing_id", String.class);
  }

  /**
   * Keeps a restamped version of the filing's form, all or nothing. It must keep the current version
   * as its exact prefix, and so the form as filed.
   *
   * @param timestampNotAfter when the certificate of the version's newest timestamp ends
   */
  public void storeRestamp(String filingId, byte[] restamped, Instant timestampNotAfter) {
    transactions.executeWithoutResult(status -> {
      String previous = currentFormSha256(filingId);
      byte[] previousBytes = document(previous).orElseThrow(() -> new IllegalStateException("An archived document is missing")).content();
      String original = jdbc.queryForObject("select form_sha256 from filing where filing_id = ?", String.class, filingId);
      int originalLength = jdbc.queryForObject("select size from archived_document where sha256 = ?", Integer.class, original);
      if (restamped.length <= previousBytes.length
          || !Arrays.equals(Arrays.copyOf(restamped, previousBytes.length), previousBytes)) {
        throw new IllegalArgumentException("Cannot keep the restamped form of " + filingId + ": it does not keep the current version as its prefix");
      }
      Instant now = Instant.now();
      storeDocument(restamped, "application/pdf", now);
      jdbc.update("""
          insert into form_restamp (filing_id, sha256, previous_sha256, original_length, timestamp_not_after, stamped_at)
          values (?, ?, ?, ?, ?, ?)""", filingId, Digests.sha256Hex(restamped), previous, originalLength,
          Timestamp.from(timestampNotAfter), Timestamp.from(now));
    });
  }

  public Optional<FilingRecord> byId(String filingId) {
    return jdbc.query(SELECT + " where f.filing_id = ?", FilingStore::record, filingId).stream().findFirst();
  }

  public Optional<FilingRecord> byReceiptCode(String code) {
    return jdbc.query(SELECT + " where f.receipt_code = ?", FilingStore::record, code).stream().findFirst();
  }

  /** A person's filings, newest first: those they made and those made for them. */
  public List<FilingRecord> byPerson(byte[] personLookup, String subject, int limit) {
    return jdbc.query(SELECT + " where f.person_lookup = ? or (f.filed_by_role = 'citizen' and f.filed_by_subject = ?) order by f.signed_at desc limit ?",
        FilingStore::record, personLookup, subject, limit);
  }

  /** The filings a clerk made, newest first. */
  public List<FilingRecord> byClerk(String subject, int limit) {
    return jdbc.query(SELECT + " where f.filed_by_role = 'clerk' and f.filed_by_subject = ? order by f.signed_at desc limit ?",
        FilingStore::record, subject, limit);
  }

  /** Whether the filing is about this person (its person lookup equals). */
  public boolean isAbout(String filingId, byte[] personLookup) {
    List<byte[]> lookups = jdbc.queryForList("select person_lookup from filing where filing_id = ?", byte[].class, filingId);
    return lookups.size() == 1 && Arrays.equals(lookups.get(0), personLookup);
  }

  public Optional<Document> document(String sha256) {
    return jdbc.query("select sha256, media_type, content from archived_document where sha256 = ?",
        (rs, row) -> new Document(rs.getString(1), rs.getString(2), rs.getBytes(3)), sha256).stream().findFirst();
  }

  private static FilingRecord record(ResultSet rs, int row) throws SQLException {
    Array scopes = rs.getArray("scopes");
    Timestamp delivered = rs.getTimestamp("delivered_at");
    String reviewStatus = rs.getString("review_status");
    Optional<FilingRecord.Review> review = Optional.ofNullable(reviewStatus).map(status -> {
      try {
        return new FilingRecord.Review(status, Optional.ofNullable(rs.getString("decided_by")),
            Optional.ofNullable(rs.getTimestamp("decided_at")).map(Timestamp::toInstant), Optional.ofNullable(rs.getString("review_reason")));
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
    });
    // no outbox row: held for review, or rejected by it; the registry has heard nothing
    String status = rs.getString("status") != null ? rs.getString("status")
        : "rejected".equals(reviewStatus) ? FilingRecord.REJECTED_IN_REVIEW : FilingRecord.HELD_FOR_REVIEW;
    return new FilingRecord(rs.getString("filing_id"), rs.getString("kind"), rs.getString("channel"), rs.getString("masked_person_id"),
        List.of((String[]) scopes.getArray()), Optional.ofNullable(rs.getString("representative_relation")),
        Optional.ofNullable(rs.getString("representative_masked_id")), Optional.ofNullable(rs.getString("representative_subject")),
        Optional.ofNullable(rs.getString("evidence_type")), Optional.ofNullable(rs.getString("evidence_sha256")), rs.getString("identity_check"), rs.getString("filed_by_role"),
        rs.getString("filed_by_subject"), rs.getTimestamp("signed_at").toInstant(), rs.getTimestamp("sealed_at").toInstant(),
        rs.getString("template_id"), rs.getInt("template_version"), rs.getString("template_sha256"), rs.getString("form_sha256"),
        rs.getString("receipt_sha256"), rs.getString("receipt_code"),
        new FilingRecord.Delivery(status, rs.getInt("attempts"), Optional.ofNullable(delivered).map(Timestamp::toInstant),
            Optional.ofNullable((UUID) rs.getObject("registry_event_id")),
            "delivered".equals(status) ? Optional.empty() : Optional.ofNullable(rs.getString("last_error"))), review);
  }
}
