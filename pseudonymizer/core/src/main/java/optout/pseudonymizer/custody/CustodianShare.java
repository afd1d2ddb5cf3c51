package optout.pseudonymizer.custody;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.spec.SecretKeySpec;

/**
 * One key custodian's share of the re-identification keys (see {@link ReidentificationKeys}): 256
 * random bits. The custodian keeps it in their own share file, a BCFKS keystore under their own
 * passphrase; the trust centre sees it only for the one approval that supplies it. {@link #close()}
 * wipes it.
 */
public final class CustodianShare implements AutoCloseable {

  static final int BYTES = 32;
  private static final String ALIAS = "custodian-share";

  private final byte[] bytes;

  private CustodianShare(byte[] bytes) {
    if (bytes.length != BYTES) {
      Arrays.fill(bytes, (byte) 0);
      throw new IllegalArgumentException("Cannot use the custodian share: it must be " + BYTES + " bytes");
    }
    this.bytes = bytes;
  }

  /** A new random share, written to a new share file under the custodian's passphrase. */
  public static CustodianShare create(Path file, Passphrase passphrase) throws GeneralSecurityException, IOException {
    byte[] bytes = new byte[BYTES];
    new SecureRandom().nextBytes(bytes);
    CustodianShare share = new CustodianShare(bytes);
    try (BcfksFileStorage storage = BcfksFileStorage.create(file, passphrase)) {
      storage.modify(keyStore -> {
        keyStore.setEntry(ALIAS, new KeyStore.SecretKeyEntry(new SecretKeySpec(bytes, "AES")), storage.protection());
        return null;
      });
    }
    return share;
  }

  /** Reads a share file; a wrong passphrase fails here. */
  public static CustodianShare open(Path file, Passphrase passphrase) throws GeneralSecurityException, IOException {
    try (BcfksFileStorage storage = BcfksFileStorage.open(file, passphrase)) {
      KeyStore.Entry entry = storage.current().getEntry(ALIAS, storage.protection());
      if (!(entry instanceof KeyStore.SecretKeyEntry secret)) {
        throw new GeneralSecurityException("Cannot read the custodian share: " + file + " is not a share file");
      }
      return new CustodianShare(secret.getSecretKey().getEncoded());
    }
  }

  /** A share as a custodian types or pastes it into an approval (base64url, no padding). */
  public static CustodianShare decode(String encoded) {
    byte[] bytes;
    try {
      bytes = Base64.getUrlDecoder().decode(encoded.strip());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("Cannot use the custodian share: it is not base64url");
    }
    return new CustodianShare(bytes);
  }

  public static CustodianShare of(byte[] bytes) {
    return new CustodianShare(bytes.clone());
  }

  /** The share for an approval (base64url, no padding). */
  public String encoded() {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /**
   * Names the share without revealing it (SHA-256 under its own label, hex), so the trust centre can tell
   * which custodian's share an approval carries and refuse a wrong one at once.
   */
  public String fingerprint() {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      digest.update("nhi-optout custodian share fingerprint v1".getBytes(StandardCharsets.US_ASCII));
      digest.update(bytes);
      return HexFormat.of().formatHex(digest.digest());
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  byte[] bytes() {
    return bytes;
  }

  /** For sealing the share to one request ({@code reidentify.RequestSeal}); the caller wipes the copy. */
  public byte[] copyOfBytes() {
    return bytes.clone();
  }

  @Override
  public void close() {
    Arrays.fill(bytes, (byte) 0);
  }

  @Override
  public String toString() {
    return "CustodianShare[hidden]";
  }
}
