package optout.disclosure;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Counts of people by the categories of one dimension, with their total: e.g. people currently opted out
 * by county, or filings by day.
 *
 * <p>An <em>additive</em> table's categories partition the people, so its total is the sum of its cells
 * and a published total is an equation an attacker can subtract from. An <em>overlapping</em> table's
 * categories may share people (a person can opt out of several scopes), so its total (people with any
 * opt-out) is given separately and is no sum of the cells; no cell can be derived from it by subtraction.
 */
public final class OneWayTable {

  private final String dimension;
  private final Map<String, Long> counts;
  private final long total;
  private final boolean additive;

  private OneWayTable(String dimension, Map<String, Long> counts, long total, boolean additive) {
    this.dimension = dimension;
    this.counts = counts;
    this.total = total;
    this.additive = additive;
  }

  /**
   * A table whose categories partition the people; the total is their sum.
   *
   * @param counts the count per category, in the order to publish (pass a {@link LinkedHashMap} or a sorted map)
   */
  public static OneWayTable additive(String dimension, Map<String, Long> counts) {
    Map<String, Long> copy = checked(dimension, counts);
    long sum = 0;
    for (long count : copy.values()) {
      sum = Math.addExact(sum, count);
    }
    return new OneWayTable(dimension, copy, sum, true);
  }

  /**
   * A table whose categories may share people, e.g. people by opted-out scope, with the number of
   * distinct people as the total.
   */
  public static OneWayTable overlapping(String dimension, Map<String, Long> counts, long total) {
    Map<String, Long> copy = checked(dimension, counts);
    long max = 0;
    long sum = 0;
    for (long count : copy.values()) {
      max = Math.max(max, count);
      sum = Math.addExact(sum, count);
    }
    if (total < max || total > sum) {
      throw new IllegalArgumentException("Cannot tabulate " + dimension
          + ": the number of distinct people must lie between the largest category and the sum of all categories");
    }
    return new OneWayTable(dimension, copy, total, false);
  }

  private static Map<String, Long> checked(String dimension, Map<String, Long> counts) {
    if (dimension == null || dimension.isBlank()) {
      throw new IllegalArgumentException("Cannot tabulate: the dimension needs a name");
    }
    if (counts == null || counts.isEmpty()) {
      throw new IllegalArgumentException("Cannot tabulate " + dimension + ": at least one category is needed");
    }
    Map<String, Long> copy = new LinkedHashMap<>();
    counts.forEach((category, count) -> {
      if (category == null || category.isBlank()) {
        throw new IllegalArgumentException("Cannot tabulate " + dimension + ": a category has no name");
      }
      if (count == null || count < 0) {
        throw new IllegalArgumentException("Cannot tabulate " + dimension + ": the count of " + category + " must be zero or more");
      }
      copy.put(category, count);
    });
    return Collections.unmodifiableMap(copy);
  }

  public String dimension() {
    return dimension;
  }

  public List<String> categories() {
    return List.copyOf(counts.keySet());
  }

  public long count(String category) {
    Long count = counts.get(category);
    if (count == null) {
      throw new IllegalArgumentException("Cannot read " + dimension + ": no category " + category);
    }
    return count;
  }

  public long total() {
    return total;
  }

  public boolean additive() {
    return additive;
  }
}
