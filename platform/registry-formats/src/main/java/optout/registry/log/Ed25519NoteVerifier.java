package optout.registry.log;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * An Ed25519 note verifier (signature type 0x01 of c2sp.org/signed-note), made from a verifier key
 * string in the encoding of golang.org/x/mod/sumdb/note: {@code <name>+<key ID>+<key>}, where the
 * key ID is 8 lower-case hex digits and the key is base64(0x01 || 32-byte public key). Public data:
 * safe to log, print and publish.
 */
public final class Ed25519NoteVerifier implements NoteVerifier {

  /** The signature type byte of Ed25519 in key IDs and key strings. */
  static final byte ALGORITHM_ED25519 = 0x01;
  static final int PUBLIC_KEY_LENGTH = Ed25519PublicKeyParameters.KEY_SIZE;

  private final String keyName;
  private final int keyId;
  private final byte[] publicKey;
  private final Ed25519PublicKeyParameters parameters;

  private Ed25519NoteVerifier(String keyName, byte[] publicKey, Ed25519PublicKeyParameters parameters) {
    this.keyName = keyName;
    this.publicKey = publicKey;
    this.parameters = parameters;
    this.keyId = keyId(keyName, publicKey);
  }

  /** A verifier for this key name and 32-byte Ed25519 public key. */
  public static Ed25519NoteVerifier of(String keyName, byte[] publicKey) {
    if (!Encodings.isValidKeyName(keyName)) {
      throw new IllegalArgumentException("Cannot make a verifier: " + KEY_NAME_RULE);
    }
    Objects.requireNonNull(publicKey, "Cannot make a verifier: the public key is missing");
    if (publicKey.length != PUBLIC_KEY_LENGTH) {
      throw new IllegalArgumentException(
          "Cannot make a verifier: an Ed25519 public key has " + PUBLIC_KEY_LENGTH + " bytes, this one has " + publicKey.length);
    }
    byte[] copy = publicKey.clone();
    return new Ed25519NoteVerifier(keyName, copy, parameters(copy, "Cannot make a verifier"));
  }

  /** A verifier from its key string {@code <name>+<key ID>+<base64(0x01 || public key)>}. */
  public static Ed25519NoteVerifier fromVerifierKey(String verifierKey) {
    String action = "Cannot parse verifier key";
    ParsedKey parsed = parseVerifierKey(verifierKey, ALGORITHM_ED25519, "0x01 (Ed25519)", action);
    return new Ed25519NoteVerifier(parsed.name(), parsed.publicKey(), parameters(parsed.publicKey(), action));
  }

  /** A verifier key string's name and public key, its key ID checked. */
  record ParsedKey(String name, byte[] publicKey) {}

  /**
   * Parses {@code <name>+<key ID>+<base64(type || 32-byte Ed25519 public key)>} for one signature type
   * (signed-note's vkey encoding), checking that the key ID belongs to the name, type and key.
   */
  static ParsedKey parseVerifierKey(String verifierKey, byte type, String typeName, String action) {
    Objects.requireNonNull(verifierKey, action + ": it is missing");
    String problem = action + ": ";
    String[] parts = verifierKey.split("\\+", 3);
    if (parts.length != 3) {
      throw new IllegalArgumentException(problem + "expected <name>+<key ID>+<key>");
    }
    if (!Encodings.isValidKeyName(parts[0])) {
      throw new IllegalArgumentException(problem + KEY_NAME_RULE);
    }
    int statedKeyId = parseKeyId(parts[1], problem);
    byte[] key = Encodings.decodeCanonicalBase64(parts[2]);
    if (key == null) {
      throw new IllegalArgumentException(problem + "the key is not canonical base64");
    }
    if (key[0] != type) {
      throw new IllegalArgumentException(
          problem + String.format("the signature type 0x%02x is not supported, only ", key[0]) + typeName);
    }
    if (key.length != 1 + PUBLIC_KEY_LENGTH) {
      throw new IllegalArgumentException(
          problem + "an Ed25519 public key has " + PUBLIC_KEY_LENGTH + " bytes, this one has " + (key.length - 1));
    }
    byte[] publicKey = Arrays.copyOfRange(key, 1, key.length);
    int actualKeyId = keyId(parts[0], type, publicKey);
    if (actualKeyId != statedKeyId) {
      throw new IllegalArgumentException(problem + "the key ID " + hex(statedKeyId)
          + " does not belong to this name and key, whose ID is " + hex(actualKeyId));
    }
    return new ParsedKey(parts[0], publicKey);
  }

