package optout.portal.application;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * An application as one side sees it. {@code turn} always says whose move it is: {@code researcher},
 * {@code reviewer} or {@code nobody} (decided or withdrawn).
 */
public record ApplicationView(UUID id, long number, String status, String turn, boolean editable, int version, ApplicationContent content,
    Ethics ethicsApproval, List<VersionSummary> versions, List<HistoryEntry> history, List<Comment> comments, List<Decision> decisions,
    Approval approval) {

  public record Ethics(String sha256, int size, int pages) {}

  /** A version: {@code submittedAt} null while it is the draft being edited. */
  public record VersionSummary(int version, Instant createdAt, Instant submittedAt, String specSha256) {}

  public record HistoryEntry(int version, String from, String to, String by, String reason, Instant at) {}

  /** A reviewer's comment; {@code visibility} is {@code reviewer-only} or {@code shown-to-researcher}. */
  public record Comment(UUID id, int version, String visibility, String body, Instant at) {}

  public record Decision(int version, String outcome, String reason, Instant at) {}

  /** What was approved: the version, its purpose and the spec the extract uses. */
  public record Approval(int version, String purpose, String specSha256) {}

  /** One version as it was written, with where the application stands now. */
  public record Version(UUID applicationId, int version, ApplicationContent content, Ethics ethicsApproval, Instant createdAt,
      Instant submittedAt, String specSha256, String status, String turn) {}

  /** A line of a list: enough to choose an application, and whose turn it is. */
  public record Summary(UUID id, long number, String title, String institution, String status, String turn, int version, Instant updatedAt) {}
}
