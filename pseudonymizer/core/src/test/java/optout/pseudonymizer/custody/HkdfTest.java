package optout.pseudonymizer.custody;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import java.util.SplittableRandom;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HkdfTest {

  private static final HexFormat HEX = HexFormat.of();

  private static Mac mac(byte[] prk) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(prk, "HmacSHA256"));
    return mac;
  }

  /** RFC 5869, appendix A, test cases 1 to 3: the expand step from the PRK the RFC gives. */
  @ParameterizedTest
  @CsvSource({
    "077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5, f0f1f2f3f4f5f6f7f8f9, 42,"
        + " 3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865",
    "06a6b88c5853361a06104c9ceb35b45cef760014904671014a193f40c15fc244,"
        + " b0b1b2b3b4b5b6b7b8b9babbbcbdbebfc0c1c2c3c4c5c6c7c8c9cacbcccdcecfd0d1d2d3d4d5d6d7d8d9dadbdcdddedfe0e1e2e3e4e5e6e7e8e9eaebecedeeeff0f1f2f3f4f5f6f7f8f9fafbfcfdfeff,"
        + " 82, b11e398dc80327a1c8e7f78c596a49344f012eda2d4efad8a050cc4c19afa97c59045a99cac7827271cb41c65e590e09da3275600c2f09b8367793a9aca3db71cc30c58179ec3e87c14c01d5c1f3434f1d87",
    "19ef24a32c717b167f33a91d6f648bdf96596776afdb6377ac434c1c293ccb04, '', 42,"
        + " 8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8"
  })
  void matchesRfc5869(String prk, String info, int length, String okm) throws Exception {
    assertThat(HEX.formatHex(Hkdf.expand(mac(HEX.parseHex(prk)), HEX.parseHex(info), length))).isEqualTo(okm);
  }

  @Test
  void agreesWithBouncyCastle() throws Exception {
    SplittableRandom random = new SplittableRandom(5869);
    for (int i = 0; i < 200; i++) {
      byte[] prk = new byte[32];
      byte[] info = new byte[random.nextInt(0, 40)];
      random.nextBytes(prk);
      random.nextBytes(info);
      int length = random.nextInt(1, 100);
      HKDFBytesGenerator reference = new HKDFBytesGenerator(new SHA256Digest());
      reference.init(HKDFParameters.skipExtractParameters(prk, info));
      byte[] expected = new byte[length];
      reference.generateBytes(expected, 0, length);
      assertThat(Hkdf.expand(mac(prk), info, length)).isEqualTo(expected);
    }
  }

  @Test
  void refusesOtherMacsAndLengths() throws Exception {
    Mac sha1 = Mac.getInstance("HmacSHA1");
    sha1.init(new SecretKeySpec(new byte[20], "HmacSHA1"));
    assertThatThrownBy(() -> Hkdf.expand(sha1, new byte[0], 32)).hasMessage("Cannot expand with MAC HmacSHA1: need HmacSHA256");
    assertThatThrownBy(() -> Hkdf.expand(mac(new byte[32]), new byte[0], 0)).hasMessage("Cannot expand to 0 bytes: HKDF gives 1 to 8160");
    assertThatThrownBy(() -> Hkdf.expand(mac(new byte[32]), new byte[0], 8161)).hasMessage("Cannot expand to 8161 bytes: HKDF gives 1 to 8160");
  }
}
