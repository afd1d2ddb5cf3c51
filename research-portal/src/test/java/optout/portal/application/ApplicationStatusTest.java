package optout.portal.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import optout.portal.application.ApplicationStatus.Action;
import optout.portal.application.ApplicationStatus.IllegalTransitionException;
import optout.portal.application.ApplicationStatus.Turn;
import org.junit.jupiter.api.Test;

class ApplicationStatusTest {

  /** The whole table: every (status, action) pair is either this move or refused. */
  @Test
  void onlyTheLegalMovesExist() {
    Map<String, ApplicationStatus> legal = new HashMap<>();
    legal.put("DRAFT SUBMIT", ApplicationStatus.SUBMITTED);
    legal.put("DRAFT WITHDRAW", ApplicationStatus.WITHDRAWN);
    legal.put("SUBMITTED APPROVE", ApplicationStatus.APPROVED);
    legal.put("SUBMITTED REJECT", ApplicationStatus.REJECTED);
    legal.put("SUBMITTED REQUEST_CHANGES", ApplicationStatus.CHANGES_REQUESTED);
    legal.put("SUBMITTED WITHDRAW", ApplicationStatus.WITHDRAWN);
    legal.put("CHANGES_REQUESTED SUBMIT", ApplicationStatus.SUBMITTED);
    legal.put("CHANGES_REQUESTED WITHDRAW", ApplicationStatus.WITHDRAWN);
    for (ApplicationStatus status : ApplicationStatus.values()) {
      for (Action action : Action.values()) {
        ApplicationStatus expected = legal.get(status + " " + action);
        if (expected != null) {
          assertThat(status.after(action)).as(status + " " + action).isEqualTo(expected);
        } else {
          assertThatThrownBy(() -> status.after(action)).as(status + " " + action).isInstanceOf(IllegalTransitionException.class);
        }
      }
    }
  }

  @Test
  void everyStatusSaysWhoseTurnItIsAndWhetherItCanBeEdited() {
    Map<ApplicationStatus, Turn> turns = new EnumMap<>(ApplicationStatus.class);
    for (ApplicationStatus status : ApplicationStatus.values()) {
      turns.put(status, status.turn());
    }
    assertThat(turns).containsExactlyInAnyOrderEntriesOf(Map.of(
        ApplicationStatus.DRAFT, Turn.RESEARCHER, ApplicationStatus.SUBMITTED, Turn.REVIEWER,
        ApplicationStatus.CHANGES_REQUESTED, Turn.RESEARCHER, ApplicationStatus.APPROVED, Turn.NOBODY,
        ApplicationStatus.REJECTED, Turn.NOBODY, ApplicationStatus.WITHDRAWN, Turn.NOBODY));
    assertThat(ApplicationStatus.DRAFT.editable()).isTrue();
    assertThat(ApplicationStatus.CHANGES_REQUESTED.editable()).isTrue();
    assertThat(ApplicationStatus.SUBMITTED.editable()).isFalse();
    assertThat(ApplicationStatus.APPROVED.editable()).isFalse();
  }

  @Test
  void refusalsNameTheirKind() {
    assertThat(refusal(ApplicationStatus.SUBMITTED, Action.SUBMIT).problemType()).isEqualTo("already-submitted");
    assertThat(refusal(ApplicationStatus.APPROVED, Action.APPROVE).problemType()).isEqualTo("already-decided");
    assertThat(refusal(ApplicationStatus.REJECTED, Action.REQUEST_CHANGES).problemType()).isEqualTo("already-decided");
    assertThat(refusal(ApplicationStatus.APPROVED, Action.WITHDRAW).problemType()).isEqualTo("not-allowed-in-status");
    assertThat(refusal(ApplicationStatus.DRAFT, Action.APPROVE).getMessage()).isEqualTo("Cannot approve an application that is draft");
  }

  @Test
  void wireNamesRoundTrip() {
    for (ApplicationStatus status : ApplicationStatus.values()) {
      assertThat(ApplicationStatus.fromWire(status.wire())).hasValue(status);
    }
    assertThat(ApplicationStatus.fromWire("CHANGES_REQUESTED")).isEmpty();
  }

  private static IllegalTransitionException refusal(ApplicationStatus status, Action action) {
    try {
      status.after(action);
    } catch (IllegalTransitionException refused) {
      return refused;
    }
    throw new AssertionError("allowed: " + status + " " + action);
  }
}
