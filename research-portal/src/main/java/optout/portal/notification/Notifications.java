package optout.portal.notification;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import optout.portal.application.ApplicationStatus;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * What the portal tells a researcher about their application: a notification in the portal for every
 * change of status, and the same news queued as e-mail in {@code email_outbox} (in the same
 * transaction, so no change goes unannounced). {@link MailRelay} sends it, looking the address up in
 * Keycloak by subject, so no address is copied here.
 */
@Component
public class Notifications {

  public record Notification(UUID id, UUID applicationId, String toStatus, String message, Instant createdAt, Instant readAt) {}

  private final JdbcTemplate jdbc;

  Notifications(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  /** Tells the researcher that their application {@code number} is now {@code status}; call inside the change's transaction. */
  public void statusChanged(String researcher, UUID applicationId, long number, ApplicationStatus status, Instant at) {
    String message = message(number, status);
    UUID id = UUID.randomUUID();
    jdbc.update("insert into notification (id, recipient_subject, application_id, to_status, message, created_at) values (?, ?, ?, ?, ?, ?)",
        id, researcher, applicationId, status.wire(), message, Timestamp.from(at));
    jdbc.update("""
        insert into email_outbox (notification_id, recipient_subject, subject, body, created_at) values (?, ?, ?, ?, ?)""",
        id, researcher, "研究申請 " + number + "：" + zh(status) + " / Application " + number + ": " + status.wire(),
        message + "\n\n請登入研究入口網站查看。 Sign in to the research portal to see it.", Timestamp.from(at));
  }

  public List<Notification> of(String recipient, int limit) {
    return jdbc.query("""
        select id, application_id, to_status, message, created_at, read_at from notification
        where recipient_subject = ? order by created_at desc, id limit ?""",
        (rs, n) -> new Notification(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3), rs.getString(4),
            rs.getTimestamp(5).toInstant(), Optional.ofNullable(rs.getTimestamp(6)).map(Timestamp::toInstant).orElse(null)),
        recipient, limit);
  }

  /** Marks the recipient's own notification read; false if they have none with this ID. */
  public boolean markRead(String recipient, UUID id, Instant at) {
    jdbc.update("update notification set read_at = ? where id = ? and recipient_subject = ? and read_at is null",
        Timestamp.from(at), id, recipient);
    return jdbc.queryForObject("select count(*) from notification where id = ? and recipient_subject = ?", Integer.class, id, recipient) == 1;
  }

  static String message(long number, ApplicationStatus status) {
    String english = switch (status) {
      case DRAFT -> "Application " + number + " was created as a draft.";
      case SUBMITTED -> "Application " + number + " was submitted; it is the reviewers' turn.";
      case CHANGES_REQUESTED -> "The reviewers asked for changes to application " + number + "; it is your turn.";
      case APPROVED -> "Application " + number + " was approved; the extract is queued.";
      case REJECTED -> "Application " + number + " was rejected.";
      case WITHDRAWN -> "Application " + number + " was withdrawn.";
    };
    return "研究申請 " + number + "：" + zh(status) + "。 " + english;
  }

  private static String zh(ApplicationStatus status) {
    return switch (status) {
      case DRAFT -> "草稿";
      case SUBMITTED -> "已送出，待審查";
      case CHANGES_REQUESTED -> "審查者要求修改";
      case APPROVED -> "已核准";
      case REJECTED -> "未核准";
      case WITHDRAWN -> "已撤回";
    };
  }
}
