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
import optout.pseudonymizer.identity.IdentitySealer;
import optout.pseudonymizer.identity.SealedPersonIdException;
import optout.pseudonymizer.pseudonym.ProjectPseudonymizer;
import optout.pseudonymizer.pseudonym.Pseudonyms;
import optout.pseudonymizer.pseudonym.WarehousePseudonymizer;
import optout.pseudonymizer.token.ProjectRecordKeys;
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

  /** A custody as `keys init` leaves it: the warehouse key and the identity key. */
  KeyCustody created() throws Exception {
    KeyCustody custody = newCustody();
    custody.createWarehouseKey();
    custody.createIdentityKey();
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
    assertThat(remaining).hasSize(4); // warehouse, identity, the other project, the tombstone
    for (Cipher aes : remaining) {
      ProjectPseudonymizer candidate = new ProjectPseudonymizer(
          new Ff1Radix10(aes, Pseudonyms.DOMAIN_DIGITS, ProjectPseudonymizer.tweak(DIABETES)), DIABETES);
      assertThat(candidate.pseudonym(layer1)).isNotEqualTo(layer2);
    }
    try (KeyCustody custody = reopen()) {
      assertThat(custody.keys()).extracting(KeyInfo::purpose).containsExactly(Purpose.DESTROYED_PROJECT,
          Purpose.SEALED_PERSON_ID, Purpose.PROJECT_PSEUDONYM, Purpose.PROJECT_TOKEN, Purpose.WAREHOUSE_PSEUDONYM);
      assertThat(custody.keys().get(0).id()).startsWith("destroyed.nhird-2026-0042.");
      assertThatThrownBy(() -> custody.projectPseudonymizer(DIABETES)).isInstanceOf(KeyUnavailableException.class);
    }
  }

  @Test
  void recordKeysAreStableInAProjectApartAcrossProjectsAndGoWithTheProjectsKeys() throws Exception {
    long visit = 987_654_321_012L;
    long released;
    try (KeyCustody custody = created()) {
      custody.createProjectKeys(DIABETES);
      custody.createProjectKeys(CANCER);
      released = custody.projectRecordKeys(DIABETES).released("visit_id", visit);
      assertThat(released).isBetween(ProjectRecordKeys.RELEASED_FIRST, 2 * ProjectRecordKeys.RELEASED_FIRST - 1);
      assertThat(custody.projectRecordKeys(CANCER).released("visit_id", visit)).isNotEqualTo(released);
      assertThat(custody.projectRecordKeys(DIABETES).released("rx_id", visit)).isNotEqualTo(released);
    }
    // derived, not a stored AES key used again: no key in the storage gives the same permutation
    for (Cipher aes : everyRemainingAesKey()) {
      assertThat(new ProjectRecordKeys(aes, DIABETES).released("visit_id", visit)).isNotEqualTo(released);
    }
    try (KeyCustody custody = reopen()) {
      assertThat(custody.projectRecordKeys(DIABETES).released("visit_id", visit)).isEqualTo(released);
      custody.destroyProjectKeys(DIABETES);
      assertThatThrownBy(() -> custody.projectRecordKeys(DIABETES))
          .isInstanceOf(KeyUnavailableException.class)
          .hasMessageStartingWith("Project nhird-2026-0042 has no keys: they were destroyed at ");
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
      assertThatThrownBy(custody::identitySealer)
          .isInstanceOf(KeyUnavailableException.class)
          .hasMessage("There is no identity key yet: add it with `./optout keys init`");
    }
  }

  @Test
  void sealedIdsOpenAfterReopeningAndOnlyForTheirOwnPseudonym() throws Exception {
    long layer1;
    long otherLayer1;
    byte[] sealed;
    try (KeyCustody custody = created()) {
      WarehousePseudonymizer warehouse = custody.warehousePseudonymizer();
      layer1 = warehouse.pseudonym(PERSON);
      otherLayer1 = warehouse.pseudonym(PersonId.parse("F234567898"));
      IdentitySealer sealer = custody.identitySealer();
      assertThat(sealer.keyVersion()).isEqualTo(1);
      sealed = sealer.seal(PERSON, layer1);
      assertThat(sealer.open(sealed, layer1)).isEqualTo(PERSON);
    }
    try (KeyCustody custody = reopen()) {
      IdentitySealer sealer = custody.identitySealer();
      assertThat(sealer.open(sealed, layer1)).isEqualTo(PERSON);
      assertThatThrownBy(() -> sealer.open(sealed, otherLayer1))
          .isInstanceOf(SealedPersonIdException.class)
          .hasMessage("Cannot open the sealed person ID: it was altered, or it was sealed for another pseudonym (copied from another row)");
      for (int i : new int[] {5, 16, 17, 26, 27, 42}) { // nonce, ciphertext and tag, on this storage's own GCM
        byte[] altered = sealed.clone();
        altered[i] ^= 1;
        assertThatThrownBy(() -> sealer.open(altered, layer1)).as("byte %d", i)
            .isInstanceOf(SealedPersonIdException.class).hasMessageContaining("it was altered");
      }
      assertThat(sealer.open(sealed, layer1)).as("still opens after failures").isEqualTo(PERSON);
      assertThat(sealer.toString()).contains("seals with identity key version 1").doesNotContain("A123456789");
    }
  }

  @Test
  void rotatingTheIdentityKeyKeepsOldSealsOpenAndNewSealsUseTheNewVersion() throws Exception {
    try (KeyCustody custody = created()) {
      long layer1 = custody.warehousePseudonymizer().pseudonym(PERSON);
      IdentitySealer v1 = custody.identitySealer();
      byte[] old = v1.seal(PERSON, layer1);

      KeyInfo rotated = custody.createIdentityKey();
      assertThat(rotated.id()).isEqualTo("identity.v2");
      assertThat(rotated.purpose()).isEqualTo(Purpose.SEALED_PERSON_ID);
      assertThat(rotated.version()).isEqualTo(2);
      assertThat(custody.keys()).extracting(KeyInfo::id).contains("identity.v1", "identity.v2", "warehouse.v1");

      try (KeyCustody otherProcess = reopen()) {
        IdentitySealer v2 = otherProcess.identitySealer();
        assertThat(v2.keyVersion()).isEqualTo(2);
        assertThat(v2.open(old, layer1)).isEqualTo(PERSON);
        byte[] fresh = v2.seal(PERSON, layer1);
        assertThat(IdentitySealer.keyVersionOf(fresh)).isEqualTo(2);
        assertThat(IdentitySealer.keyVersionOf(v2.reseal(old, layer1, layer1))).isEqualTo(2);
        // A sealer taken before the rotation knows only what was there then.
        assertThatThrownBy(() -> v1.open(fresh, layer1))
            .isInstanceOf(SealedPersonIdException.class)
            .hasMessageContaining("it was sealed with identity key version 2, which this custody does not hold (it holds 1)");
      }
      assertThat(custody.warehousePseudonymizer().pseudonym(PERSON)).as("the warehouse key is untouched").isEqualTo(layer1);
    }
  }

  @Test
  void aCustodyFromBeforeTheIdentityKeyIsUpgradedWithoutChangingAnything() throws Exception {
    long layer1;
    try (KeyCustody old = newCustody()) { // what `keys init` made before the identity key existed
      old.createWarehouseKey();
      old.createProjectKeys(DIABETES);
      layer1 = old.warehousePseudonymizer().pseudonym(PERSON);
    }
    try (KeyCustody custody = reopen()) {
      assertThatThrownBy(custody::identitySealer).isInstanceOf(KeyUnavailableException.class)
          .hasMessage("There is no identity key yet: add it with `./optout keys init`");
      assertThat(custody.createIdentityKey().id()).isEqualTo("identity.v1");
      byte[] sealed = custody.identitySealer().seal(PERSON, layer1);
      assertThat(custody.identitySealer().open(sealed, layer1)).isEqualTo(PERSON);
    }
    try (KeyCustody custody = reopen()) {
      assertThat(custody.warehousePseudonymizer().pseudonym(PERSON)).isEqualTo(layer1);
      assertThat(custody.warehousePseudonymizer().keyVersion()).isEqualTo(1);
      assertThat(custody.keys()).extracting(KeyInfo::id)
          .containsExactly("identity.v1", "project.nhird-2026-0042.pseudonym", "project.nhird-2026-0042.token", "warehouse.v1");
    }
  }
}
