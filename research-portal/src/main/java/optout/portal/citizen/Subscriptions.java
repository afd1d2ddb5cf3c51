package optout.portal.citizen;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A citizen's e-mail subscriptions ("my data was used", "my status changed") and the news they bring: a
 * notification and an {@code email_outbox} row in one transaction, which the portal's {@code MailRelay} sends
 * to the address Keycloak holds for the citizen's account. The mail names nothing: no ID, no project, no
 * purpose, no date; it says what kind of news there is and "log in to see".
 */
@Component
class Subscriptions {

  enum Kind {
    DATA_USED("citizen-data-used",
        "您的資料使用紀錄有更新 / Your data-use record has news",
        "您的資料使用紀錄有更新。 There is news in your record of where your data was used."),
    STATUS_CHANGED("citizen-status-changed",
        "您的退出狀態有更新 / Your opt-out status has news",
        "您的退出（停止使用）狀態有更新。 There is news about your opt-out status.");

    final String code;
    final String subject;
    final String message;

    Kind(String code, String subject, String message) {
      this.code = code;
      this.subject = subject;
      this.message = message;
    }
  }

  /** {@code usageTold}: ledger rows already told; {@code statusFingerprint}: the status last seen. */
  record Subscription(String subject, long pseudonym, int keyVersion, boolean dataUsed, boolean statusChanged, int usageTold,
      String statusFingerprint) {}

  static final String BODY_END = "\n\n請登入研究入口網站查看。 Log in to the research portal to see it.";

  private final JdbcTemplate jdbc;
  private final TransactionTemplate transactions;

  Subscriptions(JdbcTemplate jdbc, TransactionTemplate transactions) {
    this.jdbc = jdbc;
    this.transactions = transactions;
  }

  List<Subscription> all() {
    return jdbc.query("""
        select subject, pseudonym, key_version, data_used, status_changed, usage_told, status_fingerprint
        from citizen_subscription order by subject""",
        (rs, n) -> new Subscription(rs.getString(1), rs.getLong(2), rs.getInt(3), rs.getBoolean(4), rs.getBoolean(5), rs.getInt(6),
            rs.getString(7)));
  }

  /** The caller's choices, and the warehouse key version of the pseudonym the subscription watches (0: no subscription). */
  record Chosen(boolean dataUsed, boolean statusChanged, int keyVersion) {}

  Chosen of(String subject) {
    List<Chosen> found = jdbc.query("select data_used, status_changed, key_version from citizen_subscription where subject = ?",
        (rs, n) -> new Chosen(rs.getBoolean(1), rs.getBoolean(2), rs.getInt(3)), subject);
    return found.isEmpty() ? new Chosen(false, false, 0) : found.get(0);
  }

  /**
   * Moves the caller's subscription to their pseudonym under a newer warehouse key version (after a rotation, seen when
   * they next open their page): the watch then counts the new version's rows, and what is there now is not news.
   */
  void follow(String subject, long pseudonym, int keyVersion, int usageNow, String fingerprintNow, Instant at) {
    jdbc.update("""
        update citizen_subscription set pseudonym = ?, key_version = ?, usage_told = ?, status_fingerprint = ?, updated_at = ?
        where subject = ? and key_version < ?""",
        pseudonym, keyVersion, Math.max(usageNow, 0), fingerprintNow, Timestamp.from(at), subject, keyVersion);
  }

  /**
   * Sets the caller's choices; news from before now is never told ({@code usageNow}, {@code fingerprintNow} are
   * what is known now). Both false deletes the subscription, with the pseudonym it kept.
   */
  void set(String subject, long pseudonym, int keyVersion, boolean dataUsed, boolean statusChanged, int usageNow, String fingerprintNow,
      Instant at) {
    if (!dataUsed && !statusChanged) {
      jdbc.update("delete from citizen_subscription where subject = ?", subject);
      return;
    }
    jdbc.update("""
        insert into citizen_subscription (subject, pseudonym, key_version, data_used, status_changed, usage_told, status_fingerprint,
          created_at, updated_at)
        values (?, ?, ?, ?, ?, ?, ?, ?, ?)
        on conflict (subject) do update set pseudonym = excluded.pseudonym, key_version = excluded.key_version,
          data_used = excluded.data_used, status_changed = excluded.status_changed, usage_told = excluded.usage_told,
          status_fingerprint = excluded.status_fingerprint, updated_at = excluded.updated_at""",
        subject, pseudonym, keyVersion, dataUsed, statusChanged, Math.max(usageNow, 0), fingerprintNow, Timestamp.from(at),
        Timestamp.from(at));
  }

  /** Tells of new ledger rows once (several portals may watch: only the one that moves the count on tells). */
  boolean tellUsage(Subscription subscription, int usageNow, Instant at) {
    return Boolean.TRUE.equals(transactions.execute(status -> {
      int moved = jdbc.update("update citizen_subscription set usage_told = ?, updated_at = ? where subject = ? and usage_told = ?",
          usageNow, Timestamp.from(at), subscription.subject(), subscription.usageTold());
      if (moved == 1 && subscription.dataUsed()) {
        queue(subscription.subject(), Kind.DATA_USED, at);
        return true;
      }
      return false;
    }));
  }

  /** Tells of a changed status once. */
  boolean tellStatus(Subscription subscription, String fingerprintNow, Instant at) {
    return Boolean.TRUE.equals(transactions.execute(status -> {
      int moved = jdbc.update("""
          update citizen_subscription set status_fingerprint = ?, updated_at = ?
          where subject = ? and status_fingerprint is not distinct from ?""",
          fingerprintNow, Timestamp.from(at), subscription.subject(), subscription.statusFingerprint());
      if (moved == 1 && subscription.statusChanged()) {
        queue(subscription.subject(), Kind.STATUS_CHANGED, at);
        return true;
      }
      return false;
    }));
  }

  private void queue(String subject, Kind kind, Instant at) {
    UUID id = UUID.randomUUID();
    jdbc.update("insert into notification (id, recipient_subject, application_id, to_status, message, created_at) values (?, ?, null, ?, ?, ?)",
        id, subject, kind.code, kind.message, Timestamp.from(at));
    jdbc.update("insert into email_outbox (notification_id, recipient_subject, subject, body, created_at) values (?, ?, ?, ?, ?)",
        id, subject, kind.subject, kind.message + BODY_END, Timestamp.from(at));
  }
}
