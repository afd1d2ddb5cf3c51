package optout.portal.review;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import optout.portal.application.ApplicationContent;
import optout.portal.application.ApplicationStatus;
import optout.portal.application.ApplicationStatus.Action;
import optout.portal.application.ApplicationStore;
import optout.portal.application.ApplicationStore.ApplicationRow;
import optout.portal.application.ApplicationStore.VersionRow;
import optout.portal.application.ApplicationView;
import optout.portal.application.ApplicationViews;
import optout.portal.application.SubmissionCheck;
import optout.portal.application.VersionDiff;
import optout.portal.launch.ProjectLaunch;
import optout.portal.notification.Notifications;
import optout.platform.problem.ProblemResponses;
import optout.warehouse.spec.ExtractSpec;
import optout.warehouse.spec.MinimumNecessary;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;

/**
 * A reviewer's work: the queue, an application's submitted versions, their diff, the minimum-necessary
 * checklist, comments and the decision. Each command is one transaction. A reviewer never reviews, or
 * even reads the review of, an application they applied for themselves.
 */
@Service
public class ReviewDesk {

  static final int QUEUE_LIMIT = 200;

  private final ApplicationStore store;
  private final ApplicationViews views;
  private final Notifications notifications;
  private final ProjectLaunch launch;
  private final JsonMapper json;
  private final Clock clock;

  ReviewDesk(ApplicationStore store, ApplicationViews views, Notifications notifications, ProjectLaunch launch, JsonMapper json, Clock clock) {
    this.store = store;
    this.views = views;
    this.notifications = notifications;
    this.launch = launch;
    this.json = json;
    this.clock = clock;
  }

  public enum Outcome {
    APPROVE("approve", Action.APPROVE), REJECT("reject", Action.REJECT), REQUEST_CHANGES("request-changes", Action.REQUEST_CHANGES);

    private final String wire;
    private final Action action;

    Outcome(String wire, Action action) {
      this.wire = wire;
      this.action = action;
    }

    public String wire() {
      return wire;
    }

    public static Optional<Outcome> fromWire(String wire) {
      return java.util.Arrays.stream(values()).filter(o -> o.wire.equals(wire)).findFirst();
    }
  }

  /** A column to check, with the researcher's justification. */
  public record ChecklistItem(String table, String column, String identification, String description, String justification) {}

  /** The application as a reviewer sees it, with the checklist of its shown version. */
  public record Review(ApplicationView application, List<ChecklistItem> minimumNecessary) {}

  public record Diff(int from, int to, List<VersionDiff.Change> changes, String status, String turn) {}

  public record Decided(ApplicationView application, UUID extractJob) {}

  @Transactional(readOnly = true)
  public List<ApplicationView.Summary> queue(String reviewer) {
    return store.queue(reviewer, QUEUE_LIMIT);
  }

  @Transactional(readOnly = true)
  public Review review(String reviewer, UUID id) {
    ApplicationRow application = reviewable(reviewer, store.find(id));
    ApplicationView view = views.forReviewer(application);
    return new Review(view, checklist(view.content()));
  }

  @Transactional(readOnly = true)
  public Diff diff(String reviewer, UUID id, int from, int to) {
    ApplicationRow application = reviewable(reviewer, store.find(id));
    VersionRow before = submitted(id, from);
    VersionRow after = submitted(id, to);
    return new Diff(from, to, VersionDiff.between(before.content(), before.ethicsSha256(), after.content(), after.ethicsSha256(), json),
        application.status().wire(), application.status().turn().wire());
  }

  @Transactional(readOnly = true)
  public byte[] ethicsApproval(String reviewer, UUID id, int version) {
    reviewable(reviewer, store.find(id));
    String sha256 = submitted(id, version).ethicsSha256();
    return Optional.ofNullable(sha256).flatMap(store::ethicsContent).orElseThrow(() -> notFound("ethics approval"));
  }

