package optout.disclosure.output;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import optout.disclosure.CellRef;
import optout.disclosure.CellValue;
import optout.disclosure.LinearAttack;
import optout.disclosure.OneWayTable;
import optout.disclosure.SmallCellSuppression;
import optout.disclosure.SuppressedOneWayTable;
import optout.disclosure.SuppressedTwoWayTable;
import optout.disclosure.SuppressionAudit;
import optout.disclosure.SuppressionReason;
import optout.disclosure.TwoWayTable;

/**
 * The output check of an aggregate result a researcher wants to take out of the secure environment: a
 * frequency table of people (or records) as CSV, released only after small-cell suppression with secondary
 * suppression, so that no count from 1 to {@code threshold - 1} is shown and none can be worked out from the
 * totals. Plain Java, no Spark; the suppression is the shared {@code optout.disclosure} library, the same the
 * registry's public statistics use.
 *
 * <p><b>Input</b> (UTF-8 CSV, RFC 4180 quoting, in long format): a header naming one or two category columns
 * and then the count column, last; one line per cell. A category written {@code Total} (any case) marks a
 * total: {@code Total,123} in a one-way table; in a two-way table {@code female,Total,..} is a row total,
 * {@code Total,0-4,..} a column total and {@code Total,Total,..} the grand total. Totals are optional; those
 * given must equal the sum of their cells. A two-way table needs every combination of its categories (write
 * 0 for an empty cell). Refused, with the line and nothing written: an empty file or one with a header only;
 * fewer than one or more than two category columns; a count that is missing, negative or not a whole number
 * (digits only); a total that does not add up or names a category with no cells; a repeated or missing cell;
 * a malformed CSV line; more than {@value #MAX_CELLS} cells; a threshold below 1.
 *
 * <p><b>Suppression.</b> Every total is treated as published, whether or not the file gives it (a paper
 * states its group sizes), so the table is protected with all its margins, and the release always includes
 * them: the file then says exactly what may be published. Primary: 0 &lt; count &lt; threshold (a true zero is
 * shown). Secondary: complements until no suppressed value follows from the released ones by subtraction or
 * any other linear combination of the table's equations (see {@code optout.disclosure}). Before anything is
 * written, the release is checked again by an independent solver ({@link LinearAttack}) and for shown small
 * values.
 *
 * <p><b>Output.</b> The same header and layout, each category's cells in the order they first appear, each
 * row's total after its cells, then the column totals and the grand total; a suppressed value is the word
 * {@value #SUPPRESSED}. The {@linkplain Result#report() report} lists each suppressed value and why (primary or
 * secondary): it tells which values are small, so it stays inside the secure environment.
 */
public final class OutputCheck {

  /** The threshold in current output-checking practice: counts of 1 and 2 are never released. */
  public static final int DEFAULT_THRESHOLD = 3;

  /** The category that marks a total (matched in any case, written like this). */
  public static final String TOTAL = "Total";

  /** What a suppressed value reads in the released CSV. */
  public static final String SUPPRESSED = "suppressed";

  /** A larger table is refused: no published table is that large, and the independent check grows with its square. */
  public static final int MAX_CELLS = 5_000;

  /** A larger file is refused before it is read. */
  static final long MAX_FILE_BYTES = 16L * 1024 * 1024;

  /**
   * What the check found.
   *
   * @param releasableCsv the table to release, as CSV
   * @param report for the output checker, not for release: what was suppressed and why
   * @param released how many values (cells and totals) are shown
   * @param primary how many are suppressed as small
   * @param secondary how many are suppressed as complements
   */
  public record Result(String releasableCsv, String report, int released, int primary, int secondary, Rules rules) {

    /** The released values as a table, for comparing this release with others ({@link DifferencingCheck}). */
    public ReleasedTable table() {
      return ReleasedTable.read(releasableCsv, rules);
    }
  }

  private OutputCheck() {}

  /**
   * Checks a file and writes the releasable CSV to {@code out} (replacing it, atomically where the file
   * system can); on a refusal nothing is written.
   *
   * @throws OutputRefusedException if the file or the threshold is refused
   */
  public static Result run(Path in, Path out, int threshold) throws IOException {
    if (threshold < 1) {
      throw new OutputRefusedException("output check refused " + in + ": the threshold must be at least 1, not " + threshold
          + " (nothing written)");
    }
    return run(in, out, Rules.smallCell(threshold));
  }

