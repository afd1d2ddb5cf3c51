package optout.warehouse.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import optout.warehouse.spec.ExtractSpec;
import org.junit.jupiter.api.Test;

class WarehouseBenchTest {

  @Test
  void theGrowthExponentIsTheSlopeOfLogTimeOnLogScale() {
    List<Double> scales = List.of(0.005, 0.01, 0.02);
    assertThat(WarehouseBench.slope(scales, new double[] {5, 10, 20})).isCloseTo(1.0, within(1e-9));
    assertThat(WarehouseBench.slope(scales, new double[] {1, 4, 16})).isCloseTo(2.0, within(1e-9));
    assertThat(WarehouseBench.slope(scales, new double[] {7, 7, 7})).isCloseTo(0.0, within(1e-9));
  }

  @Test
  void theBenchmarksSpecIsValid() {
    assertThat(ExtractSpec.parse(WarehouseBench.SPEC).tables()).hasSize(4);
  }
}
