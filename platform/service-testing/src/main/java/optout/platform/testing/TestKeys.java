package optout.platform.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import optout.pseudonymizer.custody.KeyCustodies;
import optout.pseudonymizer.custody.KeyCustodies.Duty;
import optout.pseudonymizer.custody.KeyCustody;
import optout.pseudonymizer.custody.Passphrase;
import optout.pseudonymizer.id.ProjectId;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * Real BCFKS keystores for the test JVM, made as the key ceremony makes them: one keystore with the
 * warehouse key, the identity key and one project's keys (for tests to compute what they expect), split
 * into one keystore per duty under its own passphrase, which is what the services are given.
 */
public final class TestKeys {

  public static final String PASSPHRASE = "test-keystore-passphrase";
  public static final ProjectId PROJECT = ProjectId.of("nhird-2026-0042");
  private static Path keystore;
  private static Map<String, String> duties;

  private TestKeys() {}

  /** The ceremony keystore: every key. Tests read it; no service is given it. */
  public static synchronized Path keystore() throws Exception {
    if (keystore == null) {
      Path directory = Files.createTempDirectory("test-keys");
      Path file = directory.resolve("keys.bcfks");
      Map<String, String> variables = new LinkedHashMap<>();
      try (KeyCustody custody = KeyCustodies.createBcfks(file, Passphrase.of(PASSPHRASE.toCharArray()))) {
        custody.createWarehouseKey();
        custody.createIdentityKey();
        custody.createProjectKeys(PROJECT);
        for (Duty duty : Duty.values()) {
          Path own = directory.resolve(duty.lowerCaseName() + ".bcfks");
          String passphrase = "test-" + duty.lowerCaseName() + "-passphrase";
          KeyCustodies.split(custody, duty, own, Passphrase.of(passphrase.toCharArray()));
          variables.put(duty.keystoreVariable(), own.toString());
          variables.put(duty.passphraseVariable(), passphrase);
        }
      }
      duties = Map.copyOf(variables);
      keystore = file;
    }
    return keystore;
  }

  public static KeyCustody open() throws Exception {
    return KeyCustodies.openBcfks(keystore(), Passphrase.of(PASSPHRASE.toCharArray()));
  }

  /** The variables that name the given duties' keystores and passphrases, as a service's environment has them. */
  public static Map<String, String> environment(Duty... wanted) throws Exception {
    keystore();
    Map<String, String> variables = new LinkedHashMap<>();
    for (Duty duty : wanted) {
      for (String name : duty.variables()) {
        if (duties.containsKey(name)) {
          variables.put(name, duties.get(name));
        }
      }
    }
    return variables;
  }

  /** The registry's custodies: the warehouse key and the identity key, each its own keystore. */
  public static Map<String, String> registryEnvironment() throws Exception {
    return environment(Duty.WAREHOUSE, Duty.IDENTITY);
  }

  public static void register(DynamicPropertyRegistry properties) throws Exception {
    registryEnvironment().forEach((name, value) -> properties.add(name, () -> value));
  }
}
