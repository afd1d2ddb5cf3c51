package optout.portal.output;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The record of refused output uploads: an upload refused before anything was stored (its own transaction
 * rolled back) is recorded here in a transaction of its own, with who, which project, when, why (the problem
 * type and the rules that refused it) and the upload's SHA-256 and size, never its content or the messages
 * (which may quote it). The project's reviewers and the output checkers read them; a researcher reads their own.
 */
@Service
public class RefusedOutputs {

  /** One refused attempt. {@code project} is null when the request named no project's name. */
  public record RefusedAttempt(long id, String project, String requesterSubject, boolean byProjectResearcher, Instant attemptedAt,
      String problem, List<String> rules, String rulesRequested, String uploadSha256, int uploadSize) {}

  static final int LIMIT = 200;

  private final JdbcTemplate jdbc;
  private final OutputStore store;
  private final Clock clock;

  RefusedOutputs(JdbcTemplate jdbc, OutputStore store, Clock clock) {
    this.jdbc = jdbc;
    this.store = store;
    this.clock = clock;
  }

  /** Records a refusal; runs in its own transaction, so it stays whatever became of the refused one. */
  @Transactional(propagation = Propagation.REQUIRES_NEW)
  public void record(String requester, String project, String rulesRequested, byte[] upload, String problemType, List<String> rules) {
    boolean named = project != null && project.matches(ProjectName.PATTERN);
    Optional<OutputStore.ProjectRow> existing = named ? store.project(Long.parseLong(project.substring("application-".length()))) : Optional.empty();
    jdbc.update("""
        insert into refused_output (project, application_id, requester_subject, by_project_owner, attempted_at, problem_type, rules,
          rules_requested, upload_sha256, upload_size) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        named ? project : null, existing.map(OutputStore.ProjectRow::applicationId).orElse(null), requester,
        existing.map(p -> p.ownerSubject().equals(requester)).orElse(false), Timestamp.from(clock.instant()),
        problemType.matches("[a-z][a-z-]{0,63}") ? problemType : "refused",
        rules.stream().filter(r -> r.matches("[a-z][a-z0-9-]{0,63}")).distinct().toArray(String[]::new),
        rulesRequested != null && rulesRequested.length() <= 32 ? rulesRequested : null, sha256(upload), upload.length);
  }

  /** The project's refused attempts, newest first; {@code onlyBy} keeps one person's. */
  @Transactional(readOnly = true)
  public List<RefusedAttempt> ofProject(UUID applicationId, String onlyBy) {
    return onlyBy == null
        ? jdbc.query(SELECT + " where application_id = ? order by attempted_at desc, id desc limit ?", this::row, applicationId, LIMIT)
        : jdbc.query(SELECT + " where application_id = ? and requester_subject = ? order by attempted_at desc, id desc limit ?", this::row,
            applicationId, onlyBy, LIMIT);
  }

  /** Every refused attempt, newest first, also those naming no project. */
  @Transactional(readOnly = true)
  public List<RefusedAttempt> recent() {
    return jdbc.query(SELECT + " order by attempted_at desc, id desc limit ?", this::row, LIMIT);
  }

  private static final String SELECT = """
      select id, project, requester_subject, by_project_owner, attempted_at, problem_type, rules, rules_requested, upload_sha256, upload_size
        from refused_output""";

  private RefusedAttempt row(java.sql.ResultSet rs, int n) throws java.sql.SQLException {
    return new RefusedAttempt(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getBoolean(4), rs.getTimestamp(5).toInstant(), rs.getString(6),
        Arrays.asList((String[]) rs.getArray(7).getArray()), rs.getString(8), rs.getString(9), rs.getInt(10));
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
