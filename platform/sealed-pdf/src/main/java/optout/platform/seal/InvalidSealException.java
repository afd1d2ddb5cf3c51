package optout.platform.seal;

import java.security.GeneralSecurityException;

/** A PDF whose seal does not hold; the message says why, in words a clerk can pass on. */
public final class InvalidSealException extends GeneralSecurityException {

  private static final long serialVersionUID = 1L;

  public InvalidSealException(String message) {
    super(message);
  }

  public InvalidSealException(String message, Throwable cause) {
    super(message, cause);
  }
}
