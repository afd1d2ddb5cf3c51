package optout.registry.snapshot;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import optout.registry.log.Checkpoint;

/**
 * What a snapshot is the exclusion set of: a purpose (scope code), the legal exemption the release
 * relies on if any, and the log checkpoint it was computed at. Written into the Parquet footer and
 * into the manifest, so that file and manifest cannot be paired with another purpose or checkpoint.
 *
 * <p>The checkpoint is kept as its tree head and origin only: extension lines are dropped, because
 * origin, size and root hash identify the log state and a verifier looks the checkpoint up by them.
 *
 * @param purpose the scope code, lower-case words joined by hyphens, e.g. {@code academic-research}
 * @param exemption the legal exemption's code, or empty if the release relies on none
 * @param checkpoint the log checkpoint the set was computed at (without extension lines)
 */
public record SnapshotDescription(String purpose, Optional<String> exemption, Checkpoint checkpoint) {

  /** How the manifest and the footer write "no exemption"; so no exemption may have this code. */
  public static final String NO_EXEMPTION = "none";

  /** The scope code rule of {@code optout.registry.scope.Scope}, repeated so this package stays plain. */
  static final Pattern CODE = Pattern.compile("[a-z][a-z0-9]*(-[a-z0-9]+)*");
  static final int MAX_CODE_LENGTH = 64;

  public SnapshotDescription {
    if (!isCode(purpose)) {
      throw new IllegalArgumentException(
          "Cannot describe a snapshot: the purpose must be a scope code (lower-case words joined by hyphens, at most "
              + MAX_CODE_LENGTH + " characters)");
    }
    Objects.requireNonNull(exemption, "Cannot describe a snapshot: the exemption is missing (use Optional.empty())");
    if (exemption.isPresent() && (!isCode(exemption.get()) || exemption.get().equals(NO_EXEMPTION))) {
      throw new IllegalArgumentException("Cannot describe a snapshot: the exemption must be an exemption code "
          + "(lower-case words joined by hyphens, at most " + MAX_CODE_LENGTH + " characters, not \"" + NO_EXEMPTION + "\")");
    }
    Objects.requireNonNull(checkpoint, "Cannot describe a snapshot: the checkpoint is missing");
    if (!checkpoint.extensions().isEmpty()) {
      checkpoint = new Checkpoint(checkpoint.origin(), checkpoint.size(), checkpoint.rootHash(), List.of());
    }
  }

  /** A snapshot for this purpose at this checkpoint that relies on no legal exemption. */
  public static SnapshotDescription of(String purpose, Checkpoint checkpoint) {
    return new SnapshotDescription(purpose, Optional.empty(), checkpoint);
  }

  /** The exemption as written in the manifest and footer: its code, or {@value #NO_EXEMPTION}. */
  public String exemptionCode() {
    return exemption.orElse(NO_EXEMPTION);
  }

  /** The checkpoint as one manifest value: {@code <origin> <tree size> <base64 root hash>}. */
  String checkpointValue() {
    return checkpoint.origin() + " " + checkpoint.size() + " " + checkpoint.rootHash().base64();
  }

  static boolean isCode(String text) {
    return text != null && text.length() <= MAX_CODE_LENGTH && CODE.matcher(text).matches();
  }
}
