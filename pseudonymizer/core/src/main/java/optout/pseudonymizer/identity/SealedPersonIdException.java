package optout.pseudonymizer.identity;

import java.security.GeneralSecurityException;

/**
 * A sealed person ID cannot be opened. The message says why and never contains the ID, the pseudonym
 * or the sealed bytes, so it may be logged. Apart from {@link Reason#UNKNOWN_KEY_VERSION} (the key was
 * destroyed, or the value comes from another custody), every reason means the stored value went bad or
 * was put on the wrong row: treat it as an integrity incident, not as a retryable error.
 */
public final class SealedPersonIdException extends GeneralSecurityException {

  private static final long serialVersionUID = 1L;

  /** Each way a sealed value can fail, in the order they are checked. */
  public enum Reason {
    /** Not {@value IdentitySealer#SEALED_LENGTH} bytes: truncated, padded, or not a sealed person ID. */
    WRONG_LENGTH,
    /** The first byte names a format this library does not read. */
    UNKNOWN_FORMAT,
    /** Sealed with an identity key version this custody does not hold (destroyed, or another custody's). */
    UNKNOWN_KEY_VERSION,
    /** The tag does not verify: altered, or sealed for another pseudonym (copied from another row). */
    NOT_AUTHENTIC,
    /** Authentic, but what it holds is not a person ID: a key used for something else. */
    NOT_A_PERSON_ID
  }

  private final Reason reason;

  SealedPersonIdException(Reason reason, String explanation) {
    super("Cannot open the sealed person ID: " + explanation);
    this.reason = reason;
  }

  SealedPersonIdException(Reason reason, String explanation, Throwable cause) {
    this(reason, explanation);
    initCause(cause);
  }

  public Reason reason() {
    return reason;
  }
}
