package optout.platform.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/** Fresh, empty databases on the run's PostgreSQL, so every test JVM starts from a clean schema. */
public final class TestDatabases {

  /** The password of every test database's owner role; it guards only a throw-away test server. */
  public static final String OWNER_PASSWORD = "test-only-owner-password";

  private TestDatabases() {}

  /**
   * A JDBC URL, the owner role (runs the migrations), the application role (owns nothing; gets what the
   * migrations grant it) and their password.
   */
  public record TestDatabase(String url, String user, String applicationUser, String password) {}

  public static TestDatabase create(PlatformTestEnvironment environment, String prefix) {
    String name = (prefix + "_" + UUID.randomUUID().toString().substring(0, 8)).replace('-', '_');
    try (Connection admin = DriverManager.getConnection(environment.postgresAdminUrl(), environment.postgresAdminUser(), "");
        Statement statement = admin.createStatement()) {
      statement.execute("create role " + name + " login password '" + OWNER_PASSWORD + "'");
      statement.execute("create role " + name + "_app login password '" + OWNER_PASSWORD + "'");
      statement.execute("create database " + name + " owner " + name);
    } catch (SQLException e) {
      throw new IllegalStateException("Cannot create test database " + name + ": " + e.getMessage(), e);
    }
    String url = environment.postgresAdminUrl().replaceFirst("/[^/?]+(\\?.*)?$", "/" + name);
    return new TestDatabase(url, name, name + "_app", OWNER_PASSWORD);
  }
}
