package optout.warehouse.spec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a research project may receive: its project and purpose (a registry scope, whose opt-outs are
 * excluded), the legal basis, the tables and columns it needs (the minimum necessary: nothing else is
 * released), the cohort (diagnoses, a period, ages) and the generalisation of quasi-identifiers. Read
 * from JSON and checked whole: every problem is reported at once, each with the JSON path it concerns.
 *
 * <pre>{@code
 * {
 *   "project": "demo-project",
 *   "purpose": "academic-research",
 *   "legalBasis": "Personal Data Protection Act art. 6(1)(4), IRB approval 2026-123",
 *   "tables": {"enrollment": ["person", "birth_date", "sex", "county"],
 *              "outpatient_visit": ["visit_id", "person", "visit_date", "icd1", "hospital"]},
 *   "cohort": {"diagnoses": ["E11"], "from": "2022-01-01", "to": "2023-12-31", "minAge": 40, "maxAge": 90},
 *   "generalisation": {"birthDate": "year", "careDates": "month"}
 * }
 * }</pre>
 */
public record ExtractSpec(String project, String purpose, String legalBasis, Map<String, List<String>> tables, Cohort cohort,
    Generalisation generalisation, String sha256) {

  /** Who is in the extract: anyone with one of the diagnoses (ICD-10-CM prefixes) in the period, aged as given on its first day. */
  public record Cohort(List<String> diagnoses, LocalDate from, LocalDate to, int minAge, int maxAge) {}

  /** How quasi-identifiers are released. */
  public record Generalisation(BirthDate birthDate, CareDates careDates) {}

  public enum BirthDate {
    /** The year of birth only. */
    YEAR,
    /** The first year of a five-year band (1980 for 1980–1984). */
    FIVE_YEAR_BAND
  }

  public enum CareDates {
    /** The date itself. */
    DAY,
    /** The first day of its month. */
    MONTH
  }

  /** The scopes a purpose may name: the registry's. */
  public static final Set<String> PURPOSES = Set.of("academic-research", "government-statistics", "cross-agency-linkage", "commercial-use");
  private static final Pattern PROJECT = Pattern.compile("[a-z0-9][a-z0-9-]{1,62}[a-z0-9]");
  private static final Pattern ICD10 = Pattern.compile("[A-Z][0-9][0-9A-Z]{0,5}");
  private static final Set<String> FIELDS = Set.of("project", "purpose", "legalBasis", "tables", "cohort", "generalisation");

  /** One thing wrong with a spec: the JSON path it concerns ({@code $.cohort.to}) and what is wrong there. */
  public record Problem(String path, String message) {

    public Problem {
      java.util.Objects.requireNonNull(path, "path");
      java.util.Objects.requireNonNull(message, "message");
    }

    /** {@code path: message}, as the command line prints it. */
    @Override
    public String toString() {
      return path + ": " + message;
    }
  }

  /** A spec that cannot be used, with every reason, each naming its JSON path. */
  public static final class InvalidSpecException extends IllegalArgumentException {
    private final List<Problem> problems;

    InvalidSpecException(List<Problem> problems) {
      super("The extract spec is not valid:\n  - " + String.join("\n  - ", problems.stream().map(Problem::toString).toList()));
      this.problems = List.copyOf(problems);
    }

    /** Every problem, in the order of the spec's fields. */
    public List<Problem> problems() {
      return problems;
    }
  }

  /** Every problem found so far; checking goes on after the first. */
  private static final class Problems extends ArrayList<Problem> {
    void add(String path, String message) {
      add(new Problem(path, message));
    }
  }

  /** Parses and checks a spec; the SHA-256 recorded is of the bytes given. */
  public static ExtractSpec parse(byte[] json) {
    if (json == null || json.length == 0) {
      throw new InvalidSpecException(List.of(new Problem("$", "the spec is empty")));
    }
    if (json.length > 64 * 1024) {
      throw new InvalidSpecException(List.of(new Problem("$", "the spec has " + json.length + " bytes; a spec is at most 64 KB")));
    }
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(json);
    } catch (JsonProcessingException e) {
      throw new InvalidSpecException(List.of(new Problem("$", "not JSON (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")")));
    } catch (java.io.IOException e) {
      throw new InvalidSpecException(List.of(new Problem("$", "not readable")));
    }
    if (root == null || !root.isObject()) {
      throw new InvalidSpecException(List.of(new Problem("$", "must be a JSON object")));
    }
    Problems problems = new Problems();
    root.fieldNames().forEachRemaining(field -> {
      if (!FIELDS.contains(field)) {
        problems.add("$." + field, "unknown field; a spec has " + new java.util.TreeSet<>(FIELDS));
      }
    });
    String project = text(root, "project", problems);
    if (project != null && !PROJECT.matcher(project).matches()) {
      problems.add("$.project", "must be 3 to 64 lower-case letters, digits and hyphens, as the project was registered");
    }
    String purpose = text(root, "purpose", problems);
    if (purpose != null && !PURPOSES.contains(purpose)) {
      problems.add("$.purpose", "must be one of the registry's scopes " + new java.util.TreeSet<>(PURPOSES));
    }
    String legalBasis = text(root, "legalBasis", problems);
    if (legalBasis != null && (legalBasis.isBlank() || legalBasis.length() > 500)) {
      problems.add("$.legalBasis", "must say, in at most 500 characters, which law and approval allow this use");
    }
    Map<String, List<String>> tables = tables(root.get("tables"), problems);
    Cohort cohort = cohort(root.get("cohort"), problems);
    Generalisation generalisation = generalisation(root.get("generalisation"), problems);
    if (!problems.isEmpty()) {
      throw new InvalidSpecException(problems);
    }
    return new ExtractSpec(project, purpose, legalBasis, tables, cohort, generalisation, sha256(json));
  }

  public static ExtractSpec parse(String json) {
    return parse(json.getBytes(StandardCharsets.UTF_8));
  }

  private static String text(JsonNode root, String field, Problems problems) {
    JsonNode node = root.get(field);
    if (node == null || node.isNull()) {
      problems.add("$." + field, "required");
      return null;
    }
    if (!node.isTextual()) {
      problems.add("$." + field, "must be a string");
      return null;
    }
    return node.asText();
  }

  private static Map<String, List<String>> tables(JsonNode node, Problems problems) {
    Map<String, List<String>> tables = new LinkedHashMap<>();
    if (node == null || !node.isObject() || node.size() == 0) {
      problems.add("$.tables", "required: an object naming at least one table and its columns");
      return tables;
    }
    for (Map.Entry<String, JsonNode> entry : node.properties()) {
      String path = "$.tables." + entry.getKey();
      var table = DataDictionary.table(entry.getKey());
      if (table.isEmpty()) {
        problems.add(path, "no such table; the warehouse has " + DataDictionary.tables().stream().map(DataDictionary.Table::name).toList());
        continue;
      }
      if (!entry.getValue().isArray() || entry.getValue().size() == 0) {
        problems.add(path, "must list the columns needed (at least one)");
        continue;
      }
      List<String> columns = new ArrayList<>();
      // a rejected value is not repeated (it may be anything, even a national ID): its index says which
      for (int i = 0; i < entry.getValue().size(); i++) {
        JsonNode column = entry.getValue().get(i);
        if (!column.isTextual() || table.get().column(column.asText()).isEmpty()) {
          problems.add(path + "[" + i + "]", "no such column; the table has " + DataDictionary.columnOrder(entry.getKey()));
        } else if (columns.contains(column.asText())) {
          problems.add(path + "[" + i + "]", "column " + column.asText() + " is listed twice");
        } else {
          columns.add(column.asText());
        }
      }
      table.get().parent().ifPresent(parent -> {
        if (!node.has(parent)) {
          problems.add(path, "orders reach their patient through " + parent + "; ask for it too (at least its "
              + table.get().parentKey().orElseThrow() + ")");
        }
        String key = table.get().parentKey().orElseThrow();
        if (!columns.contains(key)) {
          problems.add(path, "must include " + key + ", which joins the orders to their " + parent);
        }
      });
      tables.put(entry.getKey(), List.copyOf(columns));
    }
    return Map.copyOf(tables);
  }

  private static Cohort cohort(JsonNode node, Problems problems) {
    if (node == null || !node.isObject()) {
      problems.add("$.cohort", "required: diagnoses, from, to, minAge, maxAge");
      return null;
    }
    List<String> diagnoses = new ArrayList<>();
    JsonNode codes = node.get("diagnoses");
    if (codes == null || !codes.isArray() || codes.size() == 0 || codes.size() > 100) {
      problems.add("$.cohort.diagnoses", "required: 1 to 100 ICD-10-CM codes or prefixes without the dot, e.g. \"E11\"");
    } else {
      for (int i = 0; i < codes.size(); i++) {
        JsonNode code = codes.get(i);
        if (!code.isTextual() || !ICD10.matcher(code.asText()).matches()) {
          problems.add("$.cohort.diagnoses[" + i + "]", "not an ICD-10-CM code or prefix without the dot (e.g. E11, I10, J069)");
        } else {
          diagnoses.add(code.asText());
        }
      }
    }
    LocalDate from = date(node, "from", problems);
    LocalDate to = date(node, "to", problems);
    if (from != null && to != null && to.isBefore(from)) {
      problems.add("$.cohort.to", "must not be before $.cohort.from");
    }
    int minAge = age(node, "minAge", 0, problems);
    int maxAge = age(node, "maxAge", 120, problems);
    if (minAge > maxAge) {
      problems.add("$.cohort.maxAge", "must not be below $.cohort.minAge");
    }
    return new Cohort(List.copyOf(diagnoses), from, to, minAge, maxAge);
  }

  private static LocalDate date(JsonNode node, String field, Problems problems) {
    JsonNode value = node.get(field);
    if (value == null || !value.isTextual()) {
      problems.add("$.cohort." + field, "required: a date as yyyy-mm-dd");
      return null;
    }
    try {
      return LocalDate.parse(value.asText());
    } catch (DateTimeParseException e) {
      problems.add("$.cohort." + field, "not a date as yyyy-mm-dd");
      return null;
    }
  }

  private static int age(JsonNode node, String field, int fallback, Problems problems) {
    JsonNode value = node.get(field);
    if (value == null) {
      return fallback;
    }
    if (!value.isInt() || value.asInt() < 0 || value.asInt() > 120) {
      problems.add("$.cohort." + field, "must be a whole number of years from 0 to 120");
      return fallback;
    }
    return value.asInt();
  }

  private static Generalisation generalisation(JsonNode node, Problems problems) {
    if (node == null) {
      return new Generalisation(BirthDate.YEAR, CareDates.MONTH);
    }
    if (!node.isObject()) {
      problems.add("$.generalisation", "must be an object with birthDate and careDates");
      return null;
    }
    BirthDate birth = BirthDate.YEAR;
    JsonNode birthNode = node.get("birthDate");
    if (birthNode != null) {
      switch (birthNode.asText("")) {
        case "year" -> birth = BirthDate.YEAR;
        case "five-year-band" -> birth = BirthDate.FIVE_YEAR_BAND;
        default -> problems.add("$.generalisation.birthDate", "must be year or five-year-band (a full birth date is never released)");
      }
    }
    CareDates care = CareDates.MONTH;
    JsonNode careNode = node.get("careDates");
    if (careNode != null) {
      switch (careNode.asText("")) {
        case "day" -> care = CareDates.DAY;
        case "month" -> care = CareDates.MONTH;
        default -> problems.add("$.generalisation.careDates", "must be day or month");
      }
    }
    return new Generalisation(birth, care);
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
