package optout.portal.application;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.json.JsonMapper;

/** Applications, their versions, ethics documents, status history, decisions and comments in PostgreSQL. */
@Repository
public class ApplicationStore {

  /** An application's own row. */
  public record ApplicationRow(UUID id, long number, String ownerSubject, ApplicationStatus status, int currentVersion,
      Instant createdAt, Instant updatedAt, Integer approvedVersion, String approvedPurpose, String approvedSpecSha256) {}

  /** A version: a draft until {@code submittedAt} is set, then frozen with the spec built from it. */
  public record VersionRow(UUID applicationId, int version, ApplicationContent content, String ethicsSha256, Instant createdAt,
      Instant updatedAt, Instant submittedAt, String spec, String specSha256) {

    public boolean submitted() {
      return submittedAt != null;
    }
  }

  public record EthicsInfo(String sha256, int size, int pages) {}

  public record StatusChangeRow(int version, String fromStatus, String toStatus, String actorRole, String reason, Instant changedAt) {}

  public record DecisionRow(int version, String outcome, String reason, String reviewerSubject, Instant decidedAt) {}

  public record CommentRow(UUID id, int version, String authorSubject, String visibility, String body, Instant createdAt) {}

  private static final String APPLICATION_COLUMNS =
      "id, number, owner_subject, status, current_version, created_at, updated_at, approved_version, approved_purpose, approved_spec_sha256";
  private static final String VERSION_COLUMNS =
      "application_id, version, content::text, ethics_sha256, created_at, updated_at, submitted_at, spec, spec_sha256";

  private final JdbcTemplate jdbc;
  private final JsonMapper json;

  ApplicationStore(JdbcTemplate jdbc, JsonMapper json) {
    this.jdbc = jdbc;
    this.json = json;
  }

  /**
   * A new application with its first version; answers its number, or nothing if the owner already has one
   * under this creation key (a concurrent retry waits for the first and then finds it).
   */
  Optional<Long> create(UUID id, String owner, String creationKey, ApplicationContent content, Instant at) {
    Optional<Long> number = jdbc.query("""
        insert into application (id, owner_subject, creation_key, status, current_version, created_at, updated_at)
        values (?, ?, ?, 'draft', 1, ?, ?) on conflict (owner_subject, creation_key) do nothing returning number""",
        (rs, n) -> rs.getLong(1), id, owner, creationKey, ts(at), ts(at)).stream().findFirst();
    if (number.isPresent()) {
      jdbc.update("""
          insert into application_version (application_id, version, content, created_at, updated_at)
          values (?, 1, ?::jsonb, ?, ?)""", id, json.writeValueAsString(content), ts(at), ts(at));
    }
    return number;
  }

  Optional<UUID> byCreationKey(String owner, String creationKey) {
    return jdbc.query("select id from application where owner_subject = ? and creation_key = ?",
        (rs, n) -> rs.getObject(1, UUID.class), owner, creationKey).stream().findFirst();
  }

  public Optional<ApplicationRow> find(UUID id) {
    return jdbc.query("select " + APPLICATION_COLUMNS + " from application where id = ?", this::application, id).stream().findFirst();
  }

  /** The application, locked until the transaction ends: commands on one application run one at a time. */
  public Optional<ApplicationRow> lock(UUID id) {
    return jdbc.query("select " + APPLICATION_COLUMNS + " from application where id = ? for update", this::application, id)
        .stream().findFirst();
  }

  /** The owner's applications, newest first, as list lines (one query: the title and institution of each current version). */
  List<ApplicationView.Summary> owned(String owner, int limit) {
    return jdbc.query(SUMMARY + " where a.owner_subject = ? order by a.created_at desc limit ?", this::summary, owner, limit);
  }

  /** Submitted applications waiting for a decision, oldest first, except the caller's own. */
  public List<ApplicationView.Summary> queue(String exceptOwner, int limit) {
    return jdbc.query(SUMMARY + " where a.status = 'submitted' and a.owner_subject <> ? order by a.updated_at, a.number limit ?",
        this::summary, exceptOwner, limit);
  }

  private static final String SUMMARY = """
      select a.id, a.number, v.content ->> 'title', v.content ->> 'institution', a.status, a.current_version, a.updated_at
      from application a join application_version v on v.application_id = a.id and v.version = a.current_version""";

  private ApplicationView.Summary summary(ResultSet rs, int row) throws SQLException {
    ApplicationStatus status = ApplicationStatus.fromWire(rs.getString(5)).orElseThrow();
    return new ApplicationView.Summary(rs.getObject(1, UUID.class), rs.getLong(2), rs.getString(3), rs.getString(4), status.wire(),
        status.turn().wire(), rs.getInt(6), instant(rs, 7));
  }

  public List<VersionRow> versions(UUID id) {
    return jdbc.query("select " + VERSION_COLUMNS + " from application_version where application_id = ? order by version", this::version, id);
  }

  public Optional<VersionRow> version(UUID id, int version) {
    return jdbc.query("select " + VERSION_COLUMNS + " from application_version where application_id = ? and version = ?",
        this::version, id, version).stream().findFirst();
  }

  void newVersion(UUID id, int version, ApplicationContent content, String ethicsSha256, Instant at) {
    jdbc.update("""
        insert into application_version (application_id, version, content, ethics_sha256, created_at, updated_at)
        values (?, ?, ?::jsonb, ?, ?, ?)""", id, version, json.writeValueAsString(content), ethicsSha256, ts(at), ts(at));
  }

