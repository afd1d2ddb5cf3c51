package optout.registry.log;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.Objects;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;

/**
 * A witness's Ed25519 cosigning key held in memory (c2sp.org/tlog-cosignature, {@code cosignature/v1}):
 * {@link #sign} answers the note signature bytes {@code timestamp (8 bytes, big-endian) || Ed25519
 * signature} over {@code "cosignature/v1\ntime <timestamp>\ntext"}, the timestamp being the clock's
 * current POSIX second. The key string is {@code PRIVATE+KEY+<name>+<key ID>+<base64(0x04 || seed)>}
 * (the 0x04 form that transparency-dev's note package also reads).
 *
 * <p>As with {@link Ed25519NoteSigner}, the private key does not leave this object but through
 * {@link #unmaskedSignerKey()}, and {@link #toString()} shows only the public identity.
 */
public final class Ed25519CosignatureSigner implements NoteSigner {

  private final String keyName;
  private final Ed25519PrivateKeyParameters privateKey;
  private final Ed25519CosignatureVerifier verifier;
  private final Clock clock;

  private Ed25519CosignatureSigner(String keyName, Ed25519PrivateKeyParameters privateKey, Clock clock) {
    this.keyName = keyName;
    this.privateKey = privateKey;
    this.verifier = Ed25519CosignatureVerifier.of(keyName, privateKey.generatePublicKey().getEncoded());
    this.clock = Objects.requireNonNull(clock, "Cannot make a cosigner: the clock is missing");
  }

  /** A new key with this witness name, from a fresh {@link SecureRandom}, signing at the system clock's time. */
  public static Ed25519CosignatureSigner generate(String keyName) {
    if (!Encodings.isValidKeyName(keyName)) {
      throw new IllegalArgumentException("Cannot generate a cosigner: " + Ed25519NoteVerifier.KEY_NAME_RULE);
    }
    return new Ed25519CosignatureSigner(keyName, new Ed25519PrivateKeyParameters(new SecureRandom()), Clock.systemUTC());
  }

  /** A cosigner from its key string {@code PRIVATE+KEY+<name>+<key ID>+<base64(0x04 || seed)>}, signing at {@code clock}'s time. */
  public static Ed25519CosignatureSigner fromSignerKey(String signerKey, Clock clock) {
    Ed25519NoteSigner.ParsedSignerKey parsed = Ed25519NoteSigner.parseSignerKey(signerKey,
        Ed25519CosignatureVerifier.ALGORITHM_COSIGNATURE_V1, "0x04 (Ed25519 cosignature/v1)");
    Ed25519CosignatureSigner signer = new Ed25519CosignatureSigner(parsed.name(), parsed.privateKey(), clock);
    if (signer.keyId() != parsed.statedKeyId()) {
      throw new IllegalArgumentException("Cannot parse signer key: the key ID does not belong to this name and key");
    }
    return signer;
  }

  /** The same key, signing at another clock's time (tests; a witness with a trusted time source). */
  public Ed25519CosignatureSigner withClock(Clock other) {
    return new Ed25519CosignatureSigner(keyName, privateKey, other);
  }

  @Override
  public String keyName() {
    return keyName;
  }

  @Override
  public int keyId() {
    return verifier.keyId();
  }

  public Ed25519CosignatureVerifier verifier() {
    return verifier;
  }

  /** The public verifier key string {@code <name>+<key ID>+<base64(0x04 || public key)>}. */
  public String verifierKey() {
    return verifier.verifierKey();
  }

  /** The cosignature of the checkpoint note text {@code message}: timestamp || Ed25519 signature. */
  @Override
  public byte[] sign(byte[] message) {
    Objects.requireNonNull(message, "Cannot cosign: the message is missing");
    long timestamp = Math.floorDiv(clock.millis(), 1000L);
    if (timestamp < 0) {
      throw new IllegalStateException("Cannot cosign: the clock is before 1970");
    }
    byte[] signature = Ed25519NoteSigner.signEd25519(privateKey, Ed25519CosignatureVerifier.signedMessage(timestamp, message));
    byte[] timestamped = new byte[Ed25519CosignatureVerifier.TIMESTAMP_LENGTH + signature.length];
    for (int i = 0; i < Ed25519CosignatureVerifier.TIMESTAMP_LENGTH; i++) {
      timestamped[i] = (byte) (timestamp >>> (8 * (Ed25519CosignatureVerifier.TIMESTAMP_LENGTH - 1 - i)));
    }
    System.arraycopy(signature, 0, timestamped, Ed25519CosignatureVerifier.TIMESTAMP_LENGTH, signature.length);
    return timestamped;
  }

  /** The cosignature line ({@code — <name> <base64(key ID || timestamp || signature)>\n}) of a checkpoint. */
  public NoteSignature cosign(Checkpoint checkpoint) {
    Objects.requireNonNull(checkpoint, "Cannot cosign: the checkpoint is missing");
    return new NoteSignature(keyName, keyId(), sign(checkpoint.text().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
  }

  /**
   * The secret key string {@code PRIVATE+KEY+<name>+<key ID>+<base64(0x04 || seed)>}: whoever reads it can
   * cosign as this witness. Only for putting a newly generated key into a secret store; never log it.
   */
  public String unmaskedSignerKey() {
    return Ed25519NoteSigner.signerKey(keyName, keyId(), Ed25519CosignatureVerifier.ALGORITHM_COSIGNATURE_V1, privateKey);
  }

  @Override
  public String toString() {
    return "Ed25519CosignatureSigner[" + keyName + "+" + Ed25519NoteVerifier.hex(keyId()) + ", private key not shown]";
  }
}
