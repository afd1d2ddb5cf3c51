package optout.pseudonymizer.id;

/**
 * An input is not a valid person identifier. The message says what is wrong and never contains the
 * input, so it may be logged or shown to anyone.
 */
public final class InvalidPersonIdException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  /** Each way an input can be wrong, in the order they are checked. */
  public enum Reason {
    MISSING("no identifier was given"),
    WRONG_LENGTH("an identifier has exactly 10 characters"),
    FIRST_NOT_A_LETTER("the first character must be a letter A-Z"),
    SECOND_NOT_VALID("the second character must be 1 or 2 (national ID), 8 or 9 (resident certificate) or A-D (resident certificate, old format)"),
    NOT_DIGITS("characters 3 to 10 must be digits"),
    CHECK_DIGIT_MISMATCH("the check digit (the last character) does not match: a character was probably mistyped");

    private final String explanation;

    Reason(String explanation) {
      this.explanation = explanation;
    }

    public String explanation() {
      return explanation;
    }
  }

  private final Reason reason;

  InvalidPersonIdException(Reason reason) {
    super("Not a valid person identifier: " + reason.explanation());
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
