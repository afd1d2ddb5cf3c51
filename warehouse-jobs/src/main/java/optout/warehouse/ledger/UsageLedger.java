package optout.warehouse.ledger;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.Properties;
import optout.warehouse.spark.WarehouseSession;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;

/**
 * Who was used where: for every person included in an extract, a row (layer-1 pseudonym, project,
 * extract, purpose, date) in the Iceberg table {@value #TABLE}, the complete history; and the same in
 * PostgreSQL's {@code person_usage} (primary key person and extract, indexed by person), which the
 * portal queries in milliseconds when a citizen asks where their data was used. Layer-1 pseudonyms only:
 * the portal maps a logged-in citizen to theirs through the pseudonymizer.
 */
public final class UsageLedger {

  public static final String TABLE = WarehouseSession.CATALOG + ".ledger.usage";

  private final WarehouseSession.Settings settings;

  public UsageLedger(WarehouseSession.Settings settings) {
    this.settings = settings;
  }

  /** Records the extract's included persons (a dataset with a {@code person} column of layer-1 pseudonyms). */
  public long record(Dataset<Row> includedPersons, String project, String extractId, String purpose, LocalDate usedOn) {
    Dataset<Row> rows = includedPersons.select(col("person")).distinct()
        .withColumn("project", lit(project)).withColumn("extract_id", lit(extractId))
        .withColumn("purpose", lit(purpose)).withColumn("used_on", lit(usedOn));
    var spark = includedPersons.sparkSession();
    spark.sql("create namespace if not exists " + WarehouseSession.CATALOG + ".ledger");
    spark.sql("create table if not exists " + TABLE
        + " (person bigint, project string, extract_id string, purpose string, used_on date) using iceberg"
        + " partitioned by (project) tblproperties ('format-version' = '2')");
    try {
      rows.writeTo(TABLE).append();
    } catch (org.apache.spark.sql.catalyst.analysis.NoSuchTableException e) {
      throw new IllegalStateException("Cannot record the extract's usage: " + TABLE + " is missing", e);
    }

    String staging = "person_usage_staging_" + extractId.replaceAll("[^A-Za-z0-9]", "_").toLowerCase(java.util.Locale.ROOT);
    try (Connection connection = DriverManager.getConnection(settings.jdbcUrl(), settings.user(), settings.password());
        Statement statement = connection.createStatement()) {
      statement.execute("""
          create table if not exists person_usage (
            person bigint not null, project text not null, extract_id text not null, purpose text not null, used_on date not null,
            primary key (person, extract_id))""");
      statement.execute("create index if not exists person_usage_by_person on person_usage (person)");
      Properties properties = new Properties();
      properties.setProperty("user", settings.user());
      properties.setProperty("password", settings.password());
      properties.setProperty("driver", "org.postgresql.Driver");
      rows.write().mode(SaveMode.Overwrite).jdbc(settings.jdbcUrl(), staging, properties);
      int inserted = statement.executeUpdate("insert into person_usage (person, project, extract_id, purpose, used_on) select person, project,"
          + " extract_id, purpose, used_on from " + staging + " on conflict do nothing");
      statement.execute("drop table " + staging);
      return inserted;
    } catch (SQLException e) {
      throw new IllegalStateException("Cannot record the extract's usage in PostgreSQL: " + e.getMessage(), e);
    }
  }
}
