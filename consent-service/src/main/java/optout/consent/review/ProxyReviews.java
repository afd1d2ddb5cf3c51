package optout.consent.review;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import optout.consent.filing.FilingStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The review of representatives' online filings. Such a filing is sealed and archived, but held: its
 * registry request waits, encrypted, in its review row. A clerk looks at the evidence against the stated
 * relation and accepts it, which writes its outbox row in the same transaction (only then does the relay
 * deliver it), or rejects it with a reason, which drops the request. Each decision is kept: who, when, why.
 */
@Repository
public class ProxyReviews {

  private static final Logger log = LoggerFactory.getLogger(ProxyReviews.class);

  /** A filing waiting for review, as the queue lists it: the person and the representative masked. */
  public record Pending(String filingId, String kind, List<String> scopes, String maskedPersonId, String relation, String evidenceType,
      String evidenceSha256, String evidenceMediaType, int evidenceBytes, String representativeMaskedId, Instant signedAt, Instant heldAt) {}

  /** A decision as recorded. */
  public record Decision(String filingId, String status, String decidedBy, Instant decidedAt, Optional<String> reason) {}

  /** The evidence of a filing under review. */
  public record Evidence(String sha256, String mediaType, byte[] content) {}

  /** Thrown when the filing has no review, or its review was decided already. */
  public static final class ReviewStateException extends RuntimeException {
    private final boolean exists;

    ReviewStateException(boolean exists, String message) {
      super(message);
      this.exists = exists;
    }

    /** False: no such filing in review (404); true: decided already (409). */
    public boolean exists() {
      return exists;
    }
  }

  private final JdbcTemplate jdbc;
  private final TransactionTemplate transactions;
  private final FilingStore filings;
  private final Clock clock;

  ProxyReviews(JdbcTemplate jdbc, TransactionTemplate transactions, FilingStore filings, Clock clock) {
    this.jdbc = jdbc;
    this.transactions = transactions;
    this.filings = filings;
    this.clock = clock;
  }

  /** The filings waiting for review, oldest first. */
  public List<Pending> pending(int limit) {
    return jdbc.query("""
        select f.filing_id, f.kind, f.scopes, f.masked_person_id, f.representative_relation, f.evidence_type, f.evidence_sha256,
               d.media_type, d.size, f.representative_masked_id, f.signed_at, r.held_at
          from proxy_review r join filing f on f.filing_id = r.filing_id join archived_document d on d.sha256 = f.evidence_sha256
         where r.status = 'pending' order by r.held_at, f.filing_id limit ?""",
        (rs, row) -> new Pending(rs.getString(1), rs.getString(2), List.of((String[]) rs.getArray(3).getArray()), rs.getString(4),
            rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8), rs.getInt(9), rs.getString(10),
            rs.getTimestamp(11).toInstant(), rs.getTimestamp(12).toInstant()), limit);
  }

  /** The evidence of a filing that is or was under review. */
  public Optional<Evidence> evidence(String filingId) {
    return jdbc.query("""
        select d.sha256, d.media_type, d.content
          from proxy_review r join filing f on f.filing_id = r.filing_id join archived_document d on d.sha256 = f.evidence_sha256
         where r.filing_id = ?""", (rs, row) -> new Evidence(rs.getString(1), rs.getString(2), rs.getBytes(3)), filingId)
        .stream().findFirst();
  }

  /** Accepts the filing: recorded, and queued for the registry in the same transaction. */
  public Decision accept(String filingId, String clerk) {
    return decide(filingId, clerk, Optional.empty());
  }

  /** Rejects the filing with the reason its filer is told; its registry request is dropped. */
  public Decision reject(String filingId, String clerk, String reason) {
    if (reason == null || reason.isBlank() || reason.length() > 500) {
      throw new IllegalArgumentException("reason: say in 1 to 500 characters why the evidence does not hold");
    }
    return decide(filingId, clerk, Optional.of(reason.strip()));
  }

  private Decision decide(String filingId, String clerk, Optional<String> rejection) {
    Decision decision = transactions.execute(status -> {
      // the row lock makes two clerks' decisions one after the other: the second finds it decided
      List<Map<String, Object>> rows = jdbc.queryForList(
          "select status, payload_sealed from proxy_review where filing_id = ? for update", filingId);
      if (rows.isEmpty()) {
        throw new ReviewStateException(false, "There is no filing in review with this ID.");
      }
      if (!"pending".equals(rows.get(0).get("status"))) {
        throw new ReviewStateException(true, "This filing was " + rows.get(0).get("status") + " in review already.");
      }
      Instant now = clock.instant();
      String outcome = rejection.isPresent() ? "rejected" : "accepted";
      jdbc.update("update proxy_review set status = ?, payload_sealed = null, decided_by = ?, decided_at = ?, reason = ? where filing_id = ?",
          outcome, clerk, Timestamp.from(now), rejection.orElse(null), filingId);
      if (rejection.isEmpty()) {
        filings.queueForRegistry(filingId, (byte[]) rows.get(0).get("payload_sealed"), now);
      }
      return new Decision(filingId, outcome, clerk, now, rejection);
    });
    log.info("Representative's filing {} {} in review", filingId, decision.status());
    return decision;
  }
}
