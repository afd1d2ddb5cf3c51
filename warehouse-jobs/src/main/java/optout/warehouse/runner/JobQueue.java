package optout.warehouse.runner;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * The portal's {@code job} table seen from the runner, which connects as a role that may only read jobs
 * and claim, advance and finish them. A claim is a lease: {@link #claim} takes the oldest job that is
 * queued, or running under a lease that ran out (its runner died), with {@code FOR UPDATE SKIP LOCKED}, so
 * two runners never take the same job; {@link #heartbeat} renews the lease and records progress; both
 * {@link #heartbeat} and {@link #finish} act only while the claim is still this runner's, so a runner that
 * lost its lease (paused too long, taken over) cannot overwrite its successor's work. Plain JDBC.
 */
public final class JobQueue {

  private final DataSource database;
  private final Clock clock;

  public JobQueue(DataSource database, Clock clock) {
    this.database = database;
    this.clock = clock;
  }

  /** Claims the oldest claimable job for {@code runner} for {@code lease}; empty when there is none. */
  public Optional<Job> claim(String runner, Duration lease) throws SQLException {
    Timestamp now = Timestamp.from(clock.instant());
    try (Connection connection = database.getConnection();
        PreparedStatement claim = connection.prepareStatement("""
            update job set status = 'running', claimed_by = ?, claimed_at = ?, heartbeat_at = ?, lease_until = ?, attempts = attempts + 1,
              progress = case when status = 'queued' then 0 else progress end
            where id = (select id from job where status = 'queued' or (status = 'running' and lease_until < ?)
                        order by queued_at, id limit 1 for update skip locked)
            returning id, kind, application_id, version, project, purpose, spec, spec_sha256, attempts, queued_at""")) {
      claim.setString(1, runner);
      claim.setTimestamp(2, now);
      claim.setTimestamp(3, now);
      claim.setTimestamp(4, Timestamp.from(clock.instant().plus(lease)));
      claim.setTimestamp(5, now);
      try (ResultSet row = claim.executeQuery()) {
        if (!row.next()) {
          return Optional.empty();
        }
        return Optional.of(new Job(row.getObject(1, UUID.class), Job.Kind.of(row.getString(2)), row.getObject(3, UUID.class), row.getInt(4),
            row.getString(5), row.getString(6), row.getString(7), row.getString(8), row.getInt(9), row.getTimestamp(10).toInstant()));
      }
    }
  }

  /** Renews the lease and records progress (0-100); false if the job is no longer this runner's. */
  public boolean heartbeat(Job job, String runner, Duration lease, int progress) throws SQLException {
    if (progress < 0 || progress > 100) {
      throw new IllegalArgumentException("Cannot record progress: it must lie between 0 and 100");
    }
    try (Connection connection = database.getConnection();
        PreparedStatement update = connection.prepareStatement("""
            update job set heartbeat_at = ?, lease_until = ?, progress = greatest(progress, ?)
            where id = ? and status = 'running' and claimed_by = ? and attempts = ?""")) {
      update.setTimestamp(1, Timestamp.from(clock.instant()));
      update.setTimestamp(2, Timestamp.from(clock.instant().plus(lease)));
      update.setInt(3, progress);
      update.setObject(4, job.id());
      update.setString(5, runner);
      update.setInt(6, job.attempt());
      return update.executeUpdate() == 1;
    }
  }

  /** Finishes the job with its outcome (JSON); false if the job is no longer this runner's (nothing is written then). */
  public boolean finish(Job job, String runner, boolean succeeded, String outcome) throws SQLException {
    try (Connection connection = database.getConnection();
        PreparedStatement update = connection.prepareStatement("""
            update job set status = ?, progress = case when ? then 100 else progress end, finished_at = ?, outcome = ?, lease_until = null
            where id = ? and status = 'running' and claimed_by = ? and attempts = ?""")) {
      update.setString(1, succeeded ? "succeeded" : "failed");
      update.setBoolean(2, succeeded);
      update.setTimestamp(3, Timestamp.from(clock.instant()));
      update.setString(4, outcome);
      update.setObject(5, job.id());
      update.setString(6, runner);
      update.setInt(7, job.attempt());
      return update.executeUpdate() == 1;
    }
  }
}