  void saveDraft(UUID id, int version, ApplicationContent content, String ethicsSha256, Instant at) {
    jdbc.update("update application_version set content = ?::jsonb, ethics_sha256 = ?, updated_at = ? where application_id = ? and version = ?",
        json.writeValueAsString(content), ethicsSha256, ts(at), id, version);
  }

  void submitVersion(UUID id, int version, String spec, String specSha256, Instant at) {
    jdbc.update("update application_version set submitted_at = ?, spec = ?, spec_sha256 = ?, updated_at = ? where application_id = ? and version = ?",
        ts(at), spec, specSha256, ts(at), id, version);
  }

  public void moveTo(UUID id, ApplicationStatus status, int currentVersion, Instant at) {
    jdbc.update("update application set status = ?, current_version = ?, updated_at = ? where id = ?", status.wire(), currentVersion, ts(at), id);
  }

  /** Moves the application to approved together with what was approved (the table allows neither without the other). */
  public void approve(UUID id, int version, String purpose, String specSha256, Instant at) {
    jdbc.update("""
        update application set status = 'approved', current_version = ?, updated_at = ?,
          approved_version = ?, approved_purpose = ?, approved_spec_sha256 = ? where id = ?""",
        version, ts(at), version, purpose, specSha256, id);
  }

  void storeEthics(EthicsApprovals.EthicsDocument document, Instant at) {
    jdbc.update("insert into ethics_document (sha256, size, pages, content, stored_at) values (?, ?, ?, ?, ?) on conflict (sha256) do nothing",
        document.sha256(), document.size(), document.pages(), document.content(), ts(at));
  }

  public Optional<EthicsInfo> ethicsInfo(String sha256) {
    if (sha256 == null) {
      return Optional.empty();
    }
    return jdbc.query("select sha256, size, pages from ethics_document where sha256 = ?",
        (rs, n) -> new EthicsInfo(rs.getString(1), rs.getInt(2), rs.getInt(3)), sha256).stream().findFirst();
  }

  public Optional<byte[]> ethicsContent(String sha256) {
    return jdbc.query("select content from ethics_document where sha256 = ?", (rs, n) -> rs.getBytes(1), sha256).stream().findFirst();
  }

  public void recordStatusChange(UUID id, int version, ApplicationStatus from, ApplicationStatus to, String actor, String actorRole,
      String reason, Instant at) {
    jdbc.update("""
        insert into status_change (application_id, version, from_status, to_status, actor_subject, actor_role, reason, changed_at)
        values (?, ?, ?, ?, ?, ?, ?, ?)""", id, version, from == null ? null : from.wire(), to.wire(), actor, actorRole, reason, ts(at));
  }

  public List<StatusChangeRow> statusChanges(UUID id) {
    return jdbc.query("select version, from_status, to_status, actor_role, reason, changed_at from status_change where application_id = ? order by id",
        (rs, n) -> new StatusChangeRow(rs.getInt(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), instant(rs, 6)), id);
  }

  /** Records a decision; false if the version already has one (the table allows one per version, ever). */
  public boolean recordDecision(UUID id, int version, String outcome, String reason, String reviewer, Instant at) {
    return jdbc.update("""
        insert into decision (application_id, version, outcome, reason, reviewer_subject, decided_at) values (?, ?, ?, ?, ?, ?)
        on conflict (application_id, version) do nothing""", id, version, outcome, reason, reviewer, ts(at)) == 1;
  }

  public List<DecisionRow> decisions(UUID id) {
    return jdbc.query("select version, outcome, reason, reviewer_subject, decided_at from decision where application_id = ? order by version",
        (rs, n) -> new DecisionRow(rs.getInt(1), rs.getString(2), rs.getString(3), rs.getString(4), instant(rs, 5)), id);
  }

  public void addComment(UUID commentId, UUID id, int version, String author, String visibility, String body, Instant at) {
    jdbc.update("insert into review_comment (id, application_id, version, author_subject, visibility, body, created_at) values (?, ?, ?, ?, ?, ?, ?)",
        commentId, id, version, author, visibility, body, ts(at));
  }

  /** Comments on the application, oldest first; only those shown to the researcher unless {@code reviewerOnlyToo}. */
  public List<CommentRow> comments(UUID id, boolean reviewerOnlyToo) {
    return jdbc.query("select id, version, author_subject, visibility, body, created_at from review_comment where application_id = ?"
        + (reviewerOnlyToo ? "" : " and visibility = 'shown-to-researcher'") + " order by created_at, id",
        (rs, n) -> new CommentRow(rs.getObject(1, UUID.class), rs.getInt(2), rs.getString(3), rs.getString(4), rs.getString(5), instant(rs, 6)), id);
  }

  private ApplicationRow application(ResultSet rs, int row) throws SQLException {
    return new ApplicationRow(rs.getObject(1, UUID.class), rs.getLong(2), rs.getString(3),
        ApplicationStatus.fromWire(rs.getString(4)).orElseThrow(), rs.getInt(5), instant(rs, 6), instant(rs, 7),
        (Integer) rs.getObject(8), rs.getString(9), rs.getString(10));
  }

  private VersionRow version(ResultSet rs, int row) throws SQLException {
    return new VersionRow(rs.getObject(1, UUID.class), rs.getInt(2), json.readValue(rs.getString(3), ApplicationContent.class),
        rs.getString(4), instant(rs, 5), instant(rs, 6), instant(rs, 7), rs.getString(8), rs.getString(9));
  }

  private static Timestamp ts(Instant at) {
    return Timestamp.from(at);
  }

  private static Instant instant(ResultSet rs, int column) throws SQLException {
    Timestamp value = rs.getTimestamp(column);
    return value == null ? null : value.toInstant();
  }
}
