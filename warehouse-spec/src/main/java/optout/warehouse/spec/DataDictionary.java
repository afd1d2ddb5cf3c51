package optout.warehouse.spec;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the warehouse holds and what each column is, so that a spec can ask for the minimum necessary
 * and the extract knows what to do with it: every kind of column carries its {@link Release} rule, the
 * one place that says how a column of that kind leaves the warehouse. A column not listed here does
 * not exist for an extract.
 */
public final class DataDictionary {

  /**
   * How a column leaves the warehouse. Everything that could link a project to the warehouse or to
   * another project (persons, organisations, record keys) is a value under the project's own keys.
   */
  public enum Release {
    /** The project's layer-2 pseudonym of the person ({@code ProjectPseudonymizer}). */
    PROJECT_PSEUDONYM,
    /** The project's token of the organisation ({@code ProjectTokenizer}: HMAC-SHA256 under the project's token key). */
    PROJECT_TOKEN,
    /**
     * The project's record key ({@code ProjectRecordKeys}: FF1 under a key derived from the project's token
     * key, one permutation per key name), so that orders still join their visits inside the project only.
     */
    PROJECT_RECORD_KEY,
    /** Generalised as the spec says: birth date to a year or a five-year band, other dates to the month or the day. */
    GENERALISED,
    /** As it is: clinical and administrative content that identifies nobody by itself. */
    AS_IS
  }

  /**
   * What a column could reveal about whom it describes, for the minimum-necessary review: an application
   * must justify, column by column, everything but {@link #NONE}.
   */
  public enum Identification {
    /** Points at one person or organisation (even pseudonymised, it links their rows). */
    IDENTIFYING,
    /** Identifies nobody alone, but can single someone out combined with others (dates, birth date). */
    QUASI_IDENTIFYING,
    /** Identifies nobody, alone or combined: content, and record keys that only join rows inside the project. */
    NONE
  }

  /** What a column is, for release; each kind has exactly one release rule, given here and nowhere else. */
  public enum Kind {
    /** The person. */
    PERSON(Release.PROJECT_PSEUDONYM, Identification.IDENTIFYING),
    /** A hospital, pharmacy or insured unit. */
    ORGANISATION(Release.PROJECT_TOKEN, Identification.IDENTIFYING),
    /** A quasi-identifier: birth date, dates of care. */
    QUASI_IDENTIFIER(Release.GENERALISED, Identification.QUASI_IDENTIFYING),
    /** A record's own key (visit, admission, prescription), and the same key where orders refer to it. */
    RECORD_KEY(Release.PROJECT_RECORD_KEY, Identification.NONE),
    /** Clinical or administrative content. */
    CONTENT(Release.AS_IS, Identification.NONE);

    private final Release release;
    private final Identification identification;

    Kind(Release release, Identification identification) {
      // a kind without a rule would stop this class from loading: nothing is released by default
      this.release = java.util.Objects.requireNonNull(release, "release");
      this.identification = java.util.Objects.requireNonNull(identification, "identification");
    }

    /** How a column of this kind is released. */
    public Release release() {
      return release;
    }

    /** Whether a column of this kind must be justified in an application. */
    public Identification identification() {
      return identification;
    }
  }

  public record Column(String name, Kind kind, String description) {}

  /**
   * A warehouse table: its columns, the column holding its person (for order tables, none: they reach
   * their person through their parent), its parent table and join key, and its date column.
   */
  public record Table(String name, Map<String, Column> columns, Optional<String> personColumn, Optional<String> parent,
      Optional<String> parentKey, String dateColumn, String description) {

    public Optional<Column> column(String column) {
      return Optional.ofNullable(columns.get(column));
    }
  }

  private static final Map<String, Table> TABLES = new LinkedHashMap<>();

