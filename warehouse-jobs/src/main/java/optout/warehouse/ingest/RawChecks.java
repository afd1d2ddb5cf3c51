package optout.warehouse.ingest;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Pattern;
import optout.pseudonymizer.generalise.County;
import optout.pseudonymizer.id.InvalidPersonIdException;
import optout.pseudonymizer.id.PersonId;
import optout.pseudonymizer.token.ProjectRecordKeys;

/**
 * The checks of one raw row, in plain Java: each field parsed into what the warehouse stores, or the
 * reason the row is refused. A reason names the file's column and what is wrong with it, never the
 * value (for {@code ID}, the value is a national ID), so reasons can be counted, shown and logged.
 */
public final class RawChecks {

  private RawChecks() {}

  /** Hospital and pharmacy codes (醫事機構代碼): 10 letters or digits. */
  private static final Pattern PROVIDER = Pattern.compile("[A-Za-z0-9]{10}");
  /** What a token can be made of (see ProjectTokenizer): letters, digits, hyphens. */
  private static final Pattern CODE = Pattern.compile("[A-Za-z0-9-]{1,64}");
  /** Department, diagnosis and order codes: letters, digits and the odd dot or hyphen. */
  private static final Pattern CLINICAL_CODE = Pattern.compile("[A-Za-z0-9.-]{1,20}");

