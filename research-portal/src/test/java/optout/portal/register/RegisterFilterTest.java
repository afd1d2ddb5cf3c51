package optout.portal.register;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RegisterFilterTest {

  private static final RegisterEntry ENTRY = new RegisterEntry("application-3", 3, "Asthma in Schoolchildren", "Kaohsiung Medical University",
      "We follow children with asthma.", "Fewer emergency visits.", "academic-research", "PDPA", Map.of(), null,
      Instant.parse("2026-12-06T23:59:59Z"), null, null, "approved", true, null, null, List.of());

  private static RegisterFilter filter(String purpose, String organisation, String status, String text, String from, String to) {
    return new RegisterFilter(purpose, organisation, status, text, from == null ? null : LocalDate.parse(from), to == null ? null : LocalDate.parse(to));
  }

  @Test
  void everyPartNarrowsAndTextIgnoresCase() {
    assertThat(RegisterFilter.NONE.matches(ENTRY)).isTrue();
    assertThat(RegisterFilter.NONE.any()).isFalse();
    assertThat(filter("academic-research", null, null, null, null, null).matches(ENTRY)).isTrue();
    assertThat(filter("commercial-use", null, null, null, null, null).matches(ENTRY)).isFalse();
    assertThat(filter(null, "kaohsiung MEDICAL", null, null, null, null).matches(ENTRY)).isTrue();
    assertThat(filter(null, "Taipei", null, null, null, null).matches(ENTRY)).isFalse();
    assertThat(filter(null, null, "approved", null, null, null).matches(ENTRY)).isTrue();
    assertThat(filter(null, null, "closed", null, null, null).matches(ENTRY)).isFalse();
    assertThat(filter(null, null, null, "SCHOOLCHILDREN", null, null).matches(ENTRY)).isTrue();
    assertThat(filter(null, null, null, "emergency visits", null, null).matches(ENTRY)).isTrue();
    assertThat(filter(null, null, null, "follow children", null, null).matches(ENTRY)).isTrue();
    assertThat(filter(null, null, null, "diabetes", null, null).matches(ENTRY)).isFalse();
  }

  @Test
  void approvalDaysAreUtcDaysBothInclusive() {
    assertThat(filter(null, null, null, null, "2026-12-06", "2026-12-06").matches(ENTRY)).isTrue();
    assertThat(filter(null, null, null, null, "2026-12-07", null).matches(ENTRY)).isFalse();
    assertThat(filter(null, null, null, null, null, "2026-12-05").matches(ENTRY)).isFalse();
    assertThat(filter(null, null, null, null, null, "2026-12-06").matches(ENTRY)).isTrue();
  }
}
