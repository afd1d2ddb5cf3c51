package optout.registry.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class OneHistoryTest {

  private static final String ORIGIN = "example.test/log";

  private static MerkleLog log(String prefix, int leaves) {
    MerkleLog log = new MerkleLog(new InMemoryNodeStore());
    for (int i = 0; i < leaves; i++) {
      log.append(MerkleHashing.leafHash((prefix + i).getBytes(StandardCharsets.UTF_8)));
    }
    return log;
  }

  private static Checkpoint checkpoint(MerkleLog log, long size) {
    return new Checkpoint(ORIGIN, size, log.root(size), List.of());
  }

  private static OneHistory.ConsistencyProofs proofsOf(MerkleLog log) {
    return (from, to) -> log.consistencyProof(from, to).path();
  }

  @Test
  void aLongerTreeOfTheSameHistoryIsNewer() throws Exception {
    MerkleLog log = log("leaf ", 13);
    assertThat(OneHistory.check(checkpoint(log, 5), checkpoint(log, 13), proofsOf(log))).isTrue();
  }

  @Test
  void anOlderTreeOfTheSameHistoryIsAcceptedButNotNewer() throws Exception {
    MerkleLog log = log("leaf ", 13);
    assertThat(OneHistory.check(checkpoint(log, 13), checkpoint(log, 7), proofsOf(log))).isFalse();
  }

  @Test
  void theSameTreeIsNotNewer() throws Exception {
    MerkleLog log = log("leaf ", 4);
    assertThat(OneHistory.check(checkpoint(log, 4), checkpoint(log, 4), (from, to) -> {
      throw new AssertionError("no proof is needed for equal trees");
    })).isFalse();
  }

  @Test
  void twoTreesOfOneSizeAreAFork() {
    MerkleLog mine = log("leaf ", 6);
    MerkleLog other = log("other ", 6);
    assertThatThrownBy(() -> OneHistory.check(checkpoint(mine, 6), checkpoint(other, 6), proofsOf(other)))
        .isInstanceOf(OneHistory.ForkedHistoryException.class).hasMessageContaining("two different trees of 6 leaves");
  }

  @Test
  void aLongerTreeOfAnotherHistoryIsAForkWhateverProofTheLogSends() {
    MerkleLog seen = log("leaf ", 5);
    MerkleLog rewritten = log("rewritten ", 9);
    assertThatThrownBy(() -> OneHistory.check(checkpoint(seen, 5), checkpoint(rewritten, 9), proofsOf(rewritten)))
        .isInstanceOf(OneHistory.ForkedHistoryException.class).hasMessageContaining("not a prefix");
    assertThatThrownBy(() -> OneHistory.check(checkpoint(seen, 5), checkpoint(rewritten, 9), (from, to) -> List.of()))
        .isInstanceOf(OneHistory.ForkedHistoryException.class);
  }

  @Test
  void aShorterTreeOfAnotherHistoryIsAFork() {
    MerkleLog seen = log("leaf ", 9);
    MerkleLog truncated = log("leaf ", 5);
    truncated.append(MerkleHashing.leafHash("replaced".getBytes(StandardCharsets.UTF_8)));
    assertThatThrownBy(() -> OneHistory.check(checkpoint(seen, 9), checkpoint(truncated, 6), proofsOf(seen)))
        .isInstanceOf(OneHistory.ForkedHistoryException.class).hasMessageContaining("the new one is the smaller");
  }

  @Test
  void checkpointsOfTwoLogsAreNotCompared() {
    MerkleLog log = log("leaf ", 3);
    Checkpoint other = new Checkpoint("another.test/log", 3, log.root(3), List.of());
    assertThatThrownBy(() -> OneHistory.check(checkpoint(log, 3), other, proofsOf(log))).isInstanceOf(IllegalArgumentException.class);
  }
}
