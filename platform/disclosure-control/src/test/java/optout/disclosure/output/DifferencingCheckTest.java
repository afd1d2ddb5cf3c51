package optout.disclosure.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import optout.disclosure.output.DifferencingCheck.Earlier;
import optout.disclosure.output.DifferencingCheck.Finding;
import optout.disclosure.output.ReleasedTable.Kind;
import org.junit.jupiter.api.Test;

/** Releases of one project attacked together: each attack must be found, and harmless pairs must pass. */
class DifferencingCheckTest {

  private static final Rules SMALL_CELL = Rules.smallCell(3);

  private static ReleasedTable released(String csv, Rules rules) {
    return OutputCheck.check("in.csv", csv, rules).table();
  }

  private static List<Finding> check(ReleasedTable table, ReleasedTable... earlier) {
    List<Earlier> others = new java.util.ArrayList<>();
    for (int i = 0; i < earlier.length; i++) {
      others.add(new Earlier("output " + (i + 1), earlier[i]));
    }
    return DifferencingCheck.check(table, others);
  }

  // ------------------------------------------------------------------ the attacks

  @Test
  void totalMinusAllOtherCells() {
    // output 1 hides c (2) and its complement b; the total is shown
    ReleasedTable first = released("county,people\na,120\nb,30\nc,2\n", SMALL_CELL);
    assertThat(first.values().get(Map.of("county", "c")).kind()).isEqualTo(Kind.SUPPRESSED);
    assertThat(first.values().get(Map.of("county", "b")).kind()).isEqualTo(Kind.SUPPRESSED);
    assertThat(first.values().get(Map.of()).shown()).isEqualTo(152);
    // the same cohort without county c: shows b, and a total 2 smaller
    ReleasedTable second = released("county,people\na,120\nb,30\n", SMALL_CELL);

    List<Finding> findings = check(second, first);

    assertThat(findings).extracting(Finding::rule).contains("small-difference", "derivable");
    assertThat(findings).filteredOn(f -> f.rule().equals("derivable")).extracting(Finding::message)
        .containsExactly("the suppressed value county=c of output 1 follows by subtraction from what output 1 and this table show "
            + "(a value is taken to be the same wherever its position is released)");
    assertThat(findings).filteredOn(f -> f.rule().equals("small-difference")).extracting(Finding::message)
        .containsExactly("county=Total: this table and output 1 (county=Total) differ by fewer than 3, so a group that small follows by subtraction");
  }

  @Test
  void aBreakdownWhoseMarginsShowWhatATotalHid() {
    ReleasedTable byCounty = released("county,people\na,120\nb,30\nc,2\n", SMALL_CELL);
    // county by sex: its county margins show b exactly, and nothing about c; no total is near the other's
    ReleasedTable bySex = released("county,sex,people\na,f,60\na,m,60\nb,f,15\nb,m,15\nd,f,50\nd,m,50\n", SMALL_CELL);

    List<Finding> findings = check(bySex, byCounty);

    assertThat(findings).extracting(Finding::rule).containsExactly("derivable");
    assertThat(findings.get(0).message()).startsWith("the suppressed value county=c of output 1 follows by subtraction");
  }

  @Test
  void twoReleasesDifferingByASmallGroup() {
    String cohort = "sex,age band,count\nfemale,0-39,40\nfemale,40-64,25\nfemale,65+,31\nmale,0-39,35\nmale,40-64,22\nmale,65+,18\n";
    ReleasedTable whole = released(cohort, SMALL_CELL);
    // the cohort less two women over 65: nothing is small in either table
    ReleasedTable less = released(cohort.replace("female,65+,31", "female,65+,29"), SMALL_CELL);
    assertThat(less.values().values()).noneMatch(v -> v.kind() == Kind.SUPPRESSED);

    List<Finding> findings = check(less, whole);

    assertThat(findings).extracting(Finding::rule).containsOnly("small-difference");
    assertThat(findings).extracting(Finding::message).anyMatch(m -> m.startsWith("sex=female, age band=65+: this table and output 1"))
        .anyMatch(m -> m.startsWith("sex=Total, age band=Total: this table and output 1"));
  }

  @Test
  void aSmallGroupShowsInTheGrandTotalEvenAcrossDifferentBreakdowns() {
    ReleasedTable bySex = released("sex,people\nfemale,96\nmale,75\n", SMALL_CELL);
    ReleasedTable byAge = released("age band,people\n0-39,75\n40-64,47\n65+,47\n", SMALL_CELL);  // 169: two fewer

    assertThat(check(byAge, bySex)).extracting(Finding::message)
        .containsExactly("age band=Total: this table and output 1 (sex=Total) differ by fewer than 3, so a group that small follows by subtraction");
  }

  @Test
  void renamingTheCountColumnDoesNotEscapeTheCheck() {
    ReleasedTable first = released("county,people\na,120\nb,30\nc,2\n", SMALL_CELL);
    ReleasedTable second = released("County,persons in cohort\na,120\nb,30\n", SMALL_CELL);

    assertThat(check(second, first)).extracting(Finding::rule).contains("derivable");
  }

  @Test
  void everyEarlierReleaseCountsNotOnlyTheLast() {
    ReleasedTable first = released("county,people\na,120\nb,30\nc,2\n", SMALL_CELL);
    ReleasedTable unrelated = released("sex,people\nfemale,500\nmale,400\n", SMALL_CELL);

    assertThat(check(released("county,people\na,120\nb,30\n", SMALL_CELL), unrelated, first))
        .extracting(Finding::message).anyMatch(m -> m.contains("county=c of output 2"));
  }

