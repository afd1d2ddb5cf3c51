package optout.registry.filing;

/** The same idempotency key came with a different request: nothing is stored. */
public final class IdempotencyConflictException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  IdempotencyConflictException() {
    super("This Idempotency-Key was used for a different request");
  }
}
