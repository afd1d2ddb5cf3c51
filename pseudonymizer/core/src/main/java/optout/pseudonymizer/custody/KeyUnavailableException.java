package optout.pseudonymizer.custody;

import java.security.GeneralSecurityException;

/** The key a request needs does not exist (never created, or destroyed). The message says which. */
public final class KeyUnavailableException extends GeneralSecurityException {

  private static final long serialVersionUID = 1L;

  KeyUnavailableException(String message) {
    super(message);
  }
}
