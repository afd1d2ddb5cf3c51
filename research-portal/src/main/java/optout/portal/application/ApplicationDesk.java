package optout.portal.application;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import optout.portal.application.ApplicationStatus.Action;
import optout.portal.application.ApplicationStore.ApplicationRow;
import optout.portal.application.ApplicationStore.VersionRow;
import optout.portal.notification.Notifications;
import optout.platform.problem.ProblemResponses;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * A researcher's commands on their own applications, each one transaction (all of it stored, or none).
 * An application that is not the caller's is answered as if it did not exist.
 */
@Service
public class ApplicationDesk {

  /** How many applications a researcher's list shows. */
  static final int LIST_LIMIT = 200;

  private final ApplicationStore store;
  private final ApplicationViews views;
  private final Notifications notifications;
  private final Clock clock;

  ApplicationDesk(ApplicationStore store, ApplicationViews views, Notifications notifications, Clock clock) {
    this.store = store;
    this.views = views;
    this.notifications = notifications;
    this.clock = clock;
  }

  /** A created (or, for a repeated idempotency key, the existing) application and whether it is new. */
  public record Created(ApplicationView application, boolean created) {}

  @Transactional
  public Created create(String researcher, ApplicationContent content, String idempotencyKey) {
    if (idempotencyKey != null) {
      Optional<UUID> existing = store.byCreationKey(researcher, idempotencyKey);
      if (existing.isPresent()) {
        return new Created(views.forResearcher(store.find(existing.get()).orElseThrow()), false);
      }
    }
    UUID id = UUID.randomUUID();
    Instant now = clock.instant();
    Optional<Long> created = store.create(id, researcher, idempotencyKey, content == null ? ApplicationContent.empty() : content, now);
    if (created.isEmpty()) {  // the same key, created meanwhile by a concurrent retry
      return new Created(views.forResearcher(store.find(store.byCreationKey(researcher, idempotencyKey).orElseThrow()).orElseThrow()), false);
    }
    long number = created.get();
    store.recordStatusChange(id, 1, null, ApplicationStatus.DRAFT, researcher, "researcher", null, now);
    notifications.statusChanged(researcher, id, number, ApplicationStatus.DRAFT, now);
    return new Created(views.forResearcher(store.find(id).orElseThrow()), true);
  }

  @Transactional(readOnly = true)
  public List<ApplicationView.Summary> list(String researcher) {
    return store.owned(researcher, LIST_LIMIT);
  }

  @Transactional(readOnly = true)
  public ApplicationView view(String researcher, UUID id) {
    return views.forResearcher(own(researcher, store.find(id)));
  }

  @Transactional(readOnly = true)
  public ApplicationView.Version version(String researcher, UUID id, int version) {
    ApplicationRow application = own(researcher, store.find(id));
    VersionRow row = store.version(id, version).orElseThrow(() -> notFound("version"));
    return new ApplicationView.Version(id, row.version(), row.content(), store.ethicsInfo(row.ethicsSha256())
        .map(e -> new ApplicationView.Ethics(e.sha256(), e.size(), e.pages())).orElse(null), row.createdAt(), row.submittedAt(),
        row.specSha256(), application.status().wire(), application.status().turn().wire());
  }

  @Transactional(readOnly = true)
  public byte[] ethicsApproval(String researcher, UUID id) {
    ApplicationRow application = own(researcher, store.find(id));
    String sha256 = store.version(id, application.currentVersion()).orElseThrow().ethicsSha256();
    return Optional.ofNullable(sha256).flatMap(store::ethicsContent).orElseThrow(() -> notFound("ethics approval"));
  }

  /** Replaces the draft's content; after "request changes", the first edit starts the next version. */
  @Transactional
  public ApplicationView save(String researcher, UUID id, ApplicationContent content) {
    ApplicationRow application = editable(researcher, id);
    VersionRow draft = draftOf(application);
    store.saveDraft(id, draft.version(), content, draft.ethicsSha256(), clock.instant());
    return views.forResearcher(store.find(id).orElseThrow());
  }

  /** Attaches the ethics approval (checked by its bytes first) to the draft. */
  @Transactional
  public ApplicationView attachEthicsApproval(String researcher, UUID id, byte[] pdf) {
    EthicsApprovals.EthicsDocument document = EthicsApprovals.check(pdf);
    ApplicationRow application = editable(researcher, id);
    VersionRow draft = draftOf(application);
    Instant now = clock.instant();
    store.storeEthics(document, now);
    store.saveDraft(id, draft.version(), draft.content(), document.sha256(), now);
    return views.forResearcher(store.find(id).orElseThrow());
  }

  /**
   * Submits the draft: checks it whole (422 with every problem at its field), freezes the version with
   * the spec built from it, and hands the turn to the reviewers.
   */
  @Transactional
  public ApplicationView submit(String researcher, UUID id) {
    ApplicationRow application = own(researcher, store.lock(id));
    ApplicationStatus next = application.status().after(Action.SUBMIT);
    VersionRow draft = store.version(id, application.currentVersion()).orElseThrow();
    if (draft.submitted()) {
      throw ProblemResponses.exception(HttpStatus.CONFLICT, "no-new-version", "Nothing changed",
          "The reviewers asked for changes to version " + draft.version() + ": change the application, then submit it again.");
    }
    SubmissionCheck.CheckedSpec spec = SubmissionCheck.check(draft.content(), draft.ethicsSha256() != null, application.number());
    Instant now = clock.instant();
    store.submitVersion(id, draft.version(), spec.json(), spec.spec().sha256(), now);
    return moved(application, next, researcher, null, now);
  }

  @Transactional
  public ApplicationView withdraw(String researcher, UUID id, String reason) {
    ApplicationRow application = own(researcher, store.lock(id));
    ApplicationStatus next = application.status().after(Action.WITHDRAW);
    return moved(application, next, researcher, reason, clock.instant());
  }

  private ApplicationView moved(ApplicationRow application, ApplicationStatus next, String researcher, String reason, Instant now) {
    store.moveTo(application.id(), next, application.currentVersion(), now);
    store.recordStatusChange(application.id(), application.currentVersion(), application.status(), next, researcher, "researcher", reason, now);
    notifications.statusChanged(application.ownerSubject(), application.id(), application.number(), next, now);
    return views.forResearcher(store.find(application.id()).orElseThrow());
  }

  /** The version to edit: the current one while it is a draft, else (changes requested) a new one copied from it. */
  private VersionRow draftOf(ApplicationRow application) {
    VersionRow current = store.version(application.id(), application.currentVersion()).orElseThrow();
    if (!current.submitted()) {
      return current;
    }
    int next = current.version() + 1;
    Instant now = clock.instant();
    store.newVersion(application.id(), next, current.content(), current.ethicsSha256(), now);
    store.moveTo(application.id(), application.status(), next, now);
    return store.version(application.id(), next).orElseThrow();
  }

  private ApplicationRow editable(String researcher, UUID id) {
    ApplicationRow application = own(researcher, store.lock(id));
    if (!application.status().editable()) {
      throw ProblemResponses.exception(HttpStatus.CONFLICT, "not-editable", "Not editable",
          "An application that is " + application.status().wire() + " cannot be changed.");
    }
    return application;
  }

  private static ApplicationRow own(String researcher, Optional<ApplicationRow> application) {
    return application.filter(a -> a.ownerSubject().equals(researcher)).orElseThrow(() -> notFound("application"));
  }

  static RuntimeException notFound(String what) {
    return ProblemResponses.exception(HttpStatus.NOT_FOUND, "not-found", "Not found", "No such " + what + " of yours.");
  }
}
