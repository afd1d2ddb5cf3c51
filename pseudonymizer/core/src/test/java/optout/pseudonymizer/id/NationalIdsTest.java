package optout.pseudonymizer.id;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class NationalIdsTest {

  @Test
  void theFirstIdsAreValidAndDistinct() {
    NationalIds.selfCheck(100_000);
    Set<String> seen = new HashSet<>();
    for (long i = NationalIds.CAPACITY - 1_000; i < NationalIds.CAPACITY; i++) {
      assertThat(PersonId.isValid(NationalIds.of(i))).isTrue();
      assertThat(seen.add(NationalIds.of(i))).isTrue();
    }
  }

  @Test
  void aKnownIdFromThePublishedRule() {
    // A123456789 is the realm's documented example: letter A (10), sex 1, serial 2345678, check digit 9
    assertThat(NationalIds.of(2_345_678L * 52)).isEqualTo("A123456789");
  }

  @Test
  void anIndexOutsideTheRangeIsRefused() {
    assertThatThrownBy(() -> NationalIds.of(-1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> NationalIds.of(NationalIds.CAPACITY)).isInstanceOf(IllegalArgumentException.class);
  }
}
