package optout.disclosure;

import java.util.HashSet;
import java.util.List;

/**
 * Counts of people cross-classified by two dimensions (e.g. county by sex), each person in exactly one
 * cell. Row totals, column totals and the grand total are computed from the cells, so they always agree.
 */
public final class TwoWayTable {

  private final String rowDimension;
  private final String columnDimension;
  private final List<String> rows;
  private final List<String> columns;
  private final long[][] counts;
  private final long[] rowTotals;
  private final long[] columnTotals;
  private final long total;

  private TwoWayTable(String rowDimension, String columnDimension, List<String> rows, List<String> columns, long[][] counts) {
    this.rowDimension = rowDimension;
    this.columnDimension = columnDimension;
    this.rows = rows;
    this.columns = columns;
    this.counts = counts;
    this.rowTotals = new long[rows.size()];
    this.columnTotals = new long[columns.size()];
    long sum = 0;
    for (int r = 0; r < rows.size(); r++) {
      for (int c = 0; c < columns.size(); c++) {
        rowTotals[r] = Math.addExact(rowTotals[r], counts[r][c]);
        columnTotals[c] = Math.addExact(columnTotals[c], counts[r][c]);
        sum = Math.addExact(sum, counts[r][c]);
      }
    }
    this.total = sum;
  }

  /**
   * A table from its cells.
   *
   * @param counts {@code counts[r][c]} is the count of row {@code rows.get(r)} and column {@code columns.get(c)}
   */
  public static TwoWayTable of(String rowDimension, String columnDimension, List<String> rows, List<String> columns,
      long[][] counts) {
    if (rowDimension == null || rowDimension.isBlank() || columnDimension == null || columnDimension.isBlank()) {
      throw new IllegalArgumentException("Cannot tabulate: both dimensions need a name");
    }
    String name = rowDimension + " by " + columnDimension;
    List<String> rowList = labels(name, rows);
    List<String> columnList = labels(name, columns);
    if (counts == null || counts.length != rowList.size()) {
      throw new IllegalArgumentException("Cannot tabulate " + name + ": there must be one row of counts per row label");
    }
    long[][] copy = new long[rowList.size()][];
    for (int r = 0; r < counts.length; r++) {
      if (counts[r] == null || counts[r].length != columnList.size()) {
        throw new IllegalArgumentException("Cannot tabulate " + name + ": row " + rowList.get(r) + " must have one count per column");
      }
      copy[r] = counts[r].clone();
      for (int c = 0; c < copy[r].length; c++) {
        if (copy[r][c] < 0) {
          throw new IllegalArgumentException("Cannot tabulate " + name + ": the count of " + rowList.get(r) + ", "
              + columnList.get(c) + " must be zero or more");
        }
      }
    }
    return new TwoWayTable(rowDimension, columnDimension, rowList, columnList, copy);
  }

  private static List<String> labels(String name, List<String> labels) {
    if (labels == null || labels.isEmpty()) {
      throw new IllegalArgumentException("Cannot tabulate " + name + ": each dimension needs at least one category");
    }
    if (labels.stream().anyMatch(l -> l == null || l.isBlank())) {
      throw new IllegalArgumentException("Cannot tabulate " + name + ": a category has no name");
    }
    if (new HashSet<>(labels).size() != labels.size()) {
      throw new IllegalArgumentException("Cannot tabulate " + name + ": a category is named twice");
    }
    return List.copyOf(labels);
  }

  public String rowDimension() {
    return rowDimension;
  }

  public String columnDimension() {
    return columnDimension;
  }

  public List<String> rows() {
    return rows;
  }

  public List<String> columns() {
    return columns;
  }

  public long count(String row, String column) {
    return counts[index(rows, row, rowDimension)][index(columns, column, columnDimension)];
  }

  public long rowTotal(String row) {
    return rowTotals[index(rows, row, rowDimension)];
  }

  public long columnTotal(String column) {
    return columnTotals[index(columns, column, columnDimension)];
  }

  public long total() {
    return total;
  }

  long count(int row, int column) {
    return counts[row][column];
  }

  long rowTotal(int row) {
    return rowTotals[row];
  }

  long columnTotal(int column) {
    return columnTotals[column];
  }

  static int index(List<String> labels, String label, String dimension) {
    int index = labels.indexOf(label);
    if (index < 0) {
      throw new IllegalArgumentException("Cannot read " + dimension + ": no category " + label);
    }
    return index;
  }
}
