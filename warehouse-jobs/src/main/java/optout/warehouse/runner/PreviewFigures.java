package optout.warehouse.runner;

/**
 * How a preview shows a count of people to a researcher who is not yet approved: a count from 1 to 10 is
 * suppressed, any other rounded to the nearest 10 (a true 0 is shown). Stricter than the registry's public
 * statistics, which hide 1 to 9 and show the rest exactly: a researcher can ask for preview after preview of
 * slightly changed cohorts, and rounding keeps their differences from giving small groups away.
 */
public final class PreviewFigures {

  /** Counts from 1 to this are suppressed. */
  public static final int SUPPRESSED_UP_TO = 10;
  public static final int ROUNDED_TO = 10;

  private PreviewFigures() {}

  /** The count as shown, or {@code null} when it is suppressed. */
  public static Long shown(long count) {
    if (count < 0) {
      throw new IllegalArgumentException("Cannot show a count: it is negative");
    }
    if (count == 0) {
      return 0L;
    }
    if (count <= SUPPRESSED_UP_TO) {
      return null;
    }
    return Math.round(count / (double) ROUNDED_TO) * ROUNDED_TO;
  }
}
