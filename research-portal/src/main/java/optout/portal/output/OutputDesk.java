package optout.portal.output;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import optout.disclosure.output.ReleasedTable;
import optout.portal.output.OutputStore.OutputRow;
import optout.portal.output.OutputStore.ProjectRow;
import optout.disclosure.output.Rules;
import optout.platform.problem.ProblemResponses;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Output release: a researcher of an approved, open project asks to take an aggregate result out; the
 * automatic check ({@link OutputRequest}) runs at once; two reviewers other than the requester check it
 * ({@link OutputStatus}); once released the researcher downloads the checked version. Each command is one
 * transaction, and commands on one project run one at a time (its application row is locked), so the
 * differencing check always sees every earlier output.
 */
@Service
public class OutputDesk {

  static final int QUEUE_LIMIT = 200;

  private final OutputStore store;
  private final RefusedOutputs refused;
  private final Clock clock;

  OutputDesk(OutputStore store, RefusedOutputs refused, Clock clock) {
    this.store = store;
    this.refused = refused;
    this.clock = clock;
  }

  /** A checker's decision as the researcher sees it: the outcome and reason, not who. */
  public record CheckView(String outcome, String reason, Instant at) {}

  /**
   * An output as its researcher sees it. {@code releasedSha256} is there once it is released (the CSV is
   * then downloadable); the uploaded table and the check's report stay with the checkers.
   */
  public record OutputView(UUID id, String project, int number, String description, String rules, int threshold, int roundingBase,
      String status, String turn, long approvals, int approvalsNeeded, Instant submittedAt, Instant decidedAt, String releasedSha256,
      List<CheckView> checks) {}

  /**
   * An output as a checker sees it: the uploaded table, the checked version, the report, the checks so far (their own marked), and
   * the project's refused uploads (what was tried and refused before, e.g. a differencing attempt).
   */
  public record CheckerView(UUID id, String project, int number, String description, String rules, int threshold, int roundingBase,
      String status, String turn, long approvals, int approvalsNeeded, Instant submittedAt, Instant decidedAt, String originalCsv,
      String originalSha256, String releasedCsv, String releasedSha256, String checkReport, boolean checkedByYou, List<CheckView> checks,
      List<RefusedOutputs.RefusedAttempt> refusedOutputs) {}

  /** A line of the checkers' queue. */
  public record QueueItem(UUID id, String project, int number, String description, String rules, long approvals, Instant submittedAt) {}

  public record Submitted(OutputView output, boolean created) {}

  /** The released table and its hash, for the download. */
  public record Download(String project, int number, String csv, String sha256) {}

  /**
   * Checks and records a requested output. Nothing is stored when anything is refused.
   *
   * @param idempotencyKey optional; a retry with the same key answers the output made the first time
   */
  @Transactional
  public Submitted submit(String researcher, String project, String description, String rules, byte[] table, String idempotencyKey) {
    ProjectRow open = openProjectOf(researcher, project);
    if (idempotencyKey != null) {
      Optional<UUID> existing = store.outputByCreationKey(open.applicationId(), researcher, idempotencyKey);
      if (existing.isPresent()) {
        return new Submitted(view(store.output(existing.get()).orElseThrow()), false);
      }
    }
    List<OutputRequest.Earlier> earlier = store.notRejected(open.applicationId()).stream()
        .map(o -> new OutputRequest.Earlier(o.number(), ReleasedTable.read(o.releasedCsv(), rules(o)))).toList();
    OutputRequest.Checked checked = OutputRequest.check(table, rules, earlier);
    UUID id = UUID.randomUUID();
    store.insertOutput(id, open.applicationId(), store.nextNumber(open.applicationId()), researcher, idempotencyKey, description, checked,
        clock.instant());
    return new Submitted(view(store.output(id).orElseThrow()), true);
  }

  @Transactional(readOnly = true)
  public List<OutputView> list(String researcher, String project) {
    ProjectRow row = ownProject(researcher, project);
    return store.outputs(row.applicationId()).stream().map(this::view).toList();
  }

  @Transactional(readOnly = true)
  public OutputView output(String researcher, String project, int number) {
    ProjectRow row = ownProject(researcher, project);
    return view(store.output(row.applicationId(), number).orElseThrow(() -> notFound("output")));
  }

  /** The checked version, once two checkers approved it; before, {@code 409 not-released}. */
  @Transactional(readOnly = true)
  public Download download(String researcher, String project, int number) {
    ProjectRow row = ownProject(researcher, project);
    OutputRow output = store.output(row.applicationId(), number).orElseThrow(() -> notFound("output"));
    if (output.status() != OutputStatus.RELEASED) {
      throw conflict("not-released", "Not released", "Output " + number + " is " + output.status().wire()
          + ": it is downloadable once two output checkers have approved it.");
    }
    return new Download(ProjectName.of(row.number()), number, output.releasedCsv(), output.releasedSha256());
  }

