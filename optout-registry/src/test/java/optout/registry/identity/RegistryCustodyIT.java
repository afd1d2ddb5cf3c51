package optout.registry.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.file.Files;
import java.nio.file.Path;
import optout.platform.testing.PlatformTestEnvironment;
import optout.platform.testing.TestDatabases;
import optout.platform.testing.TestKeys;
import java.util.List;
import optout.registry.LocalRegistry;
import optout.registry.RegistryApplication;
import org.springframework.boot.Banner;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The registry starts only with its own two custodies, the warehouse key and the identity key, each in a
 * keystore of its own: without one it stops at start and says which; given a keystore that also holds
 * another duty's keys (the ceremony's, with every project's), it refuses it.
 */
class RegistryCustodyIT {

  private static TestDatabases.TestDatabase database;
  private static Path directory;

  @BeforeAll
  static void database() throws Exception {
    database = TestDatabases.create(PlatformTestEnvironment.current(), "custody");
    directory = Files.createTempDirectory("registry-custody");
  }

  /** Starts a registry with its usual test arguments, these {@code --name=value} ones in place of the same names'. */
  private static String startFailure(String... replacing) throws Exception {
    List<String> arguments = LocalRegistry.argumentsReplacing(database, directory.resolve("registry-log.key"), directory.resolve("snapshots"),
        replacing);
    Throwable thrown = catchThrowable(() -> new SpringApplicationBuilder(RegistryApplication.class).bannerMode(Banner.Mode.OFF)
        .run(arguments.toArray(String[]::new)).close());
    assertThat(thrown).as("the registry must not start").isNotNull();
    StringBuilder messages = new StringBuilder();
    for (Throwable cause = thrown; cause != null; cause = cause.getCause()) {
      messages.append(cause.getMessage()).append('\n');
    }
    return messages.toString();
  }

  @Test
  void withoutItsIdentityCustodyTheRegistryDoesNotStart() throws Exception {
    assertThat(startFailure("--OPTOUT_IDENTITY_KEYSTORE=", "--OPTOUT_IDENTITY_KEYSTORE_PASSWORD="))
        .contains("Cannot find the identity keys: set OPTOUT_IDENTITY_KEYSTORE");
  }

  @Test
  void withoutItsWarehouseCustodyTheRegistryDoesNotStart() throws Exception {
    assertThat(startFailure("--OPTOUT_WAREHOUSE_KEYSTORE=", "--OPTOUT_WAREHOUSE_KEYSTORE_PASSWORD="))
        .contains("Cannot find the warehouse keys: set OPTOUT_WAREHOUSE_KEYSTORE");
  }

  @Test
  void givenTheCeremonysKeystoreWithEveryKeyTheRegistryRefusesIt() throws Exception {
    assertThat(startFailure("--OPTOUT_WAREHOUSE_KEYSTORE=" + TestKeys.keystore(), "--OPTOUT_WAREHOUSE_KEYSTORE_PASSWORD=" + TestKeys.PASSPHRASE))
        .contains("Cannot use OPTOUT_WAREHOUSE_KEYSTORE as the warehouse custody: it also holds");
  }

  @Test
  void givenTheReleaseKeystoreAsItsIdentityCustodyTheRegistryRefusesIt() throws Exception {
    var release = TestKeys.environment(optout.pseudonymizer.custody.KeyCustodies.Duty.RELEASE);
    assertThat(startFailure("--OPTOUT_IDENTITY_KEYSTORE=" + release.get("OPTOUT_RELEASE_KEYSTORE"),
        "--OPTOUT_IDENTITY_KEYSTORE_PASSWORD=" + release.get("OPTOUT_RELEASE_KEYSTORE_PASSWORD")))
        .contains("as the identity custody: it also holds release keys");
  }
}
