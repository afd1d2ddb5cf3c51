package optout.registry.log;

import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;

/**
 * One signature line of a signed note: {@code — <key name> <base64(key ID || signature)>}. Says
 * nothing about validity by itself; {@link SignedNote#verify} decides that.
 */
public final class NoteSignature {

  /** The em dash (U+2014) and space that start every signature line. */
  static final String LINE_PREFIX = "\u2014 ";

  private final String keyName;
  private final int keyId;
  private final byte[] signature;

  /** A signature by the key {@code keyName} with {@code keyId}; {@code signature} excludes the key ID. */
  public NoteSignature(String keyName, int keyId, byte[] signature) {
    if (!Encodings.isValidKeyName(keyName)) {
      throw new IllegalArgumentException("Cannot make a note signature: " + Ed25519NoteVerifier.KEY_NAME_RULE);
    }
    Objects.requireNonNull(signature, "Cannot make a note signature: the signature is missing");
    if (signature.length == 0) {
      throw new IllegalArgumentException("Cannot make a note signature: the signature is empty");
    }
    this.keyName = keyName;
    this.keyId = keyId;
    this.signature = signature.clone();
  }

  public String keyName() {
    return keyName;
  }

  public int keyId() {
    return keyId;
  }

  /** A copy of the signature bytes, without the key ID. */
  public byte[] signature() {
    return signature.clone();
  }

  /** Whether {@code verifier} is the key this line names (same name and key ID). */
  public boolean isBy(NoteVerifier verifier) {
    return keyName.equals(verifier.keyName()) && keyId == verifier.keyId();
  }

  boolean verifiedBy(NoteVerifier verifier, byte[] message) {
    return verifier.verify(message, signature);
  }

  /** The line as it appears in the note, with the final newline. */
  public String line() {
    byte[] encoded = new byte[4 + signature.length];
    encoded[0] = (byte) (keyId >>> 24);
    encoded[1] = (byte) (keyId >>> 16);
    encoded[2] = (byte) (keyId >>> 8);
    encoded[3] = (byte) keyId;
    System.arraycopy(signature, 0, encoded, 4, signature.length);
    return LINE_PREFIX + keyName + " " + Base64.getEncoder().encodeToString(encoded) + "\n";
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof NoteSignature that
        && keyName.equals(that.keyName) && keyId == that.keyId && Arrays.equals(signature, that.signature);
  }

  @Override
  public int hashCode() {
    return Objects.hash(keyName, keyId, Arrays.hashCode(signature));
  }

  @Override
  public String toString() {
    return line().strip();
  }
}
