package optout.registry.bench;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The run's own database on the platform's PostgreSQL, made as {@code LocalPostgres} makes a
 * component's: an owner role that runs the migrations, an application role ({@code _app}) that the
 * registry connects as, each with a password made for this run and never printed. It is made through
 * the embedded PostgreSQL's superuser {@code postgres}, which trusts connections from 127.0.0.1, and
 * dropped, roles included, at the end of the run.
 */
final class BenchDatabase {

  private final String host;
  private final int port;
  private final String name;
  private final String password;
  private boolean created;

  private BenchDatabase(String host, int port, String name) {
    this.host = host;
    this.port = port;
    this.name = name;
    byte[] secret = new byte[24];
    new SecureRandom().nextBytes(secret);
    this.password = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
  }

  /** Creates the database and its roles, with synchronous commit on for every session in it. */
  static BenchDatabase create(String host, int port, String runId) throws BenchException {
    BenchDatabase database = new BenchDatabase(host, port, "optout_bench_" + runId);
    try (Connection admin = database.admin("postgres"); Statement statement = admin.createStatement()) {
      statement.execute("create role " + database.name + " with login password '" + database.password + "'");
      statement.execute("create role " + database.appRole() + " with login password '" + database.password + "'");
      database.created = true;
      statement.execute("create database " + database.name + " owner " + database.name + " encoding 'UTF8'");
      // The embedded PostgreSQL is started with synchronous_commit=off (and fsync off, see settings());
      // a database-level setting outranks the server's command line for every session in this database.
      statement.execute("alter database " + database.name + " set synchronous_commit = on");
    } catch (SQLException e) {
      throw new BenchException("Cannot create the benchmark's database on the platform's PostgreSQL (" + host + ":" + port
          + ", superuser postgres): " + e.getMessage() + ". Is the platform up? Start it with ./optout up", e);
    }
    return database;
  }

  String name() {
    return name;
  }

  String appRole() {
    return name + "_app";
  }

  String password() {
    return password;
  }

  String url() {
    return "jdbc:postgresql://" + host + ":" + port + "/" + name;
  }

  Connection admin(String database) throws SQLException {
    return DriverManager.getConnection("jdbc:postgresql://" + host + ":" + port + "/" + database + "?ApplicationName=optout-bench", "postgres", "");
  }

  /** As the superuser, in the run's database: for the checks after the run, which must see everything. */
  Connection inspect() throws SQLException {
    return admin(name);
  }

  /** What a session of the registry's application role sees: the settings that decide what a commit means. */
  Map<String, String> durabilitySettings() throws SQLException {
    Map<String, String> settings = new LinkedHashMap<>();
    try (Connection app = DriverManager.getConnection(url(), appRole(), password); Statement statement = app.createStatement();
        ResultSet rows = statement.executeQuery("""
            select name, setting, source from pg_settings
            where name in ('synchronous_commit', 'fsync', 'wal_sync_method', 'full_page_writes', 'commit_delay')
            order by array_position(array['synchronous_commit', 'fsync', 'wal_sync_method', 'full_page_writes', 'commit_delay'], name::text)""")) {
      while (rows.next()) {
        settings.put(rows.getString(1), rows.getString(2) + " (" + rows.getString(3) + ")");
      }
    }
    try (Connection app = DriverManager.getConnection(url(), appRole(), password); Statement statement = app.createStatement();
        ResultSet rows = statement.executeQuery("show synchronous_commit")) {
      rows.next();
      settings.put("show synchronous_commit", rows.getString(1));
    }
    return settings;
  }

  /** Drops the database (ending any session left in it) and both roles. */
  void drop() throws SQLException {
    if (!created) {
      return;
    }
    try (Connection admin = admin("postgres"); Statement statement = admin.createStatement()) {
      statement.execute("drop database if exists " + name + " with (force)");
      statement.execute("drop role if exists " + appRole());
      statement.execute("drop role if exists " + name);
    }
    created = false;
  }

  static long count(Connection connection, String sql) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(sql); ResultSet rows = statement.executeQuery()) {
      rows.next();
      return rows.getLong(1);
    }
  }
}
