package optout.warehouse;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import optout.warehouse.spark.WarehouseSession;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

class WarehouseSessionIT {

  @Test
  void anIcebergTableInTheJdbcCatalogIsWrittenAndReadBack() throws Exception {
    SparkSession spark = WarehouseSession.open("smoke", TestCatalogs.settings());
    spark.sql("create namespace if not exists nhi.smoke");
    spark.sql("create table nhi.smoke.t (id bigint, name string) using iceberg");
    spark.sql("insert into nhi.smoke.t values (1, 'a'), (2, 'b')");
    List<Row> rows = spark.sql("select id from nhi.smoke.t order by id").collectAsList();
    assertThat(rows).extracting(r -> r.getLong(0)).containsExactly(1L, 2L);
    assertThat(spark.sql("select count(*) from nhi.smoke.t.snapshots").first().getLong(0)).isEqualTo(1);
  }
}
