package optout.pseudonymizer.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class PseudonymizerBenchmarkTest {

  @Test
  void theCommandLineTakesSecondsPerRoundUpToAMinute() {
    assertThat(PseudonymizerBenchmark.seconds(List.of())).isEqualTo(1.0);
    assertThat(PseudonymizerBenchmark.seconds(List.of("--seconds", "0.5"))).isEqualTo(0.5);
    assertThat(PseudonymizerBenchmark.seconds(List.of("--seconds", "60"))).isEqualTo(60.0);
    for (List<String> wrong : List.of(List.of("--seconds"), List.of("--seconds", "0"), List.of("--seconds", "-1"),
        List.of("--seconds", "61"), List.of("--seconds", "NaN"), List.of("--seconds", "one"), List.of("--rounds", "3"),
        List.of("--seconds", "1", "--seconds", "2"))) {
      assertThatThrownBy(() -> PseudonymizerBenchmark.seconds(wrong)).as(String.join(" ", wrong))
          .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("Usage: ./optout bench pseudonymizer");
    }
  }

  @Test
  void aShortRunChecksItselfAgainstBouncyCastleAndPrintsEveryRate() throws Exception {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    PseudonymizerBenchmark.run(0.01, new PrintStream(printed, true, StandardCharsets.UTF_8));
    String report = printed.toString(StandardCharsets.UTF_8);
    assertThat(report).startsWith("Pseudonymizer benchmark: one thread");
    // six rates (both layers, the record keys, the two Bouncy Castle baselines, HMAC), each a positive number a second
    assertThat(report.lines().filter(line -> line.matches("  .* +[1-9][0-9,.]* /s")).count()).as(report).isEqualTo(6);
    assertThat(report).contains("layer 2 / Bouncy Castle: ").contains("record keys / HmacSHA256: ")
        .contains("layer 2 and record keys identical to Bouncy Castle's on 20,000 inputs each: yes");
  }
}
