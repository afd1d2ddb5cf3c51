package optout.pseudonymizer.identity;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.Provider;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.stream.Collectors;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import optout.pseudonymizer.id.InvalidPersonIdException;
import optout.pseudonymizer.id.PersonId;
import optout.pseudonymizer.identity.SealedPersonIdException.Reason;
import optout.pseudonymizer.pseudonym.Pseudonyms;

/**
 * A person's ID encrypted for the person's own view, bound to their warehouse (layer-1) pseudonym.
 *
 * <p>The opt-out registry keys each person by the warehouse pseudonym, and keeps the ID itself only
 * sealed beside it, so that it can show people their own record, write receipts and put the
 * identifier into a FHIR Consent without reversing the pseudonym: reversal is re-identification and
 * needs two custodians' approval. Sealing uses a key of its own ({@code identity.v<N>}), so neither
 * the warehouse key nor this one can stand in for the other.
 *
 * <p>AES-256-GCM, run by the custody's provider through the JCE {@link Cipher} (so the key may be a
 * non-extractable PKCS#11 key), with a 96-bit random nonce and a 128-bit tag. A sealed value is
 * {@value #SEALED_LENGTH} bytes, every field at a fixed offset:
 *
 * <pre>
 * offset  bytes  field
 *      0      1  format version, {@value #FORMAT_VERSION}
 *      1      4  identity key version N (big-endian, at least 1): the key is identity.v&lt;N&gt;
 *      5     12  nonce, random
 *     17     10  the ID's 10 ASCII characters, encrypted (letter first, upper case)
 *     27     16  GCM tag
 * </pre>
 *
 * <p>The associated data, authenticated but not stored, is the 20 ASCII bytes {@code
 * nhi-sealed-person-id}, then bytes 0 to 4 of the sealed value (format and key version), then the
 * warehouse pseudonym as 8 big-endian bytes. A sealed value copied onto another person's row, altered
 * in any bit, or relabelled with another key version therefore does not open. Because it is bound to
 * the pseudonym's number, the warehouse re-keying job must {@link #reseal} every sealed ID along with
 * its pseudonym, in the same transaction.
 *
 * <p>Random 96-bit nonces are safe for up to 2^32 seals per key version (NIST SP 800-38D, 8.3): with
 * some 24 million people, rotate the identity key long before then.
 *
 * <p>Obtain it from {@code KeyCustody.identitySealer()}: it seals with the custody's newest identity
 * key and opens with every version the custody held when it was obtained. Not thread-safe, so take
 * one per thread.
 */
public final class IdentitySealer {

  /** The layout described above; a new layout gets a new number and old ones keep opening. */
  public static final int FORMAT_VERSION = 1;
  /** The length of every sealed value of format {@value #FORMAT_VERSION}. */
  public static final int SEALED_LENGTH = 43;

  private static final byte[] CONTEXT = "nhi-sealed-person-id".getBytes(StandardCharsets.US_ASCII);
  private static final int HEADER_LENGTH = 5;
  private static final int NONCE_LENGTH = 12;
  private static final int ID_LENGTH = 10;
  private static final int TAG_BITS = 128;

  private final NavigableMap<Integer, Key> keys;
  private final Cipher gcm;
  private final SecureRandom random = new SecureRandom();

  /**
   * @param keys every identity key version the custody holds, by version; the newest seals
   * @param provider the provider that runs AES with these keys (a PKCS#11 token's), or null for the
   *     default providers
   */
  public IdentitySealer(Map<Integer, ? extends Key> keys, Provider provider) throws GeneralSecurityException {
    if (keys == null || keys.isEmpty()) {
      throw new IllegalArgumentException("Cannot seal person IDs: there is no identity key");
    }
    TreeMap<Integer, Key> versions = new TreeMap<>();
    keys.forEach((version, key) -> {
      if (version == null || version < 1 || key == null || !"AES".equalsIgnoreCase(key.getAlgorithm())) {
        throw new IllegalArgumentException("Cannot seal person IDs: identity key versions start at 1 and need an AES key");
      }
      versions.put(version, key);
    });
    this.keys = Collections.unmodifiableNavigableMap(versions);
    this.gcm = provider == null ? Cipher.getInstance("AES/GCM/NoPadding") : Cipher.getInstance("AES/GCM/NoPadding", provider);
  }

