package optout.consent.outbox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import javax.sql.DataSource;
import optout.consent.ConsentProperties;
import optout.consent.secrets.ConsentSecrets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Delivers the outbox to the registry in the order of the outbox's sequence, each row posted under its
 * filing ID as the idempotency key. One relay runs at a time (a session-level advisory lock held on a
 * connection of its own), so two instances never post the same row at once; since the registry keeps the
 * key, a delivery whose answer was lost files nothing twice when retried. No database transaction is
 * open while the registry is called: each outcome is recorded in a short transaction of its own.
 *
 * <p>Only the registry's explicit domain refusals ({@link RegistryClient#DOMAIN_REFUSALS}) stop the
 * retries: the row is then held, its encrypted payload kept, an alert raised, until a clerk resolves it
 * ({@link HeldFilings}). Anything else (403, 404, an unknown 400 or 409, 5xx, a timeout, an unreadable
 * answer) is retried with capped exponential backoff, and a filing stuck longer than the configured time
 * raises an alert.
 */
@Component
public class OutboxRelay {

  private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);
  private static final int BATCH = 20;
  /** The advisory lock key of the relay: "outbox" in ASCII. */
  private static final long RELAY_LOCK = 0x6f7574626f78L;

  private final DataSource dataSource;
  private final JdbcTemplate jdbc;
  private final TransactionTemplate transactions;
  private final RegistryClient registry;
  private final ConsentSecrets secrets;
  private final Clock clock;
  private final Duration maxBackoff;
  private final Duration stuckAlertAfter;

  OutboxRelay(DataSource dataSource, JdbcTemplate jdbc, TransactionTemplate transactions, RegistryClient registry, ConsentSecrets secrets,
      ConsentProperties properties, Clock clock) {
    this.dataSource = dataSource;
    this.jdbc = jdbc;
    this.transactions = transactions;
    this.registry = registry;
    this.secrets = secrets;
    this.clock = clock;
    this.maxBackoff = properties.registry().maxBackoff();
    this.stuckAlertAfter = properties.registry().stuckAlertAfter();
  }

  @Scheduled(fixedDelayString = "${optout.consent.registry.relay-interval:1s}", initialDelayString = "${optout.consent.registry.relay-interval:1s}")
  void tick() {
    try {
      int delivered;
      do {
        delivered = deliverDue();
      } while (delivered == BATCH);
      alertIfStuck();
    } catch (RuntimeException e) {
      log.warn("The outbox relay could not run this round: {}", e.getMessage());
    }
  }

  /**
   * Delivers up to one batch in sequence order and returns how many rows it delivered or held. Order
   * matters: a withdrawal must not reach the registry before the opt-out it withdraws. So one relay runs
   * at a time, the round stops at the first row that cannot be delivered now (its backoff holds back
   * everything after it), and a row waits while an earlier filing of the same person is held for a clerk.
   */
  int deliverDue() {
    try (Connection lock = dataSource.getConnection()) {
      lock.setAutoCommit(true);
      if (!advisory(lock, "select pg_try_advisory_lock(?)")) {
        return 0;
      }
      try {
        return deliverBatch();
      } finally {
        release(lock);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot take the relay's lock: " + e.getMessage(), e);
    }
  }

  /**
   * Unlocks; a connection that cannot unlock is dropped rather than returned to the pool still holding
   * the lock (which would stop every relay until it closed): its session ends, and the lock with it.
   */
  private static void release(Connection lock) {
    try {
      if (advisory(lock, "select pg_advisory_unlock(?)")) {
        return;
      }
    } catch (SQLException e) {
      log.warn("The outbox relay could not release its lock ({}); dropping its connection", e.getMessage());
    }
    try {
      lock.abort(Runnable::run);
    } catch (SQLException e) {
      log.warn("The outbox relay could not drop its lock's connection: {}", e.getMessage());
    }
  }

  private static boolean advisory(Connection connection, String sql) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.setLong(1, RELAY_LOCK);
      try (ResultSet result = statement.executeQuery()) {
        return result.next() && result.getBoolean(1);
      }
    }
  }

  private int deliverBatch() {
    // each statement below is its own short transaction; the registry is called between them
    List<Row> pending = jdbc.query("""
        select o.filing_id, o.payload_sealed, o.attempts, o.next_attempt_at, f.person_lookup
          from registry_outbox o join filing f on f.filing_id = o.filing_id
         where o.status = 'pending'
           and not exists (select 1 from registry_outbox e join filing g on g.filing_id = e.filing_id
                            where g.person_lookup = f.person_lookup and e.status = 'held' and e.delivery_seq < o.delivery_seq)
         order by o.delivery_seq limit ?""",
        (rs, i) -> new Row(rs.getString(1), rs.getBytes(2), rs.getInt(3), rs.getTimestamp(4).toInstant(),
            HexFormat.of().formatHex(rs.getBytes(5))), BATCH);
    // a person held in this batch holds back their later rows of this batch too
    Set<String> heldPersons = new HashSet<>();
    int done = 0;
    for (Row row : pending) {
      if (heldPersons.contains(row.person())) {
        continue;
      }
      if (row.nextAttempt().isAfter(clock.instant())) {
        break;
      }
      Outcome outcome = deliver(row);
      if (outcome == Outcome.RETRY_LATER) {
        break;
      }
      if (outcome == Outcome.HELD) {
        heldPersons.add(row.person());
      }
      done++;
    }
    return done;
  }

  private record Row(String filingId, byte[] payload, int attempts, Instant nextAttempt, String person) {}

  private enum Outcome { DELIVERED, HELD, RETRY_LATER }

  /** Delivers one row, or holds it on a domain refusal, or schedules its next attempt. */
  private Outcome deliver(Row row) {
    RegistryClient.Answer answer;
    try {
      answer = registry.deliver(row.filingId(), secrets.openOutboxPayload(row.payload(), row.filingId()));
    } catch (IllegalStateException unreadable) {
      answer = new RegistryClient.Answer.Unavailable(unreadable.getMessage());
    }
    Instant now = clock.instant();
    if (answer instanceof RegistryClient.Answer.Accepted accepted) {
      jdbc.update("""
          update registry_outbox set status = 'delivered', payload_sealed = null, attempts = attempts + 1, delivered_at = ?,
                 registry_event_id = ?, last_error = null where filing_id = ? and status = 'pending'""",
          Timestamp.from(now), accepted.eventId(), row.filingId());
      log.info("Delivered filing {} to the registry after {} attempt(s){}", row.filingId(), row.attempts() + 1,
          accepted.replayed() ? " (the registry had it already)" : "");
      return Outcome.DELIVERED;
    } else if (answer instanceof RegistryClient.Answer.Refused refused) {
      hold(row, refused, now);
      return Outcome.HELD;
    } else {
      String reason = ((RegistryClient.Answer.Unavailable) answer).reason();
      Duration wait = backoff(row.attempts() + 1);
      jdbc.update("update registry_outbox set attempts = attempts + 1, next_attempt_at = ?, last_error = ? where filing_id = ? and status = 'pending'",
          Timestamp.from(now.plus(wait)), reason, row.filingId());
      log.info("Filing {} not delivered yet ({}); next attempt in {} s", row.filingId(), reason, wait.toSeconds());
      return Outcome.RETRY_LATER;
    }
  }

  /** A domain refusal: kept with its payload for a clerk, and an alert raised, in one transaction. */
  private void hold(Row row, RegistryClient.Answer.Refused refused, Instant now) {
    String detail = "The registry refused it (HTTP " + refused.status() + ", " + refused.problemType() + "): " + refused.detail();
    transactions.executeWithoutResult(status -> {
      int held = jdbc.update("""
          update registry_outbox set status = 'held', held_at = ?, held_problem_type = ?, attempts = attempts + 1, last_error = ?
           where filing_id = ? and status = 'pending'""", Timestamp.from(now), refused.problemType(), detail, row.filingId());
      if (held == 1) {
        jdbc.update("insert into consent_alert (kind, raised_at, filing_id, detail) values ('filing-held', ?, ?, ?)",
            Timestamp.from(now), row.filingId(), detail);
      }
    });
    log.warn("ALERT: the registry refused filing {} (HTTP {}, {}); held with its payload for a clerk to resolve",
        row.filingId(), refused.status(), refused.problemType());
  }

  /**
   * The head of the queue (the filing every later one waits for) still pending after the configured time
   * raises an alert, once for that filing.
   */
  private void alertIfStuck() {
    Instant now = clock.instant();
    List<String> stuck = jdbc.queryForList("""
        select h.filing_id from (select filing_id, created_at from registry_outbox where status = 'pending'
                                   order by delivery_seq limit 1) h
         where h.created_at < ?
           and not exists (select 1 from consent_alert a where a.kind = 'outbox-stuck' and a.filing_id = h.filing_id)""",
        String.class, Timestamp.from(now.minus(stuckAlertAfter)));
    for (String filingId : stuck) {
      String lastError = jdbc.queryForObject("select coalesce(last_error, 'not tried yet') from registry_outbox where filing_id = ?",
          String.class, filingId);
      jdbc.update("insert into consent_alert (kind, raised_at, filing_id, detail) values ('outbox-stuck', ?, ?, ?)",
          Timestamp.from(now), filingId, "Not delivered after " + stuckAlertAfter + "; last: " + lastError);
      log.warn("ALERT: the outbox is stuck: filing {} not delivered after {} ({})", filingId, stuckAlertAfter, lastError);
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
