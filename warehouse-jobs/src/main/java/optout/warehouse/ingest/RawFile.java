package optout.warehouse.ingest;

import java.util.List;

/**
 * The raw NHI files, as {@code generate} writes them and {@code ingest} reads them: one sub-directory
 * each under the raw directory, CSV with a header (see the warehouse contract). The column names are
 * the NHIRD's (diagnoses keep the old {@code ICD9CM_n} names but hold ICD-10-CM codes).
 */
public enum RawFile {
  ID("enrollment", "ID", "ID_BIRTHDAY", "ID_SEX", "ID_IN_DATE", "ID_OUT_DATE", "INS_UNIT_ID", "AREA_CODE", "PREMIUM_GRADE"),
  CD("outpatient visits", "VISIT_ID", "HOSP_ID", "ID", "FUNC_DATE", "FUNC_TYPE", "ICD9CM_1", "ICD9CM_2", "ICD9CM_3", "T_DOT",
      "PART_AMT"),
  OO("outpatient orders", "VISIT_ID", "ORDER_SEQ", "ORDER_TYPE", "DRUG_NO", "DRUG_USE", "TOTAL_QTY", "UNIT_PRICE", "TOTAL_AMT"),
  DD("inpatient stays", "ADMISSION_ID", "HOSP_ID", "ID", "IN_DATE", "OUT_DATE", "ICD9CM_1", "ICD9CM_2", "ICD9CM_3", "ICD9CM_4",
      "ICD9CM_5", "E_BED_DAY", "MED_DOT"),
  DO("inpatient orders", "ADMISSION_ID", "ORDER_SEQ", "ORDER_CODE", "ORDER_QTY", "TOTAL_AMT"),
  GD("pharmacy dispensing", "RX_ID", "HOSP_ID", "ID", "FUNC_DATE", "DRUG_DAYS", "T_DOT"),
  GO("pharmacy orders", "RX_ID", "ORDER_SEQ", "DRUG_NO", "TOTAL_QTY", "DRUG_DAYS", "TOTAL_AMT");

  /** The manifest {@code generate} writes last, beside the files' directories. */
  public static final String MANIFEST = "_GENERATED.json";

  private final String description;
  private final List<String> columns;

  RawFile(String description, String... columns) {
    this.description = description;
    this.columns = List.of(columns);
  }

  public String description() {
    return description;
  }

  public List<String> columns() {
    return columns;
  }

  /** The CSV header line. */
  public String header() {
    return String.join(",", columns);
  }

  public int column(String name) {
    int index = columns.indexOf(name);
    if (index < 0) {
      throw new IllegalArgumentException(name() + " has no column " + name);
    }
    return index;
  }
}
