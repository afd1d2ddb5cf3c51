package optout.warehouse.synthetic;

import java.io.Serializable;

/**
 * What the synthetic data depends on, and nothing else: the seed, the scale (1.0 is Taiwan's 23.5
 * million insured people) and the calendar years of the claims.
 */
public record GeneratorSettings(long seed, double scale, int fromYear, int toYear) implements Serializable {

  /** Insured people at scale 1.0. */
  public static final long FULL_POPULATION = 23_500_000L;
  public static final int DEFAULT_FROM_YEAR = 2022;
  public static final int DEFAULT_TO_YEAR = 2023;
  /** The NHI started on 1995-03-01: no claims before 1996. */
  public static final int FIRST_YEAR = 1996;
  public static final int LAST_YEAR = 2100;
  public static final int MAX_YEARS = 30;

  public GeneratorSettings {
    if (!(scale > 0) || scale > 1.0) {
      throw new IllegalArgumentException("Cannot generate at scale " + scale + ": the scale must be more than 0 and at most 1.0"
          + " (1.0 = " + FULL_POPULATION + " people)");
    }
    if (Math.round(scale * FULL_POPULATION) < 1) {
      throw new IllegalArgumentException("Cannot generate at scale " + scale + ": that is less than one person; use at least "
          + (1.0 / FULL_POPULATION));
    }
    if (fromYear < FIRST_YEAR || toYear > LAST_YEAR || fromYear > toYear) {
      throw new IllegalArgumentException("Cannot generate the years " + fromYear + "-" + toYear + ": give FROM-TO with "
          + FIRST_YEAR + " <= FROM <= TO <= " + LAST_YEAR);
    }
    if (toYear - fromYear + 1 > MAX_YEARS) {
      throw new IllegalArgumentException("Cannot generate " + (toYear - fromYear + 1) + " years: at most " + MAX_YEARS);
    }
  }

  public static GeneratorSettings of(long seed, double scale) {
    return new GeneratorSettings(seed, scale, DEFAULT_FROM_YEAR, DEFAULT_TO_YEAR);
  }

  /** N = round(scale x 23,500,000). */
  public long persons() {
    return Math.round(scale * FULL_POPULATION);
  }

  public int years() {
    return toYear - fromYear + 1;
  }
}
