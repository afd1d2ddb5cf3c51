package optout.warehouse.ledger;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import optout.warehouse.spark.WarehouseSession;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Who was used where: for every person included in an extract, a row (layer-1 pseudonym, the warehouse
 * key version it was made with, project, extract, purpose, date) in the Iceberg table {@value #TABLE}, the
 * complete history; and the same in
 * PostgreSQL's {@code person_usage} (primary key person and extract, indexed by person), which the
 * portal queries in milliseconds when a citizen asks where their data was used. Layer-1 pseudonyms only:
 * the portal maps a logged-in citizen to theirs through the pseudonymizer, under the row's key version
 * (after a rotation one person has a pseudonym per version, and the ledger keeps what the extract used).
 * Ledgers from before the version was recorded get the column, empty for their old rows.
 */
public final class UsageLedger {

  public static final String TABLE = WarehouseSession.CATALOG + ".ledger.usage";

  private final WarehouseSession.Settings settings;

  public UsageLedger(WarehouseSession.Settings settings) {
    this.settings = settings;
  }

  /**
   * Makes PostgreSQL's {@code person_usage} (or brings an older one up to date) in the catalog's database, as its
   * owner, and lets {@code readerRole} (when given) select from it and from nothing else of this method's: the
   * portal's read-only role. The warehouse runner calls it at its start, so the portal can read the (empty)
   * ledger before the first extract.
   */
  public static void preparePostgres(WarehouseSession.Settings settings, String readerRole) {
    if (readerRole != null && !readerRole.matches("[a-z_][a-z0-9_]{0,62}")) {
      throw new IllegalArgumentException("Cannot let a role read the usage ledger: a role name is lower-case letters, digits and underscores");
    }
    try (Connection connection = DriverManager.getConnection(settings.jdbcUrl(), settings.user(), settings.password());
        Statement statement = connection.createStatement()) {
      createTable(statement);
      if (readerRole != null) {
        statement.execute("grant select on person_usage to " + readerRole);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("Cannot prepare the usage ledger in PostgreSQL: " + e.getMessage(), e);
    }
  }

  private static void createTable(Statement statement) throws SQLException {
    statement.execute("""
        create table if not exists person_usage (
          person bigint not null, project text not null, extract_id text not null, purpose text not null, used_on date not null,
          primary key (person, extract_id))""");
    statement.execute("create index if not exists person_usage_by_person on person_usage (person)");
    statement.execute("alter table person_usage add column if not exists warehouse_key_version integer");
  }

  /**
   * Records the extract's included persons (a dataset with a {@code person} column of distinct layer-1 pseudonyms,
   * made under warehouse key {@code warehouseKeyVersion}).
   */
  public long record(Dataset<Row> includedPersons, int warehouseKeyVersion, String project, String extractId, String purpose,
      LocalDate usedOn) {
    if (warehouseKeyVersion < 1) {
      throw new IllegalArgumentException("Cannot record the extract's usage: the warehouse key version must be at least 1");
    }
    // the persons of an extract are distinct by construction (its cohort has a row a person): no shuffle to make them so
    Dataset<Row> rows = includedPersons.select(col("person")).coalesce(1)
        .withColumn("warehouse_key_version", lit(warehouseKeyVersion))
        .withColumn("project", lit(project)).withColumn("extract_id", lit(extractId))
        .withColumn("purpose", lit(purpose)).withColumn("used_on", lit(usedOn)).persist(org.apache.spark.storage.StorageLevel.MEMORY_AND_DISK());
    var spark = includedPersons.sparkSession();
    spark.sql("create namespace if not exists " + WarehouseSession.CATALOG + ".ledger");
    spark.sql("create table if not exists " + TABLE
        + " (person bigint, project string, extract_id string, purpose string, used_on date) using iceberg"
        + " partitioned by (project) tblproperties ('format-version' = '2')");
    if (java.util.Arrays.stream(spark.table(TABLE).columns()).noneMatch("warehouse_key_version"::equals)) {
      spark.sql("alter table " + TABLE + " add column warehouse_key_version int");
    }
    // a release run again under the same extract ID (after a crash) replaces its rows rather than adding them twice
    if (!extractId.matches("[A-Za-z0-9-]{1,64}")) {
      throw new IllegalArgumentException("Cannot record the extract's usage: the extract ID must be letters, digits and hyphens");
    }
    spark.sql("delete from " + TABLE + " where extract_id = '" + extractId + "'");
    try {
      rows.select("person", "project", "extract_id", "purpose", "used_on", "warehouse_key_version").writeTo(TABLE).append();
    } catch (org.apache.spark.sql.catalyst.analysis.NoSuchTableException e) {
      throw new IllegalStateException("Cannot record the extract's usage: " + TABLE + " is missing", e);
    }

    // the driver streams the persons into PostgreSQL with COPY (one round trip, no per-row statements), into
    // a temporary table, then adds what is new: a retried run records nobody twice
    try (Connection connection = DriverManager.getConnection(settings.jdbcUrl(), settings.user(), settings.password());
        Statement statement = connection.createStatement()) {
      createTable(statement);
      connection.setAutoCommit(false);
      statement.execute("create temporary table person_usage_new (person bigint not null) on commit drop");
      org.postgresql.copy.CopyManager copy = connection.unwrap(org.postgresql.PGConnection.class).getCopyAPI();
      java.util.Iterator<Row> persons = rows.select(col("person")).toLocalIterator();
      StringBuilder batch = new StringBuilder();
      var in = copy.copyIn("copy person_usage_new (person) from stdin");
      while (persons.hasNext()) {
        batch.append(persons.next().getLong(0)).append('\n');
        if (batch.length() > 1 << 16) {
          byte[] bytes = batch.toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
          in.writeToCopy(bytes, 0, bytes.length);
          batch.setLength(0);
        }
      }
      byte[] bytes = batch.toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
      in.writeToCopy(bytes, 0, bytes.length);
      in.endCopy();
      int inserted;
      try (var insert = connection.prepareStatement("insert into person_usage (person, project, extract_id, purpose, used_on,"
          + " warehouse_key_version) select person, ?, ?, ?, ?, ? from person_usage_new on conflict do nothing")) {
        insert.setString(1, project);
        insert.setString(2, extractId);
        insert.setString(3, purpose);
        insert.setObject(4, usedOn);
        insert.setInt(5, warehouseKeyVersion);
        inserted = insert.executeUpdate();
      }
      connection.commit();
      rows.unpersist();
      return inserted;
    } catch (SQLException e) {
      throw new IllegalStateException("Cannot record the extract's usage in PostgreSQL: " + e.getMessage(), e);
    }
  }
}
