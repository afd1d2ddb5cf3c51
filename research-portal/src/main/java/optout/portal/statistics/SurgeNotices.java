package optout.portal.statistics;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Surge notices for the public, from the published (suppressed) daily series of opt-outs filed: a day is a surge when
 * at least {@value #MINIMUM} opt-outs were filed and at least 1.5 times the median of the same weekday in the four
 * weeks before (at least two of them published). The registry's own surge alerts (a finer test on the exact counts)
 * are for auditors; this notice uses only what the public already sees. Plain Java.
 */
public final class SurgeNotices {

  static final int MINIMUM = 20;
  static final double FACTOR = 1.5;

  /** A surge: the day, the opt-outs filed that day and the median of the same weekday before it. */
  public record Surge(LocalDate day, long optOutsFiled, double expected) {}

  private SurgeNotices() {}

  /** {@code filed}: published counts by day (a suppressed day is absent or null). Oldest surge first. */
  public static List<Surge> of(Map<LocalDate, Long> filed) {
    List<Surge> surges = new ArrayList<>();
    filed.keySet().stream().sorted().forEach(day -> {
      Long count = filed.get(day);
      if (count == null || count < MINIMUM) {
        return;
      }
      List<Long> before = new ArrayList<>();
      for (int week = 1; week <= 4; week++) {
        Long earlier = filed.get(day.minusWeeks(week));
        if (earlier != null) {
          before.add(earlier);
        }
      }
      if (before.size() < 2) {
        return;
      }
      before.sort(null);
      int n = before.size();
      double median = n % 2 == 1 ? before.get(n / 2) : (before.get(n / 2 - 1) + before.get(n / 2)) / 2.0;
      if (count >= FACTOR * median) {
        surges.add(new Surge(day, count, median));
      }
    });
    return surges;
  }
}
