package optout.warehouse.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The job table as the runner's role sees it: claims, leases, progress and outcomes, and what the role may not do. */
class JobQueueIT {

  private static final String SPEC = "{}";
  private static final String SHA = "0".repeat(64);
  private static JobTables tables;

  @BeforeAll
  static void database() throws Exception {
    tables = JobTables.create();
  }

  private JobQueue queue() {
    return new JobQueue(tables.as(tables.runnerRole()), Clock.systemUTC());
  }

  @Test
  void twoRunnersClaimingAtOnceNeverTakeTheSameJob() throws Exception {
    List<UUID> queued = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      queued.add(tables.queue("preview", "claim-project", "academic-research", SPEC, SHA, Instant.now().minusSeconds(600)));
    }
    List<UUID> claimed = Collections.synchronizedList(new ArrayList<>());
    var pool = Executors.newFixedThreadPool(4);
    List<Future<?>> runners = new ArrayList<>();
    for (int r = 0; r < 4; r++) {
      String name = "runner-" + r;
      runners.add(pool.submit((Callable<Void>) () -> {
        Optional<Job> job;
        while ((job = queue().claim(name, Duration.ofMinutes(1))).isPresent()) {
          claimed.add(job.get().id());
        }
        return null;
      }));
    }
    for (Future<?> runner : runners) {
      runner.get();
    }
    pool.shutdown();
    assertThat(claimed).doesNotHaveDuplicates().containsAll(queued);
    for (UUID id : queued) {
      assertThat(tables.read(id).status()).isEqualTo("running");
      assertThat(tables.read(id).attempts()).isEqualTo(1);
    }
  }

  @Test
  void aJobWhoseLeaseRanOutIsClaimedAgainAndItsFirstRunnerCanNoLongerTouchIt() throws Exception {
    UUID id = tables.queue("extract", "lease-project", "academic-research", SPEC, SHA, Instant.parse("2000-01-01T00:00:00Z"));
    Job first = queue().claim("first", Duration.ofMinutes(1)).orElseThrow();
    assertThat(first.id()).isEqualTo(id);
    assertThat(queue().heartbeat(first, "first", Duration.ofMinutes(1), 40)).isTrue();
    assertThat(tables.read(id).progress()).isEqualTo(40);
    // while the lease holds, nobody else gets it
    assertThat(queue().claim("second", Duration.ofMinutes(1)).map(Job::id)).isNotEqualTo(Optional.of(id));

    tables.expireLease(id);
    Job second = queue().claim("second", Duration.ofMinutes(1)).orElseThrow();
    assertThat(second.id()).isEqualTo(id);
    assertThat(second.attempt()).isEqualTo(2);
    assertThat(queue().heartbeat(first, "first", Duration.ofMinutes(1), 90)).as("the first runner lost its lease").isFalse();
    assertThat(queue().finish(first, "first", true, "{}")).isFalse();
    assertThat(queue().finish(second, "second", true, "{\"done\":true}")).isTrue();
    JobTables.JobRow row = tables.read(id);
    assertThat(row.status()).isEqualTo("succeeded");
    assertThat(row.progress()).isEqualTo(100);
    assertThat(row.claimedBy()).isEqualTo("second");
    assertThat(row.outcome()).isEqualTo("{\"done\":true}");
    assertThat(queue().finish(second, "second", false, "{}")).as("finished once").isFalse();
  }

  @Test
  void aFailingJobIsFinishedAsFailedWithItsReasonAndNotRetried() throws Exception {
    UUID id = tables.queue("preview", "failing-project", "academic-research", SPEC, SHA, Instant.parse("1999-01-01T00:00:00Z"));
    JobRunner runner = new JobRunner(queue(), "runner", Duration.ofSeconds(30), Map.of(Job.Kind.PREVIEW, (job, progress) -> {
      progress.accept(30);
      throw new IllegalArgumentException("Cannot build the extract: no such table");
    }));
    assertThat(runner.runOne().map(Job::id)).contains(id);
    JobTables.JobRow row = tables.read(id);
    assertThat(row.status()).isEqualTo("failed");
    assertThat(row.outcome()).contains("IllegalArgumentException: Cannot build the extract: no such table");
    assertThat(queue().claim("runner", Duration.ofSeconds(30)).map(Job::id)).isNotEqualTo(Optional.of(id));
  }

  @Test
  void theRunnersRoleMayClaimAndFinishButNotQueueReadApplicationsOrDelete() throws Exception {
    try (Connection connection = tables.as(tables.runnerRole()).getConnection(); var statement = connection.createStatement()) {
      assertThatThrownBy(() -> statement.execute("insert into job (id, kind, application_id, version, project, purpose, spec, spec_sha256, queued_at)"
          + " values (gen_random_uuid(), 'extract', gen_random_uuid(), 1, 'x-project', 'academic-research', '{}', '" + SHA + "', now())"))
          .isInstanceOf(SQLException.class).hasMessageContaining("permission denied");
      assertThatThrownBy(() -> statement.executeQuery("select * from application")).hasMessageContaining("permission denied");
      assertThatThrownBy(() -> statement.execute("delete from job")).hasMessageContaining("permission denied");
      assertThatThrownBy(() -> statement.execute("update job set spec = '{}'")).hasMessageContaining("permission denied");
      assertThatThrownBy(() -> statement.executeQuery("select outcome from job")).hasMessageContaining("permission denied");
    }
  }

  @Test
  void progressOutsideZeroToHundredIsRefused() throws Exception {
    UUID id = tables.queue("preview", "progress-project", "academic-research", SPEC, SHA, Instant.parse("1998-01-01T00:00:00Z"));
    Job job = queue().claim("p", Duration.ofMinutes(1)).orElseThrow();
    assertThat(job.id()).isEqualTo(id);
    assertThatThrownBy(() -> queue().heartbeat(job, "p", Duration.ofMinutes(1), 101)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> queue().heartbeat(job, "p", Duration.ofMinutes(1), -1)).isInstanceOf(IllegalArgumentException.class);
    queue().finish(job, "p", false, "{}");
  }
}
