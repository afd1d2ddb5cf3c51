package optout.portal.application;

import java.util.List;
import optout.portal.application.ApplicationStore.ApplicationRow;
import optout.portal.application.ApplicationStore.VersionRow;
import org.springframework.stereotype.Component;

/** Builds what each side may see of an application: the researcher everything of theirs but reviewer-only comments; reviewers what was submitted. */
@Component
public class ApplicationViews {

  private final ApplicationStore store;

  ApplicationViews(ApplicationStore store) {
    this.store = store;
  }

  /** The owner's view: the current version (draft or submitted), every version, and only comments shown to them. */
  public ApplicationView forResearcher(ApplicationRow application) {
    List<VersionRow> versions = store.versions(application.id());
    VersionRow current = versions.stream().filter(v -> v.version() == application.currentVersion()).findFirst().orElseThrow();
    return view(application, current, versions, false);
  }

  /** A reviewer's view: submitted versions only (a researcher's unsubmitted edits are their own), every comment. */
  public ApplicationView forReviewer(ApplicationRow application) {
    List<VersionRow> submitted = store.versions(application.id()).stream().filter(VersionRow::submitted).toList();
    return view(application, submitted.get(submitted.size() - 1), submitted, true);
  }

  private ApplicationView view(ApplicationRow application, VersionRow shown, List<VersionRow> versions, boolean reviewer) {
    return new ApplicationView(application.id(), application.number(), application.status().wire(), application.status().turn().wire(),
        !reviewer && application.status().editable(), shown.version(), shown.content(),
        store.ethicsInfo(shown.ethicsSha256()).map(e -> new ApplicationView.Ethics(e.sha256(), e.size(), e.pages())).orElse(null),
        versions.stream().map(v -> new ApplicationView.VersionSummary(v.version(), v.createdAt(), v.submittedAt(), v.specSha256())).toList(),
        store.statusChanges(application.id()).stream()
            .map(c -> new ApplicationView.HistoryEntry(c.version(), c.fromStatus(), c.toStatus(), c.actorRole(), c.reason(), c.changedAt())).toList(),
        store.comments(application.id(), reviewer).stream()
            .map(c -> new ApplicationView.Comment(c.id(), c.version(), c.visibility(), c.body(), c.createdAt())).toList(),
        store.decisions(application.id()).stream()
            .map(d -> new ApplicationView.Decision(d.version(), d.outcome(), d.reason(), d.decidedAt())).toList(),
        application.approvedVersion() == null ? null
            : new ApplicationView.Approval(application.approvedVersion(), application.approvedPurpose(), application.approvedSpecSha256()));
  }
}