  /** The identity key version new seals use: the newest. */
  public int keyVersion() {
    return keys.lastKey();
  }

  /**
   * Seals a person's ID for the row of their warehouse pseudonym, under the newest identity key. Two
   * seals of the same ID differ (random nonce), so sealed values reveal nothing about who is whom.
   *
   * @throws IllegalArgumentException if the ID is missing or the number is not a layer-1 pseudonym
   */
  public byte[] seal(PersonId person, long warehousePseudonym) throws GeneralSecurityException {
    if (person == null) {
      throw new IllegalArgumentException("Cannot seal a person ID: none was given");
    }
    requireLayer1(warehousePseudonym, "seal a person ID");
    int version = keyVersion();
    byte[] sealed = new byte[SEALED_LENGTH];
    sealed[0] = (byte) FORMAT_VERSION;
    ByteBuffer.wrap(sealed, 1, 4).putInt(version);
    byte[] nonce = new byte[NONCE_LENGTH];
    random.nextBytes(nonce);
    System.arraycopy(nonce, 0, sealed, HEADER_LENGTH, NONCE_LENGTH);

    byte[] id = person.unmaskedValue().getBytes(StandardCharsets.US_ASCII);
    try {
      gcm.init(Cipher.ENCRYPT_MODE, keys.get(version), new GCMParameterSpec(TAG_BITS, nonce));
      gcm.updateAAD(associatedData(sealed, warehousePseudonym));
      int written = gcm.doFinal(id, 0, id.length, sealed, HEADER_LENGTH + NONCE_LENGTH);
      if (written != ID_LENGTH + TAG_BITS / 8) {
        throw new GeneralSecurityException(
            "Cannot seal a person ID: the cipher returned " + written + " bytes, not " + (ID_LENGTH + TAG_BITS / 8));
      }
      return sealed;
    } finally {
      Arrays.fill(id, (byte) 0);
    }
  }

