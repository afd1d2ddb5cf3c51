package optout.warehouse.spark;

import java.nio.file.Path;
import java.util.Objects;
import org.apache.spark.sql.SparkSession;

/**
 * The Spark session every warehouse job runs in: Iceberg's SQL extensions, and one Iceberg catalog,
 * {@value #CATALOG}, kept by Iceberg's JDBC catalog in the platform's PostgreSQL, with its data files
 * under a warehouse location (a local directory by default, any Hadoop file system URI on a cluster).
 * The master is {@code local[*]} unless told otherwise, so the same jar runs on a laptop and on a
 * standalone cluster unchanged.
 */
public final class WarehouseSession {

  /** The Iceberg catalog's name in Spark SQL. */
  public static final String CATALOG = "nhi";

  private WarehouseSession() {}

  /**
   * Where the catalog and the data live.
   *
   * @param jdbcUrl the catalog database, e.g. {@code jdbc:postgresql://127.0.0.1:54320/warehouse}
   * @param location the warehouse's root for data files, e.g. {@code file:/srv/warehouse}
   * @param master the Spark master, e.g. {@code local[*]} or {@code spark://host:7077}
   */
  public record Settings(String jdbcUrl, String user, String password, String location, String master, int shufflePartitions) {
    public Settings {
      Objects.requireNonNull(jdbcUrl, "the catalog's JDBC URL");
      Objects.requireNonNull(user, "the catalog's database user");
      Objects.requireNonNull(password, "the catalog's database password");
      Objects.requireNonNull(location, "the warehouse location");
      master = master == null || master.isBlank() ? "local[*]" : master;
      if (shufflePartitions < 1) {
        throw new IllegalArgumentException("Cannot start the warehouse session: shuffle partitions must be at least 1");
      }
    }

    public static Settings local(String jdbcUrl, String user, String password, Path location) {
      return new Settings(jdbcUrl, user, password, location.toAbsolutePath().toUri().toString(), "local[*]", 8);
    }
  }

  /** A session for {@code application} (its name in the Spark UI and logs). */
  public static SparkSession open(String application, Settings settings) {
    String catalog = "spark.sql.catalog." + CATALOG;
    return SparkSession.builder()
        .appName(application)
        .master(settings.master())
        .config("spark.sql.extensions", "org.apache.iceberg.spark.extensions.IcebergSparkSessionExtensions")
        .config(catalog, "org.apache.iceberg.spark.SparkCatalog")
        .config(catalog + ".catalog-impl", "org.apache.iceberg.jdbc.JdbcCatalog")
        .config(catalog + ".uri", settings.jdbcUrl())
        .config(catalog + ".jdbc.user", settings.user())
        .config(catalog + ".jdbc.password", settings.password())
        // the catalog tables carry Iceberg's newer schema (views); created on first use
        .config(catalog + ".jdbc.schema-version", "V1")
        .config(catalog + ".warehouse", settings.location())
        .config("spark.sql.shuffle.partitions", Integer.toString(settings.shufflePartitions()))
        .config("spark.ui.enabled", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .getOrCreate();
  }
}
