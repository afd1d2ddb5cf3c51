package optout.trustcentre;

import java.nio.file.Files;
import java.nio.file.Path;
import optout.pseudonymizer.custody.CustodianShare;
import optout.pseudonymizer.custody.KeyCustodies;
import optout.pseudonymizer.custody.KeyCustody;
import optout.pseudonymizer.custody.Passphrase;
import optout.pseudonymizer.custody.ReidentificationKeys;
import optout.pseudonymizer.id.PersonId;
import optout.pseudonymizer.id.ProjectId;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * The custodies of one test JVM, as a deployment keeps them apart: the trust centre's own custody (only
 * the warehouse key, for a citizen's own pseudonym), the release custody that built project
 * {@link #PROJECT} (the extract jobs'), two custodians' share files under their own passphrases, and the
 * re-identification keys sealed under both shares. The trust centre is given only its own custody and
 * the sealed keys.
 */
final class CustodyFixture {

  static final ProjectId PROJECT = ProjectId.of("nhird-2026-0042");
  static final String TRUST_CENTRE_PASSPHRASE = "trust-centre-test-passphrase";
  static final String RELEASE_PASSPHRASE = "release-test-passphrase";
  static final String CUSTODIAN_A_PASSPHRASE = "custodian-a-test-passphrase";
  static final String CUSTODIAN_B_PASSPHRASE = "custodian-b-test-passphrase";

  private static CustodyFixture current;

  final Path trustCentreKeystore;
  final Path releaseKeystore;
  final Path shareA;
  final Path shareB;
  final Path reidentificationKeys;

  private CustodyFixture(Path directory) throws Exception {
    trustCentreKeystore = directory.resolve("trust-centre.bcfks");
    releaseKeystore = directory.resolve("release.bcfks");
    shareA = directory.resolve("custodian-a.share");
    shareB = directory.resolve("custodian-b.share");
    reidentificationKeys = directory.resolve("reidentification.bcfks");
    try (KeyCustody trustCentre = KeyCustodies.createBcfks(trustCentreKeystore, passphrase(TRUST_CENTRE_PASSPHRASE));
        KeyCustody release = KeyCustodies.createBcfks(releaseKeystore, passphrase(RELEASE_PASSPHRASE));
        CustodianShare a = CustodianShare.create(shareA, passphrase(CUSTODIAN_A_PASSPHRASE));
        CustodianShare b = CustodianShare.create(shareB, passphrase(CUSTODIAN_B_PASSPHRASE))) {
      trustCentre.createWarehouseKey();
      release.createProjectKeys(PROJECT);
      ReidentificationKeys.seal(reidentificationKeys, a, b, trustCentre, release);
    }
  }

  static synchronized CustodyFixture get() throws Exception {
    if (current == null) {
      current = new CustodyFixture(Files.createTempDirectory("custodies"));
    }
    return current;
  }

  /** The trust centre's configuration: its own custody and the sealed keys, nothing else. */
  static void register(DynamicPropertyRegistry properties) throws Exception {
    CustodyFixture fixture = get();
    properties.add(KeyCustodies.KEYSTORE_VARIABLE, fixture.trustCentreKeystore::toString);
    properties.add(Passphrase.VARIABLE, () -> TRUST_CENTRE_PASSPHRASE);
    properties.add("optout.trust-centre.reidentification-keys", fixture.reidentificationKeys::toString);
  }

  KeyCustody trustCentreCustody() throws Exception {
    return KeyCustodies.openBcfks(trustCentreKeystore, passphrase(TRUST_CENTRE_PASSPHRASE));
  }

  /** Custodian A's share as they would paste it into an approval. */
  String shareOfA() throws Exception {
    try (CustodianShare share = CustodianShare.open(shareA, passphrase(CUSTODIAN_A_PASSPHRASE))) {
      return share.encoded();
    }
  }

  String shareOfB() throws Exception {
    try (CustodianShare share = CustodianShare.open(shareB, passphrase(CUSTODIAN_B_PASSPHRASE))) {
      return share.encoded();
    }
  }

  /** A person's project pseudonym, as the extract made it (warehouse key, then the release custody's project key). */
  long projectPseudonymOf(PersonId person) throws Exception {
    try (KeyCustody trustCentre = trustCentreCustody();
        KeyCustody release = KeyCustodies.openBcfks(releaseKeystore, passphrase(RELEASE_PASSPHRASE))) {
      return release.projectPseudonymizer(PROJECT).pseudonym(trustCentre.warehousePseudonymizer().pseudonym(person));
    }
  }

  static Passphrase passphrase(String value) {
    return Passphrase.of(value.toCharArray());
  }
}
