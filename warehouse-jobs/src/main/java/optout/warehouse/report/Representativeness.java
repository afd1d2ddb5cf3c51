package optout.warehouse.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * How the exclusions changed a cohort: for each dimension (age band, sex, county, leading diagnosis),
 * each category's count before and after exclusion, its proportions, and the standardised difference
 * of the proportions, d = (p_after − p_before) / sqrt((p_before(1 − p_before) + p_after(1 − p_after)) / 2),
 * the usual measure of balance (|d| ≥ 0.1 is the common mark of a meaningful difference). A dimension
 * is flagged when any of its categories reaches the threshold. Plain Java: the Spark side counts.
 *
 * <p>Small cells: a count from 1 to k − 1 is not shown (nor its proportion), and neither is a category
 * whose number of excluded persons (before − after) is from 1 to k − 1, since before and after would
 * give it away. Standardised differences are computed from the true counts, so the flag is right even
 * where the counts are hidden; a hidden category's d is shown only rounded to one decimal.
 */
public final class Representativeness {

  /** A category's counts; {@code shown} false when small-cell rules hide them. */
  public record Category(String name, long before, long after, boolean shown, double proportionBefore, double proportionAfter,
      double standardisedDifference) {}

  public record Dimension(String name, List<Category> categories, double largestDifference, boolean flagged) {}

  public record Report(long personsBefore, long personsAfter, long personsExcluded, int smallCellThreshold, double flagThreshold,
      List<Dimension> dimensions) {

    public List<String> flaggedDimensions() {
      return dimensions.stream().filter(Dimension::flagged).map(Dimension::name).toList();
    }
  }

  /** The cap on |d| where a proportion goes from 0 to 1. */
  static final double MAX_DIFFERENCE = 99;

  private final int smallCellThreshold;
  private final double flagThreshold;

  /**
   * @param smallCellThreshold k: counts from 1 to k − 1 are hidden (3 as in current practice)
   * @param flagThreshold |d| at or above which a dimension is flagged (0.1 by convention)
   */
  public Representativeness(int smallCellThreshold, double flagThreshold) {
    if (smallCellThreshold < 1 || flagThreshold <= 0) {
      throw new IllegalArgumentException("Cannot report representativeness: the small-cell threshold must be at least 1 and the flag threshold positive");
    }
    this.smallCellThreshold = smallCellThreshold;
    this.flagThreshold = flagThreshold;
  }

  public static Representativeness withDefaults() {
    return new Representativeness(3, 0.1);
  }

  /**
   * @param counts per dimension, per category, {before, after}; every dimension must cover the whole
   *     cohort (its befores sum to the same total)
   */
  public Report report(Map<String, Map<String, long[]>> counts) {
    long totalBefore = -1;
    long totalAfter = -1;
    List<Dimension> dimensions = new ArrayList<>();
    for (Map.Entry<String, Map<String, long[]>> dimension : counts.entrySet()) {
      long before = 0;
      long after = 0;
      for (long[] pair : dimension.getValue().values()) {
        if (pair.length != 2 || pair[1] > pair[0] || pair[1] < 0) {
          throw new IllegalArgumentException("Cannot report on " + dimension.getKey() + ": each category needs before ≥ after ≥ 0");
        }
        before += pair[0];
        after += pair[1];
      }
      if (totalBefore >= 0 && (before != totalBefore || after != totalAfter)) {
        throw new IllegalArgumentException("Cannot report on " + dimension.getKey() + ": its categories do not cover the same cohort as the others");
      }
      totalBefore = before;
      totalAfter = after;
      dimensions.add(dimension(dimension.getKey(), dimension.getValue(), before, after));
    }
    return new Report(Math.max(totalBefore, 0), Math.max(totalAfter, 0), Math.max(totalBefore - totalAfter, 0), smallCellThreshold,
        flagThreshold, List.copyOf(dimensions));
  }

  private Dimension dimension(String name, Map<String, long[]> categories, long totalBefore, long totalAfter) {
    List<Category> rows = new ArrayList<>();
    double largest = 0;
    for (Map.Entry<String, long[]> category : categories.entrySet()) {
      long before = category.getValue()[0];
      long after = category.getValue()[1];
      double pBefore = totalBefore == 0 ? 0 : (double) before / totalBefore;
      double pAfter = totalAfter == 0 ? 0 : (double) after / totalAfter;
      double d = standardisedDifference(pBefore, pAfter).orElse(0);
      d = Math.max(-MAX_DIFFERENCE, Math.min(MAX_DIFFERENCE, d));
      largest = Math.max(largest, Math.abs(d));
      boolean shown = !small(before) && !small(after) && !small(before - after);
      rows.add(shown
          ? new Category(category.getKey(), before, after, true, pBefore, pAfter, d)
          : new Category(category.getKey(), -1, -1, false, Double.NaN, Double.NaN, Math.round(d * 10) / 10.0));
    }
    return new Dimension(name, List.copyOf(rows), largest, largest >= flagThreshold);
  }

  private boolean small(long count) {
    return count > 0 && count < smallCellThreshold;
  }

  /** d for two proportions; empty when both are 0 or 1 (no variance, no difference to measure). */
  static OptionalDouble standardisedDifference(double before, double after) {
    double variance = (before * (1 - before) + after * (1 - after)) / 2;
    if (variance <= 0) {
      // all or none on one side and the opposite on the other: as different as proportions get (capped, JSON has no infinity)
      return before == after ? OptionalDouble.of(0) : OptionalDouble.of(Math.signum(after - before) * MAX_DIFFERENCE);
    }
    return OptionalDouble.of((after - before) / Math.sqrt(variance));
  }
}
