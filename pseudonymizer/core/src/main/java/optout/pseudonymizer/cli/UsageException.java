package optout.pseudonymizer.cli;

/** The command line or the input is wrong: exit code 2. */
final class UsageException extends Exception {

  private static final long serialVersionUID = 1L;

  UsageException(String message) {
    super(message);
  }
}
