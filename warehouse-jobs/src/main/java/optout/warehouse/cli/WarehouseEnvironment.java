package optout.warehouse.cli;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import optout.pseudonymizer.custody.KeyCustodies;
import optout.warehouse.keys.KeyAccess;
import optout.warehouse.spark.WarehouseSession;

/**
 * The command line's settings, from the environment. The defaults are the local platform's, as
 * {@code ./optout up} runs it: the embedded PostgreSQL's {@code warehouse} database with the documented
 * local demo password, the warehouse under {@code var/warehouse}, the local demo keystore. A deployment
 * sets the variables (the password defaults only together with the default database).
 */
public final class WarehouseEnvironment {

  public static final String JDBC_URL = "OPTOUT_WAREHOUSE_JDBC_URL";
  public static final String JDBC_USER = "OPTOUT_WAREHOUSE_JDBC_USER";
  public static final String JDBC_PASSWORD = "OPTOUT_WAREHOUSE_JDBC_PASSWORD";
  public static final String LOCATION = "OPTOUT_WAREHOUSE_LOCATION";
  public static final String SPARK_MASTER = "OPTOUT_SPARK_MASTER";
  public static final String SHUFFLE_PARTITIONS = "OPTOUT_SPARK_SHUFFLE_PARTITIONS";

  static final String DEFAULT_JDBC_URL = "jdbc:postgresql://127.0.0.1:54320/warehouse";
  static final String DEFAULT_USER = "warehouse";
  /** The embedded database's documented local demo password (README, "What ./optout up gives you"). */
  static final String LOCAL_DEMO_DB_PASSWORD = "optout-local-demo";
  static final String LOCAL_DEMO_KEYS = "var/keys";

  private WarehouseEnvironment() {}

  /** The catalog and Spark settings. */
  public static WarehouseSession.Settings session(Map<String, String> env) {
    String url = env.get(JDBC_URL);
    String password = env.get(JDBC_PASSWORD);
    if (blank(password)) {
      if (!blank(url)) {
        throw new UsageException(JDBC_URL + " is set: set " + JDBC_PASSWORD + " too");
      }
      password = LOCAL_DEMO_DB_PASSWORD;
    }
    String location = env.get(LOCATION);
    location = blank(location) ? Path.of("var/warehouse").toAbsolutePath().toUri().toString()
        : location.contains(":/") ? location : Path.of(location).toAbsolutePath().toUri().toString();
    int shuffle;
    try {
      shuffle = Integer.parseInt(env.getOrDefault(SHUFFLE_PARTITIONS, "16").strip());
    } catch (NumberFormatException e) {
      throw new UsageException(SHUFFLE_PARTITIONS + " must be a whole number");
    }
    return new WarehouseSession.Settings(blank(url) ? DEFAULT_JDBC_URL : url,
        env.getOrDefault(JDBC_USER, DEFAULT_USER), password, location, env.get(SPARK_MASTER), shuffle);
  }

  /**
   * One duty's keys: the custody the environment names ({@code OPTOUT_<DUTY>_KEYSTORE} or
   * {@code OPTOUT_<DUTY>_PKCS11_CONFIG}, with its passphrase variables), or else the local demo's keystore
   * of that duty ({@code var/keys/<duty>.bcfks}, passphrase {@code optout-local-demo-<duty>} unless given).
   */
  public static KeyAccess keys(KeyCustodies.Duty duty, Map<String, String> env) {
    if (!blank(env.get(duty.keystoreVariable())) || !blank(env.get(duty.pkcs11ConfigVariable()))) {
      return KeyAccess.of(duty, env);
    }
    Map<String, String> local = new HashMap<>();
    local.put(duty.keystoreVariable(), Path.of(LOCAL_DEMO_KEYS, duty.lowerCaseName() + ".bcfks").toAbsolutePath().toString());
    if (blank(env.get(duty.passphraseVariable())) && blank(env.get(duty.passphraseFileVariable()))) {
      local.put(duty.passphraseVariable(), "optout-local-demo-" + duty.lowerCaseName());
    } else {
      for (String name : List.of(duty.passphraseVariable(), duty.passphraseFileVariable())) {
        if (!blank(env.get(name))) {
          local.put(name, env.get(name));
        }
      }
    }
    return KeyAccess.of(duty, local);
  }

