package optout.pseudonymizer.fpe;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.ShortBufferException;

/**
 * FF1 format-preserving encryption (NIST SP 800-38G, Algorithms 7 and 8) for decimal numbers of a
 * fixed number of digits, 6 to 18 ({@link #MIN_DIGITS}, {@link #MAX_DIGITS}), so that every value fits a {@code long}. It is a keyed
 * permutation of [0, 10^digits): distinct inputs give distinct outputs, and only the key reverses it.
 *
 * <p>This is the standard algorithm, not a variant. It agrees bit for bit with Bouncy Castle's
 * {@code FPEFF1Engine} (see the tests) and is faster because it works on longs instead of numeral
 * arrays and big integers, and because the CBC-MAC of P and of Q's leading blocks that hold only the
 * tweak depends only on the key, the length and the tweak, so it is computed once. The round number
 * and NUM(B) (at most 5 bytes) always lie in Q's last block, so every round costs a single AES block
 * whatever the tweak's length (with 18 digits and a 12-byte tweak Q is two blocks: one, not two).
 *
 * <p>Not thread-safe (it holds a {@link Cipher}); make one per thread.
 */
public final class Ff1Radix10 {

  /** SP 800-38G Rev. 1: radix^minlen >= 1,000,000. */
  public static final int MIN_DIGITS = 6;
  /** Every value and intermediate fits a long. */
  public static final int MAX_DIGITS = 18;

