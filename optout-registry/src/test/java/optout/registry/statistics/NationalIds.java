package optout.registry.statistics;

/**
 * Valid Taiwanese national IDs for tests that file many people: a letter (the county of first
 * registration), 1 (male) or 2 (female), seven serial digits and the check digit. Computed here from the
 * published rule, not with the pseudonymizer's code, so a test also checks that the registry accepts what
 * the rule allows.
 */
final class NationalIds {

  /** The two-digit code of each letter A..Z. */
  private static final int[] LETTER_CODES = {
    10, 11, 12, 13, 14, 15, 16, 17, 34, 18, 19, 20, 21, 22, 35, 23, 24, 25, 26, 27, 28, 29, 32, 30, 31, 33
  };

  private NationalIds() {}

  /**
   * @param letter A..Z
   * @param sex 1 (male) or 2 (female)
   * @param serial 0 to 9,999,999
   */
  static String nationalId(char letter, int sex, int serial) {
    if (letter < 'A' || letter > 'Z' || (sex != 1 && sex != 2) || serial < 0 || serial > 9_999_999) {
      throw new IllegalArgumentException("no such national ID");
    }
    String body = letter + Integer.toString(sex) + String.format("%07d", serial);
    return body + checkDigit(body);
  }

  /**
   * The letter's code weighs 1 (tens) and 9 (units), the next eight digits 8, 7, ..., 1; the check digit (weight
   * 1) brings the sum to a multiple of 10.
   */
  static int checkDigit(String firstNine) {
    int code = LETTER_CODES[firstNine.charAt(0) - 'A'];
    int sum = code / 10 + (code % 10) * 9;
    for (int i = 1; i < 9; i++) {
      sum += (firstNine.charAt(i) - '0') * (9 - i);
    }
    return (10 - sum % 10) % 10;
  }
}
