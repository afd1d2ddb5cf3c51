package optout.consent.outbox;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The clerks' queue of filings the registry refused for a domain reason. A held filing keeps its
 * encrypted payload until a clerk resolves it: {@code retry} puts it back in the outbox at its place in
 * the order (so it also holds back that person's later filings again until it is through); {@code close}
 * marks it refused for good with a reason the citizen is told, and drops the payload. Every resolution is
 * recorded with the clerk and the time.
 */
@Repository
public class HeldFilings {

  /** A held filing as the queue shows it: nothing about the person beyond the masked ID. */
  public record Held(String filingId, String kind, String channel, String maskedNationalId, List<String> scopes, Instant signedAt,
      Instant heldAt, String problemType, String registryDetail, int attempts) {}

  /** A clerk's resolution, as recorded. */
  public record Resolution(String filingId, String action, String reason, String clerk, Instant resolvedAt, String status) {}

  /** What a clerk may do with a held filing. */
  public enum Action {
    RETRY, CLOSE;

    String code() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  private final JdbcTemplate jdbc;
  private final TransactionTemplate transactions;
  private final Clock clock;

  HeldFilings(JdbcTemplate jdbc, TransactionTemplate transactions, Clock clock) {
    this.jdbc = jdbc;
    this.transactions = transactions;
    this.clock = clock;
  }

  /** The held filings, oldest first. */
  public List<Held> list(int limit) {
    return jdbc.query("""
        select f.filing_id, f.kind, f.channel, f.masked_person_id, f.scopes, f.signed_at, o.held_at, o.held_problem_type,
               o.last_error, o.attempts
          from registry_outbox o join filing f on f.filing_id = o.filing_id
         where o.status = 'held' order by o.delivery_seq limit ?""",
        (rs, i) -> new Held(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
            List.of((String[]) rs.getArray(5).getArray()), rs.getTimestamp(6).toInstant(), rs.getTimestamp(7).toInstant(),
            rs.getString(8), rs.getString(9), rs.getInt(10)), limit);
  }

  /**
   * Resolves a held filing; empty if there is no such held filing (never held, or resolved already by
   * another clerk: the row lock makes the second of two concurrent resolutions find nothing).
   */
  public Optional<Resolution> resolve(String filingId, Action action, String reason, String clerk) {
    return transactions.execute(status -> {
      List<String> held = jdbc.queryForList("select filing_id from registry_outbox where filing_id = ? and status = 'held' for update",
          String.class, filingId);
      if (held.isEmpty()) {
        return Optional.<Resolution>empty();
      }
      Instant now = clock.instant();
      String newStatus;
      if (action == Action.RETRY) {
        newStatus = "pending";
        jdbc.update("""
            update registry_outbox set status = 'pending', held_at = null, next_attempt_at = ?, last_error = ?
             where filing_id = ?""", Timestamp.from(now), "A clerk asked for another delivery: " + reason, filingId);
      } else {
        newStatus = "refused";
        jdbc.update("""
            update registry_outbox set status = 'refused', held_at = null, payload_sealed = null, last_error = ?
             where filing_id = ?""", reason, filingId);
      }
      jdbc.update("insert into outbox_resolution (filing_id, action, reason, clerk_subject, resolved_at) values (?, ?, ?, ?, ?)",
          filingId, action.code(), reason, clerk, Timestamp.from(now));
      return Optional.of(new Resolution(filingId, action.code(), reason, clerk, now, newStatus));
    });
  }

  /** Every resolution of a filing, oldest first. */
  public List<Resolution> resolutions(String filingId) {
    return jdbc.query("""
        select r.filing_id, r.action, r.reason, r.clerk_subject, r.resolved_at, o.status
          from outbox_resolution r join registry_outbox o on o.filing_id = r.filing_id
         where r.filing_id = ? order by r.id""",
        (rs, i) -> new Resolution(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getTimestamp(5).toInstant(),
            rs.getString(6)), filingId);
  }
}
