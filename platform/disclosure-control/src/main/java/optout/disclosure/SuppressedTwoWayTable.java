package optout.disclosure;

import java.util.List;

/**
 * A two-way table as the public sees it: cells, row and column totals and the grand total, each shown or
 * suppressed. Publish a one-way table of either dimension as these margins, never tabulated afresh: an
 * independent one-way table would show a margin this table suppressed. Why a value is suppressed is only
 * in {@link #audit()}.
 */
public final class SuppressedTwoWayTable {

  private final String rowDimension;
  private final String columnDimension;
  private final List<String> rows;
  private final List<String> columns;
  private final CellValue[][] values;
  private final CellValue[] rowTotals;
  private final CellValue[] columnTotals;
  private final CellValue total;
  private final SuppressionAudit audit;

  SuppressedTwoWayTable(String rowDimension, String columnDimension, List<String> rows, List<String> columns,
      CellValue[][] values, CellValue[] rowTotals, CellValue[] columnTotals, CellValue total, SuppressionAudit audit) {
    this.rowDimension = rowDimension;
    this.columnDimension = columnDimension;
    this.rows = List.copyOf(rows);
    this.columns = List.copyOf(columns);
    this.values = values;
    this.rowTotals = rowTotals;
    this.columnTotals = columnTotals;
    this.total = total;
    this.audit = audit;
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

  public CellValue value(String row, String column) {
    return values[TwoWayTable.index(rows, row, rowDimension)][TwoWayTable.index(columns, column, columnDimension)];
  }

  public CellValue rowTotal(String row) {
    return rowTotals[TwoWayTable.index(rows, row, rowDimension)];
  }

  public CellValue columnTotal(String column) {
    return columnTotals[TwoWayTable.index(columns, column, columnDimension)];
  }

  public CellValue total() {
    return total;
  }

  /** For auditors only: why each suppressed value was suppressed. */
  public SuppressionAudit audit() {
    return audit;
  }

  /** The public view: values and "suppressed", never a reason. */
  @Override
  public String toString() {
    StringBuilder text = new StringBuilder(rowDimension).append(" by ").append(columnDimension).append('\n');
    for (int r = 0; r < rows.size(); r++) {
      text.append(rows.get(r)).append(':');
      for (CellValue value : values[r]) {
        text.append(' ').append(value);
      }
      text.append(" | ").append(rowTotals[r]).append('\n');
    }
    text.append("total:");
    for (CellValue value : columnTotals) {
      text.append(' ').append(value);
    }
    return text.append(" | ").append(total).toString();
  }
}
