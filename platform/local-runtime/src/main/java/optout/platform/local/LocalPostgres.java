package optout.platform.local;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import javax.sql.DataSource;

/**
 * Runs a real PostgreSQL for the platform on one machine until it is told to stop (SIGTERM or
 * SIGINT), then shuts it down cleanly. The data directory is kept, so a restart finds everything the
 * last run stored. Each named database gets a login role of the same name that owns it.
 *
 * <p>It listens on 127.0.0.1 only. The superuser {@code postgres} is trusted from this machine
 * (zonky's own readiness check needs it); the component roles need their password. For anything
 * beyond one machine, point the platform at an external PostgreSQL instead (see the README).
 */
public final class LocalPostgres {

  /** {@code ./optout} waits for this line before it starts the next component. */
  static final String READY_LINE = "READY";

  private LocalPostgres() {}

  public static void main(String[] args) throws Exception {
    LocalPostgresOptions options;
    try {
      options = LocalPostgresOptions.parse(args, System.getenv(LocalPostgresOptions.PASSWORD_VARIABLE));
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    EmbeddedPostgres postgres = start(options);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        postgres.close();
        System.out.println("PostgreSQL stopped");
      } catch (IOException e) {
        System.err.println("PostgreSQL did not stop cleanly: " + e.getMessage());
      } finally {
        stopped.countDown();
      }
    }, "stop-postgres"));
    System.out.println(READY_LINE + " PostgreSQL " + postgres.getJdbcUrl("postgres", "postgres").replaceAll("\\?.*", "")
        + " data=" + options.dataDirectory());
    stopped.await();
  }

  static EmbeddedPostgres start(LocalPostgresOptions options) throws IOException, SQLException {
    Files.createDirectories(options.dataDirectory());
    EmbeddedPostgres postgres = EmbeddedPostgres.builder()
        .setDataDirectory(options.dataDirectory().toFile())
        .setCleanDataDirectory(false)
        .setPort(options.port())
        .setServerConfig("listen_addresses", "127.0.0.1")
        .setServerConfig("password_encryption", "scram-sha-256")
        // zonky's defaults trade durability for test speed (fsync and synchronous_commit off); this
        // database holds opt-outs, and an acknowledged filing must survive a crash
        .setServerConfig("fsync", "on")
        .setServerConfig("synchronous_commit", "on")
        .setServerConfig("full_page_writes", "on")
        .setLocaleConfig("encoding", "UTF8")
        .start();
    DataSource admin = postgres.getPostgresDatabase(Map.of());
    requirePasswordsForComponentRoles(options, admin);
    createComponentDatabases(admin, options);
    return postgres;
  }

  /**
   * initdb trusts every local connection; replace that so that component roles must give their
   * password (SCRAM). Written on every start, so an older data directory is brought up to date.
   */
  static void requirePasswordsForComponentRoles(LocalPostgresOptions options, DataSource admin)
      throws IOException, SQLException {
    Files.writeString(options.dataDirectory().resolve("pg_hba.conf"), PG_HBA);
    try (Connection connection = admin.getConnection(); Statement statement = connection.createStatement()) {
      statement.execute("select pg_reload_conf()");
    }
  }

  /** The application role of database {@code d} is {@code d_app}. */
  public static final String APPLICATION_ROLE_SUFFIX = "_app";

  static final String PG_HBA = """
      # Written by optout.platform.local.LocalPostgres on every start; edits are overwritten.
      # TYPE  DATABASE  USER      ADDRESS       METHOD
      local   all       postgres                trust
      host    all       postgres  127.0.0.1/32  trust
      local   all       all                     scram-sha-256
      host    all       all       127.0.0.1/32  scram-sha-256
      """;

  /**
   * Creates what is missing; an existing role's password is reset to the configured one. Each database
   * gets its owner role (same name, runs the migrations) and an application role ({@code <name>_app})
   * that owns nothing and gets only what the migrations grant it, e.g. INSERT and SELECT on an
   * append-only table.
   */
  static void createComponentDatabases(DataSource admin, LocalPostgresOptions options) throws SQLException {
    try (Connection connection = admin.getConnection()) {
      for (String name : options.databases()) {
        try (Statement statement = connection.createStatement()) {
          String password = options.password().replace("'", "''");
          for (String role : new String[] {name, name + APPLICATION_ROLE_SUFFIX}) {
            if (exists(connection, "select 1 from pg_roles where rolname = ?", role)) {
              statement.execute("alter role " + role + " with login password '" + password + "'");
            } else {
              statement.execute("create role " + role + " with login password '" + password + "'");
            }
          }
          if (!exists(connection, "select 1 from pg_database where datname = ?", name)) {
            statement.execute("create database " + name + " owner " + name + " encoding 'UTF8'");
          }
        }
      }
      for (String role : options.roles()) {
        try (Statement statement = connection.createStatement()) {
          String password = options.password().replace("'", "''");
          statement.execute((exists(connection, "select 1 from pg_roles where rolname = ?", role) ? "alter" : "create") + " role " + role
              + " with login password '" + password + "'");
        }
      }
    }
  }

  private static boolean exists(Connection connection, String query, String name) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(query)) {
      statement.setString(1, name);
      try (ResultSet result = statement.executeQuery()) {
        return result.next();
      }
    }
  }
}
