package optout.registry.statistics;

import java.time.LocalDate;

/**
 * A day (or a day so far) whose opt-out filings are far above their recent baseline.
 *
 * @param day the day, in Asia/Taipei
 * @param count the filings that day (so far, for an intraday check)
 * @param baseline the filings expected that day (so far), from the previous weeks
 * @param threshold the count at or above which the day is a surge
 * @param ratio count divided by the baseline, the baseline taken as at least 1
 */
public record Surge(LocalDate day, long count, double baseline, double threshold, double ratio) {

  public Surge {
    if (day == null) {
      throw new IllegalArgumentException("Cannot report a surge: the day is missing");
    }
  }
}
