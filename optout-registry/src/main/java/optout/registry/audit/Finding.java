package optout.registry.audit;

/**
 * Something the audit found wrong. The message names log indexes and row numbers, never a person.
 *
 * @param kind what kind of tampering or fault it points to
 * @param message what was found, and where
 */
public record Finding(Kind kind, String message) {

  /** What a finding points to. */
  public enum Kind {
    /** A row's content no longer hashes to its logged leaf: it was changed behind the application's back. */
    EDITED,
    /** A leaf's event row, or a leaf itself, is gone. */
    DELETED,
    /** A row was added that the registry did not write (no valid row MAC), or is not in the log. */
    INSERTED,
    /** Leaves stand in another order than the one the checkpoints signed. */
    REORDERED,
    /** A stored tree node or checkpoint does not match what the rows recompute to. */
    TREE_MISMATCH,
    /** A checkpoint's signature or format is not right. */
    BAD_CHECKPOINT,
    /** The current-state projection disagrees with the fold of the events. */
    PROJECTION_DRIFT
  }

  @Override
  public String toString() {
    return kind + ": " + message;
  }
}
