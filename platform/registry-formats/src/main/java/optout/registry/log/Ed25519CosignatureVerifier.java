package optout.registry.log;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;

/**
 * A witness's public key for Ed25519 checkpoint cosignatures (c2sp.org/tlog-cosignature,
 * {@code cosignature/v1}, signature type 0x04 of c2sp.org/signed-note). It plugs into
 * {@link SignedNote#verify} like any note verifier: a cosignature line is
 * {@code — <witness name> base64(key ID || timestamp || signature)}, and what this key signed is not
 * the note text itself but
 *
 * <pre>
 * cosignature/v1\n
 * time &lt;timestamp, ASCII decimal, no leading zeros&gt;\n
 * &lt;the checkpoint's note text, final newline included&gt;
 * </pre>
 *
 * where the timestamp (POSIX seconds, at most 2^63-1) is the first 8 bytes, big-endian, of the
 * signature, before the 64-byte Ed25519 signature. The key ID is the first 4 bytes of
 * SHA-256(name || 0x0A || 0x04 || 32-byte public key), and the verifier key string is
 * {@code <name>+<key ID, 8 hex digits>+<base64(0x04 || public key)>}. Public data: safe to log.
 *
 * <p>Unlike a log signature, a v1 cosignature does not commit to the witness's name, so the same public
 * key must never serve two witnesses (the spec's rule; the key ID still differs by name).
 */
public final class Ed25519CosignatureVerifier implements NoteVerifier {

  /** The signature type byte of Ed25519 cosignature/v1 in key IDs and key strings. */
  static final byte ALGORITHM_COSIGNATURE_V1 = 0x04;
  /** The timestamp before the Ed25519 signature in a cosignature's signature bytes. */
  static final int TIMESTAMP_LENGTH = 8;
  static final int SIGNATURE_LENGTH = 64;

  private final String keyName;
  private final byte[] publicKey;
  private final int keyId;
  private final Ed25519PublicKeyParameters parameters;

  private Ed25519CosignatureVerifier(String keyName, byte[] publicKey, Ed25519PublicKeyParameters parameters) {
    this.keyName = keyName;
    this.publicKey = publicKey;
    this.parameters = parameters;
    this.keyId = keyId(keyName, publicKey);
  }

  /** A verifier of this witness name's cosignatures with this 32-byte Ed25519 public key. */
  public static Ed25519CosignatureVerifier of(String keyName, byte[] publicKey) {
    if (!Encodings.isValidKeyName(keyName)) {
      throw new IllegalArgumentException("Cannot make a cosignature verifier: " + Ed25519NoteVerifier.KEY_NAME_RULE);
    }
    Objects.requireNonNull(publicKey, "Cannot make a cosignature verifier: the public key is missing");
    if (publicKey.length != Ed25519NoteVerifier.PUBLIC_KEY_LENGTH) {
      throw new IllegalArgumentException("Cannot make a cosignature verifier: an Ed25519 public key has "
          + Ed25519NoteVerifier.PUBLIC_KEY_LENGTH + " bytes, this one has " + publicKey.length);
    }
    byte[] copy = publicKey.clone();
    return new Ed25519CosignatureVerifier(keyName, copy, Ed25519NoteVerifier.parameters(copy, "Cannot make a cosignature verifier"));
  }

  /** A verifier from its key string {@code <name>+<key ID>+<base64(0x04 || public key)>}. */
  public static Ed25519CosignatureVerifier fromVerifierKey(String verifierKey) {
    String action = "Cannot parse witness verifier key";
    Ed25519NoteVerifier.ParsedKey parsed = Ed25519NoteVerifier.parseVerifierKey(verifierKey, ALGORITHM_COSIGNATURE_V1,
        "0x04 (Ed25519 cosignature/v1)", action);
    return new Ed25519CosignatureVerifier(parsed.name(), parsed.publicKey(), Ed25519NoteVerifier.parameters(parsed.publicKey(), action));
  }

  /** The key ID: the first four bytes, big-endian, of SHA-256(name || 0x0A || 0x04 || public key). */
  public static int keyId(String keyName, byte[] publicKey) {
    return Ed25519NoteVerifier.keyId(keyName, ALGORITHM_COSIGNATURE_V1, publicKey);
  }

  /**
   * The message a cosignature at {@code timestamp} signs over a checkpoint's note text:
   * {@code "cosignature/v1\ntime <timestamp>\n" + text}.
   */
  static byte[] signedMessage(long timestamp, byte[] checkpointText) {
    byte[] header = ("cosignature/v1\ntime " + timestamp + "\n").getBytes(StandardCharsets.US_ASCII);
    byte[] message = Arrays.copyOf(header, header.length + checkpointText.length);
    System.arraycopy(checkpointText, 0, message, header.length, checkpointText.length);
    return message;
  }

  /**
   * The time a cosignature states, in POSIX seconds: the first 8 bytes, big-endian, of its signature bytes.
   *
   * @throws NoteException with reason {@link NoteException.Reason#MALFORMED} if the line is not an Ed25519
   *     cosignature's length or its timestamp exceeds 2^63-1
   */
  public static long timestamp(NoteSignature cosignature) throws NoteException {
    byte[] signature = cosignature.signature();
    long timestamp = signature.length == TIMESTAMP_LENGTH + SIGNATURE_LENGTH ? readTimestamp(signature) : -1;
    if (timestamp < 0) {
      throw new NoteException(NoteException.Reason.MALFORMED, "Cannot read the cosignature's time: it is not a "
          + (TIMESTAMP_LENGTH + SIGNATURE_LENGTH) + "-byte timestamped Ed25519 signature with a time below 2^63");
    }
    return timestamp;
  }

  private static long readTimestamp(byte[] signature) {
    long timestamp = 0;
    for (int i = 0; i < TIMESTAMP_LENGTH; i++) {
      timestamp = timestamp << 8 | (signature[i] & 0xff);
    }
    return timestamp;  // negative when the top bit is set: above 2^63-1, which the spec forbids
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

  /** The key string {@code <name>+<key ID>+<base64(0x04 || public key)>}, to publish and configure. */
  public String verifierKey() {
    return Ed25519NoteVerifier.verifierKey(keyName, keyId, ALGORITHM_COSIGNATURE_V1, publicKey);
  }

  /**
   * Whether {@code signature} (timestamp || Ed25519 signature, without the key ID) is this witness's
   * cosignature of the checkpoint whose note text is {@code message}.
   */
  @Override
  public boolean verify(byte[] message, byte[] signature) {
    Objects.requireNonNull(message, "Cannot verify a cosignature: the message is missing");
    Objects.requireNonNull(signature, "Cannot verify a cosignature: the signature is missing");
    if (signature.length != TIMESTAMP_LENGTH + SIGNATURE_LENGTH) {
      return false;
    }
    long timestamp = readTimestamp(signature);
    if (timestamp < 0) {
      return false;
    }
    return Ed25519NoteVerifier.verifyEd25519(parameters, signedMessage(timestamp, message),
        Arrays.copyOfRange(signature, TIMESTAMP_LENGTH, signature.length));
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Ed25519CosignatureVerifier that && keyName.equals(that.keyName) && Arrays.equals(publicKey, that.publicKey);
  }

  @Override
  public int hashCode() {
    return keyName.hashCode() * 31 + keyId;
  }

  @Override
  public String toString() {
    return "Ed25519CosignatureVerifier[" + verifierKey() + "]";
  }
}