  /**
   * Checks a file under a rule set and writes the releasable CSV to {@code out} (replacing it, atomically where
   * the file system can); on a refusal nothing is written.
   *
   * @throws OutputRefusedException if the file is refused
   */
  public static Result run(Path in, Path out, Rules rules) throws IOException {
    String source = in.toString();
    if (in.toAbsolutePath().normalize().equals(out.toAbsolutePath().normalize())
        || (Files.exists(out) && Files.isSameFile(in, out))) {
      throw new OutputRefusedException("output check refused " + source + ": --out is the input file itself (nothing written)");
    }
    if (Files.size(in) > MAX_FILE_BYTES) {
      throw new OutputRefusedException("output check refused " + source + ": larger than " + (MAX_FILE_BYTES >> 20)
          + " MiB, which no aggregate table is (nothing written)");
    }
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(Files.readAllBytes(in))).toString();
    } catch (CharacterCodingException e) {
      throw new OutputRefusedException("output check refused " + source + ": not UTF-8 text (save the CSV as UTF-8; nothing written)");
    }
    Result result = check(source, text, rules);
    Path directory = out.toAbsolutePath().getParent();
    Path temporary = Files.createTempFile(directory, "." + out.getFileName(), ".tmp");
    try {
      Files.writeString(temporary, result.releasableCsv(), StandardCharsets.UTF_8);
      try {
        Files.move(temporary, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temporary, out, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(temporary);
    }
    return result;
  }

  /**
   * Checks a result given as CSV text.
   *
   * @param source the file's name, for the messages and the report
   * @throws OutputRefusedException if the text or the threshold is refused
   */
  public static Result check(String source, String text, int threshold) {
    if (threshold < 1) {
      throw new OutputRefusedException("output check refused " + source + ": the threshold must be at least 1, not " + threshold
          + " (nothing written)");
    }
    return check(source, text, Rules.smallCell(threshold));
  }

  /**
   * Checks a result given as CSV text under a rule set: suppression with the set's threshold, then every
   * other non-zero value rounded if the set rounds.
   *
   * @param source the file's name, for the messages and the report
   * @throws OutputRefusedException if the text is refused
   */
  public static Result check(String source, String text, Rules rules) {
    return new Checker(source, rules).check(text);
  }

  /** One check: the file's name and threshold, for the messages. */
  private static final class Checker {

    private final String source;
    private final int threshold;
    private final Rules rules;

    Checker(String source, Rules rules) {
      this.source = source;
      this.threshold = rules.threshold();
      this.rules = rules;
    }

    private OutputRefusedException refused(String why) {
      return new OutputRefusedException("output check refused " + source + ": " + why + " (nothing written)");
    }

    Result check(String text) {
      if (threshold < 1) {
        throw refused("the threshold must be at least 1, not " + threshold);
      }
      if (text == null || text.replace("\uFEFF", "").isBlank()) {
        throw refused("the file is empty (a header line and one line per cell are expected)");
      }
      List<Csv.Row> rows;
      try {
        rows = Csv.parse(text);
      } catch (Csv.Malformed e) {
        throw refused(e.getMessage());
      }
      Csv.Row header = rows.get(0);
      List<String> names = header.fields().stream().map(String::strip).toList();
      if (names.size() < 2) {
        throw refused("the header '" + String.join(",", header.fields()) + "' has one column; a result needs one or two "
            + "category columns and then the count column, separated by commas");
      }
      if (names.size() > 3) {
        throw refused("the header names " + (names.size() - 1) + " category columns " + names.subList(0, names.size() - 1)
            + " before the count column; the output check takes one or two (a one-way or two-way table)");
      }
      for (int k = 0; k < names.size(); k++) {
        if (names.get(k).isEmpty()) {
          throw refused("column " + (k + 1) + " of the header has no name");
        }
      }
      if (new HashSet<>(names).size() != names.size()) {
        throw refused("the header names a column twice: " + names);
      }
      if (rows.size() == 1) {
        throw refused("the file has a header but no lines of counts");
      }
      List<Line> lines = new ArrayList<>();
      for (Csv.Row row : rows.subList(1, rows.size())) {
        lines.add(line(names, row));
      }
      return names.size() == 2 ? oneWay(names, lines) : twoWay(names, lines);
    }

    /** One line of counts: its categories ({@link #TOTAL} for a total) and count. */
    private record Line(int number, List<String> categories, long count) {}

    private Line line(List<String> names, Csv.Row row) {
      if (row.fields().size() != names.size()) {
        throw refused("line " + row.line() + " has " + row.fields().size() + (row.fields().size() == 1 ? " field" : " fields")
            + ", the header " + names.size()
            + " (a category holding a comma must be in double quotes)");
      }
      List<String> categories = new ArrayList<>();
      for (int k = 0; k < names.size() - 1; k++) {
        String category = row.fields().get(k).strip();
        if (category.isEmpty()) {
          throw refused("line " + row.line() + ": the " + names.get(k) + " is empty");
        }
        categories.add(category.toLowerCase(Locale.ROOT).equals("total") ? TOTAL : category);
      }
      return new Line(row.line(), List.copyOf(categories), count(row.line(), names.get(names.size() - 1),
          row.fields().get(names.size() - 1).strip()));
    }

    private long count(int line, String column, String text) {
      String where = "line " + line + ": the " + column + " ";
      if (text.isEmpty()) {
        throw refused(where + "is missing (write 0 for an empty cell)");
      }
      if (!text.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
        if (text.startsWith("-") && text.length() > 1 && text.substring(1).strip().chars().allMatch(ch -> ch >= '0' && ch <= '9')
            && !text.substring(1).strip().chars().allMatch(ch -> ch == '0')) {
          throw refused(where + "'" + text + "' is negative; a count is 0 or more");
        }
        throw refused(where + "'" + text + "' is not a whole number (a count is written in digits only, e.g. 12)");
      }
      try {
        return Long.parseLong(text);
      } catch (NumberFormatException e) {
        throw refused(where + "'" + text + "' is too large");
      }
    }

    private Result oneWay(List<String> names, List<Line> lines) {
      String dimension = names.get(0);
      Map<String, Long> counts = new LinkedHashMap<>();
      Map<String, Integer> seen = new HashMap<>();
      Line total = null;
      for (Line line : lines) {
        String category = line.categories().get(0);
        Integer first = seen.putIfAbsent(category, line.number());
        if (first != null) {
          throw refused("line " + line.number() + " repeats " + dimension + "=" + category + " (first on line " + first + ")");
        }
        if (category.equals(TOTAL)) {
          total = line;
        } else {
          counts.put(category, line.count());
        }
      }
      if (counts.isEmpty()) {
        throw refused("the file has a total but no categories");
      }
      if (counts.size() > MAX_CELLS) {
        throw refused(counts.size() + " categories; at most " + MAX_CELLS + " are checked (split the table)");
      }
      OneWayTable table;
      try {
        table = OneWayTable.additive(dimension, counts);
      } catch (ArithmeticException e) {
        throw refused("the counts are too large to add up");
      }
      int given = 0;
      if (total != null) {
        given++;
        agrees(total, dimension + "=" + TOTAL, table.total(), "the " + counts.size() + " categories");
      }
      SuppressedOneWayTable result = SmallCellSuppression.suppress(table, threshold);
      if (!LinearAttack.derivable(table, result).isEmpty()) {
        throw new IllegalStateException("The output check's own verification found a suppressed value of " + source
            + " that the released ones determine; nothing written. This is a bug: report it.");
      }
      StringBuilder csv = new StringBuilder(Csv.line(names));
      List<CellValue> released = new ArrayList<>();
      for (String category : table.categories()) {
        csv.append(Csv.line(List.of(category, text(rules, result.value(category)))));
        released.add(result.value(category));
      }
      csv.append(Csv.line(List.of(TOTAL, text(rules, result.total()))));
      released.add(result.total());
      checkNoSmallValueShown(released);
      String shape = "one-way, by " + dimension + " (" + counts.size() + " categories and the total)";
      return result(csv.toString(), shape, given, 1, released, result.audit(), ref -> name(ref, dimension, null));
    }

    private Result twoWay(List<String> names, List<Line> lines) {
      String rowDimension = names.get(0);
      String columnDimension = names.get(1);
      Set<String> rows = new LinkedHashSet<>();
      Set<String> columns = new LinkedHashSet<>();
      Map<List<String>, Line> byKey = new HashMap<>();
      for (Line line : lines) {
        Line first = byKey.putIfAbsent(line.categories(), line);
        if (first != null) {
          throw refused("line " + line.number() + " repeats " + name(line.categories(), rowDimension, columnDimension)
              + " (first on line " + first.number() + ")");
        }
        String row = line.categories().get(0);
        String column = line.categories().get(1);
        if (!row.equals(TOTAL) && !column.equals(TOTAL)) {
          rows.add(row);
          columns.add(column);
        }
      }
      if (rows.isEmpty()) {
        throw refused("the file has totals but no cells");
      }
      if ((long) rows.size() * columns.size() > MAX_CELLS) {
        throw refused(rows.size() + " x " + columns.size() + " cells; at most " + MAX_CELLS + " are checked (split the table)");
      }
      List<String> rowList = List.copyOf(rows);
      List<String> columnList = List.copyOf(columns);
      long[][] counts = new long[rowList.size()][columnList.size()];
      for (int r = 0; r < rowList.size(); r++) {
        for (int c = 0; c < columnList.size(); c++) {
          Line line = byKey.get(List.of(rowList.get(r), columnList.get(c)));
          if (line == null) {
            throw refused(name(List.of(rowList.get(r), columnList.get(c)), rowDimension, columnDimension)
                + " is missing; a two-way table needs every combination of its categories (write 0 for an empty cell)");
          }
          counts[r][c] = line.count();
        }
      }
      for (Line line : lines) {
        String row = line.categories().get(0);
        String column = line.categories().get(1);
        if (!row.equals(TOTAL) && column.equals(TOTAL) && !rows.contains(row)) {
          throw refused("line " + line.number() + " gives a total for " + rowDimension + "=" + row + ", which has no cells");
        }
        if (row.equals(TOTAL) && !column.equals(TOTAL) && !columns.contains(column)) {
          throw refused("line " + line.number() + " gives a total for " + columnDimension + "=" + column + ", which has no cells");
        }
      }
      TwoWayTable table;
      try {
        table = TwoWayTable.of(rowDimension, columnDimension, rowList, columnList, counts);
      } catch (ArithmeticException e) {
        throw refused("the counts are too large to add up");
      }
      int given = 0;
      for (String row : rowList) {
        Line line = byKey.get(List.of(row, TOTAL));
        if (line != null) {
          given++;
          agrees(line, name(line.categories(), rowDimension, columnDimension), table.rowTotal(row),
              "its " + columnList.size() + " cells");
        }
      }
      for (String column : columnList) {
        Line line = byKey.get(List.of(TOTAL, column));
        if (line != null) {
          given++;
          agrees(line, name(line.categories(), rowDimension, columnDimension), table.columnTotal(column),
              "its " + rowList.size() + " cells");
        }
      }
      Line grand = byKey.get(List.of(TOTAL, TOTAL));
      if (grand != null) {
        given++;
        agrees(grand, name(grand.categories(), rowDimension, columnDimension), table.total(), "all the cells");
      }

      SuppressedTwoWayTable result = SmallCellSuppression.suppress(table, threshold);
      if (!LinearAttack.derivable(table, result).isEmpty()) {
        throw new IllegalStateException("The output check's own verification found a suppressed value of " + source
            + " that the released ones determine; nothing written. This is a bug: report it.");
      }
      StringBuilder csv = new StringBuilder(Csv.line(names));
      List<CellValue> released = new ArrayList<>();
      for (String row : rowList) {
        for (String column : columnList) {
          csv.append(Csv.line(List.of(row, column, text(rules, result.value(row, column)))));
          released.add(result.value(row, column));
        }
        csv.append(Csv.line(List.of(row, TOTAL, text(rules, result.rowTotal(row)))));
        released.add(result.rowTotal(row));
      }
      for (String column : columnList) {
        csv.append(Csv.line(List.of(TOTAL, column, text(rules, result.columnTotal(column)))));
        released.add(result.columnTotal(column));
      }
      csv.append(Csv.line(List.of(TOTAL, TOTAL, text(rules, result.total()))));
      released.add(result.total());
      checkNoSmallValueShown(released);
      String shape = "two-way, " + rowDimension + " by " + columnDimension + " (" + rowList.size() + " x " + columnList.size()
          + " cells and their totals)";
      return result(csv.toString(), shape, given, rowList.size() + columnList.size() + 1, released, result.audit(),
          ref -> name(ref, rowDimension, columnDimension));
    }

    /** A given total must be the sum of its cells: else the file is not one table, and nothing is released. */
    private void agrees(Line line, String what, long sum, String parts) {
      if (line.count() != sum) {
        throw refused("line " + line.number() + ": the total " + what + " is " + line.count() + ", but " + parts + " add up to "
            + sum + " (every group must be a line of its own, e.g. an 'unknown' category; a category named Total is read as a total)");
      }
    }

    /** The counts primary suppression hides, in words. */
    private String small() {
      return threshold == 2 ? "a count of 1" : "a count from 1 to " + (threshold - 1);
    }

    private void checkNoSmallValueShown(List<CellValue> released) {
      for (CellValue value : released) {
        if (!value.suppressed() && value.count().getAsLong() > 0 && value.count().getAsLong() < threshold) {
          throw new IllegalStateException("The output check's own verification found a small value shown in " + source
              + "; nothing written. This is a bug: report it.");
        }
      }
    }

    private Result result(String csv, String shape, int givenTotals, int possibleTotals, List<CellValue> released,
        SuppressionAudit audit, java.util.function.Function<CellRef, String> names) {
      int primary = (int) audit.count(SuppressionReason.PRIMARY);
      int secondary = (int) audit.count(SuppressionReason.SECONDARY);
      int shown = released.size() - primary - secondary;
      StringBuilder report = new StringBuilder();
      report.append("Output check of ").append(source).append('\n');
      report.append("  table:      ").append(shape).append('\n');
      report.append("  threshold:  ").append(threshold).append(threshold == 1 ? " (no count is small)"
          : " (" + small() + " is suppressed; a zero is shown)").append('\n');
      if (rules.rounds()) {
        report.append("  rounding:   every other non-zero value, totals too, to the nearest ").append(rules.roundingBase())
            .append(" (rules ").append(rules.name()).append(")\n");
      }
      report.append("  totals:     ").append(givenTotals == 0 ? "none in the file; computed, and released like the cells"
          : givenTotals + " of " + possibleTotals + " in the file, all adding up; the others computed").append('\n');
      report.append("  released:   ").append(shown).append(" of ").append(released.size()).append(" values; suppressed ")
          .append(primary).append(" primary, ").append(secondary).append(" secondary").append('\n');
      if (!audit.suppressed().isEmpty()) {
        int width = audit.suppressed().keySet().stream().mapToInt(ref -> names.apply(ref).length()).max().orElse(0);
        for (Map.Entry<CellRef, SuppressionReason> entry : audit.suppressed().entrySet()) {
          String name = names.apply(entry.getKey());
          report.append("    ").append(name).append(" ".repeat(width - name.length() + 2)).append(
              entry.getValue() == SuppressionReason.PRIMARY ? "primary: " + small()
                  : "secondary: hidden so that the totals do not give a suppressed value away").append('\n');
        }
      }
      report.append("  verified:   ").append(threshold == 1 ? "" : "no " + small().substring(2) + " is shown, and ").append("no suppressed "
          + "value follows from the released ones (independent linear check)").append('\n');
      report.append("  This report tells which values are small: keep it inside the secure environment; release only the CSV.\n");
      return new Result(csv, report.toString(), shown, primary, secondary, rules);
    }
  }

  private static String text(Rules rules, CellValue value) {
    return value.suppressed() ? SUPPRESSED : Long.toString(rules.release(value.count().getAsLong()));
  }

  private static String name(List<String> categories, String rowDimension, String columnDimension) {
    return rowDimension + "=" + categories.get(0) + ", " + columnDimension + "=" + categories.get(1);
  }

  /** A value as its line of the CSV reads, e.g. {@code sex=female, age band=Total}. */
  private static String name(CellRef ref, String rowDimension, String columnDimension) {
    if (ref instanceof CellRef.Category category) {
      return rowDimension + "=" + category.category();
    }
    if (ref instanceof CellRef.Cell cell) {
      return name(List.of(cell.row(), cell.column()), rowDimension, columnDimension);
    }
    if (ref instanceof CellRef.RowTotal row) {
      return name(List.of(row.row(), TOTAL), rowDimension, columnDimension);
    }
    if (ref instanceof CellRef.ColumnTotal column) {
      return name(List.of(TOTAL, column.column()), rowDimension, columnDimension);
    }
    return columnDimension == null ? rowDimension + "=" + TOTAL : name(List.of(TOTAL, TOTAL), rowDimension, columnDimension);
  }
}
