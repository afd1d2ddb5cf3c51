package optout.registry.transparency;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import optout.registry.event.FilerPseudonyms;
import optout.registry.event.LeafAuthenticator;
import optout.registry.log.Ed25519NoteSigner;
import optout.registry.log.Ed25519NoteVerifier;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry's own keys, from one file outside git: the Ed25519 key that signs checkpoints and
 * snapshot manifests, and, derived from it with HKDF-SHA256, the key of the row MACs that mark events
 * as written by the registry ({@link LeafAuthenticator}) and the key of the filers' pseudonyms
 * ({@link FilerPseudonyms}). The database never holds any of them.
 */
public final class RegistryLogKeys implements LeafAuthenticator, FilerPseudonyms {

  private static final Logger log = LoggerFactory.getLogger(RegistryLogKeys.class);
  private static final byte[] ROW_MAC_INFO = "nhi-optout-registry row-mac/1".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] FILER_INFO = "nhi-optout-registry filer-pseudonym/1".getBytes(StandardCharsets.US_ASCII);

  private final Ed25519NoteSigner signer;
  private final SecretKeySpec rowMacKey;
  private final SecretKeySpec filerKey;

  private RegistryLogKeys(Ed25519NoteSigner signer) {
    this.signer = signer;
    this.rowMacKey = derive(signer, ROW_MAC_INFO);
    this.filerKey = derive(signer, FILER_INFO);
  }

  private static SecretKeySpec derive(Ed25519NoteSigner signer, byte[] info) {
    byte[] derived = new byte[32];
    HKDFBytesGenerator hkdf = new HKDFBytesGenerator(new SHA256Digest());
    hkdf.init(new HKDFParameters(signer.unmaskedSignerKey().getBytes(StandardCharsets.US_ASCII), null, info));
    hkdf.generateBytes(derived, 0, derived.length);
    return new SecretKeySpec(derived, "HmacSHA256");
  }

  /** Reads the key file; creates it first if it is missing and {@code create} allows. */
  public static RegistryLogKeys load(Path file, String origin, boolean create) throws IOException {
    if (!Files.exists(file)) {
      if (!create) {
        throw new IOException("The registry's signing key file " + file + " does not exist (set optout.registry.log.create-signing-key"
            + " to create one, or provision it)");
      }
      Ed25519NoteSigner generated = Ed25519NoteSigner.generate(origin);
      Files.createDirectories(file.toAbsolutePath().getParent());
      Path temporary = Files.createTempFile(file.toAbsolutePath().getParent(), ".registry-key-", ".partial",
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      try {
        Files.writeString(temporary, generated.unmaskedSignerKey() + "\n", StandardCharsets.US_ASCII);
        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
      } finally {
        Files.deleteIfExists(temporary);
      }
      log.info("Created the registry's signing key in {}; its verifier key is {}", file, generated.verifierKey());
    }
    Ed25519NoteSigner signer = Ed25519NoteSigner.fromSignerKey(Files.readString(file, StandardCharsets.US_ASCII).strip());
    if (!signer.keyName().equals(origin)) {
      throw new IOException("The registry's signing key is named " + signer.keyName() + ", but the log's origin is " + origin);
    }
    return new RegistryLogKeys(signer);
  }

  public Ed25519NoteSigner signer() {
    return signer;
  }

  public Ed25519NoteVerifier verifier() {
    return signer.verifier();
  }

  @Override
  public byte[] mac(byte[] leaf) {
    return hmac(rowMacKey, leaf);
  }

  @Override
  public String pseudonym(String account) {
    if (account == null || account.isEmpty()) {
      throw new IllegalArgumentException("Cannot make a filer pseudonym: the account is missing");
    }
    byte[] tag = hmac(filerKey, account.getBytes(StandardCharsets.UTF_8));
    return java.util.HexFormat.of().formatHex(tag, 0, FilerPseudonyms.BYTES);
  }

  private static byte[] hmac(SecretKeySpec key, byte[] data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      return mac.doFinal(data);
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("every Java has HmacSHA256", e);
    }
  }

  @Override
  public boolean verify(byte[] leaf, byte[] mac) {
    return mac != null && MessageDigest.isEqual(mac(leaf), mac);
  }

  @Override
  public String toString() {
    return "RegistryLogKeys[" + signer.verifierKey() + "]";
  }
}
