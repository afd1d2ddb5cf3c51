package optout.platform.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import optout.pseudonymizer.custody.KeyCustodies;
import optout.pseudonymizer.custody.KeyCustody;
import optout.pseudonymizer.custody.Passphrase;
import optout.pseudonymizer.id.ProjectId;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * A real BCFKS keystore for the test JVM: the warehouse key, the identity key and one project's keys,
 * for the services that hold keys (trust centre, registry).
 */
public final class TestKeys {

  public static final String PASSPHRASE = "test-keystore-passphrase";
  public static final ProjectId PROJECT = ProjectId.of("nhird-2026-0042");
  private static Path keystore;

  private TestKeys() {}

  public static synchronized Path keystore() throws Exception {
    if (keystore == null) {
      Path file = Files.createTempDirectory("test-keys").resolve("keys.bcfks");
      try (KeyCustody custody = KeyCustodies.createBcfks(file, Passphrase.of(PASSPHRASE.toCharArray()))) {
        custody.createWarehouseKey();
        custody.createIdentityKey();
        custody.createProjectKeys(PROJECT);
      }
      keystore = file;
    }
    return keystore;
  }

  public static KeyCustody open() throws Exception {
    return KeyCustodies.openBcfks(keystore(), Passphrase.of(PASSPHRASE.toCharArray()));
  }

  public static void register(DynamicPropertyRegistry properties) throws Exception {
    String file = keystore().toString();
    properties.add(KeyCustodies.KEYSTORE_VARIABLE, () -> file);
    properties.add(Passphrase.VARIABLE, () -> PASSPHRASE);
  }
}