  /**
   * Opens a value sealed for the row of this warehouse pseudonym.
   *
   * @throws SealedPersonIdException if it is truncated, altered, of an unknown format or key version,
   *     or sealed for another pseudonym; the message never contains the ID or the pseudonym
   * @throws IllegalArgumentException if the value is missing or the number is not a layer-1 pseudonym
   */
  public PersonId open(byte[] sealed, long warehousePseudonym) throws GeneralSecurityException {
    if (sealed == null) {
      throw new IllegalArgumentException("Cannot open a sealed person ID: none was given");
    }
    requireLayer1(warehousePseudonym, "open a sealed person ID");
    Key key = keys.get(keyVersionOf(sealed));
    if (key == null) {
      throw new SealedPersonIdException(Reason.UNKNOWN_KEY_VERSION, "it was sealed with identity key version "
          + Integer.toUnsignedString(ByteBuffer.wrap(sealed, 1, 4).getInt()) + ", which this custody does not hold (it holds "
          + keys.keySet().stream().map(String::valueOf).collect(Collectors.joining(", ")) + "): destroyed, or sealed elsewhere");
    }
    byte[] id = new byte[ID_LENGTH];
    char[] characters = new char[ID_LENGTH];
    try {
      gcm.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed, HEADER_LENGTH, NONCE_LENGTH));
      gcm.updateAAD(associatedData(sealed, warehousePseudonym));
      int offset = HEADER_LENGTH + NONCE_LENGTH;
      byte[] plain = gcm.doFinal(sealed, offset, SEALED_LENGTH - offset);
      System.arraycopy(plain, 0, id, 0, Math.min(plain.length, ID_LENGTH));
      Arrays.fill(plain, (byte) 0);
      for (int i = 0; i < ID_LENGTH; i++) {
        characters[i] = (char) (id[i] & 0xFF);
      }
      return PersonId.parse(CharBuffer.wrap(characters));
    } catch (AEADBadTagException e) {
      // SunPKCS11 maps CKR_ENCRYPTED_DATA_INVALID and CKR_GENERAL_ERROR (SoftHSM2's answer to a bad
      // tag) to this, so on a token a general fault of the token reads as NOT_AUTHENTIC too; the cause
      // keeps the token's code. Other token errors stay ProviderExceptions.
      throw notAuthentic(e);
    } catch (InvalidPersonIdException e) {
      throw new SealedPersonIdException(Reason.NOT_A_PERSON_ID,
          "it is authentic but holds no person ID: the identity key was used for something else");
    } finally {
      Arrays.fill(id, (byte) 0);
      Arrays.fill(characters, '\0');
    }
  }

  /**
   * Opens a sealed ID and seals it again, under the newest identity key, for {@code newPseudonym}: the
   * step of the warehouse re-keying job (the pseudonym changes) and of an identity key rotation (pass
   * the same pseudonym twice). The ID is recovered only inside this call.
   *
   * @throws SealedPersonIdException as {@link #open}
   */
  public byte[] reseal(byte[] sealed, long warehousePseudonym, long newPseudonym) throws GeneralSecurityException {
    requireLayer1(newPseudonym, "reseal a person ID");
    return seal(open(sealed, warehousePseudonym), newPseudonym);
  }

  /**
   * The identity key version a value was sealed with, read without the key and therefore not
   * authenticated: for a rotation to find the values it still has to reseal, never for a decision
   * that matters to security.
   *
   * @throws SealedPersonIdException if it has the wrong length or an unknown format
   */
  public static int keyVersionOf(byte[] sealed) throws SealedPersonIdException {
    if (sealed == null) {
      throw new IllegalArgumentException("Cannot read a sealed person ID: none was given");
    }
    if (sealed.length != SEALED_LENGTH) {
      throw new SealedPersonIdException(Reason.WRONG_LENGTH, "it has " + sealed.length + " bytes, and a sealed person ID has "
          + SEALED_LENGTH + ": truncated, or not a sealed person ID");
    }
    if (sealed[0] != FORMAT_VERSION) {
      throw new SealedPersonIdException(Reason.UNKNOWN_FORMAT, "its format version is " + (sealed[0] & 0xFF)
          + ", and this library reads version " + FORMAT_VERSION);
    }
    return ByteBuffer.wrap(sealed, 1, 4).getInt();
  }

  /** Context, format and key version (the sealed value's first 5 bytes), and the pseudonym. */
  private static byte[] associatedData(byte[] sealed, long warehousePseudonym) {
    return ByteBuffer.allocate(CONTEXT.length + HEADER_LENGTH + Long.BYTES)
        .put(CONTEXT).put(sealed, 0, HEADER_LENGTH).putLong(warehousePseudonym).array();
  }

  private static SealedPersonIdException notAuthentic(Throwable cause) {
    return new SealedPersonIdException(Reason.NOT_AUTHENTIC,
        "it was altered, or it was sealed for another pseudonym (copied from another row)", cause);
  }

  private static void requireLayer1(long pseudonym, String what) {
    if (!Pseudonyms.isLayer1(pseudonym)) {
      throw new IllegalArgumentException(
          "Cannot " + what + ": it is bound to a warehouse (layer-1) pseudonym, an 11-digit number starting with 1");
    }
  }

  @Override
  public String toString() {
    return "IdentitySealer[AES-256-GCM, format " + FORMAT_VERSION + ", seals with identity key version " + keyVersion()
        + ", opens versions " + keys.keySet() + ", provider " + gcm.getProvider().getName() + "]";
  }
}
