package optout.pseudonymizer.custody;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import optout.pseudonymizer.custody.KeyCustodies.Duty;
import optout.pseudonymizer.id.PersonId;
import optout.pseudonymizer.id.ProjectId;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each component gets one duty's custody: it answers for that duty only, and a custody holding more is refused. */
class DutyCustodyTest {

  private static final ProjectId PROJECT = ProjectId.of("diabetes-2026");
  private static final ProjectId TOKENS = ProjectId.of(KeyCustodies.WAREHOUSE_TOKENS);

  @TempDir Path directory;
  private Path ceremony;
  private final Map<String, String> environment = new HashMap<>();

  @BeforeEach
  void ceremonyKeystoreSplitByDuty() throws Exception {
    ceremony = directory.resolve("ceremony.bcfks");
    try (KeyCustody all = KeyCustodies.createBcfks(ceremony, passphrase("ceremony passphrase"))) {
      all.createWarehouseKey();
      all.createIdentityKey();
      all.createProjectKeys(TOKENS);
      all.createProjectKeys(PROJECT);
      for (Duty duty : Duty.values()) {
        Path file = directory.resolve(duty.lowerCaseName() + ".bcfks");
        KeyCustodies.split(all, duty, file, passphrase(duty.lowerCaseName() + " passphrase"));
        environment.put(duty.keystoreVariable(), file.toString());
        environment.put(duty.passphraseVariable(), duty.lowerCaseName() + " passphrase");
      }
    }
  }

  private static Passphrase passphrase(String text) {
    return Passphrase.of(text.toCharArray());
  }

  @Test
  void theWarehouseCustodyMakesLayerOneAndTheWarehouseTokensAndNothingElse() throws Exception {
    try (KeyCustody warehouse = KeyCustodies.openForDuty(Duty.WAREHOUSE, environment)) {
      assertThat(warehouse.keys()).extracting(KeyInfo::id)
          .containsExactlyInAnyOrder("warehouse.v1", "project.nhi-warehouse.pseudonym", "project.nhi-warehouse.token");
      assertThat(warehouse.warehousePseudonymizer().pseudonym(PersonId.parse("A123456789"))).isPositive();
      assertThat(warehouse.projectTokenizer(TOKENS)).isNotNull();
      assertThatThrownBy(() -> warehouse.projectPseudonymizer(PROJECT)).isInstanceOf(KeyUnavailableException.class)
          .hasMessageContaining("with the warehouse custody").hasMessageContaining("release custody's duty");
      assertThatThrownBy(() -> warehouse.projectTokenizer(PROJECT)).hasMessageContaining("release custody's duty");
      assertThatThrownBy(() -> warehouse.projectRecordKeys(PROJECT)).hasMessageContaining("release custody's duty");
      assertThatThrownBy(warehouse::identitySealer).hasMessageContaining("identity custody's duty");
      assertThatThrownBy(() -> warehouse.createProjectKeys(ProjectId.of("another-2026"))).hasMessageContaining("release custody's duty");
    }
  }

  @Test
  void theReleaseCustodyMakesProjectValuesAndCannotMakeOrReverseLayerOne() throws Exception {
    try (KeyCustody release = KeyCustodies.openForDuty(Duty.RELEASE, environment)) {
      assertThat(release.keys()).extracting(KeyInfo::id)
          .containsExactlyInAnyOrder("project.diabetes-2026.pseudonym", "project.diabetes-2026.token");
      assertThat(release.projectPseudonymizer(PROJECT).pseudonym(12_345_678_901L)).isPositive();
      assertThat(release.projectRecordKeys(PROJECT)).isNotNull();
      assertThatThrownBy(release::warehousePseudonymizer).hasMessageContaining("warehouse custody's duty");
      assertThatThrownBy(() -> release.warehousePseudonymizer(1)).hasMessageContaining("warehouse custody's duty");
      assertThatThrownBy(() -> release.projectTokenizer(TOKENS)).hasMessageContaining("warehouse custody's duty");
      assertThatThrownBy(release::createWarehouseKey).hasMessageContaining("warehouse custody's duty");
      assertThatThrownBy(release::identitySealer).hasMessageContaining("identity custody's duty");
    }
  }

  @Test
  void theIdentityCustodySealsIdsOnly() throws Exception {
    try (KeyCustody identity = KeyCustodies.openForDuty(Duty.IDENTITY, environment)) {
      assertThat(identity.keys()).extracting(KeyInfo::id).containsExactly("identity.v1");
      assertThat(identity.identitySealer().keyVersion()).isEqualTo(1);
      assertThatThrownBy(identity::warehousePseudonymizer).hasMessageContaining("warehouse custody's duty");
      assertThatThrownBy(() -> identity.projectPseudonymizer(PROJECT)).hasMessageContaining("release custody's duty");
    }
  }

