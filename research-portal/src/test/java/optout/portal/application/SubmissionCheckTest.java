package optout.portal.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import optout.warehouse.spec.ExtractSpec;
import org.junit.jupiter.api.Test;

class SubmissionCheckTest {

  static final ApplicationContent COMPLETE = new ApplicationContent("Outcomes of diabetes care", "NTUH", "Dr. Chen", "academic-research",
      "PDPA art. 6(1)(4); IRB 202601001RINA",
      "We study how people with diabetes use outpatient care over two years, and why.",
      "Better follow-up schedules for people with diabetes, so fewer need hospital care.",
      Map.of("enrollment", List.of("person", "sex")),
      Map.of("enrollment", Map.of("person", "Each patient's visits are followed over two years.")),
      new ApplicationContent.Cohort(List.of("E11"), LocalDate.of(2022, 1, 1), LocalDate.of(2023, 12, 31), 40, 90),
      new ApplicationContent.Generalisation("year", "month"));

  private static List<String> fields(ApplicationContent content, boolean ethics) {
    try {
      SubmissionCheck.check(content, ethics, 7);
    } catch (SubmissionCheck.IncompleteApplicationException incomplete) {
      return incomplete.problems().stream().map(SubmissionCheck.FieldProblem::field).toList();
    }
    throw new AssertionError("accepted");
  }

  @Test
  void aCompleteApplicationBecomesTheSpecTheWarehouseReads() {
    SubmissionCheck.CheckedSpec checked = SubmissionCheck.check(COMPLETE, true, 7);
    ExtractSpec spec = ExtractSpec.parse(checked.json());
    assertThat(spec.project()).isEqualTo("application-7");
    assertThat(spec.purpose()).isEqualTo("academic-research");
    assertThat(spec.tables()).isEqualTo(Map.of("enrollment", List.of("person", "sex")));
    assertThat(spec.cohort().minAge()).isEqualTo(40);
    assertThat(spec.sha256()).isEqualTo(checked.spec().sha256());
  }

  @Test
  void aBlankFormIsRefusedAtEveryMandatoryField() {
    assertThat(fields(ApplicationContent.empty(), false)).containsExactlyInAnyOrder("title", "institution", "principalInvestigator",
        "laySummary", "publicBenefit", "ethicsApproval", "purpose", "legalBasis", "tables", "cohort");
  }

  @Test
  void theLaySummaryAndPublicBenefitMustSaySomething() {
    ApplicationContent terse = new ApplicationContent(COMPLETE.title(), COMPLETE.institution(), COMPLETE.principalInvestigator(),
        COMPLETE.purpose(), COMPLETE.legalBasis(), "Diabetes.", "   ", COMPLETE.tables(), COMPLETE.justifications(), COMPLETE.cohort(),
        COMPLETE.generalisation());
    assertThat(fields(terse, true)).containsExactly("laySummary", "publicBenefit");
  }

  @Test
  void anUnjustifiedIdentifyingColumnIsAProblemAtItsJustification() {
    ApplicationContent unjustified = new ApplicationContent(COMPLETE.title(), COMPLETE.institution(), COMPLETE.principalInvestigator(),
        COMPLETE.purpose(), COMPLETE.legalBasis(), COMPLETE.laySummary(), COMPLETE.publicBenefit(),
        Map.of("enrollment", List.of("person", "birth_date")), COMPLETE.justifications(), COMPLETE.cohort(), COMPLETE.generalisation());
    assertThat(fields(unjustified, true)).containsExactly("justifications.enrollment.birth_date");
  }

  @Test
  void specPathsBecomeFormFields() {
    assertThat(SubmissionCheck.field("$.cohort.to")).isEqualTo("cohort.to");
    assertThat(SubmissionCheck.field("$.tables.enrollment[3]")).isEqualTo("tables.enrollment[3]");
    assertThat(SubmissionCheck.field("$")).isEqualTo("spec");
    assertThatThrownBy(() -> SubmissionCheck.check(ApplicationContent.empty(), true, 1)).hasMessageContaining("problem(s)");
  }
}
