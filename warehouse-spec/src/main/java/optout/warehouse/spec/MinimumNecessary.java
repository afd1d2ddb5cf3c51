package optout.warehouse.spec;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import optout.warehouse.spec.DataDictionary.Identification;
import optout.warehouse.spec.ExtractSpec.Problem;

/**
 * The minimum-necessary rule of an application: every identifying or quasi-identifying column a spec
 * asks for is justified in writing, column by column. The reviewer's checklist is the same list.
 */
public final class MinimumNecessary {

  /** The longest justification kept; a longer one is an essay, not a reason. */
  public static final int MAX_JUSTIFICATION = 2000;
  /** Shorter than this says nothing ("needed", "for analysis"). */
  public static final int MIN_JUSTIFICATION = 20;

  private MinimumNecessary() {}

  /** A column that needs a justification, with what it is. */
  public record CheckedColumn(String table, String column, Identification identification, String description) {}

  /** The columns of these tables that an application must justify, in the dictionary's order. */
  public static List<CheckedColumn> columnsToJustify(Map<String, List<String>> tables) {
    List<CheckedColumn> checked = new ArrayList<>();
    for (DataDictionary.Table table : DataDictionary.tables()) {
      List<String> asked = tables.get(table.name());  // null-safe: a draft may name a table with no list
      if (asked == null) {
        continue;
      }
      for (String name : DataDictionary.columnOrder(table.name())) {
        DataDictionary.Column column = table.columns().get(name);
        if (asked.contains(name) && column.kind().identification() != Identification.NONE) {
          checked.add(new CheckedColumn(table.name(), name, column.kind().identification(), column.description()));
        }
      }
    }
    return List.copyOf(checked);
  }

  /**
   * Every column of {@link #columnsToJustify} without a usable justification, and every justification of a
   * column that is not asked for or needs none, each at {@code $.justifications.<table>.<column>}.
   *
   * @param justifications by table, then by column
   */
  public static List<Problem> check(Map<String, List<String>> tables, Map<String, Map<String, String>> justifications) {
    List<Problem> problems = new ArrayList<>();
    List<CheckedColumn> needed = columnsToJustify(tables);
    for (CheckedColumn column : needed) {
      Map<String, String> ofTable = justifications.get(column.table());
      String text = ofTable == null ? null : ofTable.get(column.column());
      String path = "$.justifications." + column.table() + "." + column.column();
      if (text == null || text.isBlank()) {
        problems.add(new Problem(path, "required: say why the study needs this " + label(column.identification()) + " column"));
      } else if (text.strip().length() < MIN_JUSTIFICATION) {
        problems.add(new Problem(path, "too short: at least " + MIN_JUSTIFICATION + " characters on why the study needs it"));
      } else if (text.length() > MAX_JUSTIFICATION) {
        problems.add(new Problem(path, "at most " + MAX_JUSTIFICATION + " characters"));
      }
    }
    justifications.forEach((table, columns) -> {
      if (columns != null) {
        columns.keySet().forEach(column -> {
          if (needed.stream().noneMatch(c -> c.table().equals(table) && c.column().equals(column))) {
            problems.add(new Problem("$.justifications." + table + "." + column, "not a requested identifying or quasi-identifying column"));
          }
        });
      }
    });
    return List.copyOf(problems);
  }

  private static String label(Identification identification) {
    return identification == Identification.IDENTIFYING ? "identifying" : "quasi-identifying";
  }
}
