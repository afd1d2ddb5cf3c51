package optout.warehouse.extract;

import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import optout.pseudonymizer.id.PersonId;
import optout.warehouse.TestKeys;
import optout.warehouse.keys.KeyAccess;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * A warehouse of a few dozen people written straight into the test catalog, in the contract's schema:
 * every even-numbered person has type 2 diabetes (E119) in 2022, every fifth was in hospital with it, every third is over 90, everyone has a
 * cold (J069). Enough to see who is in a cohort and who is excluded, table by table.
 */
final class TinyWarehouse {

  static final int PERSONS = 40;
  final List<String> ids = new ArrayList<>();
  final List<Long> layer1 = new ArrayList<>();

  static String nationalId(int i) {
    // A1 + seven serial digits + check digit: A=10 → 1, 0; weights 1, 9, then 8..1
    String body = "A1" + String.format("%07d", 1_000 + i);
    int sum = 1 + 0 * 9;
    for (int d = 1; d < body.length(); d++) {
      sum += (body.charAt(d) - '0') * (9 - d);
    }
    int check = (10 - sum % 10) % 10;
    return body + check;
  }

  TinyWarehouse write(SparkSession spark) throws Exception {
    KeyAccess keys = TestKeys.warehouse();
    for (int i = 0; i < PERSONS; i++) {
      String id = nationalId(i);
      ids.add(id);
      layer1.add(keys.warehouse().pseudonym(PersonId.parse(id)));
    }
    spark.sql("create namespace if not exists nhi.warehouse");
    List<Row> enrollment = new ArrayList<>();
    List<Row> visits = new ArrayList<>();
    List<Row> orders = new ArrayList<>();
    List<Row> stays = new ArrayList<>();
    List<Row> stayOrders = new ArrayList<>();
    List<Row> dispensing = new ArrayList<>();
    List<Row> dispensingOrders = new ArrayList<>();
    long visit = 1;
    for (int i = 0; i < PERSONS; i++) {
      long person = layer1.get(i);
      LocalDate birth = birthDate(i);
      enrollment.add(RowFactory.create(person, date(birth), i % 2 == 0 ? "F" : "M", date(LocalDate.of(1995, 3, 1)), null,
          9_000_000_000L + i % 5, i % 4 == 0 ? "taipei-city" : "kaohsiung-city", 10 + i % 20));
      for (int v = 0; v < 2; v++) {
        LocalDate day = LocalDate.of(2022, 1 + (i + v) % 12, 1 + (i * 7 + v) % 27);
        String diagnosis = i % 2 == 0 && v == 0 ? "E119" : "J069";
        visits.add(RowFactory.create(visit, person, 8_000_000_000L + i % 7, date(day), "01", diagnosis, v == 1 ? "I10" : null, null, 300 + i, 50));
        orders.add(RowFactory.create(visit, date(day), 1, 1, "A012345100", new java.math.BigDecimal("1.000"), new java.math.BigDecimal("28.000"),
            new java.math.BigDecimal("2.50"), 70));
        visit++;
      }
      if (i % 5 == 0) {
        LocalDate admit = LocalDate.of(2022, 6, 1 + i % 20);
        stays.add(RowFactory.create(100_000L + i, person, 8_100_000_000L, date(admit), date(admit.plusDays(3)), "E119", null, null, null, null, 3, 9000));
        stayOrders.add(RowFactory.create(100_000L + i, date(admit), 1, "05001C", new java.math.BigDecimal("1.000"), 400));
      }
      LocalDate dispensed = LocalDate.of(2022, 9, 1 + i % 20);
      dispensing.add(RowFactory.create(200_000L + i, person, 8_200_000_000L + i % 3, date(dispensed), 28, 500));
      dispensingOrders.add(RowFactory.create(200_000L + i, date(dispensed), 1, "A012345100", new java.math.BigDecimal("56.000"), 28, 480));
    }
    write(spark, "enrollment", enrollment, schema("person bigint, birth_date date, sex string, in_date date, out_date date, insured_unit bigint, county string, premium_grade int"));
    write(spark, "outpatient_visit", visits, schema("visit_id bigint, person bigint, hospital bigint, visit_date date, dept string, icd1 string, icd2 string, icd3 string, points int, copay int"));
    write(spark, "outpatient_order", orders, schema("visit_id bigint, visit_date date, order_seq int, order_type int, code string, quantity decimal(12,3), total_quantity decimal(12,3), unit_price decimal(12,2), points int"));
    write(spark, "inpatient_stay", stays, schema("admission_id bigint, person bigint, hospital bigint, admit_date date, discharge_date date, icd1 string, icd2 string, icd3 string, icd4 string, icd5 string, bed_days int, points int"));
    write(spark, "inpatient_order", stayOrders, schema("admission_id bigint, admit_date date, order_seq int, code string, quantity decimal(12,3), points int"));
    write(spark, "pharmacy_dispensing", dispensing, schema("rx_id bigint, person bigint, pharmacy bigint, dispense_date date, drug_days int, points int"));
    write(spark, "pharmacy_order", dispensingOrders, schema("rx_id bigint, dispense_date date, order_seq int, code string, total_quantity decimal(12,3), drug_days int, points int"));
    return this;
  }

  private static Date date(LocalDate day) {
    return Date.valueOf(day);
  }

  private static StructType schema(String ddl) {
    return StructType.fromDDL(ddl);
  }

  /** As ingest writes it: the warehouse key version (1, the test keystore's only one) in the snapshot. */
  private static void write(SparkSession spark, String table, List<Row> rows, StructType schema) {
    spark.createDataFrame(rows, schema).writeTo("nhi.warehouse." + table).using("iceberg").tableProperty("format-version", "2")
        .option("snapshot-property." + optout.warehouse.ingest.Ingest.KEY_VERSION_PROPERTY, "1").createOrReplace();
  }

  static LocalDate birthDate(int i) {
    return i % 3 == 0 ? LocalDate.of(1925, 3, 1) : LocalDate.of(1950 + i, 1 + i % 12, 1 + i % 28);
  }

  /** Whether person i is in the test's cohort: diabetic (visit or stay), and from 40 to 90 years old on 2022-01-01. */
  static boolean inCohort(int i) {
    int age = java.time.Period.between(birthDate(i), LocalDate.of(2022, 1, 1)).getYears();
    return (i % 2 == 0 || i % 5 == 0) && age >= 40 && age <= 90;
  }

}
