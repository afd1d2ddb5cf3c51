package optout.registry.statistics;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;

/**
 * Finds days of abnormally many opt-out filings (a sudden mass opt-out: a campaign, a news story, a
 * scripted attack on the online channel), the agency's "abnormal opt-out event".
 *
 * <p><b>The statistic.</b> For a day d, the baseline is the previous {@code windowDays} (28) days. Counts
 * are first put on the square-root scale y = 2·√(x + 3/8) (Anscombe): filings are counts whose noise grows
 * with their level (Poisson-like), and on this scale the noise is about 1 whatever the level, so quiet
 * Sundays and busy Mondays can share one measure of spread. The expected value is the <em>median</em> of
 * the same weekday over those weeks (or of all days, with weekly seasonality off); the spread is the
 * <em>median absolute deviation</em> of every day from its own weekday's median, times 1.4826 (a standard
 * deviation for normal noise), and never less than 1 (pure Poisson noise). Median and MAD because a past
 * surge, a holiday or an outage day in the window moves them little, where a mean and a standard
 * deviation would be dragged by exactly the days we look for. The day is a surge when its count reaches
 * all of: the expected value plus {@code sensitivity} spreads (back on the count scale), {@code
 * minimumCount} filings (so 3 filings after a week of none is no surge) and {@code minimumRatio} times the
 * expected count (so a large steady flow is not flagged for a few percent).
 *
 * <p><b>Weekly seasonality.</b> Counters close on Sundays, so Sundays are low. With {@code weekly} (the
 * default) each weekday is compared with the same weekday: a normal Monday after a quiet Sunday is no
 * surge, and a Sunday at weekday level is. Without it, a low Sunday still does not make Monday a surge
 * (the median of all days sits at weekday level), but a surge on a Sunday must exceed weekday levels.
 *
 * <p><b>History.</b> A day with fewer than {@code minimumHistoryDays} days of series before it is not
 * judged (no result), since a baseline from a handful of days would flag the start of every trend; from
 * that many days on it is judged against the history that exists, up to {@code windowDays}. The series
 * starts at its first day; days missing after that count as zero filings.
 *
 * <p><b>Limits.</b> A slow rise is followed by the baseline (by design: a trend is not an event); a surge
 * that lasts weeks becomes the new baseline after about half the window (two to three weeks). Holidays
 * are not modelled: a busy day after a long weekend may be flagged, and an auditor dismisses it. The
 * intraday check needs the share of a day's filings usually made by that hour, from the caller.
 */
public final class SurgeDetector {

  private final Settings settings;

  public SurgeDetector(Settings settings) {
    if (settings == null) {
      throw new IllegalArgumentException("Cannot detect surges: the settings are missing");
    }
    this.settings = settings;
  }

  public SurgeDetector() {
    this(Settings.defaults());
  }

  /**
   * How sensitive the detector is.
   *
   * @param windowDays how many previous days form the baseline
   * @param minimumHistoryDays below this many previous days a day is not judged (at least 14 with weekly
   *     seasonality, so each weekday has two values)
   * @param sensitivity how many robust standard deviations above the expected value a surge must be
   * @param minimumCount the fewest filings a surge can have
   * @param minimumRatio the least multiple of the expected count a surge must be
   * @param weekly compare each day with the same weekday
   */
  public record Settings(int windowDays, int minimumHistoryDays, double sensitivity, long minimumCount,
      double minimumRatio, boolean weekly) {

    public Settings {
      if (minimumHistoryDays < (weekly ? 14 : 7)) {
        throw new IllegalArgumentException("Cannot detect surges: at least " + (weekly ? 14 : 7)
            + " days of history are needed" + (weekly ? " with weekly seasonality" : ""));
      }
      if (windowDays < minimumHistoryDays || windowDays > 366) {
        throw new IllegalArgumentException("Cannot detect surges: the window must hold the minimum history and at most a year");
      }
      if (!(sensitivity > 0) || Double.isInfinite(sensitivity)) {
        throw new IllegalArgumentException("Cannot detect surges: the sensitivity must be a positive number");
      }
      if (minimumCount < 1) {
        throw new IllegalArgumentException("Cannot detect surges: the minimum count must be at least 1");
      }
      if (!(minimumRatio >= 1) || Double.isInfinite(minimumRatio)) {
        throw new IllegalArgumentException("Cannot detect surges: the minimum ratio must be at least 1");
      }
    }

    /** Four weeks, weekly seasonality, five robust standard deviations, at least 20 filings and 1.5 times the baseline. */
    public static Settings defaults() {
      return new Settings(28, 14, 5.0, 20, 1.5, true);
    }
  }

  /**
   * What a day is judged against.
   *
   * @param day the day
   * @param historyDays how many previous days the baseline uses
   * @param expected the filings expected that day
   * @param threshold the count at or above which the day is a surge
   * @param spread the robust standard deviation on the square-root scale
   */
  public record Baseline(LocalDate day, int historyDays, double expected, double threshold, double spread) {}

  /** The baseline of a day, or empty when the series has too little history before it. */
  public Optional<Baseline> baseline(SortedMap<LocalDate, Long> daily, LocalDate day) {
    check(daily);
    return compute(daily, day);
  }

  /** Whether the day is a surge, judged against the days before it; empty when it is not, or not judged. */
  public Optional<Surge> judge(SortedMap<LocalDate, Long> daily, LocalDate day) {
    check(daily);
    return judgeChecked(daily, day);
  }

