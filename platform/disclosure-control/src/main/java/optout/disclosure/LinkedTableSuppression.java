package optout.disclosure;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Small-cell suppression of tables published side by side, coordinated where {@link SmallCellSuppression}
 * protects each table on its own (see the package documentation's limits). Plain Java, deterministic.
 *
 * <p><b>Two-way tables sharing their column dimension</b>, e.g. county by sex and age band by sex: the same
 * people, so the same sex totals and grand total. Suppressed one at a time, one table could publish a sex
 * total that the other hides as a complement, and the other's hidden cells would follow by subtraction.
 * Here the shared totals are one value each, and the equations of all the tables are one system: the
 * primary, secondary and linear steps of {@link SuppressionEngine} run over all of it, so nothing hidden in
 * one table can be derived with the help of another. With a single table the result is exactly
 * {@link SmallCellSuppression#suppress(TwoWayTable, int)}'s.
 *
 * <p><b>An overlapping table of the same people</b> (people by scope) has no equations, but its total is the
 * grand total above, and its categories bound that total (it lies between the largest category and their
 * sum; with one category non-zero, it equals it). So its total takes the grand total's published value, and
 * when the grand total is hidden, so are its positive categories.
 */
public final class LinkedTableSuppression {

  private LinkedTableSuppression() {}

  /**
   * Suppresses two-way tables of the same people that share their column dimension, jointly.
   *
   * @param tables at least one; all with the same column dimension and categories, the same column totals
   *     and so the same grand total
   * @return the suppressed tables, in the same order; the shared column totals and grand total are suppressed
   *     alike in all of them
   */
  public static List<SuppressedTwoWayTable> suppress(List<TwoWayTable> tables, int threshold) {
    if (threshold < 1) {
      throw new IllegalArgumentException("Cannot suppress small cells: the threshold must be at least 1");
    }
    if (tables == null || tables.isEmpty()) {
      throw new IllegalArgumentException("Cannot suppress linked tables: at least one table is needed");
    }
    TwoWayTable first = tables.get(0);
    List<String> columns = first.columns();
    for (TwoWayTable table : tables) {
      if (!table.columnDimension().equals(first.columnDimension()) || !table.columns().equals(columns)) {
        throw new IllegalArgumentException("Cannot suppress linked tables: they must share the column dimension and its categories");
      }
      for (String column : columns) {
        if (table.columnTotal(column) != first.columnTotal(column)) {
          throw new IllegalArgumentException("Cannot suppress linked tables: they must count the same people (column totals differ)");
        }
      }
    }

    int c = columns.size();
    int[] cellStart = new int[tables.size()];
    int[] rowTotalStart = new int[tables.size()];
    int next = 0;
    for (int t = 0; t < tables.size(); t++) {
      cellStart[t] = next;
      next += tables.get(t).rows().size() * c;
      rowTotalStart[t] = next;
      next += tables.get(t).rows().size();
    }
    int columnTotal = next;
    int total = columnTotal + c;
    long[] counts = new long[total + 1];
    List<int[]> equations = new ArrayList<>();
    for (int t = 0; t < tables.size(); t++) {
      TwoWayTable table = tables.get(t);
      int rows = table.rows().size();
      for (int r = 0; r < rows; r++) {
        for (int k = 0; k < c; k++) {
          counts[cellStart[t] + r * c + k] = table.count(r, k);
        }
        counts[rowTotalStart[t] + r] = table.rowTotal(r);
      }
      // the same equations, in the same order, as SmallCellSuppression writes for one table
      for (int r = 0; r < rows; r++) {
        int[] equation = new int[c + 1];
        equation[0] = rowTotalStart[t] + r;
        for (int k = 0; k < c; k++) {
          equation[k + 1] = cellStart[t] + r * c + k;
        }
        equations.add(equation);
      }
      for (int k = 0; k < c; k++) {
        int[] equation = new int[rows + 1];
        equation[0] = columnTotal + k;
        for (int r = 0; r < rows; r++) {
          equation[r + 1] = cellStart[t] + r * c + k;
        }
        equations.add(equation);
      }
      int[] rowMargins = new int[rows + 1];
      rowMargins[0] = total;
      for (int r = 0; r < rows; r++) {
        rowMargins[r + 1] = rowTotalStart[t] + r;
      }
      equations.add(rowMargins);
    }
    for (int k = 0; k < c; k++) {
      counts[columnTotal + k] = first.columnTotal(k);
    }
    counts[total] = first.total();
    int[] columnMargins = new int[c + 1];
    columnMargins[0] = total;
    for (int k = 0; k < c; k++) {
      columnMargins[k + 1] = columnTotal + k;
    }
    equations.add(columnMargins);

    SuppressionReason[] reasons = new SuppressionEngine(counts, equations.toArray(int[][]::new), threshold).run();

    CellValue[] columnValues = new CellValue[c];
    for (int k = 0; k < c; k++) {
      columnValues[k] = value(counts[columnTotal + k], reasons[columnTotal + k]);
    }
    CellValue totalValue = value(counts[total], reasons[total]);
    List<SuppressedTwoWayTable> result = new ArrayList<>(tables.size());
    for (int t = 0; t < tables.size(); t++) {
      TwoWayTable table = tables.get(t);
      int rows = table.rows().size();
      CellValue[][] values = new CellValue[rows][c];
      CellValue[] rowValues = new CellValue[rows];
      Map<CellRef, SuppressionReason> audit = new LinkedHashMap<>();
      for (int r = 0; r < rows; r++) {
        for (int k = 0; k < c; k++) {
          int i = cellStart[t] + r * c + k;
          values[r][k] = value(counts[i], reasons[i]);
          record(audit, new CellRef.Cell(table.rows().get(r), columns.get(k)), reasons[i]);
        }
      }
      for (int r = 0; r < rows; r++) {
        int i = rowTotalStart[t] + r;
        rowValues[r] = value(counts[i], reasons[i]);
        record(audit, new CellRef.RowTotal(table.rows().get(r)), reasons[i]);
      }
      for (int k = 0; k < c; k++) {
        record(audit, new CellRef.ColumnTotal(columns.get(k)), reasons[columnTotal + k]);
      }
      record(audit, CellRef.total(), reasons[total]);
      result.add(new SuppressedTwoWayTable(table.rowDimension(), table.columnDimension(), table.rows(), columns, values,
          rowValues, columnValues.clone(), totalValue, new SuppressionAudit(threshold, audit)));
    }
    return List.copyOf(result);
  }

  /**
   * Suppresses an overlapping table (e.g. people by scope) whose total is the grand total of tables already
   * suppressed: primary suppression of its categories; its total as published there; and, if that total is
   * hidden, every positive category too (they would bound it).
   *
   * @param sharedTotal the grand total as the linked tables publish it; when shown, it must equal the table's total
   */
  public static SuppressedOneWayTable suppressOverlapping(OneWayTable table, CellValue sharedTotal, int threshold) {
    if (threshold < 1) {
      throw new IllegalArgumentException("Cannot suppress small cells: the threshold must be at least 1");
    }
    if (table.additive()) {
      throw new IllegalArgumentException("Cannot suppress " + table.dimension() + " as an overlapping table: its categories partition the people");
    }
    if (!sharedTotal.suppressed() && sharedTotal.count().getAsLong() != table.total()) {
      throw new IllegalArgumentException("Cannot suppress " + table.dimension() + ": its total is not the linked tables' total");
    }
    Map<String, CellValue> values = new LinkedHashMap<>();
    Map<CellRef, SuppressionReason> audit = new LinkedHashMap<>();
    for (String category : table.categories()) {
      long count = table.count(category);
      SuppressionReason reason = count > 0 && count < threshold ? SuppressionReason.PRIMARY
          : count > 0 && sharedTotal.suppressed() ? SuppressionReason.SECONDARY
          : null;
      values.put(category, value(count, reason));
      record(audit, new CellRef.Category(category), reason);
    }
    if (sharedTotal.suppressed()) {
      audit.put(CellRef.total(), table.total() < threshold ? SuppressionReason.PRIMARY : SuppressionReason.SECONDARY);
    }
    return new SuppressedOneWayTable(table.dimension(), false, values, sharedTotal, new SuppressionAudit(threshold, audit));
  }

  private static CellValue value(long count, SuppressionReason reason) {
    return reason == null ? CellValue.shown(count) : CellValue.SUPPRESSED;
  }

  private static void record(Map<CellRef, SuppressionReason> audit, CellRef ref, SuppressionReason reason) {
    if (reason != null) {
      audit.put(ref, reason);
    }
  }
}
