package optout.disclosure.output;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A table as it was released, read back from the released CSV and its rule set: every value (cells and
 * totals) at its position, each {@linkplain Kind#EXACT exact}, {@linkplain Kind#ROUNDED rounded} or
 * {@linkplain Kind#SUPPRESSED suppressed}, and the table's equations. What {@link DifferencingCheck}
 * compares releases by.
 *
 * <p>A position names a value by its categories, leaving out the dimensions it totals over, with the
 * dimension names compared in lower case: {@code county=a} is a category of a one-way table by county
 * and the row total of {@code a} in a table of county by sex; the grand total of every table is the
 * empty position. So the margins of a two-way table and a one-way table of one of its dimensions are
 * the same values, and so are the grand totals of every release.
 */
public final class ReleasedTable {

  /** How much a released value tells. */
  public enum Kind {
    /** The count itself. */
    EXACT,
    /** Rounded: the count is within half the rounding base of it. */
    ROUNDED,
    /** Not shown. */
    SUPPRESSED
  }

  /**
   * One released value.
   *
   * @param shown the value as released (0 when suppressed)
   * @param label where it is, as its line of the CSV reads, e.g. {@code county=a, sex=Total}
   */
  public record Value(Kind kind, long shown, String label) {}

  private final Rules rules;
  private final Map<Map<String, String>, Value> values;
  private final List<List<Map<String, String>>> equations;

  private ReleasedTable(Rules rules, Map<Map<String, String>, Value> values, List<List<Map<String, String>>> equations) {
    this.rules = rules;
    this.values = Collections.unmodifiableMap(values);
    this.equations = List.copyOf(equations);
  }

  /**
   * Reads a table as the output check released it under these rules.
   *
   * @throws OutputRefusedException if the text is not such a release
   */
  public static ReleasedTable read(String releasedCsv, Rules rules) {
    List<Csv.Row> rows;
    try {
      rows = Csv.parse(releasedCsv == null ? "" : releasedCsv);
    } catch (Csv.Malformed e) {
      throw refused(e.getMessage());
    }
    if (rows.size() < 2) {
      throw refused("no values");
    }
    List<String> header = rows.get(0).fields();
    int dimensions = header.size() - 1;
    if (dimensions < 1 || dimensions > 2) {
      throw refused("one or two category columns expected");
    }
    List<String> names = new ArrayList<>();
    for (int k = 0; k < dimensions; k++) {
      names.add(header.get(k).strip().toLowerCase(Locale.ROOT));
    }
    if (new LinkedHashSet<>(names).size() != names.size()) {
      throw refused("the category columns " + names + " differ only in upper and lower case");
    }
    Map<Map<String, String>, Value> values = new LinkedHashMap<>();
    List<Set<String>> categories = new ArrayList<>();
    for (int k = 0; k < dimensions; k++) {
      categories.add(new LinkedHashSet<>());
    }
    for (Csv.Row row : rows.subList(1, rows.size())) {
      if (row.fields().size() != header.size()) {
        throw refused("line " + row.line() + " does not match the header");
      }
      Map<String, String> position = new TreeMap<>();
      List<String> label = new ArrayList<>();
      for (int k = 0; k < dimensions; k++) {
        String category = row.fields().get(k).strip();
        label.add(header.get(k).strip() + "=" + category);
        if (!category.equalsIgnoreCase(OutputCheck.TOTAL)) {
          position.put(names.get(k), category);
          categories.get(k).add(category);
        }
      }
      String text = row.fields().get(dimensions).strip();
      Value value;
      if (text.equals(OutputCheck.SUPPRESSED)) {
        value = new Value(Kind.SUPPRESSED, 0, String.join(", ", label));
      } else if (!text.isEmpty() && text.length() <= 18 && text.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
        long shown = Long.parseLong(text);
        value = new Value(rules.rounds() && shown != 0 ? Kind.ROUNDED : Kind.EXACT, shown, String.join(", ", label));
      } else {
        throw refused("line " + row.line() + " is neither a count nor " + OutputCheck.SUPPRESSED);
      }
      if (values.putIfAbsent(Map.copyOf(position), value) != null) {
        throw refused("line " + row.line() + " repeats a value");
      }
    }
    List<List<Map<String, String>>> equations = new ArrayList<>();
    if (dimensions == 1) {
      equations.add(equation(Map.of(), categories.get(0).stream().map(c -> Map.of(names.get(0), c)).toList()));
    } else {
      String r = names.get(0);
      String c = names.get(1);
      for (String row : categories.get(0)) {
        equations.add(equation(Map.of(r, row), categories.get(1).stream().map(column -> Map.of(r, row, c, column)).toList()));
      }
      for (String column : categories.get(1)) {
        equations.add(equation(Map.of(c, column), categories.get(0).stream().map(row -> Map.of(r, row, c, column)).toList()));
      }
      equations.add(equation(Map.of(), categories.get(0).stream().map(row -> Map.of(r, row)).toList()));
      equations.add(equation(Map.of(), categories.get(1).stream().map(column -> Map.of(c, column)).toList()));
    }
    for (List<Map<String, String>> equation : equations) {
      for (Map<String, String> position : equation) {
        if (!values.containsKey(position)) {
          throw refused("the value at " + position + " is missing (a release has every cell and total)");
        }
      }
    }
    return new ReleasedTable(rules, values, equations);
  }

  private static List<Map<String, String>> equation(Map<String, String> total, List<Map<String, String>> parts) {
    List<Map<String, String>> equation = new ArrayList<>();
    equation.add(total);
    equation.addAll(parts);
    return equation;
  }

  private static OutputRefusedException refused(String why) {
    return new OutputRefusedException("not a released table: " + why);
  }

  /** The rules it was released under. */
  public Rules rules() {
    return rules;
  }

  /** Every value by its position, in the order of the released CSV. */
  public Map<Map<String, String>, Value> values() {
    return values;
  }

  /** "The parts sum to the total": each {@code [total, part, part, ...]}, by position. */
  public List<List<Map<String, String>>> equations() {
    return equations;
  }
}
