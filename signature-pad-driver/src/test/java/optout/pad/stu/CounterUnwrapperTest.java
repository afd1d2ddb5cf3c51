package optout.pad.stu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CounterUnwrapperTest {

  private static final long MS = 1_000_000;

  @Test
  void carriesOnAcrossAWrap() {
    CounterUnwrapper time = new CounterUnwrapper(MS);
    assertThat(time.next(65_530, 0)).isZero();
    assertThat(time.next(65_535, 5 * MS)).isEqualTo(5);
    assertThat(time.next(4, 10 * MS)).isEqualTo(10);
  }

  @Test
  void countsWholeTurnsThatPassedWhileNothingWasReported() {
    CounterUnwrapper time = new CounterUnwrapper(MS);
    time.next(100, 0);
    // 70 s later the counter reads 100 + 70000 - 65536 = 4564: one whole turn went by unseen
    assertThat(time.next(4_564, 70_000 * MS)).isEqualTo(70_000);
    // 200 s later three turns went by; the host clock is off by 3 s, the counter settles the rest
    assertThat(time.next((4_564 + 200_000) % 65_536, 270_000 * MS + 3_000 * MS)).isEqualTo(270_000);
  }

  @Test
  void sequenceNumbersStepWithoutAClock() {
    CounterUnwrapper sequence = new CounterUnwrapper(0);
    assertThat(sequence.next(65_535, 0)).isZero();
    assertThat(sequence.next(3, 0)).isEqualTo(4);
    assertThat(CounterUnwrapper.step(65_535, 3)).isEqualTo(4);
    assertThatThrownBy(() -> sequence.next(65_536, 0)).hasMessage("Cannot unwrap a counter: 65536 is not a 16-bit value");
  }
}
