package optout.consent.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;
import optout.pseudonymizer.id.PersonId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConsentSecretsTest {

  private static final byte[] MASTER = new byte[32];

  static {
    Arrays.fill(MASTER, (byte) 7);
  }

  @Test
  void keyDerivationIsHkdfSha256AsRfc5869TestCase3() {
    // RFC 5869 A.3: IKM = 22 x 0x0b, salt and info empty; the first 32 bytes of its OKM
    byte[] ikm = new byte[22];
    Arrays.fill(ikm, (byte) 0x0b);
    assertThat(HexFormat.of().formatHex(ConsentSecrets.derive(ikm, "")))
        .isEqualTo("8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d");
  }

  @Test
  void base32IsRfc4648() {
    // RFC 4648 section 10: BASE32("fooba") = "MZXW6YTB"
    assertThat(ConsentSecrets.base32("fooba".getBytes(StandardCharsets.US_ASCII))).isEqualTo("MZXW6YTB");
  }

  @Test
  void receiptCodesAreStablePerFilingAndDifferAcrossFilingsAndKeys() {
    ConsentSecrets secrets = ConsentSecrets.of(MASTER);
    assertThat(secrets.receiptCode("CS-20261125-AAAAAAAAAA")).isEqualTo(secrets.receiptCode("CS-20261125-AAAAAAAAAA"));
    Set<String> codes = new HashSet<>();
    for (int i = 0; i < 1000; i++) {
      codes.add(secrets.receiptCode("CS-20261125-" + i).value());
    }
    assertThat(codes).hasSize(1000);
    byte[] other = MASTER.clone();
    other[0] ^= 1;
    assertThat(ConsentSecrets.of(other).receiptCode("CS-20261125-AAAAAAAAAA")).isNotEqualTo(secrets.receiptCode("CS-20261125-AAAAAAAAAA"));
  }

  @Test
  void personLookupsAreKeyedAndStable() {
    ConsentSecrets secrets = ConsentSecrets.of(MASTER);
    PersonId person = PersonId.parse("A123456789");
    assertThat(secrets.personLookup(person)).hasSize(32).isEqualTo(secrets.personLookup(PersonId.parse("A123456789")));
    assertThat(secrets.personLookup(person)).isNotEqualTo(secrets.personLookup(PersonId.parse("B120000008")));
  }

  @Test
  void anOutboxPayloadOpensOnlyForItsFilingUnchanged() {
    ConsentSecrets secrets = ConsentSecrets.of(MASTER);
    byte[] payload = "{\"nationalId\":\"A123456789\"}".getBytes(StandardCharsets.UTF_8);
    byte[] sealed = secrets.sealOutboxPayload(payload, "CS-1");
    assertThat(new String(sealed, StandardCharsets.ISO_8859_1)).doesNotContain("A123456789");
    assertThat(secrets.openOutboxPayload(sealed, "CS-1")).isEqualTo(payload);
    assertThat(secrets.sealOutboxPayload(payload, "CS-1")).isNotEqualTo(sealed);
    assertThatThrownBy(() -> secrets.openOutboxPayload(sealed, "CS-2")).isInstanceOf(IllegalStateException.class);
    byte[] flipped = sealed.clone();
    flipped[flipped.length - 1] ^= 1;
    assertThatThrownBy(() -> secrets.openOutboxPayload(flipped, "CS-1")).hasMessageContaining("changed");
    assertThatThrownBy(() -> secrets.openOutboxPayload(new byte[5], "CS-1")).hasMessageContaining("truncated");
  }

  @Test
  void theKeyFileIsMadeOnceOwnerOnlyAndAWrongOneIsRefused(@TempDir Path directory) throws Exception {
    Path file = directory.resolve("keys/consent.key");
    assertThatThrownBy(() -> ConsentSecrets.fromFile(file, false)).hasMessageContaining("does not exist");
    ConsentSecrets made = ConsentSecrets.fromFile(file, true);
    assertThat(Files.size(file)).isEqualTo(32);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    assertThat(ConsentSecrets.fromFile(file, true).receiptCode("CS-1")).isEqualTo(made.receiptCode("CS-1"));
    Files.write(file, new byte[31]);
    assertThatThrownBy(() -> ConsentSecrets.fromFile(file, false)).hasMessageContaining("32-byte");
    assertThat(made.toString()).doesNotContain("07");
  }
}
