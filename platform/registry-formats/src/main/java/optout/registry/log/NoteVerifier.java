package optout.registry.log;

/**
 * A public key that verifies note signatures (c2sp.org/signed-note), known by its key name and key
 * ID. A note's signature line is checked against the verifier whose name and ID both match it.
 */
public interface NoteVerifier {

  /** The key name as it appears in signature lines. */
  String keyName();

  /** The 32-bit key ID as it appears in the first four bytes of a signature. */
  int keyId();

  /** Whether {@code signature} (without the key ID) is this key's signature of {@code message}. */
  boolean verify(byte[] message, byte[] signature);
}
