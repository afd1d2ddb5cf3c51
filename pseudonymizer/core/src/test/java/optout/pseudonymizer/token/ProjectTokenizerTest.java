package optout.pseudonymizer.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import optout.pseudonymizer.token.ProjectTokenizer.Kind;
import org.junit.jupiter.api.Test;

class ProjectTokenizerTest {

  private static ProjectTokenizer tokenizer(int keyByte) throws Exception {
    byte[] key = new byte[32];
    key[0] = (byte) keyByte;
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key, "HmacSHA256"));
    return new ProjectTokenizer(mac);
  }

  @Test
  void isHmacSha256OfKindAndValueCutTo63Bits() throws Exception {
    byte[] key = new byte[32];
    key[0] = 1;
    Mac reference = Mac.getInstance("HmacSHA256");
    reference.init(new SecretKeySpec(key, "HmacSHA256"));
    byte[] digest = reference.doFinal(HexFormat.of().parseHex("0000" + HexFormat.of().formatHex("1101020018".getBytes())));
    long expected = Long.parseUnsignedLong(HexFormat.of().formatHex(digest, 0, 8), 16) & Long.MAX_VALUE;
    assertThat(tokenizer(1).token(Kind.HOSPITAL, "1101020018")).isEqualTo(expected);
  }

  @Test
  void stableWithinAProjectDifferentAcrossProjectsAndKinds() throws Exception {
    ProjectTokenizer project = tokenizer(1);
    long hospital = project.token(Kind.HOSPITAL, "1101020018");
    assertThat(project.token(Kind.HOSPITAL, " 1101020018 ")).isEqualTo(hospital);
    assertThat(project.token(Kind.INSURED_UNIT, "1101020018")).isNotEqualTo(hospital);
    assertThat(tokenizer(2).token(Kind.HOSPITAL, "1101020018")).isNotEqualTo(hospital);
    assertThat(hospital).isNotNegative();
  }

  @Test
  void refusesValuesThatAreNotCodes() throws Exception {
    ProjectTokenizer project = tokenizer(1);
    for (String bad : new String[] {null, "", "  ", "臺大醫院", "1101 020018", "x".repeat(65)}) {
      assertThatThrownBy(() -> project.token(Kind.HOSPITAL, bad))
          .hasMessage("Cannot tokenise HOSPITAL: the identifier must be 1 to 64 letters, digits or hyphens");
    }
  }

  @Test
  void aTurkishDefaultLocaleChangesNoToken() throws Exception {
    ProjectTokenizer project = tokenizer(1);
    long upper = project.token(Kind.INSURED_UNIT, "TAIPEI-01");
    Locale before = Locale.getDefault();
    try {
      Locale.setDefault(Locale.forLanguageTag("tr-TR"));
      // "i".toUpperCase() is "İ" in Turkish, which is no ASCII letter
      assertThat(project.token(Kind.INSURED_UNIT, "taipei-01")).isEqualTo(upper);
    } finally {
      Locale.setDefault(before);
    }
  }
}
