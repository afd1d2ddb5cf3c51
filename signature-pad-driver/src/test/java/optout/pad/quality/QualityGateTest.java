package optout.pad.quality;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import optout.pad.SyntheticSignatures;
import optout.pad.api.PenSample;
import org.junit.jupiter.api.Test;

class QualityGateTest {

  private final QualityGate gate = QualityGate.withDefaults();

  private static List<PenSample> line(int count, int x0, int dx, long stepMicros) {
    List<PenSample> samples = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      samples.add(new PenSample(x0 + i * dx, 3000, 500, i * stepMicros, true, true, i));
    }
    return samples;
  }

  @Test
  void acceptsAnOrdinarySignatureAndALightOne() {
    assertThat(gate.check(SyntheticSignatures.handwriting(0.8)).accepted()).isTrue();
    assertThat(gate.check(SyntheticSignatures.handwriting(0.05)).accepted()).isTrue();
  }

  @Test
  void refusesAPadNobodySignedOn() {
    List<PenSample> hovering = List.of(new PenSample(100, 100, 0, 0, false, true, 0), new PenSample(200, 100, 0, 5000, false, true, 1));
    assertThat(gate.check(SyntheticSignatures.of(hovering)).issues()).containsExactly(QualityIssue.PEN_NEVER_DOWN);
    assertThat(gate.check(SyntheticSignatures.of(List.of())).issues()).containsExactly(QualityIssue.PEN_NEVER_DOWN);
  }

  @Test
  void refusesATapAStillPenATinyMarkAndAHastyScratch() {
    assertThat(gate.check(SyntheticSignatures.of(line(5, 1000, 300, 5000))).issues())
        .containsExactly(QualityIssue.TOO_FEW_POINTS, QualityIssue.TOO_SHORT);
    assertThat(gate.check(SyntheticSignatures.of(line(100, 1000, 0, 5000))).issues())
        .containsExactly(QualityIssue.ALL_POINTS_IDENTICAL);
    assertThat(gate.check(SyntheticSignatures.of(line(100, 1000, 5, 5000))).issues()).as("5 mm wide, 0 high")
        .containsExactly(QualityIssue.TOO_SMALL);
    assertThat(gate.check(SyntheticSignatures.of(line(40, 1000, 100, 1000))).issues()).as("40 mm in 39 ms")
        .containsExactly(QualityIssue.TOO_SHORT);
  }

  @Test
  void everyReasonReadsInTraditionalChineseAndEnglish() {
    for (QualityIssue issue : QualityIssue.values()) {
      assertThat(issue.traditionalChinese()).matches(".*[\\u4e00-\\u9fff].*").endsWith("。");
      assertThat(issue.english()).matches("[A-Z].*\\.");
    }
  }

  @Test
  void limitsAreChecked() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new QualityGate.Limits(1, 300, 10, 5))
        .hasMessage("Cannot use the quality limits: they must be positive and ask for two samples at least");
    QualityGate strict = new QualityGate(new QualityGate.Limits(500, 300, 10, 5));
    assertThat(strict.check(SyntheticSignatures.handwriting(0.8)).issues()).containsExactly(QualityIssue.TOO_FEW_POINTS);
  }
}
