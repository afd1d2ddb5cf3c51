package optout.disclosure;

/** Names one published value of a table, for the auditors' view of why it was suppressed. */
public sealed interface CellRef {

  /** A category of a one-way table. */
  record Category(String category) implements CellRef {}

  /** An inner cell of a two-way table. */
  record Cell(String row, String column) implements CellRef {}

  /** A row total (margin) of a two-way table. */
  record RowTotal(String row) implements CellRef {}

  /** A column total (margin) of a two-way table. */
  record ColumnTotal(String column) implements CellRef {}

  /** The grand total of either kind of table. */
  record Total() implements CellRef {}

  static CellRef total() {
    return new Total();
  }
}
