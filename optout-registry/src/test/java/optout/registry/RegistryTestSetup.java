package optout.registry;

import java.nio.file.Files;
import java.nio.file.Path;
import optout.platform.testing.ServiceIntegrationTest;
import optout.platform.testing.TestFilingKeys;
import optout.platform.testing.TestKeys;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * What every registry test JVM needs beside the platform's database and Keycloak: the pseudonymisation
 * keys, a log signing key of its own, the consent service's test filing key as its trust anchor, the application role (which may not change events), and a
 * sequencer quick enough for tests.
 */
public final class RegistryTestSetup extends ServiceIntegrationTest {

  private static Path signingKey;

  private RegistryTestSetup() {}

  public static synchronized Path signingKeyFile() throws Exception {
    if (signingKey == null) {
      signingKey = Files.createTempDirectory("registry-log-key").resolve("registry-log.key");
    }
    return signingKey;
  }

  static void register(DynamicPropertyRegistry properties) throws Exception {
    TestKeys.register(properties);
    String keyFile = signingKeyFile().toString();
    properties.add("optout.registry.log.signing-key-file", () -> keyFile);
    properties.add("optout.registry.log.create-signing-key", () -> "true");
    properties.add("optout.registry.filing.verifier-keys", TestFilingKeys::verifierKey);
    String snapshots = signingKeyFile().getParent().resolve("snapshots").toString();
    properties.add("optout.registry.snapshots.directory", () -> snapshots);
    properties.add("optout.registry.log.sequence-interval", () -> "50ms");
    properties.add("optout.registry.log.checkpoint-interval", () -> "100ms");
    connectAsApplicationRole();
  }
}
