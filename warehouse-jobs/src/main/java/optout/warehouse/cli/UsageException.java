package optout.warehouse.cli;

/** The command line was wrong: the message says what, and the command exits 2. */
public final class UsageException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  public UsageException(String message) {
    super(message);
  }
}
