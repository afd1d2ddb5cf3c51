package optout.portal.output;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Where a requested output stands, and the two-checker rule that moves it. Plain Java.
 *
 * <pre>
 * awaiting-checks ──2nd approval──► released   (downloadable)
 *        └────────any rejection──► rejected
 * </pre>
 *
 * Each checker decides once; the one who asked never checks; a decided output takes no more checks.
 */
public enum OutputStatus {
  AWAITING_CHECKS("awaiting-checks", "checkers"), RELEASED("released", "nobody"), REJECTED("rejected", "nobody");

  /** Approvals by different checkers that release an output. */
  public static final int APPROVALS_NEEDED = 2;

  private final String wire;
  private final String turn;

  OutputStatus(String wire, String turn) {
    this.wire = wire;
    this.turn = turn;
  }

  public String wire() {
    return wire;
  }

  /** Whose move it is: {@code checkers} while it awaits checks, else {@code nobody}. */
  public String turn() {
    return turn;
  }

  public static Optional<OutputStatus> fromWire(String wire) {
    return Arrays.stream(values()).filter(s -> s.wire.equals(wire)).findFirst();
  }

  /** A checker's decision. */
  public record Check(String checker, boolean approve) {}

  /**
   * The status after a checker's decision.
   *
   * @param requester who asked for the output
   * @param made the checks made so far
   * @throws RefusedCheckException if this checker may not decide now
   */
  public OutputStatus after(String requester, List<Check> made, String checker, boolean approve) {
    if (checker.equals(requester)) {
      throw new RefusedCheckException("own-output", "You asked for this output yourself: two other reviewers check it.");
    }
    if (made.stream().anyMatch(c -> c.checker().equals(checker))) {
      throw new RefusedCheckException("already-checked", "You checked this output already: a second checker must be someone else.");
    }
    if (this != AWAITING_CHECKS) {
      throw new RefusedCheckException("already-decided", "The output was " + wire + " already.");
    }
    if (!approve) {
      return REJECTED;
    }
    long approvals = made.stream().filter(Check::approve).count() + 1;
    return approvals >= APPROVALS_NEEDED ? RELEASED : AWAITING_CHECKS;
  }

  /** A check that is not allowed: the type says which rule ({@code own-output} is forbidden, the others conflict with the state). */
  public static final class RefusedCheckException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String problemType;

    RefusedCheckException(String problemType, String message) {
      super(message);
      this.problemType = problemType;
    }

    public String problemType() {
      return problemType;
    }
  }
}
