package optout.pseudonymizer.id;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import optout.pseudonymizer.id.InvalidPersonIdException.Reason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PersonIdTest {

  /** Checked by hand against the published rule (letter code, weights 1,9,8,7,...,1, sum divisible by 10). */
  @ParameterizedTest
  @CsvSource({
    "A123456789, NATIONAL_ID",
    "A223456781, NATIONAL_ID",
    "F234567898, NATIONAL_ID",
    "A800000014, RESIDENT_CERTIFICATE",
    "AC01234567, RESIDENT_CERTIFICATE_OLD_FORMAT",
  })
  void acceptsValidIdentifiersOfEveryKind(String input, PersonId.Kind kind) {
    PersonId id = PersonId.parse(input);
    assertThat(id.kind()).isEqualTo(kind);
    assertThat(id.unmaskedValue()).isEqualTo(input);
  }

  @Test
  void normalisesSurroundingSpaceAndALowerCaseLetter() {
    assertThat(PersonId.parse("  a123456789\r")).isEqualTo(PersonId.parse("A123456789"));
  }

  @ParameterizedTest
  @CsvSource(value = {
    "NULL, MISSING",
    "'   ', MISSING",
    "A12345678, WRONG_LENGTH",
    "A1234567890, WRONG_LENGTH",
    "1123456789, FIRST_NOT_A_LETTER",
    "Ä123456789, FIRST_NOT_A_LETTER",
    "A323456789, SECOND_NOT_VALID",
    "AE23456789, SECOND_NOT_VALID",
    "Aa23456789, SECOND_NOT_VALID",
    "A12345678X, NOT_DIGITS",
    "A1234 6789, NOT_DIGITS",
    "A123456788, CHECK_DIGIT_MISMATCH",
    "A123465789, CHECK_DIGIT_MISMATCH",
    "F234567890, CHECK_DIGIT_MISMATCH",
  }, nullValues = "NULL")
  void refusesEachKindOfMistakeWithItsOwnReasonAndNeverEchoesTheInput(String input, Reason reason) {
    assertThatThrownBy(() -> PersonId.parse(input))
        .isInstanceOfSatisfying(InvalidPersonIdException.class, e -> {
          assertThat(e.reason()).isEqualTo(reason);
          assertThat(e.getMessage()).startsWith("Not a valid person identifier: ");
          if (input != null && !input.isBlank()) {
            assertThat(e.getMessage()).doesNotContain(input.strip()).doesNotContain(input.strip().substring(1, 9));
          }
        });
    assertThat(PersonId.isValid(input)).isFalse();
  }

  @Test
  void exactlyOneCheckDigitIsValidForEveryPrefix() {
    for (String prefix : new String[] {"A12345678", "Z99999999", "AD0000000", "M80000000"}) {
      int valid = 0;
      for (int digit = 0; digit <= 9; digit++) {
        valid += PersonId.isValid(prefix + digit) ? 1 : 0;
      }
      assertThat(valid).as(prefix).isEqualTo(1);
    }
  }

  @Test
  void theChecksumCannotSeeASwapOfTheLastTwoDigits() {
    // Both carry weight 1: a known limit of the national scheme, not of this code.
    assertThat(PersonId.isValid("A123456798")).isTrue();
  }

  @Test
  void neverShowsTheValue() {
    PersonId id = PersonId.parse("A123456789");
    assertThat(id.toString()).isEqualTo("PersonId[NATIONAL_ID, value hidden]").doesNotContain("123");
  }

  @ParameterizedTest
  @ValueSource(strings = {"A123456789", "AC01234567", "A800000014", "F234567898"})
  void codesAreDenseAndRoundTrip(String input) {
    PersonId id = PersonId.parse(input);
    assertThat(id.code()).isBetween(0L, PersonId.CODE_COUNT - 1);
    assertThat(PersonId.fromCode(id.code())).isEqualTo(id);
  }

  @Test
  void everyCodeInTheRangeIsAValidIdentifier() {
    assertThat(PersonId.fromCode(0).unmaskedValue()).startsWith("A10000000");
    assertThat(PersonId.isValid(PersonId.fromCode(0).unmaskedValue())).isTrue();
    assertThat(PersonId.isValid(PersonId.fromCode(PersonId.CODE_COUNT - 1).unmaskedValue())).isTrue();
    assertThat(PersonId.fromCode(PersonId.CODE_COUNT - 1).unmaskedValue()).startsWith("ZD9999999");
    for (long code = 0; code < PersonId.CODE_COUNT; code += 7_777_777) {
      PersonId id = PersonId.fromCode(code);
      assertThat(PersonId.parse(id.unmaskedValue()).code()).isEqualTo(code);
    }
    assertThatThrownBy(() -> PersonId.fromCode(PersonId.CODE_COUNT)).hasMessage("Cannot make a person identifier: code out of range");
    assertThatThrownBy(() -> PersonId.fromCode(-1)).hasMessage("Cannot make a person identifier: code out of range");
  }
}
