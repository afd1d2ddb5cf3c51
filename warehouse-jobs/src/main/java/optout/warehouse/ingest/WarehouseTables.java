package optout.warehouse.ingest;

import java.util.List;
import org.apache.spark.sql.types.StructType;

/**
 * The warehouse's tables as ingest writes them (namespace {@code nhi.warehouse}, Iceberg format v2):
 * columns, partitioning and write order. See the module README, "Warehouse layout", for why.
 */
public final class WarehouseTables {

  private WarehouseTables() {}

  /** The project whose token key makes the warehouse's hospital and insured-unit tokens. */
  public static final String TOKEN_PROJECT = optout.pseudonymizer.custody.KeyCustodies.WAREHOUSE_TOKENS;
  public static final String NAMESPACE = "warehouse";

  /**
   * A table: its name, columns (Spark DDL), partition transform (or null), and the order rows are
   * written in, and whether that order is global (range-distributed: each file holds its own range of
   * the first column) or only within the files of each partition (hash-distributed by partition).
   */
  public record Table(String name, RawFile source, String columns, String partitioning, String order, boolean globalOrder) {

    public StructType schema() {
      return StructType.fromDDL(columns);
    }

    /** The date column the table is partitioned by, or null. */
    public String partitionColumn() {
      return partitioning == null ? null : partitioning.substring(partitioning.indexOf('(') + 1, partitioning.indexOf(')'));
    }
  }

  public static final Table ENROLLMENT = new Table("enrollment", RawFile.ID,
      "person bigint, birth_date date, sex string, in_date date, out_date date, insured_unit bigint, county string, premium_grade int",
      null, "person", true);
  public static final Table OUTPATIENT_VISIT = new Table("outpatient_visit", RawFile.CD,
      "visit_id bigint, person bigint, hospital bigint, visit_date date, dept string, icd1 string, icd2 string, icd3 string, "
          + "points int, copay int",
      "years(visit_date)", "person, visit_date, visit_id", false);
  public static final Table OUTPATIENT_ORDER = new Table("outpatient_order", RawFile.OO,
      "visit_id bigint, visit_date date, order_seq int, order_type int, code string, quantity decimal(12,3), "
          + "total_quantity decimal(12,3), unit_price decimal(12,2), points int",
      "years(visit_date)", "visit_id, order_seq", false);
  public static final Table INPATIENT_STAY = new Table("inpatient_stay", RawFile.DD,
      "admission_id bigint, person bigint, hospital bigint, admit_date date, discharge_date date, icd1 string, icd2 string, "
          + "icd3 string, icd4 string, icd5 string, bed_days int, points int",
      "years(admit_date)", "person, admit_date, admission_id", false);
  public static final Table INPATIENT_ORDER = new Table("inpatient_order", RawFile.DO,
      "admission_id bigint, admit_date date, order_seq int, code string, quantity decimal(12,3), points int",
      "years(admit_date)", "admission_id, order_seq", false);
  public static final Table PHARMACY_DISPENSING = new Table("pharmacy_dispensing", RawFile.GD,
      "rx_id bigint, person bigint, pharmacy bigint, dispense_date date, drug_days int, points int",
      "years(dispense_date)", "person, dispense_date, rx_id", false);
  public static final Table PHARMACY_ORDER = new Table("pharmacy_order", RawFile.GO,
      "rx_id bigint, dispense_date date, order_seq int, code string, total_quantity decimal(12,3), drug_days int, points int",
      "years(dispense_date)", "rx_id, order_seq", false);

  public static final List<Table> ALL = List.of(ENROLLMENT, OUTPATIENT_VISIT, OUTPATIENT_ORDER, INPATIENT_STAY, INPATIENT_ORDER,
      PHARMACY_DISPENSING, PHARMACY_ORDER);

  /** The visit-level file whose key and date an order file's rows take (CD for OO, DD for DO, GD for GO). */
  static RawFile parentOf(RawFile orders) {
    return switch (orders) {
      case OO -> RawFile.CD;
      case DO -> RawFile.DD;
      case GO -> RawFile.GD;
      default -> null;
    };
  }
}
