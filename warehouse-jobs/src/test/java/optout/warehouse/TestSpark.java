package optout.warehouse;

import optout.warehouse.spark.WarehouseSession;
import org.apache.spark.sql.SparkSession;

/** One Spark session per test JVM (starting one costs seconds), on the test catalog. Never stopped by a test. */
public final class TestSpark {

  private static SparkSession session;

  private TestSpark() {}

  public static synchronized SparkSession session() throws Exception {
    if (session == null) {
      session = WarehouseSession.open("warehouse-tests", TestCatalogs.settings());
    }
    return session;
  }
}
