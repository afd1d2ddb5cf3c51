package optout.warehouse.runner;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import optout.warehouse.TestCatalogs;
import optout.warehouse.TestKeys;
import optout.warehouse.TestSpark;
import optout.warehouse.extract.RegistrySnapshots;
import optout.warehouse.extract.TinyWarehouseAccess;
import optout.warehouse.spark.WarehouseSession;
import org.apache.spark.sql.SparkSession;

/**
 * The real runner ({@link RunnerMain#run}) for the research portal's end-to-end browser test (research-portal
 * {@code EndToEndBrowserIT}), in a process of its own: it first writes the tiny synthetic warehouse (a fresh
 * Iceberg catalog on the test PostgreSQL, the release custody of {@link TestKeys}), then claims the portal's
 * jobs with the settings the test gives in the environment (the portal's job table as the runner's role, the
 * output directory, the manifest key). Only the exclusion snapshots are the test's, as in {@link CrashRunnerMain}:
 * the registry's format, signed with a test log key, leaving out five of the warehouse's persons.
 */
public final class PortalRunnerMain {

  /** Printed once the warehouse is written and the runner is about to claim jobs. */
  public static final String READY = "portal-runner: warehouse ready";

  private PortalRunnerMain() {}

  public static void main(String[] args) throws Exception {
    SparkSession spark = TestSpark.session();
    List<Long> layer1 = TinyWarehouseAccess.write(spark);
    List<Long> excluded = List.of(layer1.get(2), layer1.get(4), layer1.get(10), layer1.get(11), layer1.get(20));
    WarehouseSession.Settings catalog = TestCatalogs.settings();
    Map<String, String> env = new HashMap<>(System.getenv());
    env.putAll(TestKeys.releaseVariables());
    env.putAll(Map.of("OPTOUT_WAREHOUSE_JDBC_URL", catalog.jdbcUrl(), "OPTOUT_WAREHOUSE_JDBC_USER", catalog.user(),
        "OPTOUT_WAREHOUSE_JDBC_PASSWORD", catalog.password(), "OPTOUT_WAREHOUSE_LOCATION", catalog.location(), "OPTOUT_SPARK_MASTER", "local[2]"));
    Path snapshots = Files.createTempDirectory("portal-runner-snapshots");
    System.out.println(READY + " (" + layer1.size() + " persons)");
    RunnerMain.run(env, purpose ->
        RegistrySnapshots.publish(snapshots.resolve(purpose + "-" + System.nanoTime() + ".parquet"), purpose, 42, excluded).verified());
  }
}
