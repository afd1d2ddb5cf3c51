package optout.registry.log;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * An Ed25519 note signer held in memory. Made from a signer key string in the encoding of
 * golang.org/x/mod/sumdb/note, {@code PRIVATE+KEY+<name>+<key ID>+<base64(0x01 || 32-byte seed)>},
 * or generated.
 *
 * <p>In the spirit of Google Tink, the private key does not leave this object by accident: no
 * getter returns it, {@link #toString()} shows only the public identity, and errors never quote
 * the key string. The one way out is {@link #unmaskedSignerKey()}, named to stand out in review,
 * for storing a freshly generated key in a secret store.
 */
public final class Ed25519NoteSigner implements NoteSigner {

  private static final String PREFIX = "PRIVATE+KEY+";
  private static final int SEED_LENGTH = Ed25519PrivateKeyParameters.KEY_SIZE;

  private final String keyName;
  private final Ed25519PrivateKeyParameters privateKey;
  private final Ed25519NoteVerifier verifier;

  private Ed25519NoteSigner(String keyName, Ed25519PrivateKeyParameters privateKey) {
    this.keyName = keyName;
    this.privateKey = privateKey;
    this.verifier = Ed25519NoteVerifier.of(keyName, privateKey.generatePublicKey().getEncoded());
  }

  /** A new key with this name, from a fresh {@link SecureRandom}. */
  public static Ed25519NoteSigner generate(String keyName) {
    return generate(keyName, new SecureRandom());
  }

  /** A new key with this name, from {@code random}. */
  public static Ed25519NoteSigner generate(String keyName, SecureRandom random) {
    if (!Encodings.isValidKeyName(keyName)) {
      throw new IllegalArgumentException("Cannot generate a signer: " + Ed25519NoteVerifier.KEY_NAME_RULE);
    }
    Objects.requireNonNull(random, "Cannot generate a signer: the random source is missing");
    return new Ed25519NoteSigner(keyName, new Ed25519PrivateKeyParameters(random));
  }

  /**
   * A signer from its key string {@code PRIVATE+KEY+<name>+<key ID>+<base64(0x01 || seed)>}. The key
   * ID is checked against the public key the seed derives. Error messages never quote the string.
   */
  public static Ed25519NoteSigner fromSignerKey(String signerKey) {
    String problem = "Cannot parse signer key: ";
    ParsedSignerKey parsed = parseSignerKey(signerKey, Ed25519NoteVerifier.ALGORITHM_ED25519, "0x01 (Ed25519)");
    Ed25519NoteSigner signer = new Ed25519NoteSigner(parsed.name(), parsed.privateKey());
    if (signer.keyId() != parsed.statedKeyId()) {
      throw new IllegalArgumentException(problem + "the key ID does not belong to this name and key");
    }
    return signer;
  }

  /** A signer key string's name, stated key ID and private key; the caller checks the key ID. */
  record ParsedSignerKey(String name, int statedKeyId, Ed25519PrivateKeyParameters privateKey) {}

  /**
   * Parses {@code PRIVATE+KEY+<name>+<key ID>+<base64(type || 32-byte seed)>} for one signature type.
   * Error messages never quote the string; the decoded seed is wiped.
   */
  static ParsedSignerKey parseSignerKey(String signerKey, byte type, String typeName) {
    Objects.requireNonNull(signerKey, "Cannot parse signer key: it is missing");
    String problem = "Cannot parse signer key: ";
    if (!signerKey.startsWith(PREFIX)) {
      throw new IllegalArgumentException(problem + "it must start with PRIVATE+KEY+");
    }
    String[] parts = signerKey.substring(PREFIX.length()).split("\\+", 3);
    if (parts.length != 3) {
      throw new IllegalArgumentException(problem + "expected PRIVATE+KEY+<name>+<key ID>+<key>");
    }
    if (!Encodings.isValidKeyName(parts[0])) {
      throw new IllegalArgumentException(problem + Ed25519NoteVerifier.KEY_NAME_RULE);
    }
    int statedKeyId = Ed25519NoteVerifier.parseKeyId(parts[1], problem);
    byte[] key = Encodings.decodeCanonicalBase64(parts[2]);
    if (key == null) {
      throw new IllegalArgumentException(problem + "the key is not canonical base64");
    }
    try {
      if (key[0] != type) {
        throw new IllegalArgumentException(problem + "the signature type is not supported, only " + typeName);
      }
      if (key.length != 1 + SEED_LENGTH) {
        throw new IllegalArgumentException(problem + "an Ed25519 private key has " + SEED_LENGTH + " bytes");
      }
      return new ParsedSignerKey(parts[0], statedKeyId, new Ed25519PrivateKeyParameters(key, 1));
    } finally {
      Arrays.fill(key, (byte) 0);
    }
  }

  /** {@code PRIVATE+KEY+<name>+<key ID>+<base64(type || seed)>}: secret, never to be logged. */
  static String signerKey(String keyName, int keyId, byte type, Ed25519PrivateKeyParameters privateKey) {
    byte[] key = new byte[1 + SEED_LENGTH];
    key[0] = type;
    privateKey.encode(key, 1);
    try {
      return PREFIX + keyName + "+" + Ed25519NoteVerifier.hex(keyId) + "+" + Base64.getEncoder().encodeToString(key);
    } finally {
      Arrays.fill(key, (byte) 0);
    }
  }

  /** An Ed25519 signature of {@code message}. */
  static byte[] signEd25519(Ed25519PrivateKeyParameters privateKey, byte[] message) {
    Ed25519Signer signer = new Ed25519Signer();
    signer.init(true, privateKey);
    signer.update(message, 0, message.length);
    return signer.generateSignature();
  }

  @Override
  public String keyName() {
    return keyName;
  }

  @Override
  public int keyId() {
    return verifier.keyId();
  }

  /** The verifier of this key's signatures. */
  public Ed25519NoteVerifier verifier() {
    return verifier;
  }

  /** The public verifier key string, to publish and give to verifiers. */
  public String verifierKey() {
    return verifier.verifierKey();
  }

  @Override
  public byte[] sign(byte[] message) {
    Objects.requireNonNull(message, "Cannot sign: the message is missing");
    return signEd25519(privateKey, message);
  }

  /**
   * The secret signer key string {@code PRIVATE+KEY+<name>+<key ID>+<base64(0x01 || seed)>}: anyone
   * who reads it can sign checkpoints as this log. Only for putting a newly generated key into a
   * secret store; never log it.
   */
  public String unmaskedSignerKey() {
    return signerKey(keyName, keyId(), Ed25519NoteVerifier.ALGORITHM_ED25519, privateKey);
  }

  /** The public identity only; never the private key. */
  @Override
  public String toString() {
    return "Ed25519NoteSigner[" + keyName + "+" + Ed25519NoteVerifier.hex(keyId()) + ", private key not shown]";
  }
}
