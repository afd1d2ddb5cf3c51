package optout.pseudonymizer.custody;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import optout.pseudonymizer.id.PersonId;
import optout.pseudonymizer.id.ProjectId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reversing keys under two custodians' shares: both open them, in either order; nothing less does. */
class ReidentificationKeysTest {

  private static final ProjectId PROJECT = ProjectId.of("nhird-2026-0042");
  private static final PersonId PERSON = PersonId.parse("A123456789");

  @TempDir Path directory;

  private static Passphrase passphrase(String value) {
    return Passphrase.of(value.toCharArray());
  }

  @Test
  void bothSharesOpenTheReversingKeysAndNothingLessDoes() throws Exception {
    Path vault = directory.resolve("reidentification.bcfks");
    long projectPseudonym;
    try (KeyCustody warehouse = KeyCustodies.createBcfks(directory.resolve("warehouse.bcfks"), passphrase("warehouse-passphrase"));
        KeyCustody release = KeyCustodies.createBcfks(directory.resolve("release.bcfks"), passphrase("release-passphrase"));
        CustodianShare a = CustodianShare.create(directory.resolve("a.share"), passphrase("custodian-a-passphrase"));
        CustodianShare b = CustodianShare.create(directory.resolve("b.share"), passphrase("custodian-b-passphrase"))) {
      warehouse.createWarehouseKey();
      warehouse.createIdentityKey();
      release.createProjectKeys(PROJECT);
      projectPseudonym = release.projectPseudonymizer(PROJECT).pseudonym(warehouse.warehousePseudonymizer().pseudonym(PERSON));
      ReidentificationKeys.Description description = ReidentificationKeys.seal(vault, a, b, warehouse, release);
      assertThat(description.projects()).containsExactly(PROJECT);
      assertThat(description.warehouseVersions()).containsExactly(1);
      assertThat(Files.readString(directory.resolve("reidentification.bcfks.custodians")))
          .doesNotContain(a.encoded(), b.encoded(), HexFormat.of().formatHex(a.copyOfBytes()));
    }

    try (CustodianShare a = CustodianShare.open(directory.resolve("a.share"), passphrase("custodian-a-passphrase"));
        CustodianShare b = CustodianShare.open(directory.resolve("b.share"), passphrase("custodian-b-passphrase"))) {
      for (CustodianShare[] order : new CustodianShare[][] {{a, b}, {b, a}}) {
        try (KeyCustody keys = ReidentificationKeys.open(vault, order[0], order[1])) {
          long layer1 = keys.projectPseudonymizer(PROJECT).layer1(projectPseudonym);
          assertThat(keys.warehousePseudonymizer().reveal(layer1).unmaskedValue()).isEqualTo(PERSON.unmaskedValue());
          assertThatThrownBy(keys::identitySealer).as("only the reversing keys are sealed").isInstanceOf(KeyUnavailableException.class);
          assertThatThrownBy(() -> keys.projectTokenizer(PROJECT)).isInstanceOf(KeyUnavailableException.class);
        }
      }
      CustodianShare stranger = CustodianShare.of(new byte[32]);
      assertThatThrownBy(() -> ReidentificationKeys.open(vault, a, a)).isInstanceOf(GeneralSecurityException.class)
          .hasMessageContaining("both custodians' shares");
      assertThatThrownBy(() -> ReidentificationKeys.open(vault, a, stranger)).isInstanceOf(GeneralSecurityException.class);
      // A description that names a forged share does not help: the passphrase comes from the shares themselves.
      Path sidecar = directory.resolve("reidentification.bcfks.custodians");
      Files.writeString(sidecar, Files.readString(sidecar).replaceAll("share\\.2=[0-9a-f]+", "share.2=" + stranger.fingerprint())
          .replaceAll("share\\.1=[0-9a-f]+", "share.1=" + a.fingerprint()));
      assertThatThrownBy(() -> ReidentificationKeys.open(vault, a, stranger)).isInstanceOf(GeneralSecurityException.class)
          .hasMessageContaining("wrong passphrase");
    }
    assertThatThrownBy(() -> CustodianShare.open(directory.resolve("a.share"), passphrase("custodian-b-passphrase")))
        .isInstanceOf(GeneralSecurityException.class);
  }

  @Test
  void aProjectAddedLaterNeedsBothCustodiansAgain() throws Exception {
    Path vault = directory.resolve("reidentification.bcfks");
    ProjectId later = ProjectId.of("nhird-2027-0001");
    try (KeyCustody keys = KeyCustodies.createBcfks(directory.resolve("keys.bcfks"), passphrase("keys-passphrase"));
        CustodianShare a = CustodianShare.create(directory.resolve("a.share"), passphrase("custodian-a-passphrase"));
        CustodianShare b = CustodianShare.create(directory.resolve("b.share"), passphrase("custodian-b-passphrase"))) {
      keys.createWarehouseKey();
      keys.createProjectKeys(PROJECT);
      ReidentificationKeys.seal(vault, a, b, keys);
      keys.createProjectKeys(later);
      keys.createWarehouseKey();
      assertThatThrownBy(() -> ReidentificationKeys.seal(vault, a, CustodianShare.of(new byte[32]), keys))
          .isInstanceOf(GeneralSecurityException.class);
      assertThatThrownBy(() -> ReidentificationKeys.seal(vault, a, a, keys)).isInstanceOf(GeneralSecurityException.class);
      ReidentificationKeys.Description description = ReidentificationKeys.seal(vault, b, a, keys);
      assertThat(description.projects()).containsExactlyInAnyOrder(PROJECT, later);
      assertThat(description.warehouseVersions()).containsExactly(1, 2);
      try (KeyCustody opened = ReidentificationKeys.open(vault, a, b)) {
        assertThat(opened.projectPseudonymizer(later)).isNotNull();
      }
    }
  }

  @Test
  void aMalformedShareIsRefusedWithoutEchoingIt() {
    assertThatThrownBy(() -> CustodianShare.decode("too-short")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageNotContaining("too-short");
    assertThatThrownBy(() -> CustodianShare.decode("not base64!")).isInstanceOf(IllegalArgumentException.class);
  }
}
