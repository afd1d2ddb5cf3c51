package optout.consent.secrets;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import optout.consent.form.VerificationCode;
import optout.pseudonymizer.id.PersonId;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;

/**
 * The consent service's own secrets, all derived (HKDF-SHA256, RFC 5869) from one 256-bit master key
 * kept in a file outside git, each under its own label so that no key serves two purposes:
 * <ul>
 *   <li>the <b>person lookup</b> key: an HMAC of the national ID, so that a citizen finds their own
 *       filings without the archive holding the ID in the clear;
 *   <li>the <b>receipt code</b> key: the verification code is an HMAC of the filing ID, so codes can
 *       be neither guessed nor enumerated, and need no table of their own to be checked;
 *   <li>the <b>outbox</b> key: AES-256-GCM over the registry request waiting in the outbox (it holds
 *       the national ID, which the registry needs); the sealed payload is dropped once delivered.
 * </ul>
 * Rotating the master key changes every lookup and code, so it is not rotated lightly; the README says how.
 */
public final class ConsentSecrets {

  /** The master key's size in bytes. */
  public static final int MASTER_KEY_BYTES = 32;
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final SecretKeySpec personLookupKey;
  private final SecretKeySpec receiptCodeKey;
  private final SecretKeySpec outboxKey;

  private ConsentSecrets(byte[] master) {
    personLookupKey = new SecretKeySpec(derive(master, "nhi-optout consent person-lookup v1"), "HmacSHA256");
    receiptCodeKey = new SecretKeySpec(derive(master, "nhi-optout consent receipt-code v1"), "HmacSHA256");
    outboxKey = new SecretKeySpec(derive(master, "nhi-optout consent outbox v1"), "AES");
  }

  /** Secrets from a master key in memory (tests); the array is not kept. */
  public static ConsentSecrets of(byte[] masterKey) {
    if (masterKey == null || masterKey.length != MASTER_KEY_BYTES) {
      throw new IllegalArgumentException("Cannot use the consent service's master key: it must be " + MASTER_KEY_BYTES + " bytes");
    }
    return new ConsentSecrets(masterKey);
  }

  /**
   * Reads the master key from {@code file}; with {@code createIfMissing}, makes one there first (owner
   * read/write only), as the local demo does on its first start.
   *
   * @throws IllegalStateException if the file is missing (and may not be made) or holds no key of the right size
   */
  public static ConsentSecrets fromFile(Path file, boolean createIfMissing) {
    if (file == null) {
      throw new IllegalStateException("Cannot start the consent service: no master key file is configured (optout.consent.secret-key-file)");
    }
    try {
      if (!Files.exists(file)) {
        if (!createIfMissing) {
          throw new IllegalStateException("Cannot start the consent service: the master key file " + file + " does not exist");
        }
        create(file);
      }
      byte[] key = Files.readAllBytes(file);
      try {
        if (key.length != MASTER_KEY_BYTES) {
          throw new IllegalStateException("Cannot start the consent service: the master key file " + file + " does not hold a "
              + MASTER_KEY_BYTES + "-byte key");
        }
        return new ConsentSecrets(key);
      } finally {
        Arrays.fill(key, (byte) 0);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the consent service's master key file " + file, e);
    }
  }

  private static void create(Path file) throws IOException {
    Path directory = file.toAbsolutePath().getParent();
    Files.createDirectories(directory);
    byte[] key = new byte[MASTER_KEY_BYTES];
    RANDOM.nextBytes(key);
    Path temporary = Files.createTempFile(directory, ".consent-key", ".tmp");
    try {
      try {
        Files.setPosixFilePermissions(temporary, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException notPosix) {
        // a file system without POSIX permissions: the directory's own protection must do
      }
      Files.write(temporary, key, StandardOpenOption.TRUNCATE_EXISTING);
      try {
        Files.createLink(file, temporary); // fails if another process made the key meanwhile: keep theirs
      } catch (FileAlreadyExistsException someoneElse) {
        // keep the key that is there
      }
    } finally {
      Arrays.fill(key, (byte) 0);
      Files.deleteIfExists(temporary);
    }
  }

  /** The keyed hash under which a person's filings are found: 32 bytes, the same for the same ID. */
  public byte[] personLookup(PersonId person) {
    return hmac(personLookupKey, person.unmaskedValue().getBytes(StandardCharsets.US_ASCII));
  }

  /** The verification code of a filing's receipt: 80 bits of an HMAC of the filing ID, in base32. */
  public VerificationCode receiptCode(String filingId) {
    byte[] mac = hmac(receiptCodeKey, ("receipt\n" + filingId).getBytes(StandardCharsets.UTF_8));
    return new VerificationCode(base32(Arrays.copyOf(mac, 10)));
  }

  /** Encrypts an outbox payload, bound to its filing: nonce || ciphertext || tag. */
  public byte[] sealOutboxPayload(byte[] payload, String filingId) {
    byte[] nonce = new byte[NONCE_BYTES];
    RANDOM.nextBytes(nonce);
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, outboxKey, new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(filingId.getBytes(StandardCharsets.UTF_8));
      byte[] sealed = cipher.doFinal(payload);
      return ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce).put(sealed).array();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Cannot seal the outbox payload", e);
    }
  }

  /**
   * Decrypts an outbox payload sealed for {@code filingId}.
   *
   * @throws IllegalStateException if it was sealed under another key or for another filing, or changed
   */
  public byte[] openOutboxPayload(byte[] sealed, String filingId) {
    if (sealed == null || sealed.length < NONCE_BYTES + TAG_BITS / 8) {
      throw new IllegalStateException("Cannot open the outbox payload of filing " + filingId + ": it is truncated");
    }
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.DECRYPT_MODE, outboxKey, new GCMParameterSpec(TAG_BITS, sealed, 0, NONCE_BYTES));
      cipher.updateAAD(filingId.getBytes(StandardCharsets.UTF_8));
      return cipher.doFinal(sealed, NONCE_BYTES, sealed.length - NONCE_BYTES);
    } catch (AEADBadTagException e) {
      throw new IllegalStateException("Cannot open the outbox payload of filing " + filingId
          + ": it was changed, belongs to another filing, or was sealed under another master key", e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Cannot open the outbox payload of filing " + filingId, e);
    }
  }

  static byte[] derive(byte[] master, String label) {
    HKDFBytesGenerator hkdf = new HKDFBytesGenerator(new SHA256Digest());
    hkdf.init(new HKDFParameters(master, null, label.getBytes(StandardCharsets.US_ASCII)));
    byte[] key = new byte[32];
    hkdf.generateBytes(key, 0, key.length);
    return key;
  }

  private static byte[] hmac(SecretKeySpec key, byte[] data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      return mac.doFinal(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 is not available", e);
    }
  }

  /** RFC 4648 base32 of a whole number of 5-byte groups, without padding. */
  static String base32(byte[] bytes) {
    final String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    StringBuilder out = new StringBuilder(bytes.length * 8 / 5);
    int buffer = 0;
    int bits = 0;
    for (byte b : bytes) {
      buffer = (buffer << 8) | (b & 0xff);
      bits += 8;
      while (bits >= 5) {
        out.append(alphabet.charAt((buffer >> (bits - 5)) & 31));
        bits -= 5;
      }
    }
    return out.toString();
  }

  @Override
  public String toString() {
    return "ConsentSecrets[keys hidden]";
  }
}
