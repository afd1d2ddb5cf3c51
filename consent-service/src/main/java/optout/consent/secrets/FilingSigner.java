package optout.consent.secrets;

import java.io.IOException;
import java.nio.file.Path;
import optout.registry.log.Ed25519NoteSigner;
import optout.registry.sealedfiling.CanonicalFiling;
import optout.registry.sealedfiling.FilingKeyFile;
import optout.registry.sealedfiling.FilingSignatures;

/**
 * The consent service's filing key: it signs each filing's canonical text
 * ({@link CanonicalFiling}), so that the registry stores only filings this service made from a sealed
 * form. The key stays inside; {@link #toString()} shows only the public verifier key.
 */
public final class FilingSigner {

  private final Ed25519NoteSigner key;

  private FilingSigner(Ed25519NoteSigner key) {
    this.key = key;
  }

  /**
   * Reads the key file; with {@code create} (the local demo) makes it first if it is missing, and
   * writes its verifier key to {@code verifierFile} (if given) for the registry to trust.
   */
  public static FilingSigner fromFile(Path file, boolean create, String keyName, Path verifierFile) throws IOException {
    if (file == null) {
      throw new IllegalStateException("Cannot start the consent service: set optout.consent.filing-key.file (OPTOUT_CONSENT_FILINGKEY_FILE)");
    }
    Ed25519NoteSigner key = create ? FilingKeyFile.createIfMissing(file, keyName, verifierFile) : FilingKeyFile.load(file);
    if (!key.keyName().equals(keyName)) {
      throw new IllegalStateException("Cannot start the consent service: the filing key is named " + key.keyName()
          + ", but optout.consent.filing-key.name is " + keyName);
    }
    return new FilingSigner(key);
  }

  /** The signature lines over the filing's canonical text. */
  public String sign(CanonicalFiling filing) {
    return FilingSignatures.sign(filing, key);
  }

  /** The public verifier key, for the registry's trust anchors. */
  public String verifierKey() {
    return key.verifierKey();
  }

  @Override
  public String toString() {
    return "FilingSigner[" + key.verifierKey() + "]";
  }
}
