package optout.warehouse.extract;

import java.util.List;
import org.apache.spark.sql.SparkSession;

/** The tiny warehouse for tests in other packages: writes it and returns its persons' layer-1 pseudonyms. */
public final class TinyWarehouseAccess {

  private TinyWarehouseAccess() {}

  public static List<Long> write(SparkSession spark) throws Exception {
    return List.copyOf(new TinyWarehouse().write(spark).layer1);
  }
}
