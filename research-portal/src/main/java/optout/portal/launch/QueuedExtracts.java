package optout.portal.launch;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Queues the approved extract in the {@code job} table, the only contract between the portal and the
 * warehouse (the warehouse runner claims queued jobs).
 */
@Component
class QueuedExtracts implements ProjectLaunch {

  private final JdbcTemplate jdbc;
  private final Clock clock;

  QueuedExtracts(JdbcTemplate jdbc, Clock clock) {
    this.jdbc = jdbc;
    this.clock = clock;
  }

  @Override
  public UUID approved(Approved approved) {
    UUID id = UUID.randomUUID();
    jdbc.update("""
        insert into job (id, kind, application_id, version, project, purpose, spec, spec_sha256, status, queued_at)
        values (?, 'extract', ?, ?, ?, ?, ?, ?, 'queued', ?)""",
        id, approved.applicationId(), approved.version(), approved.project(), approved.purpose(), approved.spec(), approved.specSha256(),
        Timestamp.from(clock.instant()));
    return id;
  }
}
