package optout.warehouse.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ExtractSpecTest {

  static final String VALID = """
      {"project": "demo-project", "purpose": "academic-research", "legalBasis": "PDPA art. 6, IRB 2026-123",
       "tables": {"enrollment": ["person", "birth_date", "sex", "county"],
                  "outpatient_visit": ["visit_id", "person", "visit_date", "icd1", "hospital"],
                  "outpatient_order": ["visit_id", "code", "total_quantity"]},
       "cohort": {"diagnoses": ["E11", "I10"], "from": "2022-01-01", "to": "2023-12-31", "minAge": 40, "maxAge": 90},
       "generalisation": {"birthDate": "five-year-band", "careDates": "month"}}""";

  private static List<String> problems(String json) {
    try {
      ExtractSpec.parse(json);
    } catch (ExtractSpec.InvalidSpecException invalid) {
      return invalid.problems().stream().map(ExtractSpec.Problem::toString).toList();
    }
    throw new AssertionError("the spec was accepted: " + json);
  }

  @Test
  void aValidSpecIsReadWithItsHash() {
    ExtractSpec spec = ExtractSpec.parse(VALID);
    assertThat(spec.project()).isEqualTo("demo-project");
    assertThat(spec.tables()).containsKeys("enrollment", "outpatient_visit", "outpatient_order");
    assertThat(spec.cohort().diagnoses()).containsExactly("E11", "I10");
    assertThat(spec.generalisation().birthDate()).isEqualTo(ExtractSpec.BirthDate.FIVE_YEAR_BAND);
    assertThat(spec.sha256()).hasSize(64).isEqualTo(ExtractSpec.parse(VALID).sha256());
    assertThat(ExtractSpec.parse(VALID.replace("IRB", "IRB ")).sha256()).isNotEqualTo(spec.sha256());
  }

  @Test
  void everyProblemIsReportedAtOnceWithItsPath() {
    List<String> problems = problems("""
        {"project": "Demo Project", "purpose": "marketing", "tables": {"claims": ["x"], "enrollment": ["person", "national_id"],
         "outpatient_order": ["code"]}, "cohort": {"diagnoses": ["E11.9"], "from": "2023-01-01", "to": "2022-01-01", "minAge": 200},
         "generalisation": {"birthDate": "day"}, "extra": 1}""");
    assertThat(problems).anyMatch(p -> p.startsWith("$.project:"))
        .anyMatch(p -> p.startsWith("$.purpose:"))
        .anyMatch(p -> p.startsWith("$.legalBasis: required"))
        .anyMatch(p -> p.startsWith("$.tables.claims: no such table"))
        .anyMatch(p -> p.startsWith("$.tables.enrollment[1]: no such column"))
        .anyMatch(p -> p.startsWith("$.tables.outpatient_order: orders reach their patient through outpatient_visit"))
        .anyMatch(p -> p.startsWith("$.tables.outpatient_order: must include visit_id"))
        .anyMatch(p -> p.startsWith("$.cohort.diagnoses[0]: not an ICD-10-CM code"))
        .anyMatch(p -> p.startsWith("$.cohort.to:"))
        .anyMatch(p -> p.startsWith("$.cohort.minAge:"))
        .anyMatch(p -> p.contains("a full birth date is never released"))
        .anyMatch(p -> p.startsWith("$.extra: unknown field"));
  }

  /** The portal shows each problem at its field: the path and the message are apart, and no rejected value is repeated. */
  @Test
  void problemsNamePathsAndNeverRepeatARejectedValue() {
    try {
      ExtractSpec.parse(VALID.replace("\"county\"", "\"A123456789\"").replace("\"E11\", \"I10\"", "\"E11\", \"A123456789\""));
      throw new AssertionError("accepted");
    } catch (ExtractSpec.InvalidSpecException invalid) {
      assertThat(invalid.problems()).extracting(ExtractSpec.Problem::path)
          .containsExactly("$.tables.enrollment[3]", "$.cohort.diagnoses[1]");
      assertThat(invalid.getMessage()).doesNotContain("A123456789");
    }
  }

  @Test
  void malformedInputIsRefusedPlainly() {
    assertThat(problems("")).containsExactly("$: the spec is empty");
    assertThat(problems("{\"project\": ")).singleElement().asString().startsWith("$: not JSON (line 1");
    assertThat(problems("[]")).containsExactly("$: must be a JSON object");
    assertThat(problems("{}")).contains("$.project: required", "$.tables: required: an object naming at least one table and its columns");
    assertThatThrownBy(() -> ExtractSpec.parse("{\"x\":\"" + "a".repeat(70_000) + "\"}")).hasMessageContaining("at most 64 KB");
  }
}
