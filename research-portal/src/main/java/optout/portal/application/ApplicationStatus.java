package optout.portal.application;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * Where an application stands, and the only moves from each status (GOV.UK's and DARS's well-known set).
 * Plain Java: the portal's services ask {@link #after} and store what it answers.
 *
 * <pre>
 * draft ──submit──► submitted ──approve──► approved
 *   │                 │  ▲  └──reject───► rejected
 *   │                 │  └──submit── changes-requested ◄──request-changes── submitted
 *   └──withdraw──► withdrawn ◄──withdraw── submitted, changes-requested
 * </pre>
 */
public enum ApplicationStatus {
  DRAFT("draft", Turn.RESEARCHER),
  SUBMITTED("submitted", Turn.REVIEWER),
  CHANGES_REQUESTED("changes-requested", Turn.RESEARCHER),
  APPROVED("approved", Turn.NOBODY),
  REJECTED("rejected", Turn.NOBODY),
  WITHDRAWN("withdrawn", Turn.NOBODY);

  /** Whose move it is. */
  public enum Turn {
    RESEARCHER("researcher"), REVIEWER("reviewer"), NOBODY("nobody");

    private final String wire;

    Turn(String wire) {
      this.wire = wire;
    }

    public String wire() {
      return wire;
    }
  }

  /** What someone does to an application, and who may. */
  public enum Action {
    SUBMIT(Turn.RESEARCHER), WITHDRAW(Turn.RESEARCHER), APPROVE(Turn.REVIEWER), REJECT(Turn.REVIEWER), REQUEST_CHANGES(Turn.REVIEWER);

    private final Turn actor;

    Action(Turn actor) {
      this.actor = actor;
    }

    /** The side that takes this action. */
    public Turn actor() {
      return actor;
    }
  }

  private static final Map<ApplicationStatus, Map<Action, ApplicationStatus>> MOVES = new EnumMap<>(ApplicationStatus.class);

  static {
    MOVES.put(DRAFT, Map.of(Action.SUBMIT, SUBMITTED, Action.WITHDRAW, WITHDRAWN));
    MOVES.put(SUBMITTED, Map.of(Action.APPROVE, APPROVED, Action.REJECT, REJECTED, Action.REQUEST_CHANGES, CHANGES_REQUESTED,
        Action.WITHDRAW, WITHDRAWN));
    MOVES.put(CHANGES_REQUESTED, Map.of(Action.SUBMIT, SUBMITTED, Action.WITHDRAW, WITHDRAWN));
    MOVES.put(APPROVED, Map.of());
    MOVES.put(REJECTED, Map.of());
    MOVES.put(WITHDRAWN, Map.of());
  }

  private final String wire;
  private final Turn turn;

  ApplicationStatus(String wire, Turn turn) {
    this.wire = wire;
    this.turn = turn;
  }

  /** The name in the API and the database, e.g. {@code changes-requested}. */
  public String wire() {
    return wire;
  }

  /** Whose move it is in this status. */
  public Turn turn() {
    return turn;
  }

  /** Whether the researcher may change the application's content now. */
  public boolean editable() {
    return this == DRAFT || this == CHANGES_REQUESTED;
  }

  public boolean decided() {
    return this == APPROVED || this == REJECTED;
  }

  /**
   * The status after the action.
   *
   * @throws IllegalTransitionException if the action is not a move from this status
   */
  public ApplicationStatus after(Action action) {
    ApplicationStatus next = MOVES.get(this).get(action);
    if (next == null) {
      throw new IllegalTransitionException(this, action);
    }
    return next;
  }

  public static Optional<ApplicationStatus> fromWire(String wire) {
    return Arrays.stream(values()).filter(s -> s.wire.equals(wire)).findFirst();
  }

  /** An action that is not a move from the application's status: a conflict with its state, never a half-done change. */
  public static final class IllegalTransitionException extends RuntimeException {
    private final ApplicationStatus from;
    private final Action action;

    IllegalTransitionException(ApplicationStatus from, Action action) {
      super("Cannot " + action.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + " an application that is " + from.wire());
      this.from = from;
      this.action = action;
    }

    public ApplicationStatus from() {
      return from;
    }

    public Action action() {
      return action;
    }

    /** A stable problem type a client may switch on. */
    public String problemType() {
      if (from.decided() && action.actor() == Turn.REVIEWER) {
        return "already-decided";
      }
      if (from == SUBMITTED && action == Action.SUBMIT) {
        return "already-submitted";
      }
      return "not-allowed-in-status";
    }
  }
}
