package optout.disclosure.output;

/**
 * The output check refused a result: the message says what is wrong and where (the line of the file), and
 * nothing was written.
 */
public final class OutputRefusedException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public OutputRefusedException(String message) {
    super(message);
  }
}
