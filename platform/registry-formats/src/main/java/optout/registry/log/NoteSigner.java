package optout.registry.log;

/**
 * A key that signs note texts (c2sp.org/signed-note). An interface so that the private key can live
 * in memory ({@link Ed25519NoteSigner}), in an HSM or in a KMS without the rest of the code knowing;
 * it deliberately has no method that hands out key material.
 */
public interface NoteSigner {

  /** The key name written in the signature line; valid by {@link SignedNote}'s rules. */
  String keyName();

  /** The 32-bit key ID written before the signature (see {@link Ed25519NoteVerifier#keyId(String, byte[])}). */
  int keyId();

  /** The signature of {@code message} (the note text's UTF-8 bytes), without the key ID. */
  byte[] sign(byte[] message);
}
