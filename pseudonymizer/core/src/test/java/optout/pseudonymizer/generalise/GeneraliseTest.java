package optout.pseudonymizer.generalise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class GeneraliseTest {

  @ParameterizedTest
  @CsvSource({"1980-01-01, 1980, 1980-1984", "1984-12-31, 1984, 1980-1984", "1985-01-01, 1985, 1985-1989", "2003-06-15, 2003, 2000-2004"})
  void birthDatesToYearsAndFiveYearBands(LocalDate birth, int year, String band) {
    assertThat(BirthDates.year(birth)).isEqualTo(year);
    assertThat(BirthDates.fiveYearBand(birth)).isEqualTo(band);
  }

  @ParameterizedTest
  @CsvSource({
    "1980-06-15, 2026-06-14, 45, 45",
    "1980-06-15, 2026-06-15, 46, 46",
    "2000-02-29, 2001-02-28, 0, 0",
    "1936-01-01, 2026-01-01, 90, 90+",
    "1920-01-01, 2026-01-01, 90, 90+",
    "1937-01-02, 2026-01-01, 88, 88",
  })
  void agesAtEventsAreTopCodedAtNinety(LocalDate birth, LocalDate event, int age, String label) {
    assertThat(BirthDates.ageAtEvent(birth, event)).isEqualTo(age);
    assertThat(BirthDates.ageLabel(BirthDates.ageAtEvent(birth, event))).isEqualTo(label);
  }

  @Test
  void refusesImpossibleAges() {
    assertThatThrownBy(() -> BirthDates.ageAtEvent(LocalDate.of(2000, 1, 2), LocalDate.of(2000, 1, 1)))
        .hasMessage("Cannot compute an age: the event lies before the birth");
    assertThatThrownBy(() -> BirthDates.year(null)).hasMessage("Cannot generalise: the date is missing");
  }

  @ParameterizedTest
  @CsvSource({
    "100, TAIPEI_CITY, 臺北市", "10617, TAIPEI_CITY, 臺北市", "220, NEW_TAIPEI_CITY, 新北市", "209, LIENCHIANG_COUNTY, 連江縣",
    "300, HSINCHU_CITY, 新竹市", "302, HSINCHU_COUNTY, 新竹縣", "330, TAOYUAN_CITY, 桃園市", "407, TAICHUNG_CITY, 臺中市",
    "600, CHIAYI_CITY, 嘉義市", "621, CHIAYI_COUNTY, 嘉義縣", "701, TAINAN_CITY, 臺南市", "806, KAOHSIUNG_CITY, 高雄市",
    "880, PENGHU_COUNTY, 澎湖縣", "893, KINMEN_COUNTY, 金門縣", "900, PINGTUNG_COUNTY, 屏東縣", "950, TAITUNG_COUNTY, 臺東縣",
    "970, HUALIEN_COUNTY, 花蓮縣", "260, YILAN_COUNTY, 宜蘭縣", "500, CHANGHUA_COUNTY, 彰化縣", "540, NANTOU_COUNTY, 南投縣",
    "640, YUNLIN_COUNTY, 雲林縣", "360, MIAOLI_COUNTY, 苗栗縣", "200, KEELUNG_CITY, 基隆市", "983100, HUALIEN_COUNTY, 花蓮縣",
  })
  void postalCodesToCounties(String code, County county, String chineseName) {
    assertThat(County.ofPostalCode(code)).isEqualTo(county);
    assertThat(county.chineseName()).isEqualTo(chineseName);
  }

  @Test
  void everyCountyHasAPostalCodeAndNoPrefixBelongsToTwo() {
    for (County county : County.values()) {
      long prefixes = java.util.stream.IntStream.rangeClosed(100, 999).filter(county::covers).count();
      assertThat(prefixes).as(county.englishName()).isPositive();
    }
    for (int prefix = 100; prefix <= 999; prefix++) {
      final int p = prefix;
      long owners = java.util.Arrays.stream(County.values()).filter(c -> c.covers(p)).count();
      assertThat(owners).as("counties covering prefix %d", p).isLessThanOrEqualTo(1);
    }
  }

  @Test
  void refusesMalformedAndUnknownPostalCodes() {
    for (String bad : new String[] {null, "", "10", "1000", "abc", "100-01"}) {
      assertThatThrownBy(() -> County.ofPostalCode(bad)).hasMessage("Cannot generalise postal code: it must be 3, 5 or 6 digits");
    }
    assertThatThrownBy(() -> County.ofPostalCode("999")).hasMessage("Cannot generalise postal code: no county or city has the prefix 999");
    assertThatThrownBy(() -> County.ofPostalCode("113")).hasMessage("Cannot generalise postal code: no county or city has the prefix 113");
  }
}