  @Test
  void aDutyCustodyKeepsWorkingAfterAChangeThroughIt() throws Exception {
    ProjectId later = ProjectId.of("later-2026");
    try (KeyCustody release = KeyCustodies.openForDuty(Duty.RELEASE, environment)) {
      release.createProjectKeys(later); // rewrites the file and reads it again under the same passphrase
      assertThat(release.projectPseudonymizer(later)).isNotNull();
    }
    try (KeyCustody again = KeyCustodies.openForDuty(Duty.RELEASE, environment)) {
      assertThat(again.keys()).extracting(KeyInfo::id).contains("project.later-2026.pseudonym");
    }
  }

  @Test
  void aKeystoreHoldingAnotherDutysKeysIsRefused() throws Exception {
    Map<String, String> everything = new HashMap<>(environment);
    everything.put(Duty.WAREHOUSE.keystoreVariable(), ceremony.toString());
    everything.put(Duty.WAREHOUSE.passphraseVariable(), "ceremony passphrase");
    assertThatThrownBy(() -> KeyCustodies.openForDuty(Duty.WAREHOUSE, everything)).isInstanceOf(KeyUnavailableException.class)
        .hasMessageContaining("Cannot use OPTOUT_WAREHOUSE_KEYSTORE as the warehouse custody: it also holds");
    Map<String, String> swapped = new HashMap<>(environment);
    swapped.put(Duty.IDENTITY.keystoreVariable(), environment.get(Duty.RELEASE.keystoreVariable()));
    swapped.put(Duty.IDENTITY.passphraseVariable(), "release passphrase");
    assertThatThrownBy(() -> KeyCustodies.openForDuty(Duty.IDENTITY, swapped))
        .hasMessageContaining("as the identity custody: it also holds release keys");
  }

  @Test
  void aMissingCustodyOrWrongPassphraseFailsClearly() {
    assertThatThrownBy(() -> KeyCustodies.openForDuty(Duty.RELEASE, Map.of())).isInstanceOf(KeyUnavailableException.class)
        .hasMessage("Cannot find the release keys: set OPTOUT_RELEASE_KEYSTORE (or OPTOUT_RELEASE_PKCS11_CONFIG) and "
            + "OPTOUT_RELEASE_KEYSTORE_PASSWORD (or OPTOUT_RELEASE_KEYSTORE_PASSWORD_FILE)");
    Map<String, String> nowhere = new HashMap<>(environment);
    nowhere.put(Duty.RELEASE.keystoreVariable(), directory.resolve("missing.bcfks").toString());
    assertThatThrownBy(() -> KeyCustodies.openForDuty(Duty.RELEASE, nowhere))
        .hasMessageContaining("there is no keystore at").hasMessageContaining("./optout keys split --duty release");
    Map<String, String> noPassphrase = new HashMap<>(environment);
    noPassphrase.remove(Duty.RELEASE.passphraseVariable());
    assertThatThrownBy(() -> KeyCustodies.openForDuty(Duty.RELEASE, noPassphrase)).hasMessageContaining("OPTOUT_RELEASE_KEYSTORE_PASSWORD");
    Map<String, String> wrong = new HashMap<>(environment);
    wrong.put(Duty.RELEASE.passphraseVariable(), "warehouse passphrase");
    assertThatThrownBy(() -> KeyCustodies.openForDuty(Duty.RELEASE, wrong)).hasMessageContaining("wrong passphrase");
  }

  @Test
  void aProjectDestroyedAtTheCeremonyIsDestroyedInTheReleaseCustodyByTheNextSplit() throws Exception {
    try (KeyCustody all = KeyCustodies.openBcfks(ceremony, passphrase("ceremony passphrase"))) {
      all.destroyProjectKeys(PROJECT);
      all.createProjectKeys(ProjectId.of("cancer-2026"));
      KeyCustodies.split(all, Duty.RELEASE, Path.of(environment.get(Duty.RELEASE.keystoreVariable())), passphrase("release passphrase"));
    }
    try (KeyCustody release = KeyCustodies.openForDuty(Duty.RELEASE, environment)) {
      assertThatThrownBy(() -> release.projectPseudonymizer(PROJECT)).hasMessageContaining("were destroyed");
      assertThat(release.projectPseudonymizer(ProjectId.of("cancer-2026"))).isNotNull();
    }
  }
}
