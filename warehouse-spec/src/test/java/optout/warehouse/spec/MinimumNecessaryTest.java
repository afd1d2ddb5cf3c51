package optout.warehouse.spec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import optout.warehouse.spec.DataDictionary.Identification;
import optout.warehouse.spec.ExtractSpec.Problem;
import org.junit.jupiter.api.Test;

class MinimumNecessaryTest {

  private static final Map<String, List<String>> TABLES = Map.of(
      "enrollment", List.of("person", "birth_date", "sex"),
      "outpatient_visit", List.of("visit_id", "person", "hospital", "icd1"));

  @Test
  void identifyingAndQuasiIdentifyingColumnsNeedAJustificationRecordKeysAndContentDoNot() {
    assertThat(MinimumNecessary.columnsToJustify(TABLES))
        .extracting(c -> c.table() + "." + c.column() + ":" + c.identification())
        .containsExactly("enrollment.person:IDENTIFYING", "enrollment.birth_date:QUASI_IDENTIFYING",
            "outpatient_visit.person:IDENTIFYING", "outpatient_visit.hospital:IDENTIFYING");
  }

  @Test
  void everyMissingShortOrStrayJustificationIsAProblemAtItsPath() {
    String enough = "Follow-up of each patient across visits needs the person.";
    List<Problem> problems = MinimumNecessary.check(TABLES, Map.of(
        "enrollment", Map.of("person", enough, "birth_date", "age", "sex", enough),
        "outpatient_visit", Map.of("person", enough, "hospital", "x".repeat(MinimumNecessary.MAX_JUSTIFICATION + 1)),
        "pharmacy_dispensing", Map.of("pharmacy", enough)));
    assertThat(problems).extracting(Problem::toString).containsExactlyInAnyOrder(
        "$.justifications.enrollment.birth_date: too short: at least 20 characters on why the study needs it",
        "$.justifications.outpatient_visit.hospital: at most 2000 characters",
        "$.justifications.enrollment.sex: not a requested identifying or quasi-identifying column",
        "$.justifications.pharmacy_dispensing.pharmacy: not a requested identifying or quasi-identifying column");
    assertThat(MinimumNecessary.check(TABLES, Map.of())).extracting(Problem::path).containsExactly(
        "$.justifications.enrollment.person", "$.justifications.enrollment.birth_date",
        "$.justifications.outpatient_visit.person", "$.justifications.outpatient_visit.hospital");
  }

  @Test
  void everyKindSaysWhetherItIdentifies() {
    assertThat(DataDictionary.Kind.PERSON.identification()).isEqualTo(Identification.IDENTIFYING);
    assertThat(DataDictionary.Kind.ORGANISATION.identification()).isEqualTo(Identification.IDENTIFYING);
    assertThat(DataDictionary.Kind.QUASI_IDENTIFIER.identification()).isEqualTo(Identification.QUASI_IDENTIFYING);
    assertThat(DataDictionary.Kind.RECORD_KEY.identification()).isEqualTo(Identification.NONE);
    assertThat(DataDictionary.Kind.CONTENT.identification()).isEqualTo(Identification.NONE);
  }

  /** A draft may hold a table without its justifications: that is a missing justification, not a failure. */
  @Test
  void aTableWithNoJustificationsAtAllIsCheckedLikeAnyOther() {
    java.util.Map<String, java.util.Map<String, String>> none = new java.util.HashMap<>();
    none.put("enrollment", null);
    assertThat(MinimumNecessary.check(Map.of("enrollment", List.of("person")), none)).extracting(Problem::path)
        .containsExactly("$.justifications.enrollment.person");
  }
}
