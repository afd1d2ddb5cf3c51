package optout.consent.registrylog;

import java.time.Instant;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** What this service found about a filing's place in the registry's log, for the public verification. */
@Repository
public class LogProofs {

  /**
   * {@code status}: {@code logged} (proven: leaf {@code logIndex} of a checkpoint of {@code treeSize}
   * leaves, verified at {@code verifiedAt}), {@code waiting} (not delivered, or not yet under a checkpoint),
   * {@code problem} (its receipt, or the registry's log as a whole, did not verify; {@code detail} says
   * why) or {@code not-checked} (no log key pinned).
   */
  public record LogStatus(String status, Long logIndex, Long treeSize, Instant verifiedAt, String detail) {}

  private final JdbcTemplate jdbc;
  private final RegistryLogMonitor monitor;

  LogProofs(JdbcTemplate jdbc, RegistryLogMonitor monitor) {
    this.jdbc = jdbc;
    this.monitor = monitor;
  }

  public LogStatus of(String filingId) {
    var proven = jdbc.query("select log_index, tree_size, verified_at from filing_log_proof where filing_id = ?",
        (rs, i) -> new LogStatus("logged", rs.getLong(1), rs.getLong(2), rs.getTimestamp(3).toInstant(), null), filingId);
    if (!proven.isEmpty()) {
      return proven.get(0);
    }
    // this filing's own finding, else one about the registry's log as a whole (then no later filing can be proven either)
    var problems = jdbc.query("""
        select detail, found_at from registry_log_problem where filing_id = ? or filing_id is null
         order by (filing_id is null), id desc limit 1""",
        (rs, i) -> new LogStatus("problem", null, null, rs.getTimestamp(2).toInstant(), rs.getString(1)), filingId);
    if (!problems.isEmpty()) {
      return problems.get(0);
    }
    return new LogStatus(monitor.checking() ? "waiting" : "not-checked", null, null, null, null);
  }
}
