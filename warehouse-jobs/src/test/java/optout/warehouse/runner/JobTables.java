package optout.warehouse.runner;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.UUID;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The portal's job table on the test PostgreSQL, made by the portal's own migrations (V1, V2) as its owner
 * role, with the portal's application role and the runner's role each getting exactly what the migrations
 * grant. Jobs are queued as the portal queues them (as its application role).
 */
final class JobTables {

  static final String PASSWORD = "test-only-job-table-password";
  private static final Path MIGRATIONS = Path.of("../research-portal/src/main/resources/db/migration");

  final String url;
  final String owner;

  private JobTables(String url, String owner) {
    this.url = url;
    this.owner = owner;
  }

  static JobTables create() throws Exception {
    String admin = System.getenv("OPTOUT_TEST_PG_ADMIN_URL");
    String name = "jobs_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    try (Connection connection = DriverManager.getConnection(admin, System.getenv().getOrDefault("OPTOUT_TEST_PG_ADMIN_USER", "postgres"), "");
        Statement statement = connection.createStatement()) {
      for (String role : new String[] {name, name + "_app", name + "_runner"}) {
        statement.execute("create role " + role + " login password '" + PASSWORD + "'");
      }
      statement.execute("create database " + name + " owner " + name);
    }
    JobTables tables = new JobTables(admin.replaceAll("/[^/?]*(\\?.*)?$", "/" + name), name);
    try (Connection connection = DriverManager.getConnection(tables.url, name, PASSWORD); Statement statement = connection.createStatement()) {
      statement.execute("create table flyway_schema_history (installed_rank integer primary key)");
      for (String migration : new String[] {"V1__applications_reviews.sql", "V2__warehouse_runner.sql", "V3__outputs_project_end.sql"}) {
        statement.execute(Files.readString(MIGRATIONS.resolve(migration)).replace("${app_role}", name + "_app").replace("${runner_role}", name + "_runner"));
      }
    }
    return tables;
  }

  PGSimpleDataSource as(String role) {
    PGSimpleDataSource source = new PGSimpleDataSource();
    source.setUrl(url);
    source.setUser(role);
    source.setPassword(PASSWORD);
    return source;
  }

  String runnerRole() {
    return owner + "_runner";
  }

  /** An application (approved, as far as the job table cares) and a queued job of {@code kind} for it; answers the job's ID. */
  UUID queue(String kind, String project, String purpose, String spec, String specSha256, Instant queuedAt) throws Exception {
    UUID application = UUID.randomUUID();
    UUID job = UUID.randomUUID();
    try (Connection connection = as(owner + "_app").getConnection()) {
      try (PreparedStatement insert = connection.prepareStatement("""
          insert into application (id, owner_subject, status, current_version, created_at, updated_at)
          values (?, 'researcher-subject', 'draft', 1, ?, ?)""")) {
        insert.setObject(1, application);
        insert.setTimestamp(2, Timestamp.from(queuedAt));
        insert.setTimestamp(3, Timestamp.from(queuedAt));
        insert.executeUpdate();
      }
      try (PreparedStatement insert = connection.prepareStatement("""
          insert into job (id, kind, application_id, version, project, purpose, spec, spec_sha256, status, queued_at)
          values (?, ?, ?, 1, ?, ?, ?, ?, 'queued', ?)""")) {
        insert.setObject(1, job);
        insert.setString(2, kind);
        insert.setObject(3, application);
        insert.setString(4, project);
        insert.setString(5, purpose);
        insert.setString(6, spec);
        insert.setString(7, specSha256);
        insert.setTimestamp(8, Timestamp.from(queuedAt));
        insert.executeUpdate();
      }
    }
    return job;
  }

  /** A job's status, progress, claimer, attempts and outcome, as the owner reads them. */
  record JobRow(String status, int progress, String claimedBy, int attempts, String outcome) {}

  JobRow read(UUID job) throws Exception {
    try (Connection connection = DriverManager.getConnection(url, owner, PASSWORD);
        PreparedStatement query = connection.prepareStatement("select status, progress, claimed_by, attempts, outcome from job where id = ?")) {
      query.setObject(1, job);
      try (var row = query.executeQuery()) {
        row.next();
        return new JobRow(row.getString(1), row.getInt(2), row.getString(3), row.getInt(4), row.getString(5));
      }
    }
  }

  /** Ends a job's lease now (as if its runner had stopped renewing it long ago). */
  void expireLease(UUID job) throws Exception {
    try (Connection connection = DriverManager.getConnection(url, owner, PASSWORD);
        PreparedStatement update = connection.prepareStatement("update job set lease_until = now() - interval '1 second' where id = ?")) {
      update.setObject(1, job);
      update.executeUpdate();
    }
  }
}
