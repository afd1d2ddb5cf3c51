package optout.portal.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import optout.portal.output.OutputStatus.Check;
import optout.portal.output.OutputStatus.RefusedCheckException;
import org.junit.jupiter.api.Test;

/** The two-checker rule and the upload check, in plain Java. */
class OutputStatusTest {

  private static final String REQUESTER = "researcher";

  @Test
  void twoApprovalsByDifferentCheckersRelease() {
    OutputStatus once = OutputStatus.AWAITING_CHECKS.after(REQUESTER, List.of(), "checker-a", true);
    assertThat(once).isEqualTo(OutputStatus.AWAITING_CHECKS);
    assertThat(OutputStatus.AWAITING_CHECKS.after(REQUESTER, List.of(new Check("checker-a", true)), "checker-b", true))
        .isEqualTo(OutputStatus.RELEASED);
    assertThat(OutputStatus.RELEASED.turn()).isEqualTo("nobody");
    assertThat(OutputStatus.AWAITING_CHECKS.turn()).isEqualTo("checkers");
  }

  @Test
  void oneRejectionRejects() {
    assertThat(OutputStatus.AWAITING_CHECKS.after(REQUESTER, List.of(new Check("checker-a", true)), "checker-b", false))
        .isEqualTo(OutputStatus.REJECTED);
  }

  @Test
  void theRequesterNeverChecksAndNobodyChecksTwiceOrAfterTheDecision() {
    assertThatThrownBy(() -> OutputStatus.AWAITING_CHECKS.after(REQUESTER, List.of(), REQUESTER, true))
        .isInstanceOfSatisfying(RefusedCheckException.class, e -> assertThat(e.problemType()).isEqualTo("own-output"));
    assertThatThrownBy(() -> OutputStatus.AWAITING_CHECKS.after(REQUESTER, List.of(new Check("checker-a", true)), "checker-a", false))
        .isInstanceOfSatisfying(RefusedCheckException.class, e -> assertThat(e.problemType()).isEqualTo("already-checked"));
    for (OutputStatus decided : List.of(OutputStatus.RELEASED, OutputStatus.REJECTED)) {
      assertThatThrownBy(() -> decided.after(REQUESTER, List.of(new Check("checker-a", true)), "checker-c", true))
          .isInstanceOfSatisfying(RefusedCheckException.class, e -> assertThat(e.problemType()).isEqualTo("already-decided"));
    }
  }

  @Test
  void theUploadIsCheckedByParsing() {
    OutputRequest.Checked checked = OutputRequest.check("county,people\na,2\nb,40\nc,50\n".getBytes(StandardCharsets.UTF_8), "small-cell", List.of());
    assertThat(checked.releasedCsv()).isEqualTo("county,people\na,suppressed\nb,suppressed\nc,50\nTotal,92\n");
    assertThat(checked.originalSha256()).hasSize(64);
    assertThat(checked.primary()).isEqualTo(1);
    assertThatThrownBy(() -> OutputRequest.check(new byte[] {(byte) 0xff, 'a', ',', '1'}, "small-cell", List.of()))
        .isInstanceOfSatisfying(OutputRequest.RefusedOutputException.class, e -> assertThat(e.problems()).extracting(OutputRequest.Problem::rule)
            .containsExactly("not-utf-8"));
    assertThatThrownBy(() -> OutputRequest.check("a,b\nx,1\n".getBytes(StandardCharsets.UTF_8), "none", List.of()))
        .isInstanceOfSatisfying(OutputRequest.RefusedOutputException.class, e -> assertThat(e.problems()).extracting(OutputRequest.Problem::field)
            .containsExactly("rules"));
    assertThatThrownBy(() -> OutputRequest.check(new byte[OutputRequest.MAX_BYTES + 1], "small-cell", List.of()))
        .isInstanceOfSatisfying(OutputRequest.RefusedOutputException.class, e -> assertThat(e.problemType()).isEqualTo("body-too-large"));
  }

  @Test
  void theRulesArePlainJava() throws Exception {
    for (String type : List.of("OutputStatus", "OutputRequest")) {
      assertThat(Files.readString(Path.of("src/main/java/optout/portal/output/" + type + ".java"))).as(type)
          .doesNotContain("import org.springframework");
    }
  }
}
