package optout.registry.event;

/**
 * A filing that contradicts the person's state: a withdrawal without an opt-out, an opt-out of scopes
 * already opted out of. Nothing is stored. The message names scopes, never the person.
 */
public final class FilingRefusedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public FilingRefusedException(String message) {
    super(message);
  }
}
