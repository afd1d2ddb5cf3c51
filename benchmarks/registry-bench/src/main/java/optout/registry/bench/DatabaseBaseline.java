package optout.registry.bench;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * What the database alone can do on this machine, measured in the run's database before the load, with
 * as many connections as the registry's pool: (1) one-row inserts, each its own synchronously committed
 * transaction (pgbench-like: the commit rate); (2) the statements of one filing exactly as
 * {@code FilingService} and {@code EventStore} send them, over plain JDBC, without HTTP, security,
 * JSON or pseudonymisation. (2) is the ceiling the registry's SQL sets; the gap between it and the
 * filings per second is the cost of everything above the database. Both run in a scratch schema that is
 * dropped before the load, so the audit sees only the registry's own rows.
 */
final class DatabaseBaseline {

  private static final String SCHEMA = "bench_scratch";
  /**
   * The registry's event read (its {@code EventRows.SELECT}), restated here because the benchmark runs
   * outside the service's jar; keep the two alike, or the baseline stops measuring what the registry sends.
   */
  static final String EVENT_SELECT = """
      select e.seq, e.id, e.type, e.person, e.person_salt, e.person_id_sealed, e.scopes, e.channel, e.proxy_relation,
             e.proxy_evidence, e.document_reference, e.document_sha256, e.effective_at, e.recorded_at, e.filed_by,
             e.filer_role, e.filer_pseudonym, e.idempotency_key, e.request_sha256, e.row_mac, l.log_index
      from registry_event e left join log_leaf l on l.event_seq = e.seq
      """;
  private final BenchDatabase database;

  DatabaseBaseline(BenchDatabase database) {
    this.database = database;
  }

  /** The scratch schema: an empty copy of the registry's tables (their indexes and checks, not their triggers). */
  void prepare() throws SQLException {
    try (Connection owner = owner(); Statement statement = owner.createStatement()) {
      statement.execute("create schema " + SCHEMA);
      statement.execute("create table " + SCHEMA + ".commit_probe (id bigint generated always as identity primary key,"
          + " k text not null unique, payload bytea not null)");
      for (String table : new String[] {"registry_event", "log_leaf", "person_state"}) {
        statement.execute("create table " + SCHEMA + "." + table + " (like public." + table + " including all)");
      }
    }
  }

  void dropScratch() throws SQLException {
    try (Connection owner = owner(); Statement statement = owner.createStatement()) {
      statement.execute("drop schema if exists " + SCHEMA + " cascade");
    }
  }

  Rate commits(int connections, Duration warmup, Duration window) throws BenchException {
    return Rate.measure("single-row insert commits", connections, warmup, window, thread -> {
      Connection connection = scratch();
      PreparedStatement insert = connection.prepareStatement("insert into commit_probe (k, payload) values (?, ?)");
      byte[] payload = new byte[300];
      return new Rate.Worker() {
        @Override
        public void once() throws SQLException {
          insert.setString(1, UUID.randomUUID().toString());
          ThreadLocalRandom.current().nextBytes(payload);
          insert.setBytes(2, payload);
          insert.executeUpdate();
        }

        @Override
        public void close() throws SQLException {
          connection.close();
        }
      };
    });
  }

  /** One filing's statements: the replay lookup (outside the transaction), then lock, state, insert, upsert, read back, commit. */
  Rate filingStatements(int connections, Duration warmup, Duration window) throws BenchException {
    return Rate.measure("a filing's SQL over JDBC", connections, warmup, window, thread -> {
      Connection connection = scratch();
      SecureRandom random = new SecureRandom();
      return new Rate.Worker() {
        @Override
        public void once() throws SQLException {
          String key = "baseline-" + UUID.randomUUID();
          long person = random.nextLong();
          UUID id = UUID.randomUUID();
          try (PreparedStatement replay = connection.prepareStatement(EVENT_SELECT + " where e.idempotency_key = ?")) {
            replay.setString(1, key);
            drain(replay);
          }
          connection.setAutoCommit(false);
          try {
            try (PreparedStatement lock = connection.prepareStatement("select pg_advisory_xact_lock(?)")) {
              lock.setLong(1, person);
              drain(lock);
            }
            try (PreparedStatement state = connection.prepareStatement("select opted_out::text from person_state where person = ?")) {
              state.setLong(1, person);
              drain(state);
            }
            long seq;
            try (PreparedStatement insert = connection.prepareStatement("""
                insert into registry_event (id, type, person, person_salt, person_id_sealed, scopes, channel, proxy_relation,
                  proxy_evidence, document_reference, document_sha256, effective_at, recorded_at, filed_by, filed_by_subject,
                  idempotency_key, request_sha256, row_mac, stat_sex, stat_county, stat_age_band)
                values (?, ?, ?, ?, ?, ?::text[], ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                returning seq""")) {
              Timestamp now = Timestamp.from(Instant.now());
              insert.setObject(1, id);
              insert.setString(2, "opt-out-filed");
              insert.setLong(3, person);
              insert.setBytes(4, bytes(random, 16));
              insert.setBytes(5, bytes(random, 48));
              insert.setString(6, "{academic-research}");
              insert.setString(7, "online");
              insert.setString(8, null);
              insert.setString(9, null);
              insert.setString(10, key);
              insert.setString(11, HexFormat.of().formatHex(bytes(random, 32)));
              insert.setTimestamp(12, now);
              insert.setTimestamp(13, now);
              insert.setString(14, "consent-service");
              insert.setString(15, "bench");
              insert.setString(16, key);
              insert.setBytes(17, bytes(random, 32));
              insert.setBytes(18, bytes(random, 32));
              insert.setString(19, "male");
              insert.setString(20, "taipei-city");
              insert.setString(21, "unknown");
              try (ResultSet rows = insert.executeQuery()) {
                rows.next();
                seq = rows.getLong(1);
              }
            }
            try (PreparedStatement upsert = connection.prepareStatement("""
                insert into person_state (person, opted_out, last_seq, sealed_id) values (?, ?::jsonb, ?, ?)
                on conflict (person) do update set opted_out = excluded.opted_out, last_seq = excluded.last_seq, sealed_id = excluded.sealed_id""")) {
              upsert.setLong(1, person);
              upsert.setString(2, "{\"academic-research\": \"2026-01-01T00:00:00Z\"}");
              upsert.setLong(3, seq);
              upsert.setBytes(4, bytes(random, 48));
              upsert.executeUpdate();
            }
            try (PreparedStatement readBack = connection.prepareStatement(EVENT_SELECT + " where e.id = ?")) {
              readBack.setObject(1, id);
              drain(readBack);
            }
            connection.commit();
          } catch (SQLException e) {
            connection.rollback();
            throw e;
          } finally {
            connection.setAutoCommit(true);
          }
        }

        @Override
        public void close() throws SQLException {
          connection.close();
        }
      };
    });
  }

  private Connection owner() throws SQLException {
    return DriverManager.getConnection(database.url(), database.name(), database.password());
  }

  private Connection scratch() throws SQLException {
    Connection connection = owner();
    try (Statement statement = connection.createStatement()) {
      statement.execute("set search_path = " + SCHEMA);
    }
    return connection;
  }

  private static void drain(PreparedStatement statement) throws SQLException {
    try (ResultSet rows = statement.executeQuery()) {
      while (rows.next()) {
        rows.getObject(1);
      }
    }
  }

  private static byte[] bytes(SecureRandom random, int length) {
    byte[] bytes = new byte[length];
    random.nextBytes(bytes);
    return bytes;
  }
}
