package optout.warehouse.runner;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The runner's loop, plain Java: claim a job, run it with its kind's {@link Work} while a heartbeat renews
 * the lease every third of it and records progress, then finish it with the outcome. A job whose work
 * throws is finished as failed with a short reason (no retry: a failed spec or snapshot fails again). A
 * runner that dies leaves its job running under a lease that runs out; the next claim after that takes it
 * again (see {@link JobQueue}).
 */
public final class JobRunner {

  private static final Logger LOG = Logger.getLogger(JobRunner.class.getName());

  private final JobQueue queue;
  private final String name;
  private final Duration lease;
  private final Map<Job.Kind, Work> work;

  public JobRunner(JobQueue queue, String name, Duration lease, Map<Job.Kind, Work> work) {
    if (lease.compareTo(Duration.ofSeconds(3)) < 0) {
      throw new IllegalArgumentException("Cannot run jobs: the lease must be at least 3 seconds");
    }
    this.queue = queue;
    this.name = name;
    this.lease = lease;
    this.work = Map.copyOf(work);
  }

  /** Claims and runs one job; answers it, or empty if none was waiting. */
  public Optional<Job> runOne() throws Exception {
    Optional<Job> claimed = queue.claim(name, lease);
    if (claimed.isEmpty()) {
      return claimed;
    }
    Job job = claimed.get();
    LOG.info(() -> "Claimed " + job);
    AtomicInteger progress = new AtomicInteger();
    ScheduledExecutorService heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread thread = new Thread(r, "job-heartbeat");
      thread.setDaemon(true);
      return thread;
    });
    long every = Math.max(1000, lease.toMillis() / 3);
    heartbeat.scheduleWithFixedDelay(() -> {
      try {
        if (!queue.heartbeat(job, name, lease, progress.get())) {
          LOG.warning(() -> "Lost the lease of " + job);
        }
      } catch (Exception e) {
        LOG.log(Level.WARNING, "Cannot renew the lease of " + job + ": " + e.getMessage());
      }
    }, every, every, TimeUnit.MILLISECONDS);
    boolean succeeded;
    String outcome;
    try {
      Work kind = work.get(job.kind());
      if (kind == null) {
        throw new IllegalStateException("This runner does not run " + job.kind().name().toLowerCase(java.util.Locale.ROOT) + " jobs");
      }
      outcome = kind.run(job, percent -> progress.accumulateAndGet(Math.max(0, Math.min(99, percent)), Math::max));
      succeeded = true;
    } catch (Exception | Error e) {
      if (e instanceof VirtualMachineError fatal) {
        throw fatal;
      }
      LOG.log(Level.WARNING, job + " failed: " + e.getClass().getSimpleName());
      outcome = Outcomes.failure(e);
      succeeded = false;
    } finally {
      heartbeat.shutdownNow();
      heartbeat.awaitTermination(10, TimeUnit.SECONDS);
    }
    boolean finished = queue.finish(job, name, succeeded, outcome);
    LOG.info(() -> (finished ? "Finished " : "Lost before finishing ") + job + (finished ? "" : ": another runner holds it now"));
    return claimed;
  }

  /** Runs jobs until interrupted, waiting {@code idle} whenever none is queued. */
  public void runUntilInterrupted(Duration idle) throws Exception {
    while (!Thread.currentThread().isInterrupted()) {
      try {
        if (runOne().isEmpty()) {
          Thread.sleep(idle.toMillis());
        }
      } catch (java.sql.SQLException e) {
        LOG.warning("Cannot reach the job table: " + e.getMessage() + "; trying again");
        Thread.sleep(idle.toMillis());
      }
    }
  }
}
