package optout.warehouse.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RepresentativenessTest {

  private static Map<String, Map<String, long[]>> dimensions(Map<String, long[]> sex, Map<String, long[]> county) {
    Map<String, Map<String, long[]>> counts = new LinkedHashMap<>();
    counts.put("sex", sex);
    counts.put("county", county);
    return counts;
  }

  private static Map<String, long[]> categories(Object... pairs) {
    Map<String, long[]> categories = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 3) {
      categories.put((String) pairs[i], new long[] {(Integer) pairs[i + 1], (Integer) pairs[i + 2]});
    }
    return categories;
  }

  @Test
  void theStandardisedDifferenceOfProportionsIsTheUsualOne() {
    // 0.5 → 0.4: (0.4 − 0.5) / sqrt((0.25 + 0.24) / 2) = −0.2020
    assertThat(Representativeness.standardisedDifference(0.5, 0.4).getAsDouble()).isCloseTo(-0.2020, within(1e-4));
    assertThat(Representativeness.standardisedDifference(0.3, 0.3).getAsDouble()).isZero();
    assertThat(Representativeness.standardisedDifference(0, 1).getAsDouble()).isEqualTo(Representativeness.MAX_DIFFERENCE);
  }

  @Test
  void aDimensionIsFlaggedWhenExclusionsShiftIt() {
    Representativeness.Report report = Representativeness.withDefaults().report(dimensions(
        categories("F", 500, 300, "M", 500, 480),
        categories("taipei-city", 600, 470, "kaohsiung-city", 400, 310)));
    assertThat(report.personsBefore()).isEqualTo(1000);
    assertThat(report.personsExcluded()).isEqualTo(220);
    assertThat(report.flaggedDimensions()).containsExactly("sex");
    Representativeness.Category women = report.dimensions().get(0).categories().get(0);
    assertThat(women.shown()).isTrue();
    assertThat(women.proportionAfter()).isCloseTo(300 / 780.0, within(1e-9));
  }

  @Test
  void smallCellsAndSmallDifferencesAreHidden() {
    Representativeness.Report report = Representativeness.withDefaults().report(dimensions(
        categories("F", 50, 48, "M", 52, 52),
        categories("lienchiang-county", 2, 2, "taipei-city", 100, 98)));
    Representativeness.Category women = report.dimensions().get(0).categories().get(0);
    assertThat(women.shown()).as("two excluded women would be read off before − after").isFalse();
    assertThat(women.before()).isEqualTo(-1);
    assertThat(report.dimensions().get(1).categories().get(0).shown()).as("a county of two").isFalse();
    assertThat(report.dimensions().get(0).categories().get(1).shown()).as("no one excluded is not a small cell").isTrue();
    String html = RepresentativenessReport.html("EX-1", report);
    assertThat(html).contains("small cell, hidden").doesNotContain("<td>48</td>").doesNotContain("<script");
  }

  @Test
  void inconsistentCountsAreRefused() {
    assertThatThrownBy(() -> Representativeness.withDefaults().report(dimensions(categories("F", 5, 6), categories("x", 5, 5))))
        .hasMessageContaining("before ≥ after");
    assertThatThrownBy(() -> Representativeness.withDefaults().report(dimensions(categories("F", 5, 5), categories("x", 6, 5))))
        .hasMessageContaining("same cohort");
    assertThatThrownBy(() -> new Representativeness(0, 0.1)).isInstanceOf(IllegalArgumentException.class);
  }
}
