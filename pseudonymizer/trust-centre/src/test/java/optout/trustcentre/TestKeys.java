package optout.trustcentre;

import java.nio.file.Files;
import java.nio.file.Path;
import optout.pseudonymizer.custody.KeyCustodies;
import optout.pseudonymizer.custody.KeyCustody;
import optout.pseudonymizer.custody.Passphrase;
import optout.pseudonymizer.id.ProjectId;
import org.springframework.test.context.DynamicPropertyRegistry;

/** A real BCFKS keystore for the test JVM: a warehouse key and one project's keys. */
final class TestKeys {

  static final String PASSPHRASE = "trust-centre-test-passphrase";
  static final ProjectId PROJECT = ProjectId.of("nhird-2026-0042");
  private static Path keystore;

  private TestKeys() {}

  static synchronized Path keystore() throws Exception {
    if (keystore == null) {
      Path file = Files.createTempDirectory("trust-centre-keys").resolve("keys.bcfks");
      try (KeyCustody custody = KeyCustodies.createBcfks(file, Passphrase.of(PASSPHRASE.toCharArray()))) {
        custody.createWarehouseKey();
        custody.createProjectKeys(PROJECT);
      }
      keystore = file;
    }
    return keystore;
  }

  static KeyCustody open() throws Exception {
    return KeyCustodies.openBcfks(keystore(), Passphrase.of(PASSPHRASE.toCharArray()));
  }

  static void register(DynamicPropertyRegistry properties) throws Exception {
    String file = keystore().toString();
    properties.add(KeyCustodies.KEYSTORE_VARIABLE, () -> file);
    properties.add(Passphrase.VARIABLE, () -> PASSPHRASE);
  }
}
