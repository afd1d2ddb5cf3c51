package optout.demo.warehouse.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import optout.warehouse.cli.UsageException;
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

  @Test
  void theDefaultsAreThreeScalesThreeRunsAndVarBench() {
    WarehouseBench.Settings settings = WarehouseBench.settings(new String[0]);
    assertThat(settings.scales()).containsExactly(0.005, 0.01, 0.02);
    assertThat(settings.ratioScale()).isEqualTo(0.01);
    assertThat(settings.runs()).isEqualTo(3);
    assertThat(settings.workDirectory()).isEqualTo(Path.of("var/bench").toAbsolutePath());
    assertThat(WarehouseBench.settings(new String[] {"--scales", "0.1, 0.2", "--runs=5", "--work", "/tmp/b"}))
        .isEqualTo(new WarehouseBench.Settings(List.of(0.1, 0.2), 0.01, 5, Path.of("/tmp/b")));
  }

  @Test
  void aWrongCommandLineIsRefusedBeforeAnythingStarts() {
    for (String[] args : List.of(new String[] {"--scales", "0.01"}, new String[] {"--scales", "0.01,1.5"},
        new String[] {"--runs", "0"}, new String[] {"--runs", "21"}, new String[] {"--ratio-scale", "0"},
        new String[] {"--runs", "three"}, new String[] {"--seconds", "3"}, new String[] {"extra"})) {
      assertThatThrownBy(() -> WarehouseBench.settings(args)).as(String.join(" ", args)).isInstanceOf(UsageException.class);
    }
    // from the command line: a message and exit code 2, no stack trace, and no Spark or key store opened (the
    // environment names neither)
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int code = WarehouseBench.run(new String[] {"--runs", "0"}, Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(code).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("error: bench: give at least two scales")
        .contains("./optout bench warehouse --help").doesNotContain("Exception").doesNotContain("\tat ");
    assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
    WarehouseBench.run(new String[] {"--help"}, Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
    assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("Usage: ./optout bench warehouse");
  }
}
