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
import optout.signing.DetachedSigner;
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
  final Path manifestPublicKey;
  private final java.security.PrivateKey manifestKey;

  private CustodyFixture(Path directory) throws Exception {
    warehouseKeystore = directory.resolve("warehouse.bcfks");
    releaseKeystore = directory.resolve("release.bcfks");
    shareA = directory.resolve("custodian-a.share");
    shareB = directory.resolve("custodian-b.share");
    reidentificationKeys = directory.resolve("reidentification.bcfks");
    // the warehouse's manifest key, as DetachedSigner keeps it: Ed25519, the public key a PEM SubjectPublicKeyInfo
    java.security.KeyPair manifestPair = java.security.KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    manifestKey = manifestPair.getPrivate();
    manifestPublicKey = directory.resolve("extract-manifest.key.pub");
    Files.writeString(manifestPublicKey, "-----BEGIN PUBLIC KEY-----\n"
        + java.util.Base64.getMimeEncoder().encodeToString(manifestPair.getPublic().getEncoded()) + "\n-----END PUBLIC KEY-----\n");
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
    properties.add("optout.trust-centre.extract-manifest-public-key", fixture.manifestPublicKey::toString);
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

  /** A manifest of {@code project}'s extract made under warehouse key {@code version}, as the warehouse writes it. */
  static String manifest(String project, int version) {
    return "{\"extractId\":\"EX-20261206-%08x\",\"format\":\"nhi-optout-extract-manifest/2\",\"keys\":{\"warehouseKeyVersion\":%d},"
        .formatted(project.hashCode(), version) + "\"spec\":{\"project\":\"" + project + "\",\"purpose\":\"academic-research\"}}";
  }

  /** The warehouse's signature over a manifest (base64 of Ed25519, as beside it in .sig). */
  String sign(String manifest) throws Exception {
    java.security.Signature signature = java.security.Signature.getInstance("Ed25519");
    signature.initSign(manifestKey);
    signature.update(manifest.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    return java.util.Base64.getEncoder().encodeToString(signature.sign());
  }

  /** The fields of a request that name the extract: version 1 of {@link #PROJECT}, under its signed manifest. */
  String extractFields() throws Exception {
    return extractFields(manifest(PROJECT.value(), 1), 1);
  }

  String extractFields(String manifest, int namedVersion) throws Exception {
    return "\"warehouseKeyVersion\": " + namedVersion + ", \"extractManifest\": "
        + tools.jackson.databind.json.JsonMapper.builder().build().writeValueAsString(manifest) + ", \"manifestSignature\": \""
        + sign(manifest) + "\"";
  }

  static Passphrase passphrase(String value) {
    return Passphrase.of(value.toCharArray());
  }
}
