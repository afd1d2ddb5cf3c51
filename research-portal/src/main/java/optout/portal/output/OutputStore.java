package optout.portal.output;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** Projects (approved applications) as outputs and their end see them, outputs, their checks and closures, in PostgreSQL. */
@Repository
class OutputStore {

  /** A project: its application, and its closure if it was closed. */
  record ProjectRow(UUID applicationId, long number, String ownerSubject, String status, Integer approvedVersion, String approvedPurpose,
      String approvedSpecSha256, Instant closedAt, String closeReason, UUID closeJob) {

    boolean approved() {
      return "approved".equals(status);
    }

    boolean closed() {
      return closedAt != null;
    }
  }

  record OutputRow(UUID id, UUID applicationId, int number, String requesterSubject, String description, String rules, int threshold,
      int roundingBase, String originalCsv, String originalSha256, String releasedCsv, String releasedSha256, String checkReport,
      OutputStatus status, Instant submittedAt, Instant decidedAt) {}

  record CheckRow(String checkerSubject, String outcome, String reason, Instant decidedAt) {}

  record JobRow(UUID id, String status, int progress, Instant queuedAt, Instant finishedAt) {}

  private static final String PROJECT = """
      select a.id, a.number, a.owner_subject, a.status, a.approved_version, a.approved_purpose, a.approved_spec_sha256,
        c.closed_at, c.reason, c.close_job
      from application a left join project_closure c on c.application_id = a.id where a.number = ?""";
  private static final String OUTPUT_COLUMNS = """
      id, application_id, number, requester_subject, description, rules, threshold, rounding_base, original_csv, original_sha256,
      released_csv, released_sha256, check_report, status, submitted_at, decided_at""";

  private final JdbcTemplate jdbc;

