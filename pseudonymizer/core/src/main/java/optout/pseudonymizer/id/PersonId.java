package optout.pseudonymizer.id;

import java.util.Arrays;
import optout.pseudonymizer.id.InvalidPersonIdException.Reason;

/**
 * A Taiwanese person identifier: a national ID (統一編號, {@code A123456789}) or a resident
 * certificate number (居留證統一證號) in the format used since 2021 ({@code A800000014}) or the older
 * one ({@code AC01234567}). Always valid: {@link #parse} checks the format and the check digit.
 *
 * <p>The value never appears in {@link #toString()}, in exception messages or in logs. The one way
 * to read it is {@link #unmaskedValue()}, whose name is meant to be found by code review.
 */
public final class PersonId {

  /** The kinds of identifier, told apart by the second character. */
  public enum Kind {
    NATIONAL_ID,
    RESIDENT_CERTIFICATE,
    RESIDENT_CERTIFICATE_OLD_FORMAT
  }

  /** The two-digit code of each first letter (A=10 ... with I=34, O=35, W=32, X=30, Y=31, Z=33). */
  private static final int[] LETTER_CODES = {
    10, 11, 12, 13, 14, 15, 16, 17, 34, 18, 19, 20, 21, 22, 35, 23, 24, 25, 26, 27, 28, 29, 32, 30, 31, 33
  };
  /** Allowed second characters, in the order of their index in {@link #code()}. */
  private static final String SECOND_CHARACTERS = "1289ABCD";
  private static final int LENGTH = 10;
  /** Number of distinct codes: 26 letters x 8 second characters x 10^7 serial numbers. */
  public static final long CODE_COUNT = 26L * 8 * 10_000_000L;

  private final char[] value;

  private PersonId(char[] value) {
    this.value = value;
  }

  /**
   * Parses an identifier. Surrounding white space is ignored and a lower-case first letter is
   * accepted; anything else must be exact.
   *
   * @throws InvalidPersonIdException saying what is wrong (never the input)
   */
  public static PersonId parse(CharSequence input) {
    if (input == null) {
      throw new InvalidPersonIdException(Reason.MISSING);
    }
    String text = input.toString().strip();
    if (text.isEmpty()) {
      throw new InvalidPersonIdException(Reason.MISSING);
    }
    if (text.length() != LENGTH) {
      throw new InvalidPersonIdException(Reason.WRONG_LENGTH);
    }
    char[] chars = text.toCharArray();
    chars[0] = Character.toUpperCase(chars[0]);
    if (chars[0] < 'A' || chars[0] > 'Z') {
      throw new InvalidPersonIdException(Reason.FIRST_NOT_A_LETTER);
    }
    if (SECOND_CHARACTERS.indexOf(chars[1]) < 0) {
      throw new InvalidPersonIdException(Reason.SECOND_NOT_VALID);
    }
    for (int i = 2; i < LENGTH; i++) {
      if (chars[i] < '0' || chars[i] > '9') {
        throw new InvalidPersonIdException(Reason.NOT_DIGITS);
      }
    }
    if (checkDigit(chars) != chars[9] - '0') {
      throw new InvalidPersonIdException(Reason.CHECK_DIGIT_MISMATCH);
    }
    return new PersonId(chars);
  }

  /** Whether {@code input} is a valid identifier, for validators that only need a yes or no. */
  public static boolean isValid(CharSequence input) {
    try {
      parse(input);
      return true;
    } catch (InvalidPersonIdException e) {
      return false;
    }
  }

  /**
   * The check digit of the first nine characters: the letter's code (tens digit x1, units x9), the
   * second character (a digit, or the units digit of an old-format letter's code) x8, and the next
   * seven digits x7 ... x1, summed; the check digit brings the sum to a multiple of 10.
   */
  static int checkDigit(char[] chars) {
    int letterCode = LETTER_CODES[chars[0] - 'A'];
    int sum = letterCode / 10 + (letterCode % 10) * 9;
    char second = chars[1];
    int secondValue = Character.isDigit(second) ? second - '0' : LETTER_CODES[second - 'A'] % 10;
    sum += secondValue * 8;
    for (int i = 2; i < 9; i++) {
      sum += (chars[i] - '0') * (9 - i);
    }
    return (10 - sum % 10) % 10;
  }

  public Kind kind() {
    return switch (value[1]) {
      case '1', '2' -> Kind.NATIONAL_ID;
      case '8', '9' -> Kind.RESIDENT_CERTIFICATE;
      default -> Kind.RESIDENT_CERTIFICATE_OLD_FORMAT;
    };
  }

  /**
   * A dense number for the identifier, in [0, {@link #CODE_COUNT}): (letter x 8 + second character) x
   * 10^7 + the seven serial digits. The check digit is left out; it follows from the rest.
   */
  public long code() {
    long serial = 0;
    for (int i = 2; i < 9; i++) {
      serial = serial * 10 + (value[i] - '0');
    }
    return ((value[0] - 'A') * 8L + SECOND_CHARACTERS.indexOf(value[1])) * 10_000_000L + serial;
  }

  /**
   * The identifier with the given {@link #code()}.
   *
   * @throws IllegalArgumentException if the code lies outside [0, {@link #CODE_COUNT})
   */
  public static PersonId fromCode(long code) {
    if (code < 0 || code >= CODE_COUNT) {
      throw new IllegalArgumentException("Cannot make a person identifier: code out of range");
    }
    char[] chars = new char[LENGTH];
    long prefix = code / 10_000_000L;
    long serial = code % 10_000_000L;
    chars[0] = (char) ('A' + prefix / 8);
    chars[1] = SECOND_CHARACTERS.charAt((int) (prefix % 8));
    for (int i = 8; i >= 2; i--) {
      chars[i] = (char) ('0' + serial % 10);
      serial /= 10;
    }
    chars[9] = (char) ('0' + checkDigit(chars));
    return new PersonId(chars);
  }

  /** The identifier itself. Call only where a person's own ID must be shown or stored encrypted. */
  public String unmaskedValue() {
    return new String(value);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof PersonId id && Arrays.equals(value, id.value);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(value);
  }

  @Override
  public String toString() {
    return "PersonId[" + kind() + ", value hidden]";
  }
}
