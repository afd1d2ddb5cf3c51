package optout.portal.launch;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * The portal's side of the {@code job} table, the only contract with the warehouse: it queues previews and
 * propagations (extracts are queued by {@link QueuedExtracts} at approval) and reads what the runner
 * reports. The runner claims, advances and finishes jobs as a role of its own.
 */
@Repository
public class Jobs {

  /** A job as the portal shows it; {@code outcome} is the runner's JSON, once it finished. */
  public record JobView(UUID id, String kind, UUID applicationId, int version, String project, String purpose, String specSha256,
      String status, int progress, int attempts, Instant queuedAt, Instant claimedAt, Instant finishedAt, String outcome) {

    public boolean pending() {
      return status.equals("queued") || status.equals("running");
    }
  }

  private static final String COLUMNS = "id, kind, application_id, version, project, purpose, spec_sha256, status, progress, attempts,"
      + " queued_at, claimed_at, finished_at, outcome";

  private final JdbcTemplate jdbc;
  private final Clock clock;

  Jobs(JdbcTemplate jdbc, Clock clock) {
    this.jdbc = jdbc;
    this.clock = clock;
  }

  /** Queues a preview of a draft's spec; answers its ID. */
  public UUID queuePreview(UUID applicationId, int version, String project, String purpose, String spec, String specSha256) {
    UUID id = UUID.randomUUID();
    jdbc.update("""
        insert into job (id, kind, application_id, version, project, purpose, spec, spec_sha256, status, queued_at)
        values (?, 'preview', ?, ?, ?, ?, ?, ?, 'queued', ?)""",
        id, applicationId, version, project, purpose, spec, specSha256, Timestamp.from(clock.instant()));
    return id;
  }

  /** The application's newest job of a kind. */
  public Optional<JobView> latest(UUID applicationId, String kind) {
    return jdbc.query("select " + COLUMNS + " from job where application_id = ? and kind = ? order by queued_at desc, id limit 1",
        Jobs::row, applicationId, kind).stream().findFirst();
  }

  /** The application's newest job of a kind for one version (a reviewer's preview: the version under review). */
  public Optional<JobView> latest(UUID applicationId, String kind, int version) {
    return jdbc.query("select " + COLUMNS + " from job where application_id = ? and kind = ? and version = ? order by queued_at desc, id limit 1",
        Jobs::row, applicationId, kind, version).stream().findFirst();
  }

  /** The project's propagations, oldest first. */
  public List<JobView> propagations(String project) {
    return jdbc.query("select " + COLUMNS + " from job where project = ? and kind = 'propagation' order by queued_at, id", Jobs::row, project);
  }

  /**
   * Queues a propagation for every live project (its extract succeeded) that has none queued or running;
   * answers how many were queued. One statement, so two portals ticking at once queue each project once.
   */
  public int queuePropagations() {
    return jdbc.update("""
        insert into job (id, kind, application_id, version, project, purpose, spec, spec_sha256, status, queued_at)
        select gen_random_uuid(), 'propagation', e.application_id, e.version, e.project, e.purpose, e.spec, e.spec_sha256, 'queued', ?
        from job e where e.kind = 'extract' and e.status = 'succeeded'
        on conflict (project) where kind = 'propagation' and status in ('queued', 'running') do nothing""",
        Timestamp.from(clock.instant()));
  }

  private static JobView row(ResultSet rs, int n) throws SQLException {
    return new JobView(rs.getObject(1, UUID.class), rs.getString(2), rs.getObject(3, UUID.class), rs.getInt(4), rs.getString(5),
        rs.getString(6), rs.getString(7), rs.getString(8), rs.getInt(9), rs.getInt(10), instant(rs, 11), instant(rs, 12), instant(rs, 13),
        rs.getString(14));
  }

  private static Instant instant(ResultSet rs, int column) throws SQLException {
    Timestamp value = rs.getTimestamp(column);
    return value == null ? null : value.toInstant();
  }
}