  OutputStore(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  Optional<ProjectRow> project(long number) {
    return jdbc.query(PROJECT, this::projectRow, number).stream().findFirst();
  }

  /** The project, its application row locked until the transaction ends: outputs and the closing of one project run one at a time. */
  Optional<ProjectRow> lockProject(long number) {
    List<UUID> locked = jdbc.query("select id from application where number = ? for update", (rs, n) -> rs.getObject(1, UUID.class), number);
    return locked.isEmpty() ? Optional.empty() : project(number);
  }

  Optional<UUID> outputByCreationKey(UUID applicationId, String requester, String key) {
    return jdbc.query("select id from output_release where application_id = ? and requester_subject = ? and creation_key = ?",
        (rs, n) -> rs.getObject(1, UUID.class), applicationId, requester, key).stream().findFirst();
  }

  int nextNumber(UUID applicationId) {
    Integer last = jdbc.queryForObject("select max(number) from output_release where application_id = ?", Integer.class, applicationId);
    return last == null ? 1 : last + 1;
  }

  void insertOutput(UUID id, UUID applicationId, int number, String requester, String creationKey, String description,
      OutputRequest.Checked checked, Instant at) {
    jdbc.update("""
        insert into output_release (id, application_id, number, requester_subject, creation_key, description, rules, threshold, rounding_base,
          original_csv, original_sha256, released_csv, released_sha256, check_report, status, submitted_at)
        values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'awaiting-checks', ?)""",
        id, applicationId, number, requester, creationKey, description, checked.rules().name(), checked.rules().threshold(),
        checked.rules().roundingBase(), checked.originalCsv(), checked.originalSha256(), checked.releasedCsv(), checked.releasedSha256(),
        checked.report(), ts(at));
  }

  List<OutputRow> outputs(UUID applicationId) {
    return jdbc.query("select " + OUTPUT_COLUMNS + " from output_release where application_id = ? order by number", this::outputRow, applicationId);
  }

  /** The project's outputs that count for the differencing check: all but the rejected. */
  List<OutputRow> notRejected(UUID applicationId) {
    return jdbc.query("select " + OUTPUT_COLUMNS + " from output_release where application_id = ? and status <> 'rejected' order by number",
        this::outputRow, applicationId);
  }

  Optional<OutputRow> output(UUID applicationId, int number) {
    return jdbc.query("select " + OUTPUT_COLUMNS + " from output_release where application_id = ? and number = ?", this::outputRow,
        applicationId, number).stream().findFirst();
  }

  Optional<OutputRow> output(UUID id) {
    return jdbc.query("select " + OUTPUT_COLUMNS + " from output_release where id = ?", this::outputRow, id).stream().findFirst();
  }

  Optional<Long> projectNumberOf(UUID applicationId) {
    return jdbc.query("select number from application where id = ?", (rs, n) -> rs.getLong(1), applicationId).stream().findFirst();
  }

  /** Outputs awaiting checks that this checker may check: not their own, not checked by them yet, of a project still open. */
  List<OutputRow> queue(String checker, int limit) {
    return jdbc.query("select " + OUTPUT_COLUMNS + """
         from output_release o where o.status = 'awaiting-checks' and o.requester_subject <> ?
          and not exists (select 1 from output_check c where c.output_id = o.id and c.checker_subject = ?)
          and not exists (select 1 from project_closure p where p.application_id = o.application_id)
        order by o.submitted_at, o.id limit ?""", this::outputRow, checker, checker, limit);
  }

  List<CheckRow> checks(UUID outputId) {
    return jdbc.query("select checker_subject, outcome, reason, decided_at from output_check where output_id = ? order by decided_at, checker_subject",
        (rs, n) -> new CheckRow(rs.getString(1), rs.getString(2), rs.getString(3), instant(rs, 4)), outputId);
  }

  void insertCheck(UUID outputId, String checker, boolean approve, String reason, Instant at) {
    jdbc.update("insert into output_check (output_id, checker_subject, outcome, reason, decided_at) values (?, ?, ?, ?, ?)",
        outputId, checker, approve ? "approve" : "reject", reason, ts(at));
  }

  void decideOutput(UUID outputId, OutputStatus status, Instant at) {
    jdbc.update("update output_release set status = ?, decided_at = ? where id = ?", status.wire(), ts(at), outputId);
  }

  /** The approved version's spec and its hash: what the close job carries (the job table wants a spec for every job). */
  record ApprovedSpec(String spec, String specSha256) {}

  ApprovedSpec approvedSpec(UUID applicationId, int version) {
    return jdbc.queryForObject("select spec, spec_sha256 from application_version where application_id = ? and version = ?",
        (rs, n) -> new ApprovedSpec(rs.getString(1), rs.getString(2)), applicationId, version);
  }

  void queueClose(UUID jobId, ProjectRow project, String projectName, ApprovedSpec spec, Instant at) {
    jdbc.update("""
        insert into job (id, kind, application_id, version, project, purpose, spec, spec_sha256, status, queued_at)
        values (?, 'close', ?, ?, ?, ?, ?, ?, 'queued', ?)""",
        jobId, project.applicationId(), project.approvedVersion(), projectName, project.approvedPurpose(), spec.spec(), spec.specSha256(), ts(at));
  }

  void insertClosure(UUID applicationId, String projectName, String closedBy, String reason, UUID jobId, Instant at) {
    jdbc.update("insert into project_closure (application_id, project, closed_by, reason, closed_at, close_job) values (?, ?, ?, ?, ?, ?)",
        applicationId, projectName, closedBy, reason, ts(at), jobId);
  }

  Optional<JobRow> job(UUID id) {
    return jdbc.query("select id, status, progress, queued_at, finished_at from job where id = ?",
        (rs, n) -> new JobRow(rs.getObject(1, UUID.class), rs.getString(2), rs.getInt(3), instant(rs, 4), instant(rs, 5)), id).stream().findFirst();
  }

  private ProjectRow projectRow(ResultSet rs, int row) throws SQLException {
    return new ProjectRow(rs.getObject(1, UUID.class), rs.getLong(2), rs.getString(3), rs.getString(4), (Integer) rs.getObject(5),
        rs.getString(6), rs.getString(7), instant(rs, 8), rs.getString(9), rs.getObject(10, UUID.class));
  }

  private OutputRow outputRow(ResultSet rs, int row) throws SQLException {
    return new OutputRow(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getInt(3), rs.getString(4), rs.getString(5),
        rs.getString(6), rs.getInt(7), rs.getInt(8), rs.getString(9), rs.getString(10), rs.getString(11), rs.getString(12), rs.getString(13),
        OutputStatus.fromWire(rs.getString(14)).orElseThrow(), instant(rs, 15), instant(rs, 16));
  }

  private static Timestamp ts(Instant at) {
    return Timestamp.from(at);
  }

  private static Instant instant(ResultSet rs, int column) throws SQLException {
    Timestamp value = rs.getTimestamp(column);
    return value == null ? null : value.toInstant();
  }
}
