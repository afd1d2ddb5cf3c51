package optout.disclosure;

import static optout.disclosure.SuppressionReason.PRIMARY;
import static optout.disclosure.SuppressionReason.SECONDARY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import optout.disclosure.CellRef.Category;
import optout.disclosure.CellRef.Cell;
import optout.disclosure.CellRef.RowTotal;
import org.junit.jupiter.api.Test;

class SmallCellSuppressionTest {

  /** The registry's threshold, for which these cases were written (the library has no default). */
  private static final int T = 10;

  @Test
  void oneSmallCellTakesTheNextSmallestWithIt() {
    SuppressedOneWayTable result = SmallCellSuppression.suppress(oneWay("a", 3, "b", 12, "c", 40, "d", 55), T);

    assertThat(result.values()).containsExactly(
        Map.entry("a", CellValue.SUPPRESSED), Map.entry("b", CellValue.SUPPRESSED),
        Map.entry("c", CellValue.shown(40)), Map.entry("d", CellValue.shown(55)));
    assertThat(result.total()).isEqualTo(CellValue.shown(110));
    assertThat(result.audit().suppressed()).containsExactly(
        Map.entry(new Category("a"), PRIMARY), Map.entry(new Category("b"), SECONDARY));
  }

  @Test
  void twoSmallCellsWhoseSumIsSmallTakeAThird() {
    // 3 + 4 = 7 would be derivable from the total: a small count of its own.
    SuppressedOneWayTable result = SmallCellSuppression.suppress(oneWay("a", 3, "b", 4, "c", 40, "d", 55), T);

    assertThat(result.audit().suppressed()).containsExactly(
        Map.entry(new Category("a"), PRIMARY), Map.entry(new Category("b"), PRIMARY),
        Map.entry(new Category("c"), SECONDARY));
    assertThat(result.value("d")).isEqualTo(CellValue.shown(55));
    assertThat(result.total()).isEqualTo(CellValue.shown(102));
  }

  @Test
  void zerosAreShownAndNotUsedAsComplements() {
    SuppressedOneWayTable result = SmallCellSuppression.suppress(oneWay("a", 0, "b", 5, "c", 30), T);

    assertThat(result.value("a")).isEqualTo(CellValue.shown(0));
    assertThat(result.value("b").suppressed()).isTrue();
    assertThat(result.value("c").suppressed()).isTrue();
    assertThat(result.total()).isEqualTo(CellValue.shown(35));
    assertThat(result.audit().reason(new Category("c"))).contains(SECONDARY);
  }

  @Test
  void allCellsSmallSuppressesEverything() {
    SuppressedOneWayTable result = SmallCellSuppression.suppress(oneWay("a", 2, "b", 3, "c", 1), T);

    assertThat(result.values().values()).allMatch(CellValue::suppressed);
    assertThat(result.total().suppressed()).isTrue();
    assertThat(result.audit().count(PRIMARY)).isEqualTo(4);
    assertThat(result.audit().count(SECONDARY)).isZero();
  }

  @Test
  void aSmallTotalIsSuppressedAndThenProtectsItsOnlyCell() {
    SuppressedOneWayTable result = SmallCellSuppression.suppress(oneWay("a", 0, "b", 6, "c", 0), T);

    assertThat(result.values()).containsExactly(
        Map.entry("a", CellValue.shown(0)), Map.entry("b", CellValue.SUPPRESSED), Map.entry("c", CellValue.shown(0)));
    assertThat(result.total().suppressed()).isTrue();
    assertThat(result.audit().reason(CellRef.total())).contains(PRIMARY);
  }

  @Test
  void overlappingCategoriesOnlyGetPrimarySuppression() {
    Map<String, Long> byScope = new LinkedHashMap<>();
    byScope.put("academic-research", 120L);
    byScope.put("commercial-use", 4L);
    byScope.put("government-statistics", 80L);

    SuppressedOneWayTable result = SmallCellSuppression.suppress(OneWayTable.overlapping("scope", byScope, 150), T);

    assertThat(result.additive()).isFalse();
    assertThat(result.value("academic-research")).isEqualTo(CellValue.shown(120));
    assertThat(result.value("commercial-use").suppressed()).isTrue();
    assertThat(result.value("government-statistics")).isEqualTo(CellValue.shown(80));
    assertThat(result.total()).isEqualTo(CellValue.shown(150));
  }

  @Test
  void aSmallCellIsHiddenInARectangleOfFour() {
    // Row r1 takes its smallest other cell (20); columns c1 and c2 then each take their smallest (25, 15),
    // which happen to close the rectangle in row r2.
    SuppressedTwoWayTable result = SmallCellSuppression.suppress(twoWay(new long[][] {
        {5, 20, 30},
        {25, 15, 40},
        {30, 35, 12}}), T);

    assertThat(result.audit().suppressed()).containsExactly(
        Map.entry(new Cell("r1", "c1"), PRIMARY), Map.entry(new Cell("r1", "c2"), SECONDARY),
        Map.entry(new Cell("r2", "c1"), SECONDARY), Map.entry(new Cell("r2", "c2"), SECONDARY));
    assertThat(result.value("r3", "c3")).isEqualTo(CellValue.shown(12));
    assertThat(result.rowTotal("r1")).isEqualTo(CellValue.shown(55));
    assertThat(result.columnTotal("c1")).isEqualTo(CellValue.shown(60));
    assertThat(result.total()).isEqualTo(CellValue.shown(212));
  }