  static {
    table("enrollment", "Insurance enrollment, one row per person", "person", null, null, "in_date",
        c("person", Kind.PERSON, "the person"),
        c("birth_date", Kind.QUASI_IDENTIFIER, "date of birth"),
        c("sex", Kind.CONTENT, "sex, M or F"),
        c("in_date", Kind.QUASI_IDENTIFIER, "enrolled since"),
        c("out_date", Kind.QUASI_IDENTIFIER, "enrolled until (null while enrolled)"),
        c("insured_unit", Kind.ORGANISATION, "the insured unit (employer or local office)"),
        c("county", Kind.CONTENT, "county or city of registration"),
        c("premium_grade", Kind.CONTENT, "premium grade, 1 to 50"));
    table("outpatient_visit", "Outpatient visits (CD)", "person", null, null, "visit_date",
        c("visit_id", Kind.RECORD_KEY, "the visit"),
        c("person", Kind.PERSON, "the patient"),
        c("hospital", Kind.ORGANISATION, "the hospital or clinic"),
        c("visit_date", Kind.QUASI_IDENTIFIER, "date of the visit"),
        c("dept", Kind.CONTENT, "department code"),
        c("icd1", Kind.CONTENT, "principal diagnosis, ICD-10-CM"),
        c("icd2", Kind.CONTENT, "second diagnosis, ICD-10-CM"),
        c("icd3", Kind.CONTENT, "third diagnosis, ICD-10-CM"),
        c("points", Kind.CONTENT, "points claimed"),
        c("copay", Kind.CONTENT, "patient's copayment"));
    table("outpatient_order", "Outpatient orders (OO)", null, "outpatient_visit", "visit_id", "visit_date",
        c("visit_id", Kind.RECORD_KEY, "the visit"),
        c("visit_date", Kind.QUASI_IDENTIFIER, "date of the visit"),
        c("order_seq", Kind.CONTENT, "order number within the visit"),
        c("order_type", Kind.CONTENT, "1 drug, 2 procedure"),
        c("code", Kind.CONTENT, "drug or procedure code"),
        c("quantity", Kind.CONTENT, "dose"),
        c("total_quantity", Kind.CONTENT, "total quantity"),
        c("unit_price", Kind.CONTENT, "unit price"),
        c("points", Kind.CONTENT, "points claimed"));
    table("inpatient_stay", "Inpatient stays (DD)", "person", null, null, "admit_date",
        c("admission_id", Kind.RECORD_KEY, "the stay"),
        c("person", Kind.PERSON, "the patient"),
        c("hospital", Kind.ORGANISATION, "the hospital"),
        c("admit_date", Kind.QUASI_IDENTIFIER, "admission date"),
        c("discharge_date", Kind.QUASI_IDENTIFIER, "discharge date"),
        c("icd1", Kind.CONTENT, "principal diagnosis"),
        c("icd2", Kind.CONTENT, "diagnosis 2"),
        c("icd3", Kind.CONTENT, "diagnosis 3"),
        c("icd4", Kind.CONTENT, "diagnosis 4"),
        c("icd5", Kind.CONTENT, "diagnosis 5"),
        c("bed_days", Kind.CONTENT, "days in a bed"),
        c("points", Kind.CONTENT, "points claimed"));
    table("inpatient_order", "Inpatient orders (DO)", null, "inpatient_stay", "admission_id", "admit_date",
        c("admission_id", Kind.RECORD_KEY, "the stay"),
        c("admit_date", Kind.QUASI_IDENTIFIER, "admission date"),
        c("order_seq", Kind.CONTENT, "order number"),
        c("code", Kind.CONTENT, "order code"),
        c("quantity", Kind.CONTENT, "quantity"),
        c("points", Kind.CONTENT, "points claimed"));
    table("pharmacy_dispensing", "Pharmacy dispensing (GD)", "person", null, null, "dispense_date",
        c("rx_id", Kind.RECORD_KEY, "the prescription"),
        c("person", Kind.PERSON, "the patient"),
        c("pharmacy", Kind.ORGANISATION, "the pharmacy"),
        c("dispense_date", Kind.QUASI_IDENTIFIER, "date dispensed"),
        c("drug_days", Kind.CONTENT, "days supplied"),
        c("points", Kind.CONTENT, "points claimed"));
    table("pharmacy_order", "Pharmacy orders (GO)", null, "pharmacy_dispensing", "rx_id", "dispense_date",
        c("rx_id", Kind.RECORD_KEY, "the prescription"),
        c("dispense_date", Kind.QUASI_IDENTIFIER, "date dispensed"),
        c("order_seq", Kind.CONTENT, "order number"),
        c("code", Kind.CONTENT, "drug code"),
        c("total_quantity", Kind.CONTENT, "total quantity"),
        c("drug_days", Kind.CONTENT, "days supplied"),
        c("points", Kind.CONTENT, "points claimed"));
  }

  private DataDictionary() {}

  private static Column c(String name, Kind kind, String description) {
    return new Column(name, kind, description);
  }

  private static void table(String name, String description, String person, String parent, String parentKey, String date, Column... columns) {
    Map<String, Column> byName = new LinkedHashMap<>();
    for (Column column : columns) {
      byName.put(column.name(), column);
    }
    TABLES.put(name, new Table(name, Map.copyOf(byName), Optional.ofNullable(person), Optional.ofNullable(parent),
        Optional.ofNullable(parentKey), date, description));
  }

  public static Optional<Table> table(String name) {
    return Optional.ofNullable(TABLES.get(name));
  }

  /** Every table, in dependency order (a parent before its orders). */
  public static List<Table> tables() {
    return List.copyOf(TABLES.values());
  }

  /** The columns of a table in the warehouse's order. */
  public static List<String> columnOrder(String table) {
    return switch (table) {
      case "enrollment" -> List.of("person", "birth_date", "sex", "in_date", "out_date", "insured_unit", "county", "premium_grade");
      case "outpatient_visit" -> List.of("visit_id", "person", "hospital", "visit_date", "dept", "icd1", "icd2", "icd3", "points", "copay");
      case "outpatient_order" -> List.of("visit_id", "visit_date", "order_seq", "order_type", "code", "quantity", "total_quantity", "unit_price", "points");
      case "inpatient_stay" -> List.of("admission_id", "person", "hospital", "admit_date", "discharge_date", "icd1", "icd2", "icd3", "icd4", "icd5", "bed_days", "points");
      case "inpatient_order" -> List.of("admission_id", "admit_date", "order_seq", "code", "quantity", "points");
      case "pharmacy_dispensing" -> List.of("rx_id", "person", "pharmacy", "dispense_date", "drug_days", "points");
      case "pharmacy_order" -> List.of("rx_id", "dispense_date", "order_seq", "code", "total_quantity", "drug_days", "points");
      default -> throw new IllegalArgumentException("No table " + table + " in the data dictionary");
    };
  }
}
