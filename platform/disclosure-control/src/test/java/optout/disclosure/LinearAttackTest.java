package optout.disclosure;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import optout.disclosure.CellRef.Category;
import optout.disclosure.CellRef.Cell;
import org.junit.jupiter.api.Test;

/** The attacker must find what is there to find, or its silence about a protected table proves nothing. */
class LinearAttackTest {

  @Test
  void findsASingleSuppressedCategoryBySubtractionFromTheTotal() {
    OneWayTable table = SmallCellSuppressionTest.oneWay("a", 2, "b", 30, "c", 40);
    Map<String, CellValue> values = new LinkedHashMap<>();
    values.put("a", CellValue.SUPPRESSED);
    values.put("b", CellValue.shown(30));
    values.put("c", CellValue.shown(40));
    SuppressedOneWayTable naive = new SuppressedOneWayTable("county", true, values, CellValue.shown(72), audit());

    assertThat(LinearAttack.derivable(table, naive)).containsExactly(new Category("a"));
    assertThat(LinearAttack.derivable(table, SmallCellSuppression.suppress(table, 10))).isEmpty();
  }

  @Test
  void anOverlappingTableHasNoEquationToAttack() {
    OneWayTable table = OneWayTable.overlapping("scope", Map.of("a", 2L, "b", 30L), 30);
    Map<String, CellValue> values = Map.of("a", CellValue.SUPPRESSED, "b", CellValue.shown(30));

    assertThat(LinearAttack.derivable(table, new SuppressedOneWayTable("scope", false, values, CellValue.shown(30), audit())))
        .isEmpty();
  }

  @Test
  void findsACellBridgingTwoBlocksThatNoSingleLineGivesAway() {
    // Primary suppression alone: every row and column hides two or more cells, yet (r2, c3) = r1 + r2 - c1 - c2
    // over the hidden cells (the case SmallCellSuppressionTest resolves with one more complement).
    long[][] counts = {
        {5, 5, 50, 50},
        {5, 5, 5, 50},
        {50, 50, 5, 5},
        {50, 50, 5, 5}};
    TwoWayTable table = SmallCellSuppressionTest.twoWay(counts);
    CellValue[][] values = new CellValue[4][4];
    for (int r = 0; r < 4; r++) {
      for (int c = 0; c < 4; c++) {
        values[r][c] = counts[r][c] < 10 ? CellValue.SUPPRESSED : CellValue.shown(counts[r][c]);
      }
    }
    CellValue[] rowTotals = new CellValue[4];
    CellValue[] columnTotals = new CellValue[4];
    for (int i = 0; i < 4; i++) {
      rowTotals[i] = CellValue.shown(table.rowTotal("r" + (i + 1)));
      columnTotals[i] = CellValue.shown(table.columnTotal("c" + (i + 1)));
    }
    SuppressedTwoWayTable primaryOnly = new SuppressedTwoWayTable("row", "column", table.rows(), table.columns(), values,
        rowTotals, columnTotals, CellValue.shown(table.total()), audit());

    assertThat(LinearAttack.derivable(table, primaryOnly)).containsExactly(new Cell("r2", "c3"));
  }

  @Test
  void nothingSuppressedNothingToFind() {
    TwoWayTable table = SmallCellSuppressionTest.twoWay(new long[][] {{10, 20}, {30, 40}});

    assertThat(LinearAttack.derivable(table, SmallCellSuppression.suppress(table, 10))).isEmpty();
    assertThat(LinearAttack.determined(List.of(), new boolean[] {true, false})).isEmpty();
  }

  private static SuppressionAudit audit() {
    return new SuppressionAudit(10, Map.of());
  }
}
