package optout.portal.application;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class VersionDiffTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  @Test
  void onlyChangedFieldsAreListedWithBeforeAndAfter() {
    ApplicationContent before = SubmissionCheckTest.COMPLETE;
    ApplicationContent after = new ApplicationContent("A new title", before.institution(), before.principalInvestigator(), before.purpose(),
        before.legalBasis(), before.laySummary(), before.publicBenefit(), Map.of("enrollment", List.of("person")),
        Map.of("enrollment", Map.of("person", "Each patient's visits are followed over three years.")), before.cohort(), null);
    assertThat(VersionDiff.between(before, "aa", after, "bb", JSON)).extracting(c -> c.field() + ": " + c.before() + " -> " + c.after())
        .containsExactly(
            "ethicsApproval: aa -> bb",
            "generalisation.birthDate: year -> null",
            "generalisation.careDates: month -> null",
            "justifications.enrollment.person: Each patient's visits are followed over two years. -> Each patient's visits are followed over three years.",
            "tables.enrollment: [\"person\",\"sex\"] -> [\"person\"]",
            "title: Outcomes of diabetes care -> A new title");
    assertThat(VersionDiff.between(before, "aa", before, "aa", JSON)).isEmpty();
  }
}
