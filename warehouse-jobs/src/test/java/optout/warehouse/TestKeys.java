package optout.warehouse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import optout.pseudonymizer.custody.KeyCustodies;
import optout.pseudonymizer.custody.KeyCustody;
import optout.pseudonymizer.custody.Passphrase;
import optout.pseudonymizer.id.ProjectId;
import optout.warehouse.keys.KeyAccess;

/**
 * A BCFKS keystore of the test JVM's own, with a warehouse key and the keys of the projects the tests
 * use, and the {@link KeyAccess} the jobs reach it through.
 */
public final class TestKeys {

  public static final String PASSPHRASE = "test-only-warehouse-keystore";
  public static final String PROJECT = "demo-project";
  public static final String OTHER_PROJECT = "propagation-project";
  /** A release against a registry nobody has filed with yet (checkpoint 0), apart from the others' tables. */
  public static final String FRESH_REGISTRY_PROJECT = "fresh-registry-project";
  public static final String WAREHOUSE_TOKENS = "nhi-warehouse";
  /** Two projects built from one spec, which must not be linkable (ProjectLinkageIT). */
  public static final String LINKAGE_A = "linkage-project-a";
  public static final String LINKAGE_B = "linkage-project-b";
  private static KeyAccess access;

  private TestKeys() {}

  public static synchronized KeyAccess access() throws Exception {
    if (access == null) {
      Path keystore = Files.createTempDirectory("warehouse-keys").resolve("pseudonymizer.bcfks");
      try (KeyCustody custody = KeyCustodies.createBcfks(keystore, Passphrase.of(PASSPHRASE.toCharArray()))) {
        custody.createWarehouseKey();
        custody.createProjectKeys(ProjectId.of(PROJECT));
        custody.createProjectKeys(ProjectId.of(OTHER_PROJECT));
        custody.createProjectKeys(ProjectId.of(FRESH_REGISTRY_PROJECT));
        custody.createProjectKeys(ProjectId.of(WAREHOUSE_TOKENS));
        custody.createProjectKeys(ProjectId.of(LINKAGE_A));
        custody.createProjectKeys(ProjectId.of(LINKAGE_B));
      }
      access = KeyAccess.of(Map.of(KeyCustodies.KEYSTORE_VARIABLE, keystore.toString(), Passphrase.VARIABLE, PASSPHRASE));
    }
    return access;
  }
}
