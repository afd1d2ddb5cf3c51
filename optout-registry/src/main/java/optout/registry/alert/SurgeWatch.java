package optout.registry.alert;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import optout.registry.statistics.StatisticsProperties;
import optout.registry.statistics.Surge;
import optout.registry.statistics.SurgeDetector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Watches the opt-out filings for abnormal surges (the agency's "abnormal opt-out event") and raises one
 * {@value #KIND} alert per day judged a surge, for auditors.
 *
 * <p>Every run (at start, then every {@code check-interval}) builds the daily series of opt-out filings by
 * the time the registry recorded them, per calendar day of the statistics' time zone, and asks
 * {@link SurgeDetector}:
 * <ul>
 *   <li>about each complete day of the last {@code lookback-days}: yesterday is judged on the first run after
 *       midnight, and a day the registry was down for is judged when it is back;</li>
 *   <li>with {@code intraday}, about today so far: today's filings until now against the expected count by
 *       this time of day, which is the baseline times the share of the window's filings recorded before this
 *       time of their day (the share of the day elapsed while the window has no filings; at least
 *       {@value #MINIMUM_SHARE}, so the first minutes after midnight are judged by the minimum count, not by a
 *       near-zero expectation). A mass opt-out is then seen within the hour, not the next day.</li>
 * </ul>
 * The series starts with the first opt-out ever recorded, not with weeks of zeros: the registry's first
 * days are then not judged (too little history) rather than all flagged.
 *
 * <p>Alerts are append-only, so "once per day" is a check in the insert (see {@link AlertStore#raiseOnce}):
 * a day alerted as a surge so far today is not alerted again when its whole day is judged tomorrow, and
 * every later run, in this process or another, finds it alerted.
 */
@Component
class SurgeWatch {

  static final String KIND = "opt-out-surge";
  static final double MINIMUM_SHARE = 0.01;

  private static final Logger log = LoggerFactory.getLogger(SurgeWatch.class);

  /** A surge and whether it is of today so far. */
  record Finding(Surge surge, boolean intraday) {}

  private final OptOutFilings filings;
  private final AlertStore alerts;
  private final StatisticsProperties properties;
  private final SurgeDetector detector;
  private final Clock clock;

  SurgeWatch(OptOutFilings filings, AlertStore alerts, StatisticsProperties properties, Clock clock) {
    this.filings = filings;
    this.alerts = alerts;
    this.properties = properties;
    this.detector = new SurgeDetector(properties.surge().detectorSettings());
    this.clock = clock;
  }

  @Scheduled(initialDelayString = "${optout.registry.statistics.surge.initial-delay:30s}",
      fixedDelayString = "${optout.registry.statistics.surge.check-interval:1h}")
  void scheduled() {
    if (!properties.surge().enabled()) {
      return;
    }
    try {
      check();
    } catch (RuntimeException e) {
      log.error("The surge watch failed; it tries again at its next run", e);
    }
  }

  /** One run: finds the surges and alerts those not alerted before; answers the ones alerted now. */
  List<Finding> check() {
    Instant now = clock.instant();
    List<Finding> raised = new ArrayList<>();
    for (Finding finding : find(now)) {
      if (alerts.raiseOnce(KIND, now, detail(finding, now))) {
        Surge surge = finding.surge();
        log.warn("Opt-out surge on {}{}: {} filings against a baseline of {} (threshold {}); alert raised for auditors",
            surge.day(), finding.intraday() ? " so far" : "", surge.count(), round(surge.baseline()), round(surge.threshold()));
        raised.add(finding);
      }
    }
    return raised;
  }

  /** The surges as of {@code now}: complete days of the lookback, then today so far; nothing is stored. */
  List<Finding> find(Instant now) {
    StatisticsProperties.Surge settings = properties.surge();
    ZoneId zone = properties.timeZone();
    ZonedDateTime local = now.atZone(zone);
    LocalDate today = local.toLocalDate();
    LocalDate yesterday = today.minusDays(1);
    Optional<LocalDate> first = filings.firstDay();
    if (first.isEmpty() || !first.get().isBefore(today)) {
      return List.of();  // no history before today: nothing can be judged
    }
    LocalDate firstJudged = today.minusDays(settings.lookbackDays());
    LocalDate windowStart = firstJudged.minusDays(settings.windowDays());
    LocalDate start = first.get().isAfter(windowStart) ? first.get() : windowStart;

    SortedMap<LocalDate, Long> daily = new TreeMap<>();
    for (LocalDate day = start; !day.isAfter(yesterday); day = day.plusDays(1)) {
      daily.put(day, 0L);
    }
    filings.perDay(start, yesterday).forEach((day, count) -> {
      if (daily.containsKey(day)) {
        daily.put(day, count);
      }
    });

    List<Finding> found = new ArrayList<>();
    for (LocalDate day = firstJudged.isBefore(start) ? start : firstJudged; !day.isAfter(yesterday); day = day.plusDays(1)) {
      detector.judge(daily, day).ifPresent(surge -> found.add(new Finding(surge, false)));
    }
    if (settings.intraday()) {
      Instant dayStart = today.atStartOfDay(zone).toInstant();
      long soFar = filings.between(dayStart, now);
      double share = filings.shareBefore(today.minusDays(settings.windowDays()), yesterday, local.toLocalTime())
          .orElseGet(() -> elapsed(dayStart, today.plusDays(1).atStartOfDay(zone).toInstant(), now));
      share = Math.min(1.0, Math.max(MINIMUM_SHARE, share));
      detector.intraday(daily, today, soFar, share).ifPresent(surge -> found.add(new Finding(surge, true)));
    }
    return found;
  }

  private ObjectNode detail(Finding finding, Instant now) {
    Surge surge = finding.surge();
    ObjectNode detail = JsonNodeFactory.instance.objectNode();
    detail.put("day", surge.day().toString());
    detail.put("count", surge.count());
    detail.put("baseline", round(surge.baseline()));
    detail.put("threshold", round(surge.threshold()));
    detail.put("ratio", round(surge.ratio()));
    detail.put("intraday", finding.intraday());
    if (finding.intraday()) {
      detail.put("until", now.toString());
    }
    detail.put("timeZone", properties.timeZone().getId());
    detail.put("series", "opt-out filings per day, by the time the registry recorded them");
    return detail;
  }

  private static double elapsed(Instant dayStart, Instant dayEnd, Instant now) {
    return (double) Duration.between(dayStart, now).toMillis() / Duration.between(dayStart, dayEnd).toMillis();
  }

  private static double round(double value) {
    return Math.round(value * 100) / 100.0;
  }
}
