package optout.portal.notification;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import optout.platform.security.ResourceServerProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.mail.MailException;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.MimeMessageHelper;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Sends what {@link Notifications} queued in {@code email_outbox}: every {@code optout.portal.mail.interval}
 * it takes the due rows one at a time, each locked with {@code for update skip locked} in its own
 * transaction (so several portals never send one row twice, and a crash leaves the row pending: sent at
 * least once, never lost), looks the recipient's address up in Keycloak by subject, sends over SMTP and
 * marks the row sent. A failure leaves the row pending with a doubling, capped wait; a recipient without an
 * address is marked undeliverable. Logs name neither address nor subject, only the outbox row.
 */
class MailRelay implements DisposableBean {

  private static final Logger LOG = LoggerFactory.getLogger(MailRelay.class);

  /** The relay exists only when an SMTP server is configured ({@code spring.mail.host}). */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnProperty("spring.mail.host")
  @EnableConfigurationProperties(MailRelayProperties.class)
  static class Setup {
    @Bean
    MailRelay mailRelay(JdbcTemplate jdbc, TransactionTemplate transactions, JavaMailSender mail, MailRelayProperties properties,
        ResourceServerProperties security, JsonMapper json, Clock clock) {
      return new MailRelay(jdbc, transactions, mail, properties,
          new KeycloakDirectory(security.issuer(), properties.keycloakClientId(), properties.secret(), json), clock);
    }
  }

  private record Due(UUID notificationId, String recipientSubject, String subject, String body, int attempts) {}

  private final JdbcTemplate jdbc;
  private final TransactionTemplate transactions;
  private final JavaMailSender mail;
  private final MailRelayProperties properties;
  private final KeycloakDirectory directory;
  private final Clock clock;
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread thread = new Thread(r, "mail-relay");
    thread.setDaemon(true);
    return thread;
  });

  MailRelay(JdbcTemplate jdbc, TransactionTemplate transactions, JavaMailSender mail, MailRelayProperties properties,
      KeycloakDirectory directory, Clock clock) {
    if (properties.from() == null || properties.from().isBlank()) {
      throw new IllegalStateException("Cannot start the e-mail relay: spring.mail.host is set but optout.portal.mail.from is not");
    }
    this.jdbc = jdbc;
    this.transactions = transactions;
    this.mail = mail;
    this.properties = properties;
    this.directory = directory;
    this.clock = clock;
    long every = properties.interval().toMillis();
    timer.scheduleWithFixedDelay(this::round, every, every, TimeUnit.MILLISECONDS);
  }

  private void round() {
    try {
      for (int i = 0; i < properties.batch(); i++) {
        if (!Boolean.TRUE.equals(transactions.execute(status -> relayOne()))) {
          return;
        }
      }
    } catch (RuntimeException e) {
      LOG.warn("The e-mail relay stopped this round: {}", e.getClass().getSimpleName());
    }
  }

  /** Takes one due row and settles it; false when none is due. */
  private boolean relayOne() {
    Instant now = clock.instant();
    List<Due> due = jdbc.query("""
        select notification_id, recipient_subject, subject, body, attempts from email_outbox
         where status = 'pending' and coalesce(next_attempt_at, created_at) <= ?
         order by coalesce(next_attempt_at, created_at), notification_id limit 1 for update skip locked""",
        (rs, n) -> new Due(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3), rs.getString(4), rs.getInt(5)),
        Timestamp.from(now));
    if (due.isEmpty()) {
      return false;
    }
    Due row = due.get(0);
    int attempts = row.attempts() + 1;
    try {
      KeycloakDirectory.Lookup lookup = directory.lookUp(row.recipientSubject());
      if (lookup instanceof KeycloakDirectory.Address address) {
        send(address.address(), row);
        jdbc.update("update email_outbox set status = 'sent', sent_at = ?, attempts = ?, last_attempt_at = ?, next_attempt_at = null,"
            + " last_error = null where notification_id = ?", Timestamp.from(clock.instant()), attempts, Timestamp.from(now), row.notificationId());
      } else {
        jdbc.update("update email_outbox set status = 'undeliverable', attempts = ?, last_attempt_at = ?, next_attempt_at = null,"
            + " last_error = 'no-address' where notification_id = ?", attempts, Timestamp.from(now), row.notificationId());
        LOG.info("E-mail of notification {} is undeliverable: the recipient's account has no address", row.notificationId());
      }
    } catch (IOException | MailException | MessagingException e) {
      retryLater(row, attempts, now, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      retryLater(row, attempts, now, e);
    }
    return true;
  }

  private void send(String address, Due row) throws MessagingException {
    MimeMessage message = mail.createMimeMessage();
    MimeMessageHelper helper = new MimeMessageHelper(message, false, "UTF-8");
    helper.setFrom(properties.from());
    helper.setTo(address);
    helper.setSubject(row.subject());
    helper.setText(row.body(), false);
    mail.send(message);
  }

  private void retryLater(Due row, int attempts, Instant now, Exception e) {
    Instant next = now.plus(properties.backoff(attempts));
    // the kind of failure only: an SMTP server's or Keycloak's message may quote the address
    String kind = e.getClass().getSimpleName();
    jdbc.update("update email_outbox set attempts = ?, last_attempt_at = ?, next_attempt_at = ?, last_error = ? where notification_id = ?",
        attempts, Timestamp.from(now), Timestamp.from(next), kind.length() > 200 ? kind.substring(0, 200) : kind, row.notificationId());
    LOG.info("E-mail of notification {} not sent (attempt {}, {}); next attempt at {}", row.notificationId(), attempts, kind, next);
  }

  @Override
  public void destroy() {
    timer.shutdownNow();
  }
}