  // ------------------------------------------------------------------ what passes

  @Test
  void theSameTableReleasedAgainPasses() {
    String csv = "county,people\na,120\nb,30\nc,2\n";
    assertThat(check(released(csv, SMALL_CELL), released(csv, SMALL_CELL))).isEmpty();
  }

  @Test
  void marginsReleasedAgainAddNothing() {
    // output 1 hides a whole rectangle around f in county a; this table shows only what output 1 showed: its row totals
    ReleasedTable first = released("county,sex,people\na,f,2\na,m,30\nb,f,40\nb,m,50\n", SMALL_CELL);
    ReleasedTable second = released("county,people\na,32\nb,90\n", SMALL_CELL);

    assertThat(check(second, first)).isEmpty();
  }

  @Test
  void unrelatedTablesPass() {
    ReleasedTable bySex = released("sex,people\nfemale,100\nmale,90\n", SMALL_CELL);
    ReleasedTable byCounty = released("county,people\na,500\nb,700\nc,1\n", SMALL_CELL);

    assertThat(check(byCounty, bySex)).isEmpty();
    assertThat(check(bySex)).isEmpty();
  }

  @Test
  void aDifferenceOfAtLeastTheThresholdPasses() {
    ReleasedTable whole = released("sex,people\nfemale,96\nmale,75\n", SMALL_CELL);
    ReleasedTable less = released("sex,people\nfemale,93\nmale,75\n", SMALL_CELL);

    assertThat(check(less, whole)).isEmpty();
  }

  @Test
  void roundedValuesAreNeverTakenAsExact() {
    // under OpenSAFELY's rules the attack of totalMinusAllOtherCells finds only rounded values
    ReleasedTable first = released("county,people\na,120\nb,30\nc,2\n", Rules.OPENSAFELY);
    ReleasedTable second = released("county,people\na,120\nb,30\n", Rules.OPENSAFELY);
    assertThat(first.values().get(Map.of()).kind()).isEqualTo(Kind.ROUNDED);

    assertThat(check(second, first)).isEmpty();
  }

  @Test
  void theLargerThresholdOfTheTwoApplies() {
    ReleasedTable smallCell = released("county,people\na,0\nb,5\n", SMALL_CELL);       // b = 5 shown exactly
    ReleasedTable rounded = released("county,people\na,0\nb,0\n", Rules.OPENSAFELY);  // b = 0, exact

    assertThat(check(rounded, smallCell)).extracting(Finding::rule).contains("small-difference");
  }

  // ------------------------------------------------------------------ positions and bad input

  @Test
  void aOneWayTableIsTheMarginOfATwoWayTable() {
    ReleasedTable twoWay = released("County,sex,n\na,f,10\na,m,20\n", SMALL_CELL);
    assertThat(twoWay.values().get(Map.of("county", "a")).label()).isEqualTo("County=a, sex=Total");
    assertThat(twoWay.values().get(Map.of("county", "a")).shown()).isEqualTo(30);
    assertThat(twoWay.values().get(Map.of()).shown()).isEqualTo(30);
    assertThat(twoWay.equations()).hasSize(1 + 2 + 2);
  }

  @Test
  void aReleasedTableIsReadStrictly() {
    assertThatThrownBy(() -> ReleasedTable.read("county,people\na,12x\n", SMALL_CELL)).isInstanceOf(OutputRefusedException.class)
        .hasMessageContaining("neither a count nor suppressed");
    assertThatThrownBy(() -> ReleasedTable.read("county,people\na,12\n", SMALL_CELL)).isInstanceOf(OutputRefusedException.class)
        .hasMessageContaining("missing");
    assertThatThrownBy(() -> ReleasedTable.read("a,A,people\nx,y,1\n", SMALL_CELL)).isInstanceOf(OutputRefusedException.class)
        .hasMessageContaining("upper and lower case");
    assertThatThrownBy(() -> ReleasedTable.read("", SMALL_CELL)).isInstanceOf(OutputRefusedException.class);
  }

  @Test
  void openSafelyRulesSuppressSevenOrFewerAndRoundTheRestToFive() {
    OutputCheck.Result result = OutputCheck.check("in.csv", "county,people\na,123\nb,7\nc,12\nd,0\n", Rules.OPENSAFELY);

    assertThat(result.releasableCsv()).isEqualTo("county,people\na,125\nb,suppressed\nc,suppressed\nd,0\nTotal,140\n");
    assertThat(result.report()).contains("threshold:  8").contains("rounding:   every other non-zero value, totals too, to the nearest 5");
    assertThat(Rules.OPENSAFELY.release(122)).isEqualTo(120);
    assertThat(Rules.OPENSAFELY.release(8)).isEqualTo(10);
    assertThat(Rules.OPENSAFELY.release(0)).isZero();
    assertThat(new Rules("even", 3, 10).release(15)).isEqualTo(20);
    assertThat(Rules.named("OpenSAFELY")).contains(Rules.OPENSAFELY);
    assertThat(Rules.named("small-cell")).contains(Rules.smallCell(3));
    assertThat(Rules.named("none")).isEmpty();
    assertThat(Rules.named(null)).isEmpty();
    assertThatThrownBy(() -> new Rules("x", 0, 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Rules("Bad name", 3, 1)).isInstanceOf(IllegalArgumentException.class);
  }
}