  public static final String REGISTRY_URL = "OPTOUT_REGISTRY_URL";
  public static final String KEYCLOAK_ISSUER = "OPTOUT_KEYCLOAK_ISSUER";
  public static final String REGISTRY_CLIENT_ID = "OPTOUT_REGISTRY_CLIENT_ID";
  public static final String REGISTRY_CLIENT_SECRET = "OPTOUT_REGISTRY_CLIENT_SECRET";
  public static final String REGISTRY_LOG_ORIGIN = "OPTOUT_REGISTRY_LOG_ORIGIN";
  public static final String REGISTRY_VERIFIER_KEY = "OPTOUT_REGISTRY_VERIFIER_KEY";
  /** The registry's witness's cosignature key: set, only checkpoints it cosigned are used (./optout up sets it). */
  public static final String REGISTRY_WITNESS_VERIFIER_KEY = "OPTOUT_REGISTRY_WITNESS_VERIFIER_KEY";
  /** The file keeping the newest registry checkpoint the warehouse verified (default: in the output directory). */
  public static final String REGISTRY_CHECKPOINT_MEMORY = "OPTOUT_WAREHOUSE_REGISTRY_CHECKPOINT";
  public static final String MANIFEST_KEY = "OPTOUT_WAREHOUSE_MANIFEST_KEY";
  public static final String OUTPUT = "OPTOUT_WAREHOUSE_OUTPUT";
  public static final String CREATE_MANIFEST_KEY = "OPTOUT_WAREHOUSE_CREATE_MANIFEST_KEY";

  /**
   * Where exclusion snapshots come from: the registry, with a service account holding data-releaser
   * (by default the portal's), the log's origin and, if pinned, its verifier key.
   */
  public static optout.warehouse.registry.RegistrySnapshotClient.Settings registry(Map<String, String> env) {
    String issuer = env.getOrDefault(KEYCLOAK_ISSUER, "http://localhost:8080/realms/nhi-optout").replaceAll("/$", "");
    String clientId = env.getOrDefault(REGISTRY_CLIENT_ID, "optout-portal");
    String secret = env.get(REGISTRY_CLIENT_SECRET); // ./optout passes the local demo's documented one
    return new optout.warehouse.registry.RegistrySnapshotClient.Settings(
        java.net.URI.create(env.getOrDefault(REGISTRY_URL, "http://localhost:8081")),
        java.net.URI.create(issuer + "/protocol/openid-connect/token"), clientId, secret,
        env.getOrDefault(REGISTRY_LOG_ORIGIN, "localhost/nhi-optout-registry"), blank(env.get(REGISTRY_VERIFIER_KEY)) ? null : env.get(REGISTRY_VERIFIER_KEY),
        Path.of(env.getOrDefault(REGISTRY_CHECKPOINT_MEMORY, output(env).resolve("registry-checkpoint.note").toString())),
        blank(env.get(REGISTRY_WITNESS_VERIFIER_KEY)) ? null : env.get(REGISTRY_WITNESS_VERIFIER_KEY).strip());
  }

  /** The manifests' signing key file; the local demo's is made on first use. */
  public static Path manifestKey(Map<String, String> env) {
    return Path.of(env.getOrDefault(MANIFEST_KEY, "var/keys/extract-manifest.key")).toAbsolutePath();
  }

  /** Whether the signing key may be made if missing: the local demo's (no key configured, or {@value #CREATE_MANIFEST_KEY}). */
  public static boolean mayCreateManifestKey(Map<String, String> env) {
    return blank(env.get(MANIFEST_KEY)) || "true".equals(env.get(CREATE_MANIFEST_KEY));
  }

  /** Where manifests, reports and downloaded snapshots go. */
  public static Path output(Map<String, String> env) {
    return Path.of(env.getOrDefault(OUTPUT, "var/warehouse-output")).toAbsolutePath();
  }

  private static boolean blank(String value) {
    return value == null || value.isBlank();
  }
}
