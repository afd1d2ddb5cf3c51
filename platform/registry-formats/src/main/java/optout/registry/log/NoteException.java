package optout.registry.log;

import java.security.GeneralSecurityException;
import java.util.Objects;

/**
 * A signed note or checkpoint cannot be trusted: it is malformed, no trusted key signed it, a
 * trusted key's signature is wrong, or it belongs to another log. Checked, like every verification
 * failure in {@code java.security}. The message never contains key material.
 */
public final class NoteException extends GeneralSecurityException {

  private static final long serialVersionUID = 1L;

  /** What is wrong, so that callers can answer differently (e.g. 400 for malformed input). */
  public enum Reason {
    /** The text breaks the signed-note or checkpoint format. */
    MALFORMED,
    /** No signature is by a trusted key (signatures by unknown keys are ignored). */
    NO_TRUSTED_SIGNATURE,
    /** A signature by a trusted key does not verify. */
    INVALID_SIGNATURE,
    /** A correctly signed checkpoint names another log as its origin. */
    WRONG_ORIGIN,
    /** The log signed the checkpoint, but a witness it must carry a cosignature of did not cosign it. */
    NOT_COSIGNED
  }

  private final Reason reason;

  NoteException(Reason reason, String message) {
    super(message);
    this.reason = Objects.requireNonNull(reason);
  }

  public Reason reason() {
    return reason;
  }
}
