package optout.registry.statistics;

import java.time.Duration;
import java.time.ZoneId;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The public statistics and the surge watch ({@code optout.registry.statistics.*}). Checked when the
 * registry starts, so a threshold that would publish small counts never serves a request.
 *
 * @param threshold counts from 1 to {@code threshold - 1} are never published; at least {@value #MINIMUM_THRESHOLD},
 *     the registry's rule (a higher value is stricter and allowed)
 * @param cacheFor how long one computed, suppressed publication is served before the next is computed: the
 *     public can see at most one state per period, not each filing as it happens
 * @param seriesDays how many complete days the daily series of filings covers
 * @param timeZone the calendar the days are counted in (times are stored in UTC)
 * @param surge the surge watch
 */
@ConfigurationProperties("optout.registry.statistics")
public record StatisticsProperties(
    @DefaultValue("10") int threshold,
    @DefaultValue("5m") Duration cacheFor,
    @DefaultValue("90") int seriesDays,
    @DefaultValue("Asia/Taipei") ZoneId timeZone,
    @DefaultValue Surge surge) {

  /**
   * The registry's rule, and its default: 1 to 9 people are never published. The suppression library
   * ({@code optout.disclosure}, shared with the warehouse's output check) takes the threshold as a parameter.
   */
  public static final int MINIMUM_THRESHOLD = 10;

  public StatisticsProperties {
    if (threshold < MINIMUM_THRESHOLD) {
      throw new IllegalArgumentException("Cannot start the registry: optout.registry.statistics.threshold must be at least "
          + MINIMUM_THRESHOLD + " (counts of 1 to 9 people are never published)");
    }
    if (cacheFor == null || cacheFor.compareTo(Duration.ofSeconds(1)) < 0 || cacheFor.compareTo(Duration.ofDays(1)) > 0) {
      throw new IllegalArgumentException("Cannot start the registry: optout.registry.statistics.cache-for must lie between 1s and 1d");
    }
    if (seriesDays < 7 || seriesDays > 366) {
      throw new IllegalArgumentException("Cannot start the registry: optout.registry.statistics.series-days must lie between 7 and 366");
    }
    if (timeZone == null) {
      throw new IllegalArgumentException("Cannot start the registry: optout.registry.statistics.time-zone is missing");
    }
    if (surge == null) {
      throw new IllegalArgumentException("Cannot start the registry: optout.registry.statistics.surge is missing");
    }
  }

  /**
   * The surge watch ({@code optout.registry.statistics.surge.*}): when it runs (the schedule itself is read by
   * the watch's {@code @Scheduled}), which days it judges, and the detector's settings.
   *
   * @param enabled whether the scheduled watch runs at all
   * @param initialDelay after start, before the first run
   * @param checkInterval between the end of one run and the start of the next
   * @param lookbackDays complete days before today judged on every run, so a day missed while the registry was
   *     down is still judged (each day raises at most one alert however often it is judged)
   * @param intraday judge today so far as well, against the usual share of a day's filings by this time of day
   * @param windowDays see {@link SurgeDetector.Settings}
   * @param minimumHistoryDays see {@link SurgeDetector.Settings}
   * @param sensitivity see {@link SurgeDetector.Settings}
   * @param minimumCount see {@link SurgeDetector.Settings}
   * @param minimumRatio see {@link SurgeDetector.Settings}
   * @param weekly see {@link SurgeDetector.Settings}
   */
  public record Surge(
      @DefaultValue("true") boolean enabled,
      @DefaultValue("30s") Duration initialDelay,
      @DefaultValue("1h") Duration checkInterval,
      @DefaultValue("7") int lookbackDays,
      @DefaultValue("true") boolean intraday,
      @DefaultValue("28") int windowDays,
      @DefaultValue("14") int minimumHistoryDays,
      @DefaultValue("5.0") double sensitivity,
      @DefaultValue("20") long minimumCount,
      @DefaultValue("1.5") double minimumRatio,
      @DefaultValue("true") boolean weekly) {

    public Surge {
      if (initialDelay == null || initialDelay.isNegative() || checkInterval == null || checkInterval.compareTo(Duration.ofSeconds(1)) < 0) {
        throw new IllegalArgumentException("Cannot start the registry: optout.registry.statistics.surge.initial-delay must not be "
            + "negative and check-interval must be at least 1s");
      }
      if (lookbackDays < 1 || lookbackDays > 366) {
        throw new IllegalArgumentException("Cannot start the registry: optout.registry.statistics.surge.lookback-days must lie between 1 and 366");
      }
      detector(windowDays, minimumHistoryDays, sensitivity, minimumCount, minimumRatio, weekly);  // checks them now
    }

    /** The detector's settings (checked by {@link SurgeDetector.Settings} itself). */
    public SurgeDetector.Settings detectorSettings() {
      return detector(windowDays, minimumHistoryDays, sensitivity, minimumCount, minimumRatio, weekly);
    }

    private static SurgeDetector.Settings detector(int windowDays, int minimumHistoryDays, double sensitivity, long minimumCount,
        double minimumRatio, boolean weekly) {
      return new SurgeDetector.Settings(windowDays, minimumHistoryDays, sensitivity, minimumCount, minimumRatio, weekly);
    }
  }
}
