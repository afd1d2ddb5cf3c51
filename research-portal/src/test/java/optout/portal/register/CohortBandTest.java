package optout.portal.register;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CohortBandTest {

  @Test
  void aCohortIsABandNeverACount() {
    assertThat(CohortBand.of(0)).isEqualTo("0");
    assertThat(CohortBand.of(1)).isEqualTo("1-99");
    assertThat(CohortBand.of(3)).isEqualTo("1-99");
    assertThat(CohortBand.of(99)).isEqualTo("1-99");
    assertThat(CohortBand.of(100)).isEqualTo("100-999");
    assertThat(CohortBand.of(999)).isEqualTo("100-999");
    assertThat(CohortBand.of(1_000)).isEqualTo("1000-9999");
    assertThat(CohortBand.of(57_321)).isEqualTo("10000-99999");
    assertThat(CohortBand.of(999_999)).isEqualTo("100000-999999");
    assertThat(CohortBand.of(1_000_000)).isEqualTo("1000000+");
    assertThat(CohortBand.of(23_500_000)).isEqualTo("1000000+");
    assertThat(CohortBand.all()).containsExactly("0", "1-99", "100-999", "1000-9999", "10000-99999", "100000-999999", "1000000+");
  }

  @Test
  void aNegativeCohortIsRefused() {
    assertThatThrownBy(() -> CohortBand.of(-1)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot band a cohort: persons cannot be negative: -1");
  }
}
