package optout.portal.citizen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ReleaseHistoryTest {

  private static final List<ReleaseHistory.Event> HISTORY = List.of(
      new ReleaseHistory.Event("opt-out-filed", Set.of("academic-research", "commercial-use"), 10L),
      new ReleaseHistory.Event("opt-out-withdrawn", Set.of("commercial-use"), 20L),
      new ReleaseHistory.Event("scopes-changed", Set.of("government-statistics"), 30L),
      // waiting for its place in the log: in no checkpoint yet
      new ReleaseHistory.Event("opt-out-filed", Set.of("cross-agency-linkage"), null));

  @Test
  void theStateAtACheckpointCountsOnlyTheEventsBelowItsSize() {
    assertThat(ReleaseHistory.optedOutAt(HISTORY, 10)).isEmpty();
    assertThat(ReleaseHistory.optedOutAt(HISTORY, 11)).containsExactly("academic-research", "commercial-use");
    assertThat(ReleaseHistory.optedOutAt(HISTORY, 20)).containsExactly("academic-research", "commercial-use");
    assertThat(ReleaseHistory.optedOutAt(HISTORY, 21)).containsExactly("academic-research");
    assertThat(ReleaseHistory.optedOutAt(HISTORY, 31)).containsExactly("government-statistics");
    assertThat(ReleaseHistory.optedOutAt(HISTORY, Long.MAX_VALUE)).containsExactly("government-statistics");
  }

  @Test
  void theHistoryIsReplayedInLogOrderWhateverOrderItArrivesIn() {
    List<ReleaseHistory.Event> shuffled = List.of(HISTORY.get(2), HISTORY.get(0), HISTORY.get(1));
    assertThat(ReleaseHistory.optedOutAt(shuffled, 21)).containsExactly("academic-research");
  }

  @Test
  void aReleaseExcludedThePersonOnlyIfTheyWereOptedOutOfItsPurposeAtItsCheckpoint() {
    Instant at = Instant.parse("2026-12-01T00:00:00Z");
    var before = new ReleaseHistory.Release("EX-1", "academic-research", 5, at);
    var after = new ReleaseHistory.Release("EX-2", "academic-research", 15, at);
    var otherPurpose = new ReleaseHistory.Release("EX-3", "government-statistics", 15, at);
    var commercialWhileOptedOut = new ReleaseHistory.Release("EX-4", "commercial-use", 20, at);
    var commercialAfterWithdrawal = new ReleaseHistory.Release("EX-5", "commercial-use", 21, at);
    var academicAfterChange = new ReleaseHistory.Release("EX-6", "academic-research", 31, at);
    var statisticsAfterChange = new ReleaseHistory.Release("EX-7", "government-statistics", 31, at);
    assertThat(ReleaseHistory.excluding(HISTORY, List.of(before, after, otherPurpose, commercialWhileOptedOut, commercialAfterWithdrawal,
        academicAfterChange, statisticsAfterChange)))
        .extracting(ReleaseHistory.Release::extractId).containsExactly("EX-2", "EX-4", "EX-7");
    assertThat(ReleaseHistory.excluding(List.of(), List.of(after))).isEmpty();
  }

  @Test
  void anUnknownEventTypeIsRefusedRatherThanGuessed() {
    assertThatThrownBy(() -> ReleaseHistory.optedOutAt(List.of(new ReleaseHistory.Event("opt-out-paused", Set.of("x"), 1L)), 5))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("Cannot replay the history: unknown event type opt-out-paused");
  }
}