  @Transactional(readOnly = true)
  public List<QueueItem> queue(String checker) {
    return store.queue(checker, QUEUE_LIMIT).stream().map(o -> new QueueItem(o.id(), projectName(o), o.number(), o.description(), o.rules(),
        approvals(store.checks(o.id())), o.submittedAt())).toList();
  }

  @Transactional(readOnly = true)
  public CheckerView forChecker(String checker, UUID id) {
    OutputRow output = store.output(id).orElseThrow(() -> notFound("output"));
    if (output.requesterSubject().equals(checker)) {
      throw ProblemResponses.exception(HttpStatus.FORBIDDEN, "own-output", "Your own output",
          "You asked for this output yourself: two other reviewers check it.");
    }
    return checkerView(checker, output);
  }

  /**
   * A checker's decision, with the reason. Refused for the requester ({@code 403 own-output}), a second
   * decision by the same checker ({@code 409 already-checked}), an output decided already ({@code 409
   * already-decided}) and an output of a closed project ({@code 409 project-closed}).
   */
  @Transactional
  public CheckerView decide(String checker, UUID id, boolean approve, String reason) {
    OutputRow found = store.output(id).orElseThrow(() -> notFound("output"));
    long number = store.projectNumberOf(found.applicationId()).orElseThrow();
    ProjectRow project = store.lockProject(number).orElseThrow();
    OutputRow output = store.output(id).orElseThrow();  // as it is now that the project is locked
    List<OutputStore.CheckRow> checks = store.checks(id);
    OutputStatus next = output.status().after(output.requesterSubject(),
        checks.stream().map(c -> new OutputStatus.Check(c.checkerSubject(), c.outcome().equals("approve"))).toList(), checker, approve);
    if (project.closed()) {
      throw conflict("project-closed", "Project closed", "The project was closed: its outputs are no longer checked.");
    }
    Instant now = clock.instant();
    store.insertCheck(id, checker, approve, reason, now);
    if (next != output.status()) {
      store.decideOutput(id, next, now);
    }
    return checkerView(checker, store.output(id).orElseThrow());
  }

  private CheckerView checkerView(String checker, OutputRow o) {
    List<OutputStore.CheckRow> checks = store.checks(o.id());
    return new CheckerView(o.id(), projectName(o), o.number(), o.description(), o.rules(), o.threshold(), o.roundingBase(), o.status().wire(),
        o.status().turn(), approvals(checks), OutputStatus.APPROVALS_NEEDED, o.submittedAt(), o.decidedAt(), o.originalCsv(), o.originalSha256(),
        o.releasedCsv(), o.releasedSha256(), o.checkReport(), checks.stream().anyMatch(c -> c.checkerSubject().equals(checker)),
        checks.stream().map(OutputDesk::checkView).toList(), refused.ofProject(o.applicationId(), null));
  }

  private OutputView view(OutputRow o) {
    List<OutputStore.CheckRow> checks = store.checks(o.id());
    return new OutputView(o.id(), projectName(o), o.number(), o.description(), o.rules(), o.threshold(), o.roundingBase(), o.status().wire(),
        o.status().turn(), approvals(checks), OutputStatus.APPROVALS_NEEDED, o.submittedAt(), o.decidedAt(),
        o.status() == OutputStatus.RELEASED ? o.releasedSha256() : null, checks.stream().map(OutputDesk::checkView).toList());
  }

  private static CheckView checkView(OutputStore.CheckRow c) {
    return new CheckView(c.outcome(), c.reason(), c.decidedAt());
  }

  private static long approvals(List<OutputStore.CheckRow> checks) {
    return checks.stream().filter(c -> c.outcome().equals("approve")).count();
  }

  private String projectName(OutputRow o) {
    return ProjectName.of(store.projectNumberOf(o.applicationId()).orElseThrow());
  }

  private static Rules rules(OutputRow o) {
    return new Rules(o.rules(), o.threshold(), o.roundingBase());
  }

  /** The researcher's own project, approved and not closed, locked for this transaction. */
  private ProjectRow openProjectOf(String researcher, String project) {
    ProjectRow row = store.lockProject(ProjectName.number(project)).filter(p -> p.ownerSubject().equals(researcher))
        .orElseThrow(() -> notFound("project"));
    if (!row.approved()) {
      throw conflict("project-not-approved", "Project not approved",
          "Application " + row.number() + " is " + row.status() + ": outputs are released only from approved projects.");
    }
    if (row.closed()) {
      throw conflict("project-closed", "Project closed", "The project was closed: no more outputs are released from it.");
    }
    return row;
  }

  /** The researcher's own application, as a project (any status: a list of no outputs is an honest answer). */
  private ProjectRow ownProject(String researcher, String project) {
    return store.project(ProjectName.number(project)).filter(p -> p.ownerSubject().equals(researcher)).orElseThrow(() -> notFound("project"));
  }

  static RuntimeException notFound(String what) {
    return ProblemResponses.exception(HttpStatus.NOT_FOUND, "not-found", "Not found", "No such " + what + ".");
  }

  static RuntimeException conflict(String type, String title, String detail) {
    return ProblemResponses.exception(HttpStatus.CONFLICT, type, title, detail);
  }
}
