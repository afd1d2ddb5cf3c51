package optout.pseudonymizer.pseudonym;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;
import optout.pseudonymizer.FixedKeys;
import optout.pseudonymizer.fpe.Ff1Radix10;
import optout.pseudonymizer.id.PersonId;
import optout.pseudonymizer.id.ProjectId;
import org.junit.jupiter.api.Test;

/** The two layers with fixed test keys (custody is tested on its own). */
class PseudonymLayersTest {

  private final WarehousePseudonymizer warehouse;
  private final ProjectPseudonymizer diabetes;
  private final ProjectPseudonymizer cancer;

  PseudonymLayersTest() throws Exception {
    warehouse = new WarehousePseudonymizer(FixedKeys.pseudonymFf1(1, WarehousePseudonymizer.TWEAK), 1);
    diabetes = new ProjectPseudonymizer(FixedKeys.pseudonymFf1(2, ProjectPseudonymizer.tweak(ProjectId.of("diabetes-2026"))), ProjectId.of("diabetes-2026"));
    cancer = new ProjectPseudonymizer(FixedKeys.pseudonymFf1(3, ProjectPseudonymizer.tweak(ProjectId.of("cancer-2026"))), ProjectId.of("cancer-2026"));
  }

  @Test
  void distinctPeopleGetDistinctLayerOnePseudonymsThatRevealThem() {
    SplittableRandom random = new SplittableRandom(1);
    Set<Long> codes = new HashSet<>();
    Set<Long> pseudonyms = new HashSet<>();
    while (codes.size() < 200_000) {
      long code = random.nextLong(PersonId.CODE_COUNT);
      if (codes.add(code)) {
        PersonId person = PersonId.fromCode(code);
        long pseudonym = warehouse.pseudonym(person);
        assertThat(Pseudonyms.isLayer1(pseudonym)).isTrue();
        pseudonyms.add(pseudonym);
        if (codes.size() % 1000 == 0) {
          assertThat(warehouse.reveal(pseudonym)).isEqualTo(person);
        }
      }
    }
    assertThat(pseudonyms).hasSameSizeAs(codes);
  }

  @Test
  void theSamePersonLooksDifferentInEveryProjectAndEachProjectReversesOnlyItsOwn() {
    long layer1 = warehouse.pseudonym(PersonId.parse("A123456789"));
    long inDiabetes = diabetes.pseudonym(layer1);
    long inCancer = cancer.pseudonym(layer1);
    assertThat(inDiabetes).isNotEqualTo(inCancer).isNotEqualTo(layer1);
    assertThat(Pseudonyms.isLayer2(inDiabetes)).isTrue();
    assertThat(diabetes.layer1(inDiabetes)).isEqualTo(layer1);
    assertThat(cancer.layer1(inDiabetes)).isNotEqualTo(layer1);
  }

  @Test
  void layersAreNeverConfused() {
    long layer1 = warehouse.pseudonym(PersonId.parse("A123456789"));
    long layer2 = diabetes.pseudonym(layer1);
    assertThatThrownBy(() -> diabetes.pseudonym(layer2))
        .isInstanceOf(NotAPseudonymException.class)
        .hasMessage("Not a warehouse (layer-1) pseudonym: it must be an 11-digit number starting with 1");
    assertThatThrownBy(() -> diabetes.layer1(layer1))
        .hasMessage("Not a project (layer-2) pseudonym: it must be an 11-digit number starting with 2");
    assertThatThrownBy(() -> warehouse.reveal(layer2)).isInstanceOf(NotAPseudonymException.class);
    assertThatThrownBy(() -> warehouse.reveal(123_456_789L)).isInstanceOf(NotAPseudonymException.class);
  }

  @Test
  void mostNumbersAreNotPseudonymsOfAnyone() {
    // The domain is 10^10 and there are 2.08 x 10^9 identifiers: about four in five random numbers
    // of the layer-1 range are recognised as made by no one.
    SplittableRandom random = new SplittableRandom(2);
    int refused = 0;
    for (int i = 0; i < 10_000; i++) {
      try {
        warehouse.reveal(Pseudonyms.LAYER1_FIRST + random.nextLong(Pseudonyms.DOMAIN));
      } catch (NotAPseudonymException e) {
        refused++;
      }
    }
    assertThat(refused).isBetween(7_600, 8_200);
  }

  @Test
  void refusesFf1OfTheWrongSize() throws Exception {
    Cipher aes = Cipher.getInstance("AES/ECB/NoPadding");
    aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(new byte[32], "AES"));
    Ff1Radix10 twelveDigits = new Ff1Radix10(aes, 12, new byte[0]);
    assertThatThrownBy(() -> new WarehousePseudonymizer(twelveDigits, 1)).hasMessage("Cannot use FF1 over 12 digits for pseudonyms");
  }
}
