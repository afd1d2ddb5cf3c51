package optout.consent.outbox;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import optout.consent.ConsentProperties;
import optout.consent.secrets.ConsentSecrets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Delivers the outbox to the registry: pending rows, oldest first, each posted under its filing ID as
 * the idempotency key. One relay runs at a time, so two instances never post the same row at once; and
 * since the registry keeps the key, a delivery whose answer was lost files nothing twice when retried. Failures back off exponentially (with jitter) up to
 * a maximum; a refusal (the registry will never take it) stops the retries and is kept for staff to see.
 */
@Component
public class OutboxRelay {

  private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);
  private static final int BATCH = 20;
  /** The advisory lock key of the relay: "outbox" in ASCII. */
  private static final long RELAY_LOCK = 0x6f7574626f78L;

  private final JdbcTemplate jdbc;
  private final TransactionTemplate transactions;
  private final RegistryClient registry;
  private final ConsentSecrets secrets;
  private final Clock clock;
  private final Duration maxBackoff;

  OutboxRelay(JdbcTemplate jdbc, TransactionTemplate transactions, RegistryClient registry, ConsentSecrets secrets,
      ConsentProperties properties, Clock clock) {
    this.jdbc = jdbc;
    this.transactions = transactions;
    this.registry = registry;
    this.secrets = secrets;
    this.clock = clock;
    this.maxBackoff = properties.registry().maxBackoff();
  }

  @Scheduled(fixedDelayString = "${optout.consent.registry.relay-interval:1s}", initialDelayString = "${optout.consent.registry.relay-interval:1s}")
  void tick() {
    try {
      int delivered;
      do {
        delivered = deliverDue();
      } while (delivered == BATCH);
    } catch (RuntimeException e) {
      log.warn("The outbox relay could not run this round: {}", e.getMessage());
    }
  }

  /**
   * Delivers up to one batch, oldest filing first, and returns how many rows it delivered or refused.
   * Order matters: a withdrawal must not reach the registry before the opt-out it withdraws. So one relay
   * runs at a time (a transaction-scoped advisory lock, across instances), rows go in the order they
   * were filed, and the round stops at the first row that cannot be delivered now; its backoff then
   * holds back everything after it.
   */
  int deliverDue() {
    Integer handled = transactions.execute(status -> {
      Boolean mine = jdbc.queryForObject("select pg_try_advisory_xact_lock(?)", Boolean.class, RELAY_LOCK);
      if (!Boolean.TRUE.equals(mine)) {
        return 0;
      }
      List<Row> pending = jdbc.query("""
          select filing_id, payload_sealed, attempts, next_attempt_at from registry_outbox
           where status = 'pending' order by created_at, filing_id limit ?""",
          (rs, i) -> new Row(rs.getString(1), rs.getBytes(2), rs.getInt(3), rs.getTimestamp(4).toInstant()), BATCH);
      int done = 0;
      for (Row row : pending) {
        if (row.nextAttempt().isAfter(clock.instant()) || !deliver(row)) {
          break;
        }
        done++;
      }
      return done;
    });
    return handled == null ? 0 : handled;
  }

  private record Row(String filingId, byte[] payload, int attempts, Instant nextAttempt) {}

  /** Delivers one row; false if the registry could not take it now. */
  private boolean deliver(Row row) {
    Instant now = clock.instant();
    RegistryClient.Answer answer;
    try {
      answer = registry.deliver(row.filingId(), secrets.openOutboxPayload(row.payload(), row.filingId()));
    } catch (IllegalStateException unreadable) {
      answer = new RegistryClient.Answer.Unavailable(unreadable.getMessage());
    }
    if (answer instanceof RegistryClient.Answer.Accepted accepted) {
      jdbc.update("""
          update registry_outbox set status = 'delivered', payload_sealed = null, attempts = attempts + 1, delivered_at = ?,
                 registry_event_id = ?, last_error = null where filing_id = ?""",
          Timestamp.from(now), accepted.eventId(), row.filingId());
      log.info("Delivered filing {} to the registry after {} attempt(s){}", row.filingId(), row.attempts() + 1,
          accepted.replayed() ? " (the registry had it already)" : "");
      return true;
    } else if (answer instanceof RegistryClient.Answer.Refused refused) {
      jdbc.update("""
          update registry_outbox set status = 'refused', payload_sealed = null, attempts = attempts + 1, last_error = ?
           where filing_id = ?""",
          "The registry refused it (HTTP " + refused.status() + "): " + refused.detail(), row.filingId());
      log.warn("The registry refused filing {} (HTTP {}); it will not be retried", row.filingId(), refused.status());
      return true;
    } else {
      String reason = ((RegistryClient.Answer.Unavailable) answer).reason();
      Duration wait = backoff(row.attempts() + 1);
      jdbc.update("update registry_outbox set attempts = attempts + 1, next_attempt_at = ?, last_error = ? where filing_id = ?",
          Timestamp.from(now.plus(wait)), reason, row.filingId());
      log.info("Filing {} not delivered yet ({}); next attempt in {} s", row.filingId(), reason, wait.toSeconds());
      return false;
    }
  }

  /** 1 s, 2 s, 4 s, ... up to the maximum, less up to a fifth at random so that retries spread out. */
  Duration backoff(int attempts) {
    long seconds = Math.min(maxBackoff.toSeconds(), 1L << Math.min(attempts - 1, 30));
    long jitter = ThreadLocalRandom.current().nextLong(seconds * 200 + 1);
    return Duration.ofMillis(Math.max(500, seconds * 1000 - jitter));
  }

  /** How many filings wait for delivery (for health and tests). */
  public long pending() {
    Long count = jdbc.queryForObject("select count(*) from registry_outbox where status = 'pending'", Long.class);
    return count == null ? 0 : count;
  }
}
