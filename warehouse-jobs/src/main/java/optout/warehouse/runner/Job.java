package optout.warehouse.runner;

import java.util.UUID;

/**
 * A job as the runner claimed it from the portal's {@code job} table: what to run ({@code kind}: preview,
 * extract or propagation), for which project and purpose, with the spec as the portal checked it, and
 * which claim of the job this is ({@code attempt}, from 1; above 1 after a runner died holding it).
 */
public record Job(UUID id, Kind kind, UUID applicationId, int version, String project, String purpose, String spec, String specSha256,
    int attempt, java.time.Instant queuedAt) {

  public enum Kind {
    PREVIEW, EXTRACT, PROPAGATION, CLOSE;

    public static Kind of(String wire) {
      return switch (wire) {
        case "preview" -> PREVIEW;
        case "extract" -> EXTRACT;
        case "propagation" -> PROPAGATION;
        case "close" -> CLOSE;
        default -> throw new IllegalArgumentException("Cannot run a job of kind: unknown");
      };
    }
  }

  @Override
  public String toString() {
    return "job " + id + " (" + kind.name().toLowerCase(java.util.Locale.ROOT) + ", attempt " + attempt + ")";
  }
}
