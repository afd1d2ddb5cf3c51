package optout.disclosure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LinkedTableSuppressionTest {

  /** The registry's threshold, for which these cases were written (the library has no default). */
  private static final int T = 10;
  private static final List<String> SEXES = List.of("female", "male");

  @Test
  void aSingleTableIsSuppressedExactlyAsOnItsOwn() {
    Random random = new Random(11);
    for (int trial = 0; trial < 300; trial++) {
      TwoWayTable table = randomTable(random, "county", 1 + random.nextInt(6), 1 + random.nextInt(4));

      SuppressedTwoWayTable alone = SmallCellSuppression.suppress(table, T);
      SuppressedTwoWayTable linked = LinkedTableSuppression.suppress(List.of(table), T).get(0);

      assertThat(linked.toString()).isEqualTo(alone.toString());
      assertThat(linked.audit().suppressed()).isEqualTo(alone.audit().suppressed());
    }
  }

  /**
   * County by sex publishes the male total (20) that age band by sex hides; all 20 men are in one age band,
   * so that band's women (9) follow by subtraction from its published row total (29).
   */
  @Test
  void suppressedOneAtATimeLinkedTablesGiveASmallCellAwayAndSuppressedTogetherTheyDoNot() {
    TwoWayTable county = TwoWayTable.of("county", "sex", List.of("c0", "c1", "c2"), SEXES, new long[][] {{9, 0}, {47, 20}, {4, 0}});
    TwoWayTable age = TwoWayTable.of("age band", "sex", List.of("a0", "a1", "a2"), SEXES, new long[][] {{9, 20}, {27, 0}, {24, 0}});

    List<SuppressedTwoWayTable> alone = List.of(SmallCellSuppression.suppress(county, T), SmallCellSuppression.suppress(age, T));
    assertThat(alone.get(0).columnTotal("male")).isEqualTo(CellValue.shown(20));
    assertThat(alone.get(1).columnTotal("male").suppressed()).isTrue();
    assertThat(Joint.of(List.of(county, age), alone).derivable()).contains("age band a0 female");

    List<SuppressedTwoWayTable> linked = LinkedTableSuppression.suppress(List.of(county, age), T);
    assertThat(Joint.of(List.of(county, age), linked).derivable()).isEmpty();
    assertThat(linked.get(1).value("a0", "female").suppressed()).isTrue();
    for (String sex : SEXES) {
      assertThat(linked.get(0).columnTotal(sex)).isEqualTo(linked.get(1).columnTotal(sex));
    }
  }

  @Test
  void randomLinkedTablesShowNoSmallValueAndKeepEverySuppressedValueUnderivable() {
    Random random = new Random(12);
    for (int trial = 0; trial < 300; trial++) {
      int columns = 2 + random.nextInt(2);
      TwoWayTable county = randomTable(random, "county", 2 + random.nextInt(6), columns);
      TwoWayTable age = regroup(random, county, 2 + random.nextInt(5));
      String context = county + "\n" + age;

      List<SuppressedTwoWayTable> linked = LinkedTableSuppression.suppress(List.of(county, age), T);
      Joint joint = Joint.of(List.of(county, age), linked);

      assertThat(joint.derivable()).as(context).isEmpty();
      assertThat(joint.shownSmall()).as(context).isEmpty();
      assertThat(linked.get(0).total()).isEqualTo(linked.get(1).total());
      for (String column : county.columns()) {
        assertThat(linked.get(0).columnTotal(column)).as(context).isEqualTo(linked.get(1).columnTotal(column));
      }
      // and each table on its own is protected as well
      assertThat(LinearAttack.derivable(county, linked.get(0))).as(context).isEmpty();
      assertThat(LinearAttack.derivable(age, linked.get(1))).as(context).isEmpty();
    }
  }

  @Test
  void tablesOfDifferentPeopleOrColumnsAreRefused() {
    TwoWayTable county = TwoWayTable.of("county", "sex", List.of("c0"), SEXES, new long[][] {{12, 15}});
    TwoWayTable otherPeople = TwoWayTable.of("age band", "sex", List.of("a0"), SEXES, new long[][] {{12, 16}});
    TwoWayTable otherColumns = TwoWayTable.of("age band", "sex", List.of("a0"), List.of("male", "female"), new long[][] {{15, 12}});

    assertThatThrownBy(() -> LinkedTableSuppression.suppress(List.of(county, otherPeople), T))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("same people");
    assertThatThrownBy(() -> LinkedTableSuppression.suppress(List.of(county, otherColumns), T))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("column dimension");
    assertThatThrownBy(() -> LinkedTableSuppression.suppress(List.of(), T)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void anOverlappingTableTakesTheSharedTotalAndHidesWhatWouldBoundAHiddenTotal() {
    Map<String, Long> scopes = new LinkedHashMap<>();
    scopes.put("academic-research", 40L);
    scopes.put("commercial-use", 3L);
    scopes.put("cross-agency-linkage", 0L);
    OneWayTable byScope = OneWayTable.overlapping("scope", scopes, 41);

    SuppressedOneWayTable shown = LinkedTableSuppression.suppressOverlapping(byScope, CellValue.shown(41), T);
    assertThat(shown.values()).containsExactly(Map.entry("academic-research", CellValue.shown(40)),
        Map.entry("commercial-use", CellValue.SUPPRESSED), Map.entry("cross-agency-linkage", CellValue.shown(0)));
    assertThat(shown.total()).isEqualTo(CellValue.shown(41));
    assertThat(shown.audit().reason(new CellRef.Category("commercial-use"))).contains(SuppressionReason.PRIMARY);

    // 40 <= total <= 43 is a narrow interval; with the total hidden in the linked tables, the categories go too
    SuppressedOneWayTable hidden = LinkedTableSuppression.suppressOverlapping(byScope, CellValue.SUPPRESSED, T);
    assertThat(hidden.values()).containsExactly(Map.entry("academic-research", CellValue.SUPPRESSED),
        Map.entry("commercial-use", CellValue.SUPPRESSED), Map.entry("cross-agency-linkage", CellValue.shown(0)));
    assertThat(hidden.total().suppressed()).isTrue();
    assertThat(hidden.audit().reason(new CellRef.Category("academic-research"))).contains(SuppressionReason.SECONDARY);
    assertThat(hidden.audit().reason(CellRef.total())).contains(SuppressionReason.SECONDARY);

    assertThatThrownBy(() -> LinkedTableSuppression.suppressOverlapping(byScope, CellValue.shown(42), T))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> LinkedTableSuppression.suppressOverlapping(OneWayTable.additive("scope", scopes), CellValue.shown(43), T))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /** Counts like a registry's: many zeros and small cells beside large ones. */
  static TwoWayTable randomTable(Random random, String dimension, int rows, int columns) {
    long[][] counts = new long[rows][columns];
    for (long[] row : counts) {
      for (int c = 0; c < columns; c++) {
        int kind = random.nextInt(4);
        row[c] = kind == 0 ? 0 : kind == 1 ? 1 + random.nextInt(9) : 10 + random.nextInt(60);
      }
    }
    return TwoWayTable.of(dimension, "sex", labels(dimension, rows), SEXES3.subList(0, columns), counts);
  }

  private static final List<String> SEXES3 = List.of("female", "male", "unknown", "other");

  /** The same people by another row dimension: each column's total spread over new rows at random. */
  static TwoWayTable regroup(Random random, TwoWayTable table, int rows) {
    long[][] counts = new long[rows][table.columns().size()];
    for (int c = 0; c < table.columns().size(); c++) {
      long left = table.columnTotal(table.columns().get(c));
      for (int r = 0; r < rows - 1; r++) {
        long part = left == 0 ? 0 : random.nextLong(left + 1);
        counts[r][c] = random.nextInt(3) == 0 ? Math.min(part, 1 + random.nextInt(9)) : part;
        left -= counts[r][c];
      }
      counts[rows - 1][c] = left;
    }
    return TwoWayTable.of("age band", table.columnDimension(), labels("age band", rows), table.columns(), counts);
  }

  private static List<String> labels(String prefix, int n) {
    List<String> labels = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      labels.add(prefix.charAt(0) + Integer.toString(i));
    }
    return labels;
  }

  /**
   * What an attacker holding all the linked tables knows: every value published in any of them (a shared
   * total is known if any table shows it) and the equations of all of them; solved with {@link LinearAttack}.
   */
  record Joint(List<String> names, long[] counts, boolean[] suppressed, List<int[]> equations) {

    static Joint of(List<TwoWayTable> tables, List<SuppressedTwoWayTable> published) {
      List<String> names = new ArrayList<>();
      List<Long> counts = new ArrayList<>();
      List<Boolean> suppressed = new ArrayList<>();
      List<int[]> equations = new ArrayList<>();
      TwoWayTable first = tables.get(0);
      List<String> columns = first.columns();
      int c = columns.size();
      int[] columnTotal = new int[c];
      for (int k = 0; k < c; k++) {
        columnTotal[k] = names.size();
        names.add("total " + columns.get(k));
        counts.add(first.columnTotal(columns.get(k)));
        final int column = k;
        suppressed.add(published.stream().allMatch(p -> p.columnTotal(columns.get(column)).suppressed()));
      }
      int total = names.size();
      names.add("total");
      counts.add(first.total());
      suppressed.add(published.stream().allMatch(p -> p.total().suppressed()));
      for (int t = 0; t < tables.size(); t++) {
        TwoWayTable table = tables.get(t);
        SuppressedTwoWayTable result = published.get(t);
        int[][] cell = new int[table.rows().size()][c];
        int[] rowTotal = new int[table.rows().size()];
        for (int r = 0; r < table.rows().size(); r++) {
          String row = table.rows().get(r);
          for (int k = 0; k < c; k++) {
            cell[r][k] = names.size();
            names.add(table.rowDimension() + " " + row + " " + columns.get(k));
            counts.add(table.count(row, columns.get(k)));
            suppressed.add(result.value(row, columns.get(k)).suppressed());
          }
          rowTotal[r] = names.size();
          names.add(table.rowDimension() + " " + row);
          counts.add(table.rowTotal(row));
          suppressed.add(result.rowTotal(row).suppressed());
          int[] equation = new int[c + 1];
          equation[0] = rowTotal[r];
          System.arraycopy(cell[r], 0, equation, 1, c);
          equations.add(equation);
        }
        for (int k = 0; k < c; k++) {
          int[] equation = new int[table.rows().size() + 1];
          equation[0] = columnTotal[k];
          for (int r = 0; r < table.rows().size(); r++) {
            equation[r + 1] = cell[r][k];
          }
          equations.add(equation);
        }
        int[] margins = new int[table.rows().size() + 1];
        margins[0] = total;
        System.arraycopy(rowTotal, 0, margins, 1, rowTotal.length);
        equations.add(margins);
      }
      int[] margins = new int[c + 1];
      margins[0] = total;
      System.arraycopy(columnTotal, 0, margins, 1, c);
      equations.add(margins);
      boolean[] flags = new boolean[suppressed.size()];
      for (int i = 0; i < flags.length; i++) {
        flags[i] = suppressed.get(i);
      }
      return new Joint(names, counts.stream().mapToLong(Long::longValue).toArray(), flags, equations);
    }

    /** The suppressed values the published ones determine. */
    List<String> derivable() {
      return LinearAttack.determined(equations, suppressed).stream().map(names::get).toList();
    }

    /** Published values from 1 to threshold - 1 (there must be none). */
    List<String> shownSmall() {
      List<String> small = new ArrayList<>();
      for (int i = 0; i < counts.length; i++) {
        if (!suppressed[i] && counts[i] > 0 && counts[i] < T) {
          small.add(names.get(i) + " = " + counts[i]);
        }
      }
      return small;
    }
  }
}
