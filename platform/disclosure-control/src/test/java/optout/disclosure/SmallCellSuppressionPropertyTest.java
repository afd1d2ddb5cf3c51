package optout.disclosure;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Random tables (seeded, so failures repeat) against what an attacker could compute from them. */
class SmallCellSuppressionPropertyTest {

  private static final long SEED = 20_261_125L;

  @Test
  void noSuppressedValueOfATwoWayTableCanBeDerivedAndNoSmallValueIsShown() {
    Random random = new Random(SEED);
    int secondary = 0;
    for (int n = 0; n < 300; n++) {
      int threshold = 1 + random.nextInt(15);
      long[][] counts = new long[1 + random.nextInt(5)][1 + random.nextInt(6)];
      for (long[] row : counts) {
        for (int c = 0; c < row.length; c++) {
          row[c] = randomCount(random, threshold);
        }
      }
      TwoWayTable table = SmallCellSuppressionTest.twoWay(counts);
      SuppressedTwoWayTable result = SmallCellSuppression.suppress(table, threshold);
      LinearAttack.Layout layout = LinearAttack.Layout.of(table, result);
      String context = "table " + n + " threshold " + threshold + "\n" + result;

      for (int i = 0; i < layout.counts().length; i++) {
        long count = layout.counts()[i];
        if (count > 0 && count < threshold) {
          assertThat(layout.suppressed()[i]).as("small value %s shown in %s", layout.refs().get(i), context).isTrue();
        }
      }
      for (int[] equation : layout.equations()) {
        int suppressed = 0;
        long suppressedParts = 0;
        for (int k = 0; k < equation.length; k++) {
          if (layout.suppressed()[equation[k]]) {
            suppressed++;
            suppressedParts += k > 0 ? layout.counts()[equation[k]] : 0;
          }
        }
        assertThat(suppressed).as("a line with a single suppressed value in %s", context).isNotEqualTo(1);
        if (!layout.suppressed()[equation[0]]) {
          assertThat(suppressedParts == 0 || suppressedParts >= threshold)
              .as("suppressed parts summing to a small count in %s", context).isTrue();
        }
      }
      assertThat(LinearAttack.derivable(table, result)).as("derivable values in %s", context).isEmpty();
      assertShownValuesMatch(layout, result);
      assertThat(SmallCellSuppression.suppress(table, threshold).audit().suppressed())
          .isEqualTo(result.audit().suppressed());
      secondary += (int) result.audit().count(SuppressionReason.SECONDARY);
    }
    assertThat(secondary).as("the random tables exercise complementary suppression").isGreaterThan(300);
  }

  @Test
  void aCountyByAgeBandTableIsProtectedToo() {
    // 23 counties (with unknown) by 20 age bands: the size of the registry's largest public table, at its threshold.
    int threshold = 10;
    Random random = new Random(SEED + 2);
    for (int n = 0; n < 3; n++) {
      long[][] counts = new long[23][20];
      for (long[] row : counts) {
        for (int c = 0; c < row.length; c++) {
          row[c] = randomCount(random, threshold);
        }
      }
      TwoWayTable table = SmallCellSuppressionTest.twoWay(counts);

      SuppressedTwoWayTable result = SmallCellSuppression.suppress(table, threshold);

      assertThat(LinearAttack.derivable(table, result)).isEmpty();
    }
  }

  @Test
  void noSuppressedCategoryOfAOneWayTableCanBeDerivedAndNoSmallValueIsShown() {
    Random random = new Random(SEED + 1);
    for (int n = 0; n < 500; n++) {
      int threshold = 1 + random.nextInt(15);
      Map<String, Long> counts = new LinkedHashMap<>();
      int k = 1 + random.nextInt(12);
      for (int i = 0; i < k; i++) {
        counts.put("category-" + i, randomCount(random, threshold));
      }
      SuppressedOneWayTable result = SmallCellSuppression.suppress(OneWayTable.additive("dimension", counts), threshold);
      String context = "table " + n + " threshold " + threshold + ": " + counts + " -> " + result;

      long total = counts.values().stream().mapToLong(Long::longValue).sum();
      int suppressed = result.total().suppressed() ? 1 : 0;
      long suppressedSum = 0;
      for (Map.Entry<String, Long> entry : counts.entrySet()) {
        CellValue value = result.value(entry.getKey());
        if (entry.getValue() > 0 && entry.getValue() < threshold) {
          assertThat(value.suppressed()).as(context).isTrue();
        }
        if (value.suppressed()) {
          suppressed++;
          suppressedSum += entry.getValue();
        } else {
          assertThat(value.count()).hasValue(entry.getValue());
        }
      }
      if (total > 0 && total < threshold) {
        assertThat(result.total().suppressed()).as(context).isTrue();
      }
      assertThat(suppressed).as("a single suppressed value in %s", context).isNotEqualTo(1);
      if (!result.total().suppressed()) {
        assertThat(suppressedSum == 0 || suppressedSum >= threshold).as(context).isTrue();
      }
    }
  }

  private static void assertShownValuesMatch(LinearAttack.Layout layout, SuppressedTwoWayTable result) {
    List<CellRef> refs = layout.refs();
    for (int i = 0; i < refs.size(); i++) {
      CellRef ref = refs.get(i);
      CellValue value;
      if (ref instanceof CellRef.Cell cell) {
        value = result.value(cell.row(), cell.column());
      } else if (ref instanceof CellRef.RowTotal row) {
        value = result.rowTotal(row.row());
      } else if (ref instanceof CellRef.ColumnTotal column) {
        value = result.columnTotal(column.column());
      } else {
        value = result.total();
      }
      if (!value.suppressed()) {
        assertThat(value.count()).hasValue(layout.counts()[i]);
        assertThat(result.audit().reason(refs.get(i))).isEmpty();
      } else {
        assertThat(result.audit().reason(refs.get(i))).isPresent();
      }
    }
  }

  /** Zeros, small counts and large ones in about equal measure, so that every rule is exercised. */
  private static long randomCount(Random random, int threshold) {
    int kind = random.nextInt(10);
    if (kind < 2) {
      return 0;
    }
    if (kind < 5) {
      return 1 + random.nextInt(Math.max(1, threshold - 1));
    }
    return threshold + random.nextInt(200);
  }
}
