package optout.warehouse.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.Map;
import optout.pseudonymizer.generalise.County;
import org.junit.jupiter.api.Test;

/** Each raw row passes or is refused with the column and the reason, never the value. */
class RawChecksTest {

  private static final String[] PERSON = {"A123456789", "1980-02-29", "M", "1995-03-01", null, "12345678", "106", "17"};
  private static final String[] VISIT = {"77", "0101090517", "A123456789", "2022-05-04", "02", "I10", null, null, "512", "50"};

  @Test
  void goodRowsParseIntoWhatTheWarehouseStores() {
    RawChecks.Checked person = RawChecks.check(RawFile.ID, PERSON);
    assertThat(person.person(0).unmaskedValue()).isEqualTo("A123456789");
    assertThat(person.date(1)).isEqualTo(LocalDate.of(1980, 2, 29));
    assertThat(person.date(4)).isNull();
    assertThat(person.text(6)).isEqualTo("taipei-city");
    assertThat(person.integer(7)).isEqualTo(17);
    RawChecks.Checked order = RawChecks.check(RawFile.OO, new String[] {"77", "1", "1", "AC45856100", "0.5", "14", "2.4", "34"});
    assertThat(order.decimal(4)).isEqualTo(new BigDecimal("0.500"));
    assertThat(order.decimal(6)).isEqualTo(new BigDecimal("2.40"));
    assertThat(RawChecks.problem(RawFile.CD, VISIT)).isNull();
    assertThat(RawChecks.countyCode(County.NEW_TAIPEI_CITY)).isEqualTo("new-taipei-city");
  }

  @Test
  void badNationalIdsAreRefusedWithTheReasonAndNotTheId() {
    String[] row = VISIT.clone();
    row[2] = "A123456788";
    assertThat(RawChecks.problem(RawFile.CD, row)).isEqualTo("ID: not a valid national ID (check digit mismatch)")
        .doesNotContain("A12345678");
    row[2] = "A12345678";
    assertThat(RawChecks.problem(RawFile.CD, row)).isEqualTo("ID: not a valid national ID (wrong length)");
    row[2] = null;
    assertThat(RawChecks.problem(RawFile.CD, row)).isEqualTo("ID: missing");
  }

  @Test
  void otherMistakesNameTheirColumn() {
    String[] person = PERSON.clone();
    person[6] = "999";
    assertThat(RawChecks.problem(RawFile.ID, person)).isEqualTo("AREA_CODE: unknown county code");
    person = PERSON.clone();
    person[2] = "X";
    assertThat(RawChecks.problem(RawFile.ID, person)).isEqualTo("ID_SEX: not M or F");
    person = PERSON.clone();
    person[1] = "1980-02-30";
    assertThat(RawChecks.problem(RawFile.ID, person)).isEqualTo("ID_BIRTHDAY: not a date (yyyy-MM-dd)");
    person = PERSON.clone();
    person[7] = "51";
    assertThat(RawChecks.problem(RawFile.ID, person)).startsWith("PREMIUM_GRADE: out of range");
    person = PERSON.clone();
    person[4] = "1990-01-01";
    assertThat(RawChecks.problem(RawFile.ID, person)).isEqualTo("ID_OUT_DATE: before ID_IN_DATE");
    String[] visit = VISIT.clone();
    visit[1] = "01010905";
    assertThat(RawChecks.problem(RawFile.CD, visit)).isEqualTo("HOSP_ID: not a 10-character provider code");
    visit = VISIT.clone();
    visit[8] = "5.5";
    assertThat(RawChecks.problem(RawFile.CD, visit)).isEqualTo("T_DOT: not a whole number");
    assertThat(RawChecks.problem(RawFile.OO, new String[] {"77", "1", "3", "AC45856100", "1", "1", "1", "1"}))
        .startsWith("ORDER_TYPE: out of range");
    assertThat(RawChecks.problem(RawFile.OO, new String[] {"77", "1", "1", "AC45856100", "1.0005", "1", "1", "1"}))
        .isEqualTo("DRUG_USE: more than 3 decimals");
    // a claim number has at most 18 digits, so that every record key can be released (ProjectRecordKeys)
    visit = VISIT.clone();
    visit[0] = "1000000000000000000";
    assertThat(RawChecks.problem(RawFile.CD, visit)).isEqualTo("VISIT_ID: out of range [0, 999999999999999999]");
    visit[0] = "999999999999999999";
    assertThat(RawChecks.problem(RawFile.CD, visit)).isNull();
    assertThat(RawChecks.problem(RawFile.OO, new String[] {"-1", "1", "1", "AC45856100", "1", "1", "1", "1"}))
        .isEqualTo("VISIT_ID: out of range [0, 999999999999999999]");
    assertThat(RawChecks.problem(RawFile.GD, new String[] {"1", "5901234567", "A123456789", "2022-01-01"}))
        .isEqualTo("row: has 4 fields, not 6");
  }

  @Test
  void theManifestIsCanonicalAndItsHashFollowsItsBytes() {
    Map<RawFile, Long> counts = Map.of(RawFile.ID, 470L, RawFile.CD, 7000L, RawFile.OO, 15000L, RawFile.DD, 40L, RawFile.DO, 400L,
        RawFile.GD, 500L, RawFile.GO, 900L);
    RawManifest manifest = new RawManifest(42, 0.00002, 470, 2022, 2022, counts);
    assertThat(manifest.toJson()).contains("\"scale\": 0.00002,").contains("\"years\": [2022, 2022]");
    assertThat(RawManifest.parse(manifest.bytes())).isEqualTo(manifest);
    assertThat(RawManifest.sha256(manifest.bytes())).hasSize(64).isEqualTo(RawManifest.sha256(manifest.toJson().getBytes(StandardCharsets.UTF_8)));
    assertThatThrownBy(() -> RawManifest.parse("{\"seed\": 1}".getBytes(StandardCharsets.UTF_8))).hasMessageContaining("counts");
  }
}
