package optout.warehouse.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The preview's rule for counts of people: 1 to 10 suppressed, the rest rounded to 10, a true 0 shown. */
class PreviewFiguresTest {

  @Test
  void smallCountsAreSuppressedAndTheRestRoundedToTen() {
    assertThat(PreviewFigures.shown(0)).isZero();
    for (long small = 1; small <= 10; small++) {
      assertThat(PreviewFigures.shown(small)).as("count %d", small).isNull();
    }
    assertThat(PreviewFigures.shown(11)).isEqualTo(10);
    assertThat(PreviewFigures.shown(14)).isEqualTo(10);
    assertThat(PreviewFigures.shown(15)).isEqualTo(20);
    assertThat(PreviewFigures.shown(1234)).isEqualTo(1230);
    assertThat(PreviewFigures.shown(23_500_000)).isEqualTo(23_500_000);
  }

  @Test
  void aNegativeCountIsRefused() {
    assertThatThrownBy(() -> PreviewFigures.shown(-1)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("negative");
  }
}