  /** A comment on the last submitted version, for reviewers only or shown to the researcher. */
  @Transactional
  public Review comment(String reviewer, UUID id, boolean shownToResearcher, String body) {
    ApplicationRow application = reviewable(reviewer, store.lock(id));
    int version = lastSubmitted(id).version();
    store.addComment(UUID.randomUUID(), id, version, reviewer, shownToResearcher ? "shown-to-researcher" : "reviewer-only", body, clock.instant());
    return review(reviewer, application.id());
  }

  /**
   * Decides the version read. A decision is made once: a second one, or one on a version that is no
   * longer the one under review, is a conflict. An approval records the approved purpose and spec and
   * queues the extract in the same transaction.
   */
  @Transactional
  public Decided decide(String reviewer, UUID id, int version, Outcome outcome, String reason) {
    ApplicationRow application = reviewable(reviewer, store.lock(id));
    ApplicationStatus next = application.status().after(outcome.action);
    VersionRow decided = lastSubmitted(id);
    if (decided.version() != version || application.currentVersion() != version) {
      throw ProblemResponses.exception(HttpStatus.CONFLICT, "stale-version", "Not the version under review",
          "Version " + version + " is not the one under review (version " + decided.version() + " is): read it, then decide.");
    }
    Instant now = clock.instant();
    if (!store.recordDecision(id, version, outcome.wire(), reason, reviewer, now)) {
      throw ProblemResponses.exception(HttpStatus.CONFLICT, "already-decided", "Already decided", "Version " + version + " was decided already.");
    }
    UUID job = null;
    if (outcome == Outcome.APPROVE) {
      ExtractSpec spec = ExtractSpec.parse(decided.spec());  // as it was checked at submission; the library has the last word
      store.approve(id, version, spec.purpose(), decided.specSha256(), now);
      job = launch.approved(new ProjectLaunch.Approved(id, version, SubmissionCheck.project(application.number()), spec.purpose(),
          decided.spec(), decided.specSha256()));
    } else {
      store.moveTo(id, next, version, now);
    }
    store.recordStatusChange(id, version, application.status(), next, reviewer, "reviewer", reason, now);
    notifications.statusChanged(application.ownerSubject(), id, application.number(), next, now);
    return new Decided(views.forReviewer(store.find(id).orElseThrow()), job);
  }

  static List<ChecklistItem> checklist(ApplicationContent content) {
    return MinimumNecessary.columnsToJustify(content.tablesOrEmpty()).stream()
        .map(c -> new ChecklistItem(c.table(), c.column(), c.identification().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'),
            c.description(), Optional.ofNullable(content.justificationsOrEmpty().get(c.table())).map(j -> j.get(c.column())).orElse(null)))
        .toList();
  }

  /** Exists, was submitted at least once, and is not the reviewer's own. */
  private ApplicationRow reviewable(String reviewer, Optional<ApplicationRow> found) {
    ApplicationRow application = found.orElseThrow(() -> notFound("application"));
    if (store.versions(application.id()).stream().noneMatch(VersionRow::submitted)) {
      throw notFound("application");  // a draft never submitted is the researcher's own business
    }
    if (application.ownerSubject().equals(reviewer)) {
      throw ProblemResponses.exception(HttpStatus.FORBIDDEN, "own-application", "Your own application",
          "You applied for this yourself: another reviewer must review it.");
    }
    return application;
  }

  private VersionRow lastSubmitted(UUID id) {
    List<VersionRow> submitted = store.versions(id).stream().filter(VersionRow::submitted).toList();
    return submitted.get(submitted.size() - 1);
  }

  private VersionRow submitted(UUID id, int version) {
    return store.version(id, version).filter(VersionRow::submitted).orElseThrow(() -> notFound("submitted version"));
  }

  private static RuntimeException notFound(String what) {
    return ProblemResponses.exception(HttpStatus.NOT_FOUND, "not-found", "Not found", "No such " + what + ".");
  }
}