  /**
   * The key ID of an Ed25519 key: the first four bytes, big-endian, of SHA-256(key name || 0x0A ||
   * 0x01 || 32-byte public key), as c2sp.org/signed-note recommends and Go's note package computes.
   */
  public static int keyId(String keyName, byte[] publicKey) {
    return keyId(keyName, ALGORITHM_ED25519, publicKey);
  }

  /** The first four bytes, big-endian, of SHA-256(key name || 0x0A || signature type || public key). */
  static int keyId(String keyName, byte type, byte[] publicKey) {
    MessageDigest sha256;
    try {
      sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("Cannot compute a key ID: this JDK has no SHA-256", e);
    }
    sha256.update(keyName.getBytes(StandardCharsets.UTF_8));
    sha256.update((byte) '\n');
    sha256.update(type);
    sha256.update(publicKey);
    byte[] digest = sha256.digest();
    return (digest[0] & 0xff) << 24 | (digest[1] & 0xff) << 16 | (digest[2] & 0xff) << 8 | (digest[3] & 0xff);
  }

  /** {@code <name>+<key ID>+<base64(type || public key)>}. */
  static String verifierKey(String keyName, int keyId, byte type, byte[] publicKey) {
    byte[] key = new byte[1 + PUBLIC_KEY_LENGTH];
    key[0] = type;
    System.arraycopy(publicKey, 0, key, 1, PUBLIC_KEY_LENGTH);
    return keyName + "+" + hex(keyId) + "+" + Base64.getEncoder().encodeToString(key);
  }

  @Override
  public String keyName() {
    return keyName;
  }

  @Override
  public int keyId() {
    return keyId;
  }

  /** A copy of the 32-byte public key. */
  public byte[] publicKey() {
    return publicKey.clone();
  }

  /** The key string {@code <name>+<key ID>+<base64(0x01 || public key)>}, to publish and configure. */
  public String verifierKey() {
    return verifierKey(keyName, keyId, ALGORITHM_ED25519, publicKey);
  }

  @Override
  public boolean verify(byte[] message, byte[] signature) {
    Objects.requireNonNull(message, "Cannot verify a signature: the message is missing");
    Objects.requireNonNull(signature, "Cannot verify a signature: the signature is missing");
    return verifyEd25519(parameters, message, signature);
  }

  static boolean verifyEd25519(Ed25519PublicKeyParameters key, byte[] message, byte[] signature) {
    Ed25519Signer verifier = new Ed25519Signer();
    verifier.init(false, key);
    verifier.update(message, 0, message.length);
    return verifier.verifySignature(signature);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Ed25519NoteVerifier that && keyName.equals(that.keyName) && Arrays.equals(publicKey, that.publicKey);
  }

  @Override
  public int hashCode() {
    return keyName.hashCode() * 31 + keyId;
  }

  @Override
  public String toString() {
    return "Ed25519NoteVerifier[" + verifierKey() + "]";
  }

  static final String KEY_NAME_RULE = "a key name must be non-empty, without spaces, plus signs or control characters";

  static int parseKeyId(String text, String problem) {
    if (text.length() != 8) {
      throw new IllegalArgumentException(problem + "the key ID must be 8 lower-case hex digits");
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
        throw new IllegalArgumentException(problem + "the key ID must be 8 lower-case hex digits");
      }
    }
    return (int) Long.parseLong(text, 16);
  }

  static String hex(int keyId) {
    return String.format("%08x", keyId);
  }

  static Ed25519PublicKeyParameters parameters(byte[] publicKey, String action) {
    try {
      return new Ed25519PublicKeyParameters(publicKey, 0);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(action + ": the key is not a valid Ed25519 public key", e);
    }
  }
}
