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
 * The custodies of one test JVM, as a deployment keeps them apart: the warehouse custody (ingest's and
 * the registry's), the release custody that built project {@link #PROJECT} (the extract jobs'), two
 * custodians' share files under their own passphrases, and the re-identification keys sealed under both
 * shares. The trust centre is given only the sealed keys.
 */
final class CustodyFixture {

  static final ProjectId PROJECT = ProjectId.of("nhird-2026-0042");
  static final String WAREHOUSE_PASSPHRASE = "warehouse-test-passphrase";
  static final String RELEASE_PASSPHRASE = "release-test-passphrase";
  static final String CUSTODIAN_A_PASSPHRASE = "custodian-a-test-passphrase";
  static final String CUSTODIAN_B_PASSPHRASE = "custodian-b-test-passphrase";

  private static CustodyFixture current;

  final Path warehouseKeystore;
  final Path releaseKeystore;
  final Path shareA;
  final Path shareB;
  final Path reidentificationKeys;

  private CustodyFixture(Path directory) throws Exception {
    warehouseKeystore = directory.resolve("warehouse.bcfks");
    releaseKeystore = directory.resolve("release.bcfks");
    shareA = directory.resolve("custodian-a.share");
    shareB = directory.resolve("custodian-b.share");
    reidentificationKeys = directory.resolve("reidentification.bcfks");
    try (KeyCustody warehouse = KeyCustodies.createBcfks(warehouseKeystore, passphrase(WAREHOUSE_PASSPHRASE));
        KeyCustody release = KeyCustodies.createBcfks(releaseKeystore, passphrase(RELEASE_PASSPHRASE));
        CustodianShare a = CustodianShare.create(shareA, passphrase(CUSTODIAN_A_PASSPHRASE));
        CustodianShare b = CustodianShare.create(shareB, passphrase(CUSTODIAN_B_PASSPHRASE))) {
      warehouse.createWarehouseKey();
      release.createProjectKeys(PROJECT);
      ReidentificationKeys.seal(reidentificationKeys, a, b, warehouse, release);
    }
  }

  static synchronized CustodyFixture get() throws Exception {
    if (current == null) {
      current = new CustodyFixture(Files.createTempDirectory("custodies"));
    }
    return current;
  }

  /** The trust centre's configuration: the sealed keys, nothing else. */
  static void register(DynamicPropertyRegistry properties) throws Exception {
    CustodyFixture fixture = get();
    properties.add("optout.trust-centre.reidentification-keys", fixture.reidentificationKeys::toString);
  }

  /** The warehouse custody, as ingest has it (never the trust centre). */
  KeyCustody warehouseCustody() throws Exception {
    return KeyCustodies.openBcfks(warehouseKeystore, passphrase(WAREHOUSE_PASSPHRASE));
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
    try (KeyCustody warehouse = warehouseCustody();
        KeyCustody release = KeyCustodies.openBcfks(releaseKeystore, passphrase(RELEASE_PASSPHRASE))) {
      return release.projectPseudonymizer(PROJECT).pseudonym(warehouse.warehousePseudonymizer().pseudonym(person));
    }
  }

  static Passphrase passphrase(String value) {
    return Passphrase.of(value.toCharArray());
  }
}
