package optout.registry.snapshot;

import java.security.GeneralSecurityException;
import java.util.Objects;

/**
 * An exclusion snapshot's manifest cannot be trusted, or a snapshot file is not the one it
 * describes. Checked, like {@link optout.registry.log.NoteException} and every verification
 * failure in {@code java.security}: a caller must decide what not to release.
 */
public final class ManifestException extends GeneralSecurityException {

  private static final long serialVersionUID = 1L;

  /** What is wrong, so that callers can answer differently (e.g. 400 for a malformed manifest). */
  public enum Reason {
    /** The text breaks the manifest format, or the signed note around it is malformed. */
    MALFORMED,
    /** No trusted key signed the manifest, or a trusted key's signature does not verify. */
    UNTRUSTED,
    /** The manifest is well signed, but the file or checkpoint compared with it differs. */
    MISMATCH
  }

  private final Reason reason;

  ManifestException(Reason reason, String message) {
    super(message);
    this.reason = Objects.requireNonNull(reason);
  }

  ManifestException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = Objects.requireNonNull(reason);
  }

  public Reason reason() {
    return reason;
  }
}
