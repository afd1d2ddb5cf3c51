package optout.pseudonymizer.custody;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.SplittableRandom;
import javax.crypto.Cipher;
import optout.pseudonymizer.custody.KeyInfo.Purpose;
import optout.pseudonymizer.fpe.Ff1Radix10;
import optout.pseudonymizer.id.PersonId;
import optout.pseudonymizer.id.ProjectId;
import optout.pseudonymizer.pseudonym.ProjectPseudonymizer;
import optout.pseudonymizer.pseudonym.Pseudonyms;
import optout.pseudonymizer.pseudonym.WarehousePseudonymizer;
import optout.pseudonymizer.token.ProjectTokenizer;
import org.junit.jupiter.api.Test;

/** What every key custody must do, whatever stores the keys. */
abstract class KeyCustodyContractTest {

  static final ProjectId DIABETES = ProjectId.of("nhird-2026-0042");
  static final ProjectId CANCER = ProjectId.of("nhird-2026-0043");
  static final PersonId PERSON = PersonId.parse("A123456789");

  /** A new, empty custody. */
  abstract KeyCustody newCustody() throws Exception;

  /** The same storage opened again, as another process would. */
  abstract KeyCustody reopen() throws Exception;

  /** An AES cipher (ECB, encrypting) for every AES key the storage still holds, read past the custody. */
  abstract List<Cipher> everyRemainingAesKey() throws Exception;

  KeyCustody created() throws Exception {
    KeyCustody custody = newCustody();
    custody.createWarehouseKey();
    return custody;
  }

  @Test
  void pseudonymsAreTheSameAfterReopening() throws Exception {
    long layer1;
    long layer2;
    long token;
    try (KeyCustody custody = created()) {
      custody.createProjectKeys(DIABETES);
      layer1 = custody.warehousePseudonymizer().pseudonym(PERSON);
      layer2 = custody.projectPseudonymizer(DIABETES).pseudonym(layer1);
      token = custody.projectTokenizer(DIABETES).token(ProjectTokenizer.Kind.HOSPITAL, "1101020018");
    }
    try (KeyCustody custody = reopen()) {
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
  void destroyingAProjectShredsItsKeysForGood() throws Exception {
    long layer1;
    long layer2;
    try (KeyCustody custody = created()) {
      custody.createProjectKeys(DIABETES);
      custody.createProjectKeys(CANCER);
      layer1 = custody.warehousePseudonymizer().pseudonym(PERSON);
      layer2 = custody.projectPseudonymizer(DIABETES).pseudonym(layer1);
      long otherProject = custody.projectPseudonymizer(CANCER).pseudonym(layer1);

      try (KeyCustody otherProcess = reopen()) {
        assertThat(otherProcess.projectPseudonymizer(DIABETES).pseudonym(layer1)).isEqualTo(layer2);
        KeyInfo tombstone = custody.destroyProjectKeys(DIABETES);
        assertThat(tombstone.purpose()).isEqualTo(Purpose.DESTROYED_PROJECT);
        assertThat(tombstone.at()).isPresent();
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
    // Nothing left in the storage reproduces the destroyed project's pseudonym.
    List<Cipher> remaining = everyRemainingAesKey();
    assertThat(remaining).hasSize(3); // warehouse, the other project, the tombstone
    for (Cipher aes : remaining) {
      ProjectPseudonymizer candidate = new ProjectPseudonymizer(
          new Ff1Radix10(aes, Pseudonyms.DOMAIN_DIGITS, ProjectPseudonymizer.tweak(DIABETES)), DIABETES);
      assertThat(candidate.pseudonym(layer1)).isNotEqualTo(layer2);
    }
    try (KeyCustody custody = reopen()) {
      assertThat(custody.keys()).extracting(KeyInfo::purpose).containsExactly(
          Purpose.DESTROYED_PROJECT, Purpose.PROJECT_PSEUDONYM, Purpose.PROJECT_TOKEN, Purpose.WAREHOUSE_PSEUDONYM);
      assertThat(custody.keys().get(0).id()).startsWith("destroyed.nhird-2026-0042.");
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
  void twoCustodiesOnOneStorageDoNotLoseEachOthersChanges() throws Exception {
    try (KeyCustody first = created(); KeyCustody second = reopen()) {
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
      for (int i = 0; i < 200; i++) {
        PersonId person = PersonId.fromCode(random.nextLong(PersonId.CODE_COUNT));
        long old = v1.pseudonym(person);
        assertThat(v1.rekey(old, v2)).isEqualTo(v2.pseudonym(person)).isNotEqualTo(old);
      }
      assertThatThrownBy(() -> custody.warehousePseudonymizer(3))
          .isInstanceOf(KeyUnavailableException.class).hasMessage("There is no warehouse key version 3");
    }
  }

  @Test
  void anEmptyCustodyHasNoWarehouseKey() throws Exception {
    try (KeyCustody custody = newCustody()) {
      assertThat(custody.keys()).isEmpty();
      assertThatThrownBy(custody::warehousePseudonymizer)
          .isInstanceOf(KeyUnavailableException.class)
          .hasMessage("There is no warehouse key yet: create it with `./optout keys init`");
    }
  }
}
