package optout.registry.sealedfiling;

import java.util.Collection;
import java.util.List;
import java.util.Objects;
import optout.registry.log.NoteException;
import optout.registry.log.NoteSignature;
import optout.registry.log.NoteSigner;
import optout.registry.log.NoteVerifier;
import optout.registry.log.SignedNote;

/**
 * Detached signatures over a {@link CanonicalFiling}: the signature lines of a signed note whose text is
 * the filing's canonical text. The filing travels as the request's own fields, the signature lines
 * beside them, and the verifier rebuilds the text from the fields, so that a signature covers exactly
 * what the registry stores.
 */
public final class FilingSignatures {

  private FilingSignatures() {}

  /** The signature lines ({@code — <key name> <base64>\n}) by {@code signer} over the filing's text. */
  public static String sign(CanonicalFiling filing, NoteSigner signer) {
    Objects.requireNonNull(filing, "Cannot sign a filing: the filing is missing");
    Objects.requireNonNull(signer, "Cannot sign a filing: the signer is missing");
    StringBuilder lines = new StringBuilder();
    SignedNote.sign(filing.text(), signer).signatures().forEach(signature -> lines.append(signature.line()));
    return lines.toString();
  }

  /**
   * Checks that a trusted key signed this very filing, and answers the verified signatures.
   *
   * @throws FilingSignatureException MALFORMED if the lines are not signature lines, UNTRUSTED_KEY if no
   *     trusted key signed, NOT_THIS_FILING if a trusted key's signature does not verify over this filing
   */
  public static List<NoteSignature> verify(CanonicalFiling filing, String signatureLines, Collection<? extends NoteVerifier> trusted)
      throws FilingSignatureException {
    Objects.requireNonNull(filing, "Cannot verify a filing: the filing is missing");
    Objects.requireNonNull(trusted, "Cannot verify a filing: the trusted keys are missing");
    if (signatureLines == null || signatureLines.isEmpty()) {
      throw new FilingSignatureException(FilingSignatureException.Reason.MALFORMED, "Cannot verify a filing: it has no signature");
    }
    String text = filing.text();
    SignedNote note;
    try {
      note = SignedNote.parse(text + "\n" + signatureLines);
    } catch (NoteException malformed) {
      throw new FilingSignatureException(FilingSignatureException.Reason.MALFORMED,
          "Cannot verify a filing: its signature is not signed-note signature lines (" + malformed.getMessage() + ")");
    }
    if (!note.text().equals(text)) {
      // a blank line inside the signature lines would move the note's text boundary
      throw new FilingSignatureException(FilingSignatureException.Reason.MALFORMED,
          "Cannot verify a filing: its signature lines contain a blank line");
    }
    try {
      return note.verify(trusted);
    } catch (NoteException refused) {
      if (refused.reason() == NoteException.Reason.NO_TRUSTED_SIGNATURE) {
        throw new FilingSignatureException(FilingSignatureException.Reason.UNTRUSTED_KEY,
            "Cannot verify a filing: no signature is by a trusted filing key");
      }
      throw new FilingSignatureException(FilingSignatureException.Reason.NOT_THIS_FILING,
          "Cannot verify a filing: the trusted key's signature is over another filing");
    }
  }
}
