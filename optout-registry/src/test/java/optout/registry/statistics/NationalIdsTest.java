package optout.registry.statistics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import optout.pseudonymizer.id.PersonId;
import org.junit.jupiter.api.Test;

class NationalIdsTest {

  @Test
  void theKnownExampleComesOut() {
    assertThat(NationalIds.nationalId('A', 1, 2_345_678)).isEqualTo("A123456789");
    assertThat(NationalIds.nationalId('B', 1, 2_000_000)).isEqualTo("B120000008");
    assertThat(NationalIds.nationalId('F', 2, 2_000_000)).isEqualTo("F220000004");
  }

  @Test
  void everyLetterSexAndManySerialsAreAcceptedByThePseudonymizer() {
    for (char letter = 'A'; letter <= 'Z'; letter++) {
      for (int sex = 1; sex <= 2; sex++) {
        for (int serial = 0; serial < 10_000_000; serial += 777_777) {
          String id = NationalIds.nationalId(letter, sex, serial);
          assertThat(PersonId.isValid(id)).as(id).isTrue();
          // and a wrong check digit is not
          String wrong = id.substring(0, 9) + (char) ('0' + (id.charAt(9) - '0' + 1) % 10);
          assertThat(PersonId.isValid(wrong)).as(wrong).isFalse();
        }
      }
    }
  }

  @Test
  void nothingOutsideTheFormIsMade() {
    assertThatThrownBy(() -> NationalIds.nationalId('a', 1, 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> NationalIds.nationalId('A', 3, 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> NationalIds.nationalId('A', 1, 10_000_000)).isInstanceOf(IllegalArgumentException.class);
  }
}