  /**
   * A 12-byte tweak (one AES block a round with the 4 bytes FF1 adds): a 4-character ASCII use prefix and
   * the first 8 bytes of SHA-256 of {@code label}, so each use of a key gets tweaks of its own.
   */
  public static byte[] tweak(String prefix, String label) {
    if (prefix.length() != 4) {
      throw new IllegalArgumentException("Cannot make an FF1 tweak: the prefix must be 4 characters");
    }
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(label.getBytes(StandardCharsets.UTF_8));
      byte[] tweak = new byte[12];
      System.arraycopy(prefix.getBytes(StandardCharsets.US_ASCII), 0, tweak, 0, 4);
      System.arraycopy(digest, 0, tweak, 4, 8);
      return tweak;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
    }
  }
  private static final int ROUNDS = 10;
  private static final int BLOCK = 16;
  private static final long[] POWERS_OF_TEN = new long[19];

  static {
    POWERS_OF_TEN[0] = 1;
    for (int i = 1; i < POWERS_OF_TEN.length; i++) {
      POWERS_OF_TEN[i] = POWERS_OF_TEN[i - 1] * 10;
    }
  }

  private final Cipher aes;
  private final int digits;
  private final int u;
  private final int v;
  private final long modulusU;
  private final long modulusV;
  private final long domain;
  /** Bytes of NUM(B) in Q: ceil(ceil(v log2 10) / 8). */
  private final int b;
  /** The CBC-MAC state after P and after Q's leading blocks that no round changes. */
  private final byte[] stateAfterFixed;
  /** Where the blocks of Q that each round rewrites begin. */
  private final int firstChangingBlock;
  /** T || zero padding || [round] || [NUM(B)]^b, the round and number rewritten each round. */
  private final byte[] q;
  private final byte[] block = new byte[BLOCK];
  private final byte[] mac = new byte[BLOCK];

  /**
   * @param aesEncryptEcb an AES cipher in ECB mode without padding, initialised to encrypt with the key
   * @param digits the number of decimal digits of every value, 6 to 18
   * @param tweak the tweak, public and fixed for this instance (may be empty)
   */
  public Ff1Radix10(Cipher aesEncryptEcb, int digits, byte[] tweak) throws GeneralSecurityException {
    if (digits < MIN_DIGITS || digits > MAX_DIGITS) {
      throw new IllegalArgumentException("Cannot use FF1 over " + digits + " digits: must be " + MIN_DIGITS + " to " + MAX_DIGITS);
    }
    if (!aesEncryptEcb.getAlgorithm().toUpperCase().startsWith("AES/ECB/NOPADDING")) {
      throw new IllegalArgumentException("Cannot use cipher " + aesEncryptEcb.getAlgorithm() + ": need AES/ECB/NoPadding");
    }
    this.aes = aesEncryptEcb;
    this.digits = digits;
    this.u = digits / 2;
    this.v = digits - u;
    this.modulusU = POWERS_OF_TEN[u];
    this.modulusV = POWERS_OF_TEN[v];
    this.domain = POWERS_OF_TEN[digits];
    this.b = (int) Math.ceil(Math.ceil(v * (Math.log(10) / Math.log(2))) / 8.0);
    int t = tweak.length;
    int padding = Math.floorMod(-t - b - 1, BLOCK);
    this.q = Arrays.copyOf(tweak, t + padding + 1 + b);

    byte[] p = new byte[BLOCK];
    p[0] = 1;
    p[1] = 2;
    p[2] = 1;
    p[3] = 0; // radix, 3 bytes big-endian: 10
    p[4] = 0;
    p[5] = 10;
    p[6] = 10;
    p[7] = (byte) u;
    writeInt(p, 8, digits);
    writeInt(p, 12, t);
    this.stateAfterFixed = new byte[BLOCK];
    encryptBlock(p, stateAfterFixed);
    // the round byte sits at q.length - b - 1: every whole block before it is tweak and padding alone
    this.firstChangingBlock = (q.length - b - 1) / BLOCK * BLOCK;
    for (int offset = 0; offset < firstChangingBlock; offset += BLOCK) {
      for (int i = 0; i < BLOCK; i++) {
        block[i] = (byte) (stateAfterFixed[i] ^ q[offset + i]);
      }
      encryptBlock(block, stateAfterFixed);
    }
  }

  public int digits() {
    return digits;
  }

  /** One past the largest value: 10^digits. */
  public long domainSize() {
    return domain;
  }

  public long encrypt(long value) {
    checkInDomain(value);
    long a = value / modulusV;
    long bValue = value % modulusV;
    for (int round = 0; round < ROUNDS; round++) {
      long modulus = (round & 1) == 0 ? modulusU : modulusV;
      long y = prf(round, bValue);
      long c = Math.floorMod(a % modulus + Long.remainderUnsigned(y, modulus), modulus);
      a = bValue;
      bValue = c;
    }
    return a * modulusV + bValue;
  }

  public long decrypt(long value) {
    checkInDomain(value);
    long a = value / modulusV;
    long bValue = value % modulusV;
    for (int round = ROUNDS - 1; round >= 0; round--) {
      long modulus = (round & 1) == 0 ? modulusU : modulusV;
      long y = prf(round, a);
      long c = Math.floorMod(bValue - Long.remainderUnsigned(y, modulus), modulus);
      bValue = a;
      a = c;
    }
    return a * modulusV + bValue;
  }

  private void checkInDomain(long value) {
    if (value < 0 || value >= domain) {
      throw new IllegalArgumentException("Cannot encrypt: value outside [0, 10^" + digits + ")");
    }
  }

  /** The first 8 bytes of PRF(P || Q) as an unsigned 64-bit number (d = 8 because b <= 4). */
  private long prf(int round, long number) {
    int end = q.length;
    q[end - b - 1] = (byte) round;
    for (int i = 1; i <= b; i++) {
      q[end - i] = (byte) number;
      number >>>= 8;
    }
    System.arraycopy(stateAfterFixed, 0, mac, 0, BLOCK);
    for (int offset = firstChangingBlock; offset < end; offset += BLOCK) {
      for (int i = 0; i < BLOCK; i++) {
        block[i] = (byte) (mac[i] ^ q[offset + i]);
      }
      encryptBlock(block, mac);
    }
    long y = 0;
    for (int i = 0; i < 8; i++) {
      y = (y << 8) | (mac[i] & 0xFF);
    }
    return y;
  }

  private void encryptBlock(byte[] in, byte[] out) {
    try {
      if (aes.update(in, 0, BLOCK, out, 0) != BLOCK) {
        throw new IllegalStateException("AES returned a partial block");
      }
    } catch (ShortBufferException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void writeInt(byte[] target, int offset, int value) {
    target[offset] = (byte) (value >>> 24);
    target[offset + 1] = (byte) (value >>> 16);
    target[offset + 2] = (byte) (value >>> 8);
    target[offset + 3] = (byte) value;
  }
}
