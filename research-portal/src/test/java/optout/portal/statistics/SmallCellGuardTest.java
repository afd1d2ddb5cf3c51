package optout.portal.statistics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class SmallCellGuardTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private static String check(String publication, int threshold) {
    return SmallCellGuard.firstSmallCell(JSON.readTree(publication), threshold);
  }

  @Test
  void trueZerosLargeCountsAndSuppressedCellsPass() {
    assertThat(check("""
        {"threshold":10,"optedOut":{"total":{"count":1200,"suppressed":false},"byScope":{"categories":[
          {"category":"academic-research","count":0,"suppressed":false},{"category":"commercial-use","count":null,"suppressed":true},
          {"category":"covers-all","count":10,"suppressed":false}]}}}""", 10)).isNull();
  }

  @Test
  void aSmallCountAnywhereIsFoundByItsPointer() {
    assertThat(check("""
        {"optedOut":{"byCounty":{"categories":[{"category":"taipei-city","count":40,"suppressed":false},
          {"category":"lienchiang-county","count":3,"suppressed":false}]}}}""", 10)).isEqualTo("/optedOut/byCounty/categories/1");
    assertThat(check("{\"dailyFilings\":{\"days\":[{\"day\":\"2026-12-01\",\"optOutsFiled\":{\"count\":9,\"suppressed\":false}}]}}", 10))
        .isEqualTo("/dailyFilings/days/0/optOutsFiled");
  }

  @Test
  void aLowerThresholdThanTenIsNeverTrusted() {
    assertThat(check("{\"total\":{\"count\":5,\"suppressed\":false}}", 3)).isEqualTo("/total");
    assertThat(check("{\"total\":{\"count\":12,\"suppressed\":false}}", 20)).isEqualTo("/total");
  }

  @Test
  void malformedCellsAreRefused() {
    assertThat(check("{\"total\":{\"count\":40,\"suppressed\":true}}", 10)).isEqualTo("/total");
    assertThat(check("{\"total\":{\"count\":\"40\",\"suppressed\":false}}", 10)).isEqualTo("/total");
    assertThat(check("{\"total\":{\"count\":-4,\"suppressed\":false}}", 10)).isEqualTo("/total");
    assertThat(check("{\"total\":{\"count\":12.5,\"suppressed\":false}}", 10)).isEqualTo("/total");
    assertThat(check("{\"total\":{\"suppressed\":false}}", 10)).isEqualTo("/total");
  }
}
