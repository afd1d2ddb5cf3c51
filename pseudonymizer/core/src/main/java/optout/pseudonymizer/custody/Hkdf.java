package optout.pseudonymizer.custody;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import javax.crypto.Mac;

/**
 * HKDF-Expand (RFC 5869, section 2.3) with HMAC-SHA256 over a {@link Mac} that holds the pseudorandom
 * key, so that the key may stay in a keystore or on a PKCS#11 token. The extract step is left out, as
 * RFC 5869 section 3.3 allows, because the custody's HMAC keys are uniformly random already.
 */
final class Hkdf {

  private static final int HASH_LENGTH = 32;

  private Hkdf() {}

  /**
   * @param prk HmacSHA256 initialised with the pseudorandom key; it is reset on return
   * @param length the output length in bytes, 1 to 255 x 32
   */
  static byte[] expand(Mac prk, byte[] info, int length) {
    if (!"HmacSHA256".equalsIgnoreCase(prk.getAlgorithm())) {
      throw new IllegalArgumentException("Cannot expand with MAC " + prk.getAlgorithm() + ": need HmacSHA256");
    }
    if (length < 1 || length > 255 * HASH_LENGTH) {
      throw new IllegalArgumentException("Cannot expand to " + length + " bytes: HKDF gives 1 to " + 255 * HASH_LENGTH);
    }
    prk.reset();
    ByteArrayOutputStream okm = new ByteArrayOutputStream(length + HASH_LENGTH);
    byte[] previous = new byte[0];
    for (int i = 1; okm.size() < length; i++) {
      prk.update(previous);
      prk.update(info);
      prk.update((byte) i);
      Arrays.fill(previous, (byte) 0);
      previous = prk.doFinal();
      okm.writeBytes(previous);
    }
    Arrays.fill(previous, (byte) 0);
    return Arrays.copyOf(okm.toByteArray(), length);
  }
}