  @Test
  void columnsCompleteTheRowsThatEarlierComplementsOpened() {
    // Row r2 hides 40 next to the 3; column c1 then hides 11, which opens row r3; column c2 prefers 80 to
    // the smaller 60 because 80 also closes row r3: four cells instead of a cascade.
    SuppressedTwoWayTable result = SmallCellSuppression.suppress(twoWay(new long[][] {
        {50, 60, 70},
        {40, 3, 45},
        {11, 80, 90}}), T);

    assertThat(result.audit().suppressed()).containsExactly(
        Map.entry(new Cell("r2", "c1"), SECONDARY), Map.entry(new Cell("r2", "c2"), PRIMARY),
        Map.entry(new Cell("r3", "c1"), SECONDARY), Map.entry(new Cell("r3", "c2"), SECONDARY));
    assertThat(result.value("r1", "c2")).isEqualTo(CellValue.shown(60));
  }

  @Test
  void aSmallMarginIsSuppressedAndNeedsAComplementAmongTheMargins() {
    SuppressedTwoWayTable result = SmallCellSuppression.suppress(twoWay(new long[][] {
        {2, 3, 1},
        {20, 30, 40},
        {25, 35, 45}}), T);

    assertThat(result.audit().suppressed()).containsExactly(
        Map.entry(new Cell("r1", "c1"), PRIMARY), Map.entry(new Cell("r1", "c2"), PRIMARY),
        Map.entry(new Cell("r1", "c3"), PRIMARY),
        Map.entry(new Cell("r2", "c1"), SECONDARY), Map.entry(new Cell("r2", "c2"), SECONDARY),
        Map.entry(new Cell("r2", "c3"), SECONDARY),
        Map.entry(new RowTotal("r1"), PRIMARY), Map.entry(new RowTotal("r2"), SECONDARY));
    assertThat(result.columnTotal("c1")).isEqualTo(CellValue.shown(47));
    assertThat(result.total()).isEqualTo(CellValue.shown(201));
  }

  @Test
  void aCellBridgingTwoSuppressedBlocksIsCaughtByTheLinearCheck() {
    // Every row and column has two or more suppressed cells, each group holding 10 or more, yet (r2, c3)
    // is rows r1 + r2 minus columns c1 + c2. The linear check gives it a complement that closes a cycle.
    long[][] counts = {
        {5, 5, 50, 50},
        {5, 5, 5, 50},
        {50, 50, 5, 5},
        {50, 50, 5, 5}};

    SuppressedTwoWayTable result = SmallCellSuppression.suppress(twoWay(counts), T);

    assertThat(result.audit().count(PRIMARY)).isEqualTo(9);
    assertThat(result.audit().suppressed()).containsEntry(new Cell("r1", "c3"), SECONDARY);
    assertThat(result.audit().count(SECONDARY)).isEqualTo(1);
    assertThat(LinearAttack.derivable(TwoWayTable.of("row", "column", rows(4), columns(4), counts), result)).isEmpty();
  }

  @Test
  void aSingleCellTableHidesItsTotalsWithIt() {
    SuppressedTwoWayTable result = SmallCellSuppression.suppress(twoWay(new long[][] {{7}}), T);

    assertThat(result.value("r1", "c1").suppressed()).isTrue();
    assertThat(result.rowTotal("r1").suppressed()).isTrue();
    assertThat(result.columnTotal("c1").suppressed()).isTrue();
    assertThat(result.total().suppressed()).isTrue();
  }

  @Test
  void thePublicViewNeverPrintsAReasonOrASuppressedCount() {
    SuppressedTwoWayTable result = SmallCellSuppression.suppress(twoWay(new long[][] {
        {5, 20, 30},
        {25, 15, 40},
        {30, 35, 12}}), T);

    assertThat(result.toString()).isEqualTo("""
        row by column
        r1: suppressed suppressed 30 | 55
        r2: suppressed suppressed 40 | 80
        r3: 30 35 12 | 77
        total: 60 70 82 | 212""");
    assertThat(CellValue.SUPPRESSED.count()).isEmpty();
    assertThat(result.audit().toString()).doesNotContain("r1");
  }

  @Test
  void theSameTableGivesTheSameResult() {
    long[][] counts = {{5, 20, 30, 3}, {25, 15, 40, 0}, {30, 35, 12, 9}};

    assertThat(SmallCellSuppression.suppress(twoWay(counts), T).audit().suppressed())
        .isEqualTo(SmallCellSuppression.suppress(twoWay(counts), T).audit().suppressed());
  }

  @Test
  void refusesWhatCannotBeATable() {
    assertThatThrownBy(() -> oneWay("a", -1)).hasMessageStartingWith("Cannot tabulate");
    assertThatThrownBy(() -> OneWayTable.overlapping("scope", Map.of("a", 5L, "b", 7L), 3))
        .hasMessageContaining("between the largest category and the sum");
    assertThatThrownBy(() -> TwoWayTable.of("r", "c", List.of("x", "x"), List.of("y"), new long[][] {{1}, {2}}))
        .hasMessageContaining("named twice");
    assertThatThrownBy(() -> SmallCellSuppression.suppress(oneWay("a", 1), 0)).hasMessageStartingWith("Cannot suppress");
  }

  static OneWayTable oneWay(Object... categoriesAndCounts) {
    Map<String, Long> counts = new LinkedHashMap<>();
    for (int i = 0; i < categoriesAndCounts.length; i += 2) {
      counts.put((String) categoriesAndCounts[i], ((Number) categoriesAndCounts[i + 1]).longValue());
    }
    return OneWayTable.additive("county", counts);
  }

  static TwoWayTable twoWay(long[][] counts) {
    return TwoWayTable.of("row", "column", rows(counts.length), columns(counts[0].length), counts);
  }

  static List<String> rows(int n) {
    return java.util.stream.IntStream.rangeClosed(1, n).mapToObj(i -> "r" + i).toList();
  }

  static List<String> columns(int n) {
    return java.util.stream.IntStream.rangeClosed(1, n).mapToObj(i -> "c" + i).toList();
  }
}
