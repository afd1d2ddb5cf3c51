package optout.portal.output;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import optout.platform.problem.ProblemResponses;
import optout.portal.output.OutputStore.ProjectRow;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * A project's end. An approver closes it: a reviewer who is not the project's researcher (the project's
 * researcher may ask a reviewer to). Closing records when, by whom and why, and queues the warehouse's
 * {@code close} job in the same transaction: the runner destroys the project's release keys
 * (crypto-shredding: its pseudonyms can never be linked again) and drops its tables. Closed once.
 */
@Service
public class ProjectDesk {

  private final OutputStore store;
  private final RefusedOutputs refused;
  private final Clock clock;

  ProjectDesk(OutputStore store, RefusedOutputs refused, Clock clock) {
    this.store = store;
    this.refused = refused;
    this.clock = clock;
  }

  /** The close job as the warehouse runner reports it. */
  public record CloseJob(UUID id, String status, int progress, Instant queuedAt, Instant finishedAt) {}

  /** The closing: when, why, and the job that destroys the keys and tables (its {@code finishedAt} says when they went). */
  public record Closure(Instant closedAt, String reason, CloseJob job) {}

  /**
   * A project: {@code status} {@code open} or {@code closed} (an application not approved is no project yet: {@code not-approved}).
   * {@code refusedOutputs}: the output uploads refused for it, newest first (its researcher sees their own, reviewers every one).
   */
  public record ProjectView(String project, UUID applicationId, String status, String purpose, Integer approvedVersion, Closure closure,
      List<RefusedOutputs.RefusedAttempt> refusedOutputs) {}

  @Transactional(readOnly = true)
  public ProjectView forResearcher(String researcher, String project) {
    return view(store.project(ProjectName.number(project)).filter(p -> p.ownerSubject().equals(researcher))
        .orElseThrow(() -> OutputDesk.notFound("project")), researcher);
  }

  @Transactional(readOnly = true)
  public ProjectView forReviewer(String reviewer, String project) {
    return view(store.project(ProjectName.number(project)).filter(ProjectRow::approved).orElseThrow(() -> OutputDesk.notFound("project")), null);
  }

  /**
   * Closes an approved, open project and queues its close job. Refused for the project's own researcher
   * ({@code 403 own-project}), a project not approved ({@code 409 project-not-approved}) and one closed
   * already ({@code 409 project-closed}).
   */
  @Transactional
  public ProjectView close(String reviewer, String project, String reason) {
    long number = ProjectName.number(project);
    ProjectRow row = store.lockProject(number).orElseThrow(() -> OutputDesk.notFound("project"));
    if (row.ownerSubject().equals(reviewer)) {
      throw ProblemResponses.exception(HttpStatus.FORBIDDEN, "own-project", "Your own project",
          "You are this project's researcher: another reviewer closes it.");
    }
    if (!row.approved()) {
      throw OutputDesk.conflict("project-not-approved", "Project not approved",
          "Application " + number + " is " + row.status() + ": only an approved project can be closed.");
    }
    if (row.closed()) {
      throw OutputDesk.conflict("project-closed", "Project closed", "The project was closed already.");
    }
    Instant now = clock.instant();
    UUID job = UUID.randomUUID();
    String name = ProjectName.of(number);
    store.queueClose(job, row, name, store.approvedSpec(row.applicationId(), row.approvedVersion()), now);
    store.insertClosure(row.applicationId(), name, reviewer, reason, job, now);
    return view(store.project(number).orElseThrow(), null);
  }

  /** @param onlyBy the researcher whose own refused uploads are shown; null: every one (reviewers) */
  private ProjectView view(ProjectRow row, String onlyBy) {
    Closure closure = null;
    if (row.closed()) {
      CloseJob job = store.job(row.closeJob()).map(j -> new CloseJob(j.id(), j.status(), j.progress(), j.queuedAt(), j.finishedAt())).orElse(null);
      closure = new Closure(row.closedAt(), row.closeReason(), job);
    }
    String status = !row.approved() ? "not-approved" : row.closed() ? "closed" : "open";
    return new ProjectView(ProjectName.of(row.number()), row.applicationId(), status, row.approvedPurpose(), row.approvedVersion(), closure,
        refused.ofProject(row.applicationId(), onlyBy));
  }
}
