package optout.demo.portal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.pdfbox.Loader;
import org.junit.jupiter.api.Test;

/** The demo's own pieces that need no running platform; the whole path runs in ./optout demo (the newcomer path). */
class PortalDemoTest {

  @Test
  void theOutputIsTheShownCategoriesOfTheDelivery() {
    var report = PortalApi.JSON.readTree("""
        {"personsBefore": 120, "dimensions": [
          {"name": "sex", "categories": [{"name": "F", "before": 60, "after": 58, "shown": true}]},
          {"name": "age_band", "categories": [
            {"name": "50-59", "before": 40, "after": 39, "shown": true},
            {"name": "40-49", "before": 30, "after": 30, "shown": true},
            {"name": "85+", "before": 2, "after": 2, "shown": false}]}]}""");

    // hidden categories stay hidden: only what the report shows goes into the table
    assertThat(PortalDemo.table(report, "age_band", "age band")).isEqualTo("age band,persons\n40-49,30\n50-59,39\n");
  }

  @Test
  void aReportWithoutTheDimensionFailsTheStep() {
    var report = PortalApi.JSON.readTree("{\"dimensions\": [{\"name\": \"sex\", \"categories\": []}]}");

    assertThatThrownBy(() -> PortalDemo.table(report, "age_band", "age band")).isInstanceOf(PortalApi.StepFailed.class)
        .hasMessageContaining("no category of age_band");
  }

  @Test
  void theEthicsApprovalIsARealOnePagePdf() throws Exception {
    byte[] pdf = PortalDemo.ethicsApproval(7);

    try (var document = Loader.loadPDF(pdf)) {
      assertThat(document.getNumberOfPages()).isEqualTo(1);
      assertThat(document.isEncrypted()).isFalse();
    }
    assertThat(PortalDemo.sha256(pdf)).hasSize(64);
  }

  @Test
  void aRefusalSaysTheProblemDetailsAndEachField() throws Exception {
    var answer = new PortalApi.Answer(422, """
        {"type": "urn:nhi-optout:problem:application-incomplete", "title": "Incomplete", "detail": "Fix these.",
         "errors": [{"field": "laySummary", "message": "is missing"}]}""", null);

    assertThat(PortalApi.problem(answer))
        .isEqualTo(": urn:nhi-optout:problem:application-incomplete; Incomplete; Fix these.; laySummary: is missing");
    assertThat(PortalApi.problem(new PortalApi.Answer(502, "<html>bad gateway</html>", null))).isEmpty();
  }

  @Test
  void percentilesAreNearestRank() {
    long[] sorted = new long[100];
    for (int i = 0; i < 100; i++) {
      sorted[i] = i + 1;
    }

    assertThat(PortalBenchmark.percentile(sorted, 0.99)).isEqualTo(99);
    assertThat(PortalBenchmark.percentile(sorted, 0.50)).isEqualTo(50);
    assertThat(PortalBenchmark.percentile(new long[] {7}, 0.99)).isEqualTo(7);
    assertThat(PortalBenchmark.percentile(new long[0], 0.99)).isZero();
  }

  @Test
  void settingsOutOfBoundsAreRefused() {
    assertThatThrownBy(() -> new PortalBenchmark.Settings(0, java.time.Duration.ofSeconds(1), java.time.Duration.ZERO, 1, 1, java.time.Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("Cannot benchmark:");
    assertThatThrownBy(() -> new PortalBenchmark.Settings(200, java.time.Duration.ZERO, java.time.Duration.ZERO, 1, 1, java.time.Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new PortalBenchmark.Settings(200, java.time.Duration.ofSeconds(1), java.time.Duration.ZERO, 1, 0, java.time.Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new PortalBenchmark.Settings(200, java.time.Duration.ofSeconds(1), java.time.Duration.ZERO, 1, 1,
        java.time.Duration.ofMillis(-1))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new PortalBenchmark.Settings(200, java.time.Duration.ofSeconds(1), java.time.Duration.ZERO, 1, 1,
        java.time.Duration.ofSeconds(61))).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void thinkTimesAreExponentialAroundTheirMeanAndCapped() {
    PortalBenchmark.Settings none = new PortalBenchmark.Settings(200, java.time.Duration.ofSeconds(1), java.time.Duration.ZERO, 1, 1,
        java.time.Duration.ZERO);
    assertThat(none.pauseMillis()).isZero();
    PortalBenchmark.Settings second = new PortalBenchmark.Settings(200, java.time.Duration.ofSeconds(1), java.time.Duration.ZERO, 1, 1,
        java.time.Duration.ofSeconds(1));
    long[] pauses = java.util.stream.LongStream.generate(second::pauseMillis).limit(20_000).toArray();
    assertThat(java.util.Arrays.stream(pauses).max().orElseThrow()).isLessThanOrEqualTo(5_000);
    assertThat(java.util.Arrays.stream(pauses).min().orElseThrow()).isGreaterThanOrEqualTo(0);
    // mean about 1 s (less the cap's share, e^-5 of the mass); median ln 2 s
    assertThat(java.util.Arrays.stream(pauses).average().orElseThrow()).isBetween(940.0, 1_040.0);
    long[] sorted = pauses.clone();
    java.util.Arrays.sort(sorted);
    assertThat(sorted[sorted.length / 2]).isBetween(640L, 750L);
  }
}