  /** A refused field: the column and what is wrong (never the value). */
  static final class Refused extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Refused(String column, String problem) {
      super(column + ": " + problem, null, false, false);
    }
  }

  /** A row that passed: its fields parsed, in {@link RawFile#columns()} order. */
  public static final class Checked {
    private final Object[] values;

    Checked(Object[] values) {
      this.values = values;
    }

    public PersonId person(int column) {
      return (PersonId) values[column];
    }

    public String text(int column) {
      return (String) values[column];
    }

    public LocalDate date(int column) {
      return (LocalDate) values[column];
    }

    public Long number(int column) {
      return (Long) values[column];
    }

    public Integer integer(int column) {
      return values[column] == null ? null : ((Long) values[column]).intValue();
    }

    public BigDecimal decimal(int column) {
      return (BigDecimal) values[column];
    }
  }

  /** The reason {@code row} of {@code file} is refused, or null if it passes. */
  public static String problem(RawFile file, String[] row) {
    try {
      check(file, row);
      return null;
    } catch (Refused refused) {
      return refused.getMessage();
    }
  }

  /**
   * Parses a row.
   *
   * @throws RuntimeException (a {@code Refused}) saying which column is wrong and how, never its value
   */
  public static Checked check(RawFile file, String[] row) {
    if (row.length != file.columns().size()) {
      throw new Refused("row", "has " + row.length + " fields, not " + file.columns().size());
    }
    Object[] values = new Object[row.length];
    for (int i = 0; i < row.length; i++) {
      values[i] = field(file, file.columns().get(i), row[i]);
    }
    if (file == RawFile.DD && ((LocalDate) values[4]).isBefore((LocalDate) values[3])) {
      throw new Refused("OUT_DATE", "before IN_DATE");
    }
    if (file == RawFile.ID && values[4] != null && ((LocalDate) values[4]).isBefore((LocalDate) values[3])) {
      throw new Refused("ID_OUT_DATE", "before ID_IN_DATE");
    }
    return new Checked(values);
  }

  private static Object field(RawFile file, String column, String raw) {
    String value = raw == null ? null : raw.strip();
    if (value == null || value.isEmpty()) {
      if (optional(file, column)) {
        return null;
      }
      throw new Refused(column, "missing");
    }
    switch (column) {
      case "ID":
        try {
          return PersonId.parse(value);
        } catch (InvalidPersonIdException e) {
          throw new Refused(column, "not a valid national ID (" + e.reason().name().toLowerCase(Locale.ROOT).replace('_', ' ') + ")");
        }
      case "ID_BIRTHDAY": case "ID_IN_DATE": case "ID_OUT_DATE": case "FUNC_DATE": case "IN_DATE": case "OUT_DATE":
        return date(column, value);
      case "ID_SEX":
        if (!value.equals("M") && !value.equals("F")) {
          throw new Refused(column, "not M or F");
        }
        return value;
      case "INS_UNIT_ID":
        return matching(column, value, CODE, "not an insured unit code (letters, digits and hyphens)");
      case "AREA_CODE":
        try {
          return countyCode(County.ofPostalCode(value));
        } catch (IllegalArgumentException e) {
          throw new Refused(column, "unknown county code");
        }
      case "HOSP_ID":
        return matching(column, value, PROVIDER, "not a 10-character provider code");
      case "FUNC_TYPE": case "ICD9CM_1": case "ICD9CM_2": case "ICD9CM_3": case "ICD9CM_4": case "ICD9CM_5":
      case "DRUG_NO": case "ORDER_CODE":
        return matching(column, value, CLINICAL_CODE, "not a code (letters, digits, dots and hyphens, at most 20)");
      case "VISIT_ID": case "ADMISSION_ID": case "RX_ID":
        // at most 18 digits: what the extract's record-key permutation (ProjectRecordKeys) can release
        return number(column, value, 0, ProjectRecordKeys.WAREHOUSE_LIMIT - 1);
      case "ORDER_SEQ":
        return number(column, value, 1, 9_999);
      case "ORDER_TYPE":
        return number(column, value, 1, 2);
      case "PREMIUM_GRADE":
        return number(column, value, 1, 50);
      case "E_BED_DAY": case "DRUG_DAYS":
        return number(column, value, 0, 36_500);
      case "T_DOT": case "PART_AMT": case "TOTAL_AMT": case "MED_DOT":
        return number(column, value, Integer.MIN_VALUE, Integer.MAX_VALUE);
      case "DRUG_USE": case "TOTAL_QTY": case "ORDER_QTY":
        return decimal(column, value, 3);
      case "UNIT_PRICE":
        return decimal(column, value, 2);
      default:
        throw new IllegalStateException("no check for column " + column);
    }
  }

  private static boolean optional(RawFile file, String column) {
    return column.equals("ID_OUT_DATE") || (column.startsWith("ICD9CM_") && !column.equals("ICD9CM_1"));
  }

  /** The warehouse's code of a county: its name in lower case with hyphens, e.g. {@code new-taipei-city}. */
  public static String countyCode(County county) {
    return county.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  private static LocalDate date(String column, String value) {
    try {
      if (value.length() != 10) {
        throw new DateTimeParseException("length", value, 0);
      }
      return LocalDate.parse(value);
    } catch (DateTimeParseException e) {
      throw new Refused(column, "not a date (yyyy-MM-dd)");
    }
  }

  private static String matching(String column, String value, Pattern pattern, String problem) {
    if (!pattern.matcher(value).matches()) {
      throw new Refused(column, problem);
    }
    return value;
  }

  private static Long number(String column, String value, long min, long max) {
    long number;
    try {
      number = Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw new Refused(column, "not a whole number");
    }
    if (number < min || number > max) {
      throw new Refused(column, "out of range [" + min + ", " + max + "]");
    }
    return number;
  }

  /** A decimal that fits the warehouse's decimal(12, scale) without rounding. */
  private static BigDecimal decimal(String column, String value, int scale) {
    BigDecimal number;
    try {
      number = new BigDecimal(value);
    } catch (NumberFormatException e) {
      throw new Refused(column, "not a number");
    }
    if (number.stripTrailingZeros().scale() > scale) {
      throw new Refused(column, "more than " + scale + " decimals");
    }
    BigDecimal scaled = number.setScale(scale);
    if (scaled.precision() > 12) {
      throw new Refused(column, "too large for decimal(12," + scale + ")");
    }
    return scaled;
  }
}
