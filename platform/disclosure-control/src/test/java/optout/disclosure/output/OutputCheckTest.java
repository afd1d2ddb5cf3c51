package optout.disclosure.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import optout.disclosure.LinearAttack;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutputCheckTest {

  @TempDir
  Path dir;

  // ------------------------------------------------------------------ good input

  @Test
  void aOneWayTableLosesItsSmallCellAndTheNextSmallestAndKeepsItsTotal() {
    OutputCheck.Result result = OutputCheck.check("by-county.csv", """
        county,people
        taipei-city,120
        lienchiang-county,2
        kinmen-county,14
        penghu-county,0
        """, 3);

    assertThat(result.releasableCsv()).isEqualTo("""
        county,people
        taipei-city,120
        lienchiang-county,suppressed
        kinmen-county,suppressed
        penghu-county,0
        Total,136
        """);
    assertThat(result.primary()).isEqualTo(1);
    assertThat(result.secondary()).isEqualTo(1);
    assertThat(result.released()).isEqualTo(3);
    assertThat(result.report())
        .contains("one-way, by county (4 categories and the total)")
        .contains("threshold:  3 (a count from 1 to 2 is suppressed; a zero is shown)")
        .containsPattern("county=lienchiang-county +primary: a count from 1 to 2")
        .containsPattern("county=kinmen-county +secondary: hidden so that the totals do not give a suppressed value away")
        .contains("totals:     none in the file")
        .contains("keep it inside the secure environment");
    // the report never shows a suppressed count
    assertThat(result.report()).contains("verified:   no count from 1 to 2 is shown, and no suppressed value follows")
        .doesNotContain("14");
  }

  @Test
  void aTwoWayTableWithItsTotalsIsReleasedInTheSameLayoutWithEveryTotal() {
    OutputCheck.Result result = OutputCheck.check("sex-by-age.csv", """
        sex,age band,count
        female,0-39,40
        female,40-64,2
        female,65+,31
        female,Total,73
        male,0-39,35
        male,40-64,22
        male,65+,18
        Total,Total,148
        """, 3);

    List<List<String>> rows = rows(result.releasableCsv());
    assertThat(rows.get(0)).containsExactly("sex", "age band", "count");
    assertThat(rows.subList(1, rows.size())).extracting(row -> row.get(0) + "/" + row.get(1)).containsExactly(
        "female/0-39", "female/40-64", "female/65+", "female/Total",
        "male/0-39", "male/40-64", "male/65+", "male/Total",
        "Total/0-39", "Total/40-64", "Total/65+", "Total/Total");
    Map<String, String> released = released(result.releasableCsv());
    assertThat(released.get("female/40-64")).isEqualTo("suppressed");
    assertThat(released.get("female/Total")).isEqualTo("73");
    assertThat(released.get("Total/Total")).isEqualTo("148");
    assertThat(result.report()).contains("2 of 6 in the file, all adding up")
        .containsPattern("sex=female, age band=40-64 +primary");
    assertNothingRecoverable(result.releasableCsv(), 3);
  }

  @Test
  void aSuppressedCellCannotBeRecomputedFromTheReleasedMargins() {
    // Naive suppression of the 2 alone would give it away: 73 - 40 - 31 = 2. The released file must not allow
    // that, neither by subtraction within a line nor by any combination of rows and columns.
    String input = """
        sex,age band,count
        female,0-39,40
        female,40-64,2
        female,65+,31
        male,0-39,35
        male,40-64,22
        male,65+,18
        """;
    OutputCheck.Result result = OutputCheck.check("in.csv", input, 3);
    Map<String, String> released = released(result.releasableCsv());

    // by subtraction: in every line (row or column with its total) that hides a value, at least two are hidden
    List<List<String>> lines = List.of(
        List.of("female/Total", "female/0-39", "female/40-64", "female/65+"),
        List.of("male/Total", "male/0-39", "male/40-64", "male/65+"),
        List.of("Total/0-39", "female/0-39", "male/0-39"),
        List.of("Total/40-64", "female/40-64", "male/40-64"),
        List.of("Total/65+", "female/65+", "male/65+"),
        List.of("Total/Total", "female/Total", "male/Total"),
        List.of("Total/Total", "Total/0-39", "Total/40-64", "Total/65+"));
    for (List<String> line : lines) {
      long hidden = line.stream().filter(key -> released.get(key).equals("suppressed")).count();
      assertThat(hidden).as("suppressed values in %s", line).isNotEqualTo(1);
    }
    assertThat(released.get("female/40-64")).isEqualTo("suppressed");
    assertThat(released.get("female/Total")).isEqualTo("73");
    // and by any linear combination, solved from the released file alone
    assertNothingRecoverable(result.releasableCsv(), 3);
  }

  @Test
  void randomTablesAreNeverReleasedWithASmallOrRecoverableValue() {
    Random random = new Random(7);
    for (int n = 0; n < 150; n++) {
      int threshold = 1 + random.nextInt(6);
      int rows = 1 + random.nextInt(5);
      int columns = random.nextInt(5);  // 0: a one-way table
      StringBuilder csv = new StringBuilder(columns == 0 ? "group,n\n" : "group,band,n\n");
      for (int r = 0; r < rows; r++) {
        for (int c = 0; c < Math.max(columns, 1); c++) {
          int kind = random.nextInt(10);
          long count = kind < 2 ? 0 : kind < 5 ? 1 + random.nextInt(Math.max(1, threshold - 1)) : threshold + random.nextInt(80);
          csv.append("g").append(r).append(columns == 0 ? "" : ",b" + c).append(',').append(count).append('\n');
        }
      }
      OutputCheck.Result result = OutputCheck.check("random-" + n, csv.toString(), threshold);

      assertNothingRecoverable(result.releasableCsv(), threshold);
      for (String value : released(result.releasableCsv()).values()) {
        if (!value.equals("suppressed")) {
          long count = Long.parseLong(value);
          assertThat(count == 0 || count >= threshold).as("%s at threshold %d:\n%s", value, threshold, result.releasableCsv()).isTrue();
        }
      }
    }
  }

  @Test
  void theThresholdIsAParameterAndDefaultsToThree() {
    String input = "county,people\na,5\nb,40\nc,50\n";

    assertThat(OutputCheck.DEFAULT_THRESHOLD).isEqualTo(3);
    assertThat(released(OutputCheck.check("in.csv", input, OutputCheck.DEFAULT_THRESHOLD).releasableCsv()).get("a")).isEqualTo("5");
    assertThat(released(OutputCheck.check("in.csv", input, 10).releasableCsv()).get("a")).isEqualTo("suppressed");
    assertThat(OutputCheck.check("in.csv", "county,people\na,1\nb,40\n", 1).releasableCsv())
        .isEqualTo("county,people\na,1\nb,40\nTotal,41\n");
  }

  @Test
  void quotedCategoriesAByteOrderMarkCrlfAndTotalInAnyCaseAreRead() {
    OutputCheck.Result result = OutputCheck.check("excel.csv",
        "\uFEFF\"county\",\"people\"\r\n\"Lienchiang, Matsu\",12\r\n\"the \"\"other\"\" one\",30\r\nTOTAL,42\r\n\r\n", 3);

    assertThat(result.releasableCsv()).isEqualTo("county,people\n\"Lienchiang, Matsu\",12\n\"the \"\"other\"\" one\",30\nTotal,42\n");
  }

  @Test
  void aZeroIsShownAndATableOfZerosIsReleasedWhole() {
    assertThat(OutputCheck.check("in.csv", "county,people\na,0\nb,0\n", 3).releasableCsv())
        .isEqualTo("county,people\na,0\nb,0\nTotal,0\n");
  }

  @Test
  void aTableOfSmallCellsHidesEveryCellAndShowsTotalsThatAreNotSmall() {
    // f,a + f,b = 3 and f,a + m,a = 3 leave f,a anywhere from 0 to 3: no cell follows from the totals.
    OutputCheck.Result result = OutputCheck.check("in.csv", "sex,band,n\nf,a,1\nf,b,2\nm,a,2\nm,b,1\n", 3);

    assertThat(result.releasableCsv()).isEqualTo("""
        sex,band,n
        f,a,suppressed
        f,b,suppressed
        f,Total,3
        m,a,suppressed
        m,b,suppressed
        m,Total,3
        Total,a,3
        Total,b,3
        Total,Total,6
        """);
    assertThat(result.primary()).isEqualTo(4);
    assertThat(result.secondary()).isZero();
    assertNothingRecoverable(result.releasableCsv(), 3);

    OutputCheck.Result tiny = OutputCheck.check("in.csv", "sex,band,n\nf,a,1\nf,b,1\nm,a,0\nm,b,0\n", 3);
    assertThat(released(tiny.releasableCsv()).values()).containsExactly(
        "suppressed", "suppressed", "suppressed", "0", "0", "0", "suppressed", "suppressed", "suppressed");
  }

  @Test
  void runWritesTheReleaseAndReplacesAnEarlierOne() throws Exception {
    Path in = Files.writeString(dir.resolve("in.csv"), "county,people\na,2\nb,40\nc,50\n");
    Path out = Files.writeString(dir.resolve("out.csv"), "an earlier release");

    OutputCheck.Result result = OutputCheck.run(in, out, 3);

    assertThat(Files.readString(out)).isEqualTo(result.releasableCsv()).contains("a,suppressed");
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("in.csv", "out.csv");
    }
  }

  // ------------------------------------------------------------------ bad input: refused, nothing written

  @Test
  void anEmptyFileOrAHeaderWithoutCountsIsRefused() {
    assertRefused("", "the file is empty");
    assertRefused("\n\n  \n", "the file is empty");
    assertRefused("\uFEFF", "the file is empty");
    assertRefused("county,people\n", "a header but no lines of counts");
    assertRefused("county,people\n\n  \n", "a header but no lines of counts");
  }

  @Test
  void aNegativeOrNonIntegerOrMissingCountIsRefusedWithItsLine() {
    assertRefused("county,people\na,12\nb,-3\n", "line 3: the people '-3' is negative");
    assertRefused("county,people\na,12\nb,3.5\n", "line 3: the people '3.5' is not a whole number");
    assertRefused("county,people\na,12.0\n", "line 2: the people '12.0' is not a whole number");
    assertRefused("county,people\na,1e3\n", "'1e3' is not a whole number");
    assertRefused("county,people\na,+4\n", "'+4' is not a whole number");
    assertRefused("county,people\na,\"1,234\"\n", "'1,234' is not a whole number");
    assertRefused("county,people\na,twelve\n", "'twelve' is not a whole number");
    assertRefused("county,people\na,suppressed\n", "'suppressed' is not a whole number");
    assertRefused("county,people\na,\n", "line 2: the people is missing");
    assertRefused("county,people\na,99999999999999999999\n", "is too large");
    assertRefused("county,people\na,9223372036854775807\nb,1\n", "too large to add up");
  }

  @Test
  void aTotalThatDoesNotAddUpIsRefused() {
    assertRefused("county,people\na,12\nb,30\nTotal,43\n", "line 4: the total county=Total is 43, but the 2 categories add up to 42");
    assertRefused("sex,band,n\nf,a,10\nf,b,20\nf,Total,31\nm,a,5\nm,b,5\n",
        "line 4: the total sex=f, band=Total is 31, but its 2 cells add up to 30");
    assertRefused("sex,band,n\nf,a,10\nf,b,20\nm,a,5\nm,b,5\nTotal,b,24\n",
        "line 6: the total sex=Total, band=b is 24, but its 2 cells add up to 25");
    assertRefused("sex,band,n\nf,a,10\nf,b,20\nm,a,5\nm,b,5\nTotal,Total,41\n",
        "line 6: the total sex=Total, band=Total is 41, but all the cells add up to 40");
    assertRefused("sex,band,n\nf,a,10\nm,a,5\nx,Total,0\n", "line 4 gives a total for sex=x, which has no cells");
    assertRefused("sex,band,n\nf,a,10\nm,a,5\nTotal,b,0\n", "line 4 gives a total for band=b, which has no cells");
  }

  @Test
  void moreThanTwoCategoryColumnsOrTooFewColumnsAreRefused() {
    assertRefused("county,sex,age band,people\na,f,0-4,12\n",
        "the header names 3 category columns [county, sex, age band] before the count column; the output check takes one or two");
    assertRefused("people\n12\n", "has one column");
    assertRefused("county;people\na;12\n", "has one column");
    assertRefused("county,people\na,12,3\n", "line 2 has 3 fields, the header 2");
    assertRefused("county,sex,people\na,12\n", "line 2 has 2 fields, the header 3");
    assertRefused("county,sex,people\na,f,12\nb\n", "line 3 has 1 field, the header 3");
    assertRefused("county,,people\na,f,12\n", "column 2 of the header has no name");
    assertRefused("county,county,people\na,f,12\n", "names a column twice");
  }

  @Test
  void anIncompleteOrRepeatedOrOnlyTotalTableIsRefused() {
    assertRefused("county,people\na,12\na,30\n", "line 3 repeats county=a (first on line 2)");
    assertRefused("county,people\nTotal,12\ntotal,12\n", "line 3 repeats county=Total (first on line 2)");
    assertRefused("county,people\nTotal,12\n", "a total but no categories");
    assertRefused("sex,band,n\nf,a,10\nf,b,20\nm,a,5\n", "sex=m, band=b is missing; a two-way table needs every combination");
    assertRefused("sex,band,n\nf,a,10\nf,a,20\n", "line 3 repeats sex=f, band=a (first on line 2)");
    assertRefused("sex,band,n\nTotal,Total,10\n", "totals but no cells");
    assertRefused("county,people\n,12\n", "line 2: the county is empty");
  }

  @Test
  void malformedCsvIsRefusedNotGuessedAt() {
    assertRefused("county,people\n\"a,12\n", "line 2: a quoted field is never closed");
    assertRefused("county,people\n\"a\"b,12\n", "line 2: text after a closing quote");
    assertRefused("county,people\na\"b,12\n", "line 2: a quote inside an unquoted field");
  }

  @Test
  void aThresholdBelowOneIsRefused() {
    assertRefused("county,people\na,12\n", 0, "the threshold must be at least 1, not 0");
    assertRefused("county,people\na,12\n", -3, "the threshold must be at least 1, not -3");
  }

  @Test
  void aTableLargerThanTheLimitIsRefused() {
    StringBuilder csv = new StringBuilder("row,column,n\n");
    for (int r = 0; r < 101; r++) {
      for (int c = 0; c < 50; c++) {
        csv.append(r).append(',').append(c).append(",10\n");
      }
    }
    assertRefused(csv.toString(), "101 x 50 cells; at most 5000 are checked");
  }

  @Test
  void aRefusedFileWritesNothingAndLeavesAnEarlierReleaseAlone() throws Exception {
    Path in = Files.writeString(dir.resolve("in.csv"), "county,people\na,12\nb,3.5\n");
    Path out = dir.resolve("out.csv");

    assertThatThrownBy(() -> OutputCheck.run(in, out, 3)).isInstanceOf(OutputRefusedException.class)
        .hasMessage("output check refused " + in + ": line 3: the people '3.5' is not a whole number (a count is written in "
            + "digits only, e.g. 12) (nothing written)");
    assertThat(out).doesNotExist();

    Files.writeString(out, "an earlier release");
    assertThatThrownBy(() -> OutputCheck.run(in, out, 3)).isInstanceOf(OutputRefusedException.class);
    assertThat(Files.readString(out)).isEqualTo("an earlier release");
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("in.csv", "out.csv");
    }
  }

  @Test
  void theInputIsNeverOverwrittenAndMustBeUtf8() throws Exception {
    Path in = Files.writeString(dir.resolve("in.csv"), "county,people\na,12\n");
    assertThatThrownBy(() -> OutputCheck.run(in, in, 3)).isInstanceOf(OutputRefusedException.class)
        .hasMessageContaining("--out is the input file itself");
    assertThatThrownBy(() -> OutputCheck.run(in, dir.resolve(".").resolve("in.csv"), 3))
        .isInstanceOf(OutputRefusedException.class);
    assertThat(Files.readString(in)).isEqualTo("county,people\na,12\n");

    Path latin1 = Files.write(dir.resolve("latin1.csv"), "county,people\nK\u00f6ln,12\n".getBytes(StandardCharsets.ISO_8859_1));
    assertThatThrownBy(() -> OutputCheck.run(latin1, dir.resolve("out.csv"), 3)).isInstanceOf(OutputRefusedException.class)
        .hasMessageContaining("not UTF-8");
  }

  // ------------------------------------------------------------------ helpers

  private static void assertRefused(String csv, String message) {
    assertRefused(csv, 3, message);
  }

  private static void assertRefused(String csv, int threshold, String message) {
    assertThatThrownBy(() -> OutputCheck.check("in.csv", csv, threshold))
        .isInstanceOf(OutputRefusedException.class)
        .hasMessageStartingWith("output check refused in.csv: ")
        .hasMessageContaining(message)
        .hasMessageEndingWith("(nothing written)");
  }

  private static List<List<String>> rows(String csv) {
    List<List<String>> rows = new ArrayList<>();
    for (Csv.Row row : Csv.parse(csv)) {
      rows.add(row.fields());
    }
    return rows;
  }

  /** Released value by "category" or "row/column", as the file reads. */
  private static Map<String, String> released(String csv) {
    Map<String, String> values = new LinkedHashMap<>();
    List<List<String>> rows = rows(csv);
    for (List<String> row : rows.subList(1, rows.size())) {
      values.put(String.join("/", row.subList(0, row.size() - 1)), row.get(row.size() - 1));
    }
    return values;
  }

  /**
   * The attacker's view: only the released file. Its values become unknowns (suppressed) or knowns, its
   * lines the equations "the cells of a row or column add up to its total, the totals to the grand total";
   * {@link LinearAttack} (exact rational arithmetic, independent of the suppression engine) must find
   * nothing determined, and each line that hides a value hides two or more.
   */
  private static void assertNothingRecoverable(String csv, int threshold) {
    List<List<String>> rows = rows(csv);
    boolean twoWay = rows.get(0).size() == 3;
    Map<String, Integer> index = new HashMap<>();
    List<String> names = new ArrayList<>();
    List<Boolean> hidden = new ArrayList<>();
    for (List<String> row : rows.subList(1, rows.size())) {
      String key = String.join("/", row.subList(0, row.size() - 1));
      index.put(key, names.size());
      names.add(key);
      hidden.add(row.get(row.size() - 1).equals("suppressed"));
    }
    List<int[]> equations = new ArrayList<>();
    if (!twoWay) {
      List<Integer> equation = new ArrayList<>(List.of(index.get("Total")));
      names.stream().filter(name -> !name.equals("Total")).forEach(name -> equation.add(index.get(name)));
      equations.add(equation.stream().mapToInt(Integer::intValue).toArray());
    } else {
      List<String> rowLabels = names.stream().map(n -> n.split("/")[0]).filter(n -> !n.equals("Total")).distinct().toList();
      List<String> columnLabels = names.stream().map(n -> n.split("/")[1]).filter(n -> !n.equals("Total")).distinct().toList();
      for (String r : rowLabels) {
        List<Integer> equation = new ArrayList<>(List.of(index.get(r + "/Total")));
        columnLabels.forEach(c -> equation.add(index.get(r + "/" + c)));
        equations.add(equation.stream().mapToInt(Integer::intValue).toArray());
      }
      for (String c : columnLabels) {
        List<Integer> equation = new ArrayList<>(List.of(index.get("Total/" + c)));
        rowLabels.forEach(r -> equation.add(index.get(r + "/" + c)));
        equations.add(equation.stream().mapToInt(Integer::intValue).toArray());
      }
      List<Integer> rowMargins = new ArrayList<>(List.of(index.get("Total/Total")));
      rowLabels.forEach(r -> rowMargins.add(index.get(r + "/Total")));
      equations.add(rowMargins.stream().mapToInt(Integer::intValue).toArray());
      List<Integer> columnMargins = new ArrayList<>(List.of(index.get("Total/Total")));
      columnLabels.forEach(c -> columnMargins.add(index.get("Total/" + c)));
      equations.add(columnMargins.stream().mapToInt(Integer::intValue).toArray());
    }
    boolean[] suppressed = new boolean[hidden.size()];
    for (int i = 0; i < suppressed.length; i++) {
      suppressed[i] = hidden.get(i);
    }
    for (int[] equation : equations) {
      int count = 0;
      for (int item : equation) {
        count += suppressed[item] ? 1 : 0;
      }
      assertThat(count).as("a line hiding exactly one value, at threshold %d:\n%s", threshold, csv).isNotEqualTo(1);
    }
    assertThat(LinearAttack.determined(equations, suppressed).stream().map(names::get).toList())
        .as("values recoverable from the release at threshold %d:\n%s", threshold, csv).isEmpty();
  }
}
