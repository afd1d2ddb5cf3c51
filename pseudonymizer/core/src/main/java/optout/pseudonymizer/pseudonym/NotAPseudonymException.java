package optout.pseudonymizer.pseudonym;

/** A number that this key could not have produced: from another key, another layer, or mistyped. */
public final class NotAPseudonymException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  NotAPseudonymException(String message) {
    super(message);
  }
}
