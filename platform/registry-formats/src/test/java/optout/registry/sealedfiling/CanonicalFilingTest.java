package optout.registry.sealedfiling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class CanonicalFilingTest {

  static final byte[] SALT = HexFormat.of().parseHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");

  static CanonicalFiling proxyWithdrawal() {
    return new CanonicalFiling("CS-20261120-ABCDEFGHJK", "opt-out-withdrawn", CanonicalFiling.personCommitment(SALT, "A123456789"),
        new TreeSet<>(List.of("commercial-use", "academic-research")), "proxy",
        Optional.of(new CanonicalFiling.Proxy("parent-of-minor", "consent-archive:sha256:" + "cd".repeat(32))),
        Instant.parse("2026-11-20T03:04:05.123456789Z"), "ab".repeat(32), "clerk", "6f1c2a1e-8d3b-4b57-9a43-0c3f1e2d4b5a");
  }

  @Test
  void theTextOfAKnownFilingIsExactlyThis() {
    // the hashes computed independently (Python's hashlib) from the definitions in the javadoc
    assertThat(proxyWithdrawal().text().getBytes(StandardCharsets.UTF_8)).isEqualTo((""
        + "nhi-optout-filing/1\n"
        + "filing CS-20261120-ABCDEFGHJK\n"
        + "type opt-out-withdrawn\n"
        + "person 9484c7a00f80b8cccc556f76e21031f3b0fb83c932cab68fec7f5f291cd54d6f\n"
        + "scopes academic-research,commercial-use\n"
        + "channel proxy\n"
        + "proxy parent-of-minor 5aca58ea3ac7a5a389bff488c4970cfe344e5d12c749e99d9b8100f1e10c1321\n"
        + "effective 2026-11-20T03:04:05.123456Z\n"
        + "form " + "ab".repeat(32) + "\n"
        + "filer clerk 6f1c2a1e-8d3b-4b57-9a43-0c3f1e2d4b5a\n").getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aFilingWithoutProxyAtWholeSecondsSaysNone() {
    CanonicalFiling filing = new CanonicalFiling("it-0001-0002", "opt-out-filed", new byte[32], new TreeSet<>(List.of("all-secondary-use")),
        "online", Optional.empty(), Instant.parse("2026-11-20T03:00:00Z"), "00".repeat(32), "citizen", "citizen-subject");
    assertThat(filing.text()).isEqualTo("""
        nhi-optout-filing/1
        filing it-0001-0002
        type opt-out-filed
        person 0000000000000000000000000000000000000000000000000000000000000000
        scopes all-secondary-use
        channel online
        proxy none
        effective 2026-11-20T03:00:00Z
        form 0000000000000000000000000000000000000000000000000000000000000000
        filer citizen citizen-subject
        """);
  }

  @Test
  void anotherSaltOrPersonGivesAnotherCommitment() {
    byte[] otherSalt = SALT.clone();
    otherSalt[0] ^= 1;
    assertThat(CanonicalFiling.personCommitment(otherSalt, "A123456789")).isNotEqualTo(CanonicalFiling.personCommitment(SALT, "A123456789"));
    assertThat(CanonicalFiling.personCommitment(SALT, "A223456788")).isNotEqualTo(CanonicalFiling.personCommitment(SALT, "A123456789"));
  }

  @Test
  void fieldsThatCouldBreakTheTextAreRefused() {
    assertThatThrownBy(() -> new CanonicalFiling("CS-1\nforged", "opt-out-filed", new byte[32], new TreeSet<>(List.of("a")), "online",
        Optional.empty(), Instant.EPOCH, "00".repeat(32), "clerk", "x"))
        .hasMessage("Cannot make a canonical filing: the filing ID must be 8 to 128 letters, digits, '.', '_' or '-'");
    assertThatThrownBy(() -> new CanonicalFiling("CS-12345678", "opt-out-filed", new byte[32], new TreeSet<>(List.of("a")), "online",
        Optional.empty(), Instant.EPOCH, "00".repeat(32), "clerk", "two words"))
        .hasMessage("Cannot make a canonical filing: the filer's account must be 1 to 128 letters, digits or ._:@-");
    assertThatThrownBy(() -> new CanonicalFiling("CS-12345678", "opt-out-filed", new byte[32], new TreeSet<>(List.of("a")), "online",
        Optional.empty(), Instant.EPOCH, "00".repeat(32), "auditor", "x"))
        .hasMessage("Cannot make a canonical filing: the filer's role must be clerk or citizen");
    assertThatThrownBy(() -> new CanonicalFiling("CS-12345678", "opt-out-filed", new byte[32], new TreeSet<>(List.of("A,b")), "online",
        Optional.empty(), Instant.EPOCH, "00".repeat(32), "clerk", "x"))
        .hasMessage("Cannot make a canonical filing: every scope must be a lower-case code");
    assertThatThrownBy(() -> CanonicalFiling.personCommitment(new byte[16], "A123456789"))
        .hasMessage("Cannot make a canonical filing: the person's salt must be 32 bytes");
  }

  @Test
  void toStringNamesNoPersonAndNoAccount() {
    assertThat(proxyWithdrawal().toString()).doesNotContain("6f1c2a1e", HexFormat.of().formatHex(proxyWithdrawal().person()));
  }
}
