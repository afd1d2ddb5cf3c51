package optout.warehouse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.UUID;
import optout.warehouse.spark.WarehouseSession;

/**
 * A fresh catalog database on the test run's PostgreSQL (the one `./optout test` starts and names in
 * {@code OPTOUT_TEST_PG_ADMIN_URL}), and a fresh warehouse directory, per test JVM.
 */
public final class TestCatalogs {

  private static final String PASSWORD = "test-only-catalog-password";
  private static WarehouseSession.Settings settings;

  private TestCatalogs() {}

  public static synchronized WarehouseSession.Settings settings() throws Exception {
    if (settings == null) {
      String admin = System.getenv("OPTOUT_TEST_PG_ADMIN_URL");
      if (admin == null) {
        throw new IllegalStateException("OPTOUT_TEST_PG_ADMIN_URL is not set: run the tests with ./optout test (or against ./optout test-env)");
      }
      String name = "wh_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
      try (Connection connection = DriverManager.getConnection(admin, System.getenv().getOrDefault("OPTOUT_TEST_PG_ADMIN_USER", "postgres"), "");
          Statement statement = connection.createStatement()) {
        statement.execute("create role " + name + " login password '" + PASSWORD + "'");
        statement.execute("create database " + name + " owner " + name);
      }
      Path location = Files.createTempDirectory("warehouse-test");
      settings = new WarehouseSession.Settings(admin.replaceAll("/[^/]*$", "/" + name), name, PASSWORD,
          location.toUri().toString(), "local[2]", 4);
    }
    return settings;
  }
}