  /** Every surge in the series, in day order. */
  public List<Surge> detect(SortedMap<LocalDate, Long> daily) {
    check(daily);
    List<Surge> surges = new ArrayList<>();
    if (daily.isEmpty()) {
      return surges;
    }
    for (LocalDate day = daily.firstKey(); !day.isAfter(daily.lastKey()); day = day.plusDays(1)) {
      judgeChecked(daily, day).ifPresent(surges::add);
    }
    return surges;
  }

  /**
   * Whether a day is already a surge part way through: its count so far against the expected count by
   * now. The spread is the full day's, which is conservative for a partial count.
   *
   * @param countSoFar filings recorded today until now
   * @param shareSoFar the share of a usual day's filings made by this time of day, in (0, 1], e.g. from
   *     the hourly counts of the last four weeks
   */
  public Optional<Surge> intraday(SortedMap<LocalDate, Long> daily, LocalDate day, long countSoFar, double shareSoFar) {
    check(daily);
    if (countSoFar < 0) {
      throw new IllegalArgumentException("Cannot check the day so far: a count is never negative");
    }
    if (!(shareSoFar > 0 && shareSoFar <= 1)) {
      throw new IllegalArgumentException("Cannot check the day so far: the share of the day must be above 0 and at most 1");
    }
    return compute(daily, day).flatMap(baseline -> {
      double expected = baseline.expected() * shareSoFar;
      double statistical = fromRoot(toRoot(expected) + settings.sensitivity() * baseline.spread());
      double threshold = threshold(statistical, expected);
      return surge(day, countSoFar, expected, threshold);
    });
  }

  private Optional<Surge> judgeChecked(SortedMap<LocalDate, Long> daily, LocalDate day) {
    return compute(daily, day).flatMap(baseline -> surge(day, daily.getOrDefault(day, 0L), baseline.expected(),
        baseline.threshold()));
  }

  private static Optional<Surge> surge(LocalDate day, long count, double expected, double threshold) {
    if (count < threshold) {
      return Optional.empty();
    }
    return Optional.of(new Surge(day, count, expected, threshold, count / Math.max(expected, 1.0)));
  }

  private Optional<Baseline> compute(SortedMap<LocalDate, Long> daily, LocalDate day) {
    if (day == null) {
      throw new IllegalArgumentException("Cannot judge a day: the day is missing");
    }
    if (daily.isEmpty() || !day.isAfter(daily.firstKey())) {
      return Optional.empty();
    }
    LocalDate windowStart = day.minusDays(settings.windowDays());
    LocalDate start = windowStart.isBefore(daily.firstKey()) ? daily.firstKey() : windowStart;
    int history = (int) ChronoUnit.DAYS.between(start, day);
    if (history < settings.minimumHistoryDays()) {
      return Optional.empty();
    }
    double[] roots = new double[history];
    DayOfWeek[] weekdays = new DayOfWeek[history];
    for (int i = 0; i < history; i++) {
      LocalDate d = start.plusDays(i);
      roots[i] = toRoot(daily.getOrDefault(d, 0L));
      weekdays[i] = d.getDayOfWeek();
    }
    Map<DayOfWeek, Double> centres = new EnumMap<>(DayOfWeek.class);
    if (settings.weekly()) {
      for (DayOfWeek weekday : DayOfWeek.values()) {
        double[] same = new double[history];
        int n = 0;
        for (int i = 0; i < history; i++) {
          if (weekdays[i] == weekday) {
            same[n++] = roots[i];
          }
        }
        centres.put(weekday, median(Arrays.copyOf(same, n)));
      }
    } else {
      double centre = median(roots.clone());
      for (DayOfWeek weekday : DayOfWeek.values()) {
        centres.put(weekday, centre);
      }
    }
    double[] deviations = new double[history];
    for (int i = 0; i < history; i++) {
      deviations[i] = Math.abs(roots[i] - centres.get(weekdays[i]));
    }
    double spread = Math.max(1.4826 * median(deviations), 1.0);
    double centre = centres.get(day.getDayOfWeek());
    double expected = fromRoot(centre);
    double statistical = fromRoot(centre + settings.sensitivity() * spread);
    return Optional.of(new Baseline(day, history, expected, threshold(statistical, expected), spread));
  }

  private double threshold(double statistical, double expected) {
    return Math.max(statistical, Math.max(settings.minimumCount(), settings.minimumRatio() * expected));
  }

  /** Anscombe's variance-stabilising transform of a Poisson count. */
  static double toRoot(double count) {
    return 2 * Math.sqrt(count + 0.375);
  }

  static double fromRoot(double root) {
    return Math.max(0, root * root / 4 - 0.375);
  }

  private static double median(double[] values) {
    Arrays.sort(values);
    int n = values.length;
    return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
  }

  private static void check(SortedMap<LocalDate, Long> daily) {
    if (daily == null) {
      throw new IllegalArgumentException("Cannot detect surges: the series is missing");
    }
    for (Map.Entry<LocalDate, Long> entry : daily.entrySet()) {
      if (entry.getValue() == null || entry.getValue() < 0) {
        throw new IllegalArgumentException("Cannot detect surges: the count of " + entry.getKey() + " must be zero or more");
      }
    }
  }
}
