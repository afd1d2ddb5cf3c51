package optout.portal.register;

/**
 * The public register's cohort size: a band, never a count, so that no small number of persons is ever published.
 * Bands are powers of ten: {@code 1-99}, {@code 100-999}, ..., {@code 1000000+}; a true zero is {@code 0}. Plain Java.
 */
public final class CohortBand {

  private static final long[] LOWER = {1, 100, 1_000, 10_000, 100_000, 1_000_000};

  private CohortBand() {}

  /**
   * The band of this many persons.
   *
   * @throws IllegalArgumentException if {@code persons} is negative
   */
  public static String of(long persons) {
    if (persons < 0) {
      throw new IllegalArgumentException("Cannot band a cohort: persons cannot be negative: " + persons);
    }
    if (persons == 0) {
      return "0";
    }
    for (int i = LOWER.length - 1; i >= 0; i--) {
      if (persons >= LOWER[i]) {
        return i == LOWER.length - 1 ? LOWER[i] + "+" : LOWER[i] + "-" + (LOWER[i + 1] - 1);
      }
    }
    throw new AssertionError(persons);
  }

  /** Every band, smallest first (the filter's and the CSVW metadata's vocabulary). */
  public static java.util.List<String> all() {
    java.util.List<String> bands = new java.util.ArrayList<>();
    bands.add("0");
    for (long lower : LOWER) {
      bands.add(of(lower));
    }
    return java.util.List.copyOf(bands);
  }
}
