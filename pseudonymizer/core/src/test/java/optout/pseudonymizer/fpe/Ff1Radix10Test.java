package optout.pseudonymizer.fpe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.fpe.FPEFF1Engine;
import org.bouncycastle.crypto.params.FPEParameters;
import org.bouncycastle.crypto.params.KeyParameter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class Ff1Radix10Test {

  private static final HexFormat HEX = HexFormat.of();
  private static final String KEY_128 = "2B7E151628AED2A6ABF7158809CF4F3C";
  private static final String KEY_192 = "2B7E151628AED2A6ABF7158809CF4F3CEF4359D8D580AA4F";
  private static final String KEY_256 = "2B7E151628AED2A6ABF7158809CF4F3CEF4359D8D580AA4F7F036D6F04FC6A94";
  private static final String NIST_TWEAK = "39383736353433323130";

  static Ff1Radix10 ff1(byte[] key, int digits, byte[] tweak) throws GeneralSecurityException {
    Cipher aes = Cipher.getInstance("AES/ECB/NoPadding");
    aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"));
    return new Ff1Radix10(aes, digits, tweak);
  }

  /** NIST's FF1 samples with radix 10 (samples 1, 2, 4, 5, 7 and 8 of the FF1 examples). */
  @ParameterizedTest(name = "NIST FF1 sample {0}")
  @CsvSource({
    "1, " + KEY_128 + ", '', 0123456789, 2433477484",
    "2, " + KEY_128 + ", " + NIST_TWEAK + ", 0123456789, 6124200773",
    "4, " + KEY_192 + ", '', 0123456789, 2830668132",
    "5, " + KEY_192 + ", " + NIST_TWEAK + ", 0123456789, 2496655549",
    "7, " + KEY_256 + ", '', 0123456789, 6657667009",
    "8, " + KEY_256 + ", " + NIST_TWEAK + ", 0123456789, 1001623463",
  })
  void matchesNistSamples(int sample, String key, String tweak, String plaintext, String ciphertext) throws Exception {
    Ff1Radix10 ff1 = ff1(HEX.parseHex(key), 10, HEX.parseHex(tweak));
    assertThat(ff1.encrypt(Long.parseLong(plaintext))).isEqualTo(Long.parseLong(ciphertext));
    assertThat(ff1.decrypt(Long.parseLong(ciphertext))).isEqualTo(Long.parseLong(plaintext));
  }

  /** The radix-36 samples (3, 6, 9) are beyond this class; they confirm the reference it is compared with. */
  @ParameterizedTest(name = "Bouncy Castle reproduces NIST FF1 sample {0}")
  @CsvSource({
    "3, " + KEY_128 + ", 0123456789abcdefghi, a9tv40mll9kdu509eum",
    "6, " + KEY_192 + ", 0123456789abcdefghi, xbj3kv35jrawxv32ysr",
    "9, " + KEY_256 + ", 0123456789abcdefghi, xs8a0azh2avyalyzuwd",
  })
  void referenceMatchesNistRadix36Samples(int sample, String key, String plaintext, String ciphertext) {
    String alphabet = "0123456789abcdefghijklmnopqrstuvwxyz";
    byte[] in = new byte[plaintext.length()];
    for (int i = 0; i < in.length; i++) {
      in[i] = (byte) alphabet.indexOf(plaintext.charAt(i));
    }
    FPEFF1Engine engine = new FPEFF1Engine();
    engine.init(true, new FPEParameters(new KeyParameter(HEX.parseHex(key)), 36, HEX.parseHex("3737373770717273373737")));
    byte[] out = new byte[in.length];
    engine.processBlock(in, 0, in.length, out, 0);
    StringBuilder text = new StringBuilder();
    for (byte numeral : out) {
      text.append(alphabet.charAt(numeral));
    }
    assertThat(text.toString()).isEqualTo(ciphertext);
  }

  @Test
  void agreesWithBouncyCastleBitForBitOnRandomInputs() throws Exception {
    SplittableRandom random = new SplittableRandom(20261124);
    int[] tweakLengths = {0, 2, 10, 12, 13, 20, 40};
    for (int digits = Ff1Radix10.MIN_DIGITS; digits <= Ff1Radix10.MAX_DIGITS; digits++) {
      for (int tweakLength : tweakLengths) {
        byte[] key = new byte[32];
        byte[] tweak = new byte[tweakLength];
        random.nextBytes(key);
        random.nextBytes(tweak);
        Ff1Radix10 ours = ff1(key, digits, tweak);
        FPEFF1Engine reference = new FPEFF1Engine();
        reference.init(true, new FPEParameters(new KeyParameter(key), 10, tweak));
        long domain = ours.domainSize();
        for (int i = 0; i < 200; i++) {
          long value = random.nextLong(domain);
          long encrypted = ours.encrypt(value);
          assertThat(encrypted).as("digits %d, tweak %d bytes, value %d", digits, tweakLength, value)
              .isEqualTo(referenceEncrypt(reference, value, digits));
          assertThat(ours.decrypt(encrypted)).isEqualTo(value);
        }
      }
    }
  }

  @Test
  void isAPermutationOfTheDomain() throws Exception {
    Ff1Radix10 ff1 = ff1(new byte[32], 6, new byte[0]);
    Set<Long> outputs = new HashSet<>();
    for (long value = 0; value < 1_000_000; value++) {
      long encrypted = ff1.encrypt(value);
      assertThat(encrypted).isBetween(0L, 999_999L);
      outputs.add(encrypted);
    }
    assertThat(outputs).hasSize(1_000_000);
  }

  @Test
  void differentKeysAndTweaksGiveDifferentPermutations() throws Exception {
    byte[] key = new byte[32];
    byte[] otherKey = key.clone();
    otherKey[31] = 1;
    long value = 1_234_567_890L;
    long base = ff1(key, 10, new byte[] {1}).encrypt(value);
    assertThat(ff1(otherKey, 10, new byte[] {1}).encrypt(value)).isNotEqualTo(base);
    assertThat(ff1(key, 10, new byte[] {2}).encrypt(value)).isNotEqualTo(base);
  }

  @Test
  void refusesValuesOutsideTheDomainAndUnsupportedSizes() throws Exception {
    Ff1Radix10 ff1 = ff1(new byte[16], 10, new byte[0]);
    assertThatThrownBy(() -> ff1.encrypt(10_000_000_000L)).hasMessage("Cannot encrypt: value outside [0, 10^10)");
    assertThatThrownBy(() -> ff1.decrypt(-1)).hasMessage("Cannot encrypt: value outside [0, 10^10)");
    assertThatThrownBy(() -> ff1(new byte[16], 5, new byte[0])).hasMessage("Cannot use FF1 over 5 digits: must be 6 to 18");
    assertThatThrownBy(() -> ff1(new byte[16], 19, new byte[0])).hasMessage("Cannot use FF1 over 19 digits: must be 6 to 18");
    Cipher cbc = Cipher.getInstance("AES/CBC/NoPadding");
    cbc.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(new byte[16], "AES"), new javax.crypto.spec.IvParameterSpec(new byte[16]));
    assertThatThrownBy(() -> new Ff1Radix10(cbc, 10, new byte[0]))
        .hasMessage("Cannot use cipher AES/CBC/NoPadding: need AES/ECB/NoPadding");
  }

  static long referenceEncrypt(FPEFF1Engine engine, long value, int digits) {
    byte[] numerals = new byte[digits];
    for (int i = digits - 1; i >= 0; i--) {
      numerals[i] = (byte) (value % 10);
      value /= 10;
    }
    byte[] out = new byte[digits];
    engine.processBlock(numerals, 0, digits, out, 0);
    long result = 0;
    for (byte numeral : out) {
      result = result * 10 + numeral;
    }
    return result;
  }
}
