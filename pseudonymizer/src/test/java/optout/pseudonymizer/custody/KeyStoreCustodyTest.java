package optout.pseudonymizer.custody;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import optout.pseudonymizer.custody.KeyInfo.Purpose;
import optout.pseudonymizer.fpe.Ff1Radix10;
import optout.pseudonymizer.id.PersonId;
import optout.pseudonymizer.id.ProjectId;
import optout.pseudonymizer.pseudonym.ProjectPseudonymizer;
import optout.pseudonymizer.pseudonym.Pseudonyms;
import optout.pseudonymizer.pseudonym.WarehousePseudonymizer;
import optout.pseudonymizer.token.ProjectTokenizer;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyStoreCustodyTest {

  private static final String PASSPHRASE = "correct horse battery staple";
  private static final ProjectId DIABETES = ProjectId.of("nhird-2026-0042");
  private static final ProjectId CANCER = ProjectId.of("nhird-2026-0043");
  private static final PersonId PERSON = PersonId.parse("A123456789");

  @TempDir Path directory;

  private Path keystore() {
    return directory.resolve("keys/pseudonymizer.bcfks");
  }

  private KeyCustody created() throws Exception {
    KeyCustody custody = KeyCustodies.createBcfks(keystore(), Passphrase.of(PASSPHRASE.toCharArray()));
    custody.createWarehouseKey();
    return custody;
  }

  private KeyCustody reopened() throws Exception {
    return KeyCustodies.openBcfks(keystore(), Passphrase.of(PASSPHRASE.toCharArray()));
  }

  @Test
  void pseudonymsAreTheSameAfterReopeningTheKeystore() throws Exception {
    long layer1;
    long layer2;
    long token;
    try (KeyCustody custody = created()) {
      custody.createProjectKeys(DIABETES);
      layer1 = custody.warehousePseudonymizer().pseudonym(PERSON);
      layer2 = custody.projectPseudonymizer(DIABETES).pseudonym(layer1);
      token = custody.projectTokenizer(DIABETES).token(ProjectTokenizer.Kind.HOSPITAL, "1101020018");
    }
    try (KeyCustody custody = reopened()) {
      assertThat(custody.warehousePseudonymizer().pseudonym(PERSON)).isEqualTo(layer1);
      assertThat(custody.projectPseudonymizer(DIABETES).pseudonym(layer1)).isEqualTo(layer2);
      assertThat(custody.projectPseudonymizer(DIABETES).layer1(layer2)).isEqualTo(layer1);
      assertThat(custody.warehousePseudonymizer().reveal(layer1)).isEqualTo(PERSON);
      assertThat(custody.projectTokenizer(DIABETES).token(ProjectTokenizer.Kind.HOSPITAL, "1101020018")).isEqualTo(token);
    }
    assertThat(Pseudonyms.isLayer1(layer1)).isTrue();
    assertThat(Pseudonyms.isLayer2(layer2)).isTrue();
  }

  @Test
  void theFileIsOwnerOnlyAndHoldsNoKeyInClear() throws Exception {
    try (KeyCustody custody = created()) {
      custody.createProjectKeys(DIABETES);
    }
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keystore()))).isEqualTo("rw-------");
    byte[] file = Files.readAllBytes(keystore());
    KeyStore raw = KeyStore.getInstance("BCFKS", new BouncyCastleProvider());
    try (var in = Files.newInputStream(keystore())) {
      raw.load(in, PASSPHRASE.toCharArray());
    }
    List<String> aliases = Collections.list(raw.aliases());
    assertThat(aliases).containsExactlyInAnyOrder("warehouse.v1", "project.nhird-2026-0042.pseudonym", "project.nhird-2026-0042.token");
    for (String alias : aliases) {
      byte[] key = ((SecretKey) raw.getKey(alias, PASSPHRASE.toCharArray())).getEncoded();
      assertThat(key).hasSize(32);
      assertThat(indexOf(file, key)).as(alias + " must not appear in clear").isEqualTo(-1);
    }
  }

  @Test
  void aWrongPassphraseOrAMissingFileIsRefusedClearly() throws Exception {
    created().close();
    assertThatThrownBy(() -> KeyCustodies.openBcfks(keystore(), Passphrase.of("not the passphrase".toCharArray())))
        .isInstanceOf(GeneralSecurityException.class)
        .hasMessage("Cannot open the keystore: wrong passphrase, or the file is damaged");
    assertThatThrownBy(() -> KeyCustodies.openBcfks(directory.resolve("nowhere.bcfks"), Passphrase.of(PASSPHRASE.toCharArray())))
        .hasMessageContaining("no keystore here: create it with `./optout keys init`");
    assertThatThrownBy(() -> KeyCustodies.createBcfks(keystore(), Passphrase.of(PASSPHRASE.toCharArray())))
        .hasMessageContaining("a keystore exists already");
    assertThatThrownBy(() -> Passphrase.of("short".toCharArray()))
        .hasMessage("Cannot use the keystore passphrase: it must have at least 12 characters");
  }

  @Test
  void destroyingAProjectShredsItsKeysForGood() throws Exception {
    long layer1;
    long layer2;
    try (KeyCustody custody = created()) {
      custody.createProjectKeys(DIABETES);
      custody.createProjectKeys(CANCER);
      layer1 = custody.warehousePseudonymizer().pseudonym(PERSON);
      layer2 = custody.projectPseudonymizer(DIABETES).pseudonym(layer1);
      long otherProject = custody.projectPseudonymizer(CANCER).pseudonym(layer1);

      try (KeyCustody otherProcess = reopened()) {
        assertThat(otherProcess.projectPseudonymizer(DIABETES).pseudonym(layer1)).isEqualTo(layer2);
        KeyInfo tombstone = custody.destroyProjectKeys(DIABETES);
        assertThat(tombstone.purpose()).isEqualTo(Purpose.DESTROYED_PROJECT);
        // A custody opened before the destruction sees it too.
        assertThatThrownBy(() -> otherProcess.projectPseudonymizer(DIABETES))
            .isInstanceOf(KeyUnavailableException.class)
            .hasMessageStartingWith("Project nhird-2026-0042 has no keys: they were destroyed at ")
            .hasMessageEndingWith("its pseudonyms can no longer be produced or reversed");
      }
      assertThatThrownBy(() -> custody.projectTokenizer(DIABETES)).isInstanceOf(KeyUnavailableException.class);
      assertThatThrownBy(() -> custody.createProjectKeys(DIABETES))
          .hasMessage("Cannot create keys for project nhird-2026-0042: its keys were destroyed; a destroyed project is never revived, use a new project ID");
      assertThatThrownBy(() -> custody.destroyProjectKeys(DIABETES)).isInstanceOf(KeyUnavailableException.class);
      assertThat(custody.projectPseudonymizer(CANCER).pseudonym(layer1)).as("other projects untouched").isEqualTo(otherProject);
    }
    // Nothing left in the keystore reproduces the destroyed project's pseudonym.
    KeyStore raw = KeyStore.getInstance("BCFKS", new BouncyCastleProvider());
    try (var in = Files.newInputStream(keystore())) {
      raw.load(in, PASSPHRASE.toCharArray());
    }
    for (String alias : Collections.list(raw.aliases())) {
      SecretKey key = (SecretKey) raw.getKey(alias, PASSPHRASE.toCharArray());
      if (!key.getAlgorithm().startsWith("AES")) {
        continue;
      }
      Cipher aes = Cipher.getInstance("AES/ECB/NoPadding");
      aes.init(Cipher.ENCRYPT_MODE, key);
      ProjectPseudonymizer candidate = new ProjectPseudonymizer(
          new Ff1Radix10(aes, Pseudonyms.DOMAIN_DIGITS, ProjectPseudonymizer.tweak(DIABETES)), DIABETES);
      assertThat(candidate.pseudonym(layer1)).as(alias).isNotEqualTo(layer2);
    }
    try (KeyCustody custody = reopened()) {
      assertThat(custody.keys()).extracting(KeyInfo::id)
          .containsExactly("destroyed.nhird-2026-0042", "project.nhird-2026-0043.pseudonym", "project.nhird-2026-0043.token", "warehouse.v1");
      assertThatThrownBy(() -> custody.projectPseudonymizer(DIABETES)).isInstanceOf(KeyUnavailableException.class);
    }
  }

  @Test
  void projectsNeedKeysAndGetThemOnce() throws Exception {
    try (KeyCustody custody = created()) {
      assertThatThrownBy(() -> custody.projectPseudonymizer(DIABETES))
          .isInstanceOf(KeyUnavailableException.class)
          .hasMessage("Project nhird-2026-0042 has no keys: create them with `./optout keys project-create`");
      assertThat(custody.createProjectKeys(DIABETES)).extracting(KeyInfo::purpose)
          .containsExactly(Purpose.PROJECT_PSEUDONYM, Purpose.PROJECT_TOKEN);
      assertThatThrownBy(() -> custody.createProjectKeys(DIABETES))
          .hasMessage("Cannot create keys for project nhird-2026-0042: it has keys already");
    }
  }

  @Test
  void twoCustodiesOnOneFileDoNotLoseEachOthersChanges() throws Exception {
    try (KeyCustody first = created(); KeyCustody second = reopened()) {
      first.createProjectKeys(DIABETES);
      second.createProjectKeys(CANCER);
      assertThat(first.keys()).extracting(KeyInfo::id).contains("project.nhird-2026-0042.pseudonym", "project.nhird-2026-0043.pseudonym");
    }
  }

  @Test
  void rotatingTheWarehouseKeyKeepsTheOldVersionForReKeying() throws Exception {
    try (KeyCustody custody = created()) {
      WarehousePseudonymizer v1 = custody.warehousePseudonymizer();
      KeyInfo rotated = custody.createWarehouseKey();
      assertThat(rotated.version()).isEqualTo(2);
      WarehousePseudonymizer v2 = custody.warehousePseudonymizer();
      assertThat(v2.keyVersion()).isEqualTo(2);
      assertThat(custody.warehousePseudonymizer(1).pseudonym(PERSON)).isEqualTo(v1.pseudonym(PERSON));

      SplittableRandom random = new SplittableRandom(7);
      for (int i = 0; i < 1000; i++) {
        PersonId person = PersonId.fromCode(random.nextLong(PersonId.CODE_COUNT));
        long old = v1.pseudonym(person);
        assertThat(v1.rekey(old, v2)).isEqualTo(v2.pseudonym(person)).isNotEqualTo(old);
      }
      assertThatThrownBy(() -> custody.warehousePseudonymizer(3))
          .isInstanceOf(KeyUnavailableException.class).hasMessage("There is no warehouse key version 3");
    }
  }

  @Test
  void anEmptyKeystoreHasNoWarehouseKey() throws Exception {
    try (KeyCustody custody = KeyCustodies.createBcfks(keystore(), Passphrase.of(PASSPHRASE.toCharArray()))) {
      assertThat(custody.keys()).isEmpty();
      assertThatThrownBy(custody::warehousePseudonymizer)
          .isInstanceOf(KeyUnavailableException.class)
          .hasMessage("There is no warehouse key yet: create it with `./optout keys init`");
    }
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i <= haystack.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
