package optout.registry.log;

import java.security.GeneralSecurityException;

/**
 * A Merkle proof does not prove what it claims. Checked, like every verification failure in
 * {@code java.security}: a caller must not be able to forget that a proof can be false. The message
 * says exactly which check failed; it contains only sizes, indexes and public hashes.
 */
public final class ProofException extends GeneralSecurityException {

  private static final long serialVersionUID = 1L;

  ProofException(String message) {
    super(message);
  }
}
