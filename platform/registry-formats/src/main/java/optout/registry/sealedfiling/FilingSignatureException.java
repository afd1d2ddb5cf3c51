package optout.registry.sealedfiling;

import java.security.GeneralSecurityException;
import java.util.Objects;

/** A filing's signature cannot be trusted. The message never contains key material nor the filing's text. */
public final class FilingSignatureException extends GeneralSecurityException {

  private static final long serialVersionUID = 1L;

  /** What is wrong, so that the registry can answer each differently. */
  public enum Reason {
    /** The signature lines are not signed-note signature lines. */
    MALFORMED,
    /** No signature is by a trusted filing key. */
    UNTRUSTED_KEY,
    /** A trusted key signed, but not this filing: some field differs from what was signed. */
    NOT_THIS_FILING
  }

  private final Reason reason;

  FilingSignatureException(Reason reason, String message) {
    super(message);
    this.reason = Objects.requireNonNull(reason);
  }

  public Reason reason() {
    return reason;
  }
}
