package optout.warehouse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import optout.pseudonymizer.custody.KeyCustodies;
import optout.pseudonymizer.custody.KeyCustodies.Duty;
import optout.pseudonymizer.custody.KeyCustody;
import optout.pseudonymizer.custody.Passphrase;
import optout.pseudonymizer.id.ProjectId;
import optout.warehouse.keys.KeyAccess;

/**
 * Keystores of the test JVM's own, made as the key ceremony makes them: every key in one keystore, split
 * into the warehouse custody (layer 1 and the warehouse's tokens, for ingest) and the release custody (the
 * projects the tests use, for extracts and propagation), each under its own passphrase; and the
 * {@link KeyAccess} the jobs reach each through.
 */
public final class TestKeys {

  public static final String PASSPHRASE = "test-only-warehouse-keystore";
  public static final String PROJECT = "demo-project";
  public static final String OTHER_PROJECT = "propagation-project";
  /** A release against a registry nobody has filed with yet (checkpoint 0), apart from the others' tables. */
  public static final String FRESH_REGISTRY_PROJECT = "fresh-registry-project";
  public static final String WAREHOUSE_TOKENS = KeyCustodies.WAREHOUSE_TOKENS;
  /** Two projects built from one spec, which must not be linkable (ProjectLinkageIT). */
  public static final String LINKAGE_A = "linkage-project-a";
  public static final String LINKAGE_B = "linkage-project-b";
  /** A project that ProjectCloseIT closes: its keys are destroyed, so no other test may use it. */
  public static final String CLOSING_PROJECT = "closing-project";
  private static Map<Duty, KeyAccess> access;
  private static final Map<Duty, Map<String, String>> VARIABLES = new HashMap<>();

  private TestKeys() {}

  private static synchronized KeyAccess access(Duty duty) throws Exception {
    if (access == null) {
      Path directory = Files.createTempDirectory("warehouse-keys");
      Map<Duty, KeyAccess> made = new HashMap<>();
      try (KeyCustody custody = KeyCustodies.createBcfks(directory.resolve("ceremony.bcfks"), Passphrase.of(PASSPHRASE.toCharArray()))) {
        custody.createWarehouseKey();
        for (String project : new String[] {PROJECT, OTHER_PROJECT, FRESH_REGISTRY_PROJECT, WAREHOUSE_TOKENS, LINKAGE_A, LINKAGE_B, CLOSING_PROJECT}) {
          custody.createProjectKeys(ProjectId.of(project));
        }
        for (Duty each : new Duty[] {Duty.WAREHOUSE, Duty.RELEASE}) {
          Path file = directory.resolve(each.lowerCaseName() + ".bcfks");
          String passphrase = PASSPHRASE + "-" + each.lowerCaseName();
          KeyCustodies.split(custody, each, file, Passphrase.of(passphrase.toCharArray()));
          Map<String, String> variables = Map.of(each.keystoreVariable(), file.toString(), each.passphraseVariable(), passphrase);
          VARIABLES.put(each, variables);
          made.put(each, KeyAccess.of(each, variables));
        }
      }
      access = made;
    }
    return access.get(duty);
  }

  /** The warehouse custody: what ingest gets. */
  public static KeyAccess warehouse() throws Exception {
    return access(Duty.WAREHOUSE);
  }

  /** The release custody's environment variables (its keystore and passphrase), for a job run in another process. */
  public static synchronized Map<String, String> releaseVariables() throws Exception {
    access(Duty.RELEASE);
    return VARIABLES.get(Duty.RELEASE);
  }

  /** The release custody: what extracts and propagation get. */
  public static KeyAccess release() throws Exception {
    return access(Duty.RELEASE);
  }
}
