package optout.disclosure;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Small-cell suppression of one table: primary suppression of counts above zero and below the threshold,
 * then complementary (secondary) suppression until no suppressed value can be recomputed from the
 * published ones by subtraction, nor by any other linear combination of the table's own equations.
 * Deterministic: the same table gives the same result. The method and its limits are in the package
 * documentation.
 *
 * <p>The threshold is the caller's policy (there is no default here): the registry's public statistics use
 * 10, the warehouse's output check 3. It must be at least 1; 1 suppresses nothing but what protects nothing.
 */
public final class SmallCellSuppression {

  private SmallCellSuppression() {}

  public static SuppressedOneWayTable suppress(OneWayTable table, int threshold) {
    checkThreshold(threshold);
    List<String> categories = table.categories();
    int k = categories.size();
    long[] counts = new long[k + 1];
    for (int i = 0; i < k; i++) {
      counts[i] = table.count(categories.get(i));
    }
    counts[k] = table.total();
    int[][] equations;
    if (table.additive()) {
      int[] equation = new int[k + 1];
      equation[0] = k;
      for (int i = 0; i < k; i++) {
        equation[i + 1] = i;
      }
      equations = new int[][] {equation};
    } else {
      equations = new int[0][];
    }
    SuppressionReason[] reasons = new SuppressionEngine(counts, equations, threshold).run();
    Map<String, CellValue> values = new LinkedHashMap<>();
    Map<CellRef, SuppressionReason> audit = new LinkedHashMap<>();
    for (int i = 0; i < k; i++) {
      values.put(categories.get(i), value(counts[i], reasons[i]));
      record(audit, new CellRef.Category(categories.get(i)), reasons[i]);
    }
    record(audit, CellRef.total(), reasons[k]);
    return new SuppressedOneWayTable(table.dimension(), table.additive(), values, value(counts[k], reasons[k]),
        new SuppressionAudit(threshold, audit));
  }

  public static SuppressedTwoWayTable suppress(TwoWayTable table, int threshold) {
    checkThreshold(threshold);
    int rows = table.rows().size();
    int columns = table.columns().size();
    int cells = rows * columns;
    int rowTotal = cells;
    int columnTotal = cells + rows;
    int total = cells + rows + columns;
    long[] counts = new long[total + 1];
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < columns; c++) {
        counts[r * columns + c] = table.count(r, c);
      }
      counts[rowTotal + r] = table.rowTotal(r);
    }
    for (int c = 0; c < columns; c++) {
      counts[columnTotal + c] = table.columnTotal(c);
    }
    counts[total] = table.total();

    List<int[]> equations = new ArrayList<>();
    for (int r = 0; r < rows; r++) {
      int[] equation = new int[columns + 1];
      equation[0] = rowTotal + r;
      for (int c = 0; c < columns; c++) {
        equation[c + 1] = r * columns + c;
      }
      equations.add(equation);
    }
    for (int c = 0; c < columns; c++) {
      int[] equation = new int[rows + 1];
      equation[0] = columnTotal + c;
      for (int r = 0; r < rows; r++) {
        equation[r + 1] = r * columns + c;
      }
      equations.add(equation);
    }
    int[] rowMargins = new int[rows + 1];
    rowMargins[0] = total;
    for (int r = 0; r < rows; r++) {
      rowMargins[r + 1] = rowTotal + r;
    }
    equations.add(rowMargins);
    int[] columnMargins = new int[columns + 1];
    columnMargins[0] = total;
    for (int c = 0; c < columns; c++) {
      columnMargins[c + 1] = columnTotal + c;
    }
    equations.add(columnMargins);

    SuppressionReason[] reasons = new SuppressionEngine(counts, equations.toArray(int[][]::new), threshold).run();
    CellValue[][] values = new CellValue[rows][columns];
    CellValue[] rowValues = new CellValue[rows];
    CellValue[] columnValues = new CellValue[columns];
    Map<CellRef, SuppressionReason> audit = new LinkedHashMap<>();
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < columns; c++) {
        int i = r * columns + c;
        values[r][c] = value(counts[i], reasons[i]);
        record(audit, new CellRef.Cell(table.rows().get(r), table.columns().get(c)), reasons[i]);
      }
    }
    for (int r = 0; r < rows; r++) {
      rowValues[r] = value(counts[rowTotal + r], reasons[rowTotal + r]);
      record(audit, new CellRef.RowTotal(table.rows().get(r)), reasons[rowTotal + r]);
    }
    for (int c = 0; c < columns; c++) {
      columnValues[c] = value(counts[columnTotal + c], reasons[columnTotal + c]);
      record(audit, new CellRef.ColumnTotal(table.columns().get(c)), reasons[columnTotal + c]);
    }
    record(audit, CellRef.total(), reasons[total]);
    return new SuppressedTwoWayTable(table.rowDimension(), table.columnDimension(), table.rows(), table.columns(),
        values, rowValues, columnValues, value(counts[total], reasons[total]), new SuppressionAudit(threshold, audit));
  }

  private static void checkThreshold(int threshold) {
    if (threshold < 1) {
      throw new IllegalArgumentException("Cannot suppress small cells: the threshold must be at least 1");
    }
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
