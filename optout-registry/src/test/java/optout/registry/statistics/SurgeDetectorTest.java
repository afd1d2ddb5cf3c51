package optout.registry.statistics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.List;
import java.util.Random;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class SurgeDetectorTest {

  /** A Monday. */
  private static final LocalDate START = LocalDate.of(2026, 1, 5);

  private final SurgeDetector detector = new SurgeDetector();

  @Test
  void aQuietSeriesHasNoSurge() {
    Random random = new Random(1);
    SortedMap<LocalDate, Long> daily = series(180, day -> poisson(random, 120));

    assertThat(detector.detect(daily)).isEmpty();
  }

  @Test
  void aSpikeIsFound() {
    Random random = new Random(2);
    SortedMap<LocalDate, Long> daily = series(90, day -> poisson(random, 120));
    LocalDate spike = START.plusDays(60);
    daily.put(spike, 480L);

    List<Surge> surges = detector.detect(daily);

    assertThat(surges).extracting(Surge::day).containsExactly(spike);
    Surge surge = surges.get(0);
    assertThat(surge.count()).isEqualTo(480);
    assertThat(surge.baseline()).isBetween(100.0, 140.0);
    assertThat(surge.threshold()).isBetween(surge.baseline() * 1.5, 480.0);
    assertThat(surge.ratio()).isCloseTo(480 / surge.baseline(), within(1e-9));
  }

  @Test
  void theDayAfterASpikeIsJudgedAsUsual() {
    SortedMap<LocalDate, Long> daily = series(60, day -> 100L);
    daily.put(START.plusDays(40), 1_000L);

    assertThat(detector.detect(daily)).extracting(Surge::day).containsExactly(START.plusDays(40));
    assertThat(detector.baseline(daily, START.plusDays(41)).orElseThrow().expected()).isCloseTo(100, within(0.01));
  }

  @Test
  void aSlowRiseIsNoSurge() {
    // One per cent a day: the count grows six-fold over six months, and no day stands out from the last four weeks.
    SortedMap<LocalDate, Long> daily = series(180, day -> Math.round(100 * Math.pow(1.01, day)));

    assertThat(daily.get(START.plusDays(179))).isGreaterThan(590);
    assertThat(detector.detect(daily)).isEmpty();
  }

  @Test
  void aFewFilingsAfterAQuietWeekAreNoSurge() {
    SortedMap<LocalDate, Long> daily = series(30, day -> 0L);
    daily.put(START.plusDays(29), 3L);

    assertThat(detector.judge(daily, START.plusDays(29))).isEmpty();

    daily.put(START.plusDays(29), 25L);
    assertThat(detector.judge(daily, START.plusDays(29))).hasValueSatisfying(surge -> {
      assertThat(surge.baseline()).isCloseTo(0, within(1e-9));
      assertThat(surge.threshold()).isEqualTo(20.0);
      assertThat(surge.ratio()).isEqualTo(25.0);
    });
  }

  @Test
  void daysWithTooLittleHistoryAreNotJudged() {
    SortedMap<LocalDate, Long> daily = series(20, day -> 100L);
    daily.put(START.plusDays(10), 5_000L);
    daily.put(START.plusDays(16), 5_000L);

    // Day 10 has 10 days before it (fewer than 14): not judged. Day 16 has 16: judged against those.
    assertThat(detector.baseline(daily, START.plusDays(10))).isEmpty();
    assertThat(detector.baseline(daily, START.plusDays(16))).hasValueSatisfying(b -> assertThat(b.historyDays()).isEqualTo(16));
    assertThat(detector.detect(daily)).extracting(Surge::day).containsExactly(START.plusDays(16));
  }

  @Test
  void lowSundaysDoNotMakeMondaysASurge() {
    Random random = new Random(3);
    Function<Integer, Long> weekly = day -> switch (START.plusDays(day).getDayOfWeek()) {
      case SUNDAY -> poisson(random, 8);
      case SATURDAY -> poisson(random, 40);
      case MONDAY -> poisson(random, 150);
      default -> poisson(random, 120);
    };
    SortedMap<LocalDate, Long> daily = series(140, weekly);

    assertThat(detector.detect(daily)).isEmpty();
    assertThat(new SurgeDetector(new SurgeDetector.Settings(28, 14, 5, 20, 1.5, false)).detect(daily)).isEmpty();
  }

  @Test
  void aSundayAtWeekdayLevelIsASurgeOnlyWithWeeklySeasonality() {
    Random random = new Random(4);
    SortedMap<LocalDate, Long> daily = series(70,
        day -> START.plusDays(day).getDayOfWeek() == DayOfWeek.SUNDAY ? poisson(random, 8) : poisson(random, 120));
    LocalDate sunday = START.plusDays(62);
    assertThat(sunday.getDayOfWeek()).isEqualTo(DayOfWeek.SUNDAY);
    daily.put(sunday, 120L);

    assertThat(detector.detect(daily)).extracting(Surge::day).containsExactly(sunday);
    assertThat(new SurgeDetector(new SurgeDetector.Settings(28, 14, 5, 20, 1.5, false)).detect(daily)).isEmpty();
  }

  @Test
  void theDaySoFarIsComparedWithTheExpectedCountByNow() {
    SortedMap<LocalDate, Long> daily = series(40, day -> 200L);
    LocalDate today = START.plusDays(40);

    // By noon a usual day has a third of its filings: about 67.
    assertThat(detector.intraday(daily, today, 70, 1.0 / 3)).isEmpty();
    assertThat(detector.intraday(daily, today, 300, 1.0 / 3)).hasValueSatisfying(surge -> {
      assertThat(surge.baseline()).isCloseTo(200.0 / 3, within(0.01));
      assertThat(surge.ratio()).isCloseTo(4.5, within(0.01));
    });
    // Early in the morning the minimum count still holds.
    assertThat(detector.intraday(daily, today, 12, 0.01)).isEmpty();
  }

  @Test
  void missingDaysCountAsNoFilings() {
    SortedMap<LocalDate, Long> daily = new TreeMap<>();
    daily.put(START, 0L);
    daily.put(START.plusDays(30), 40L);

    assertThat(detector.judge(daily, START.plusDays(30))).isPresent();
  }

  @Test
  void refusesNonsense() {
    assertThatThrownBy(() -> new SurgeDetector.Settings(28, 7, 5, 20, 1.5, true)).hasMessageStartingWith("Cannot detect surges");
    assertThatThrownBy(() -> new SurgeDetector.Settings(28, 14, 0, 20, 1.5, true)).hasMessageContaining("sensitivity");
    assertThatThrownBy(() -> new SurgeDetector.Settings(28, 14, 5, 20, 0.5, true)).hasMessageContaining("ratio");
    SortedMap<LocalDate, Long> negative = new TreeMap<>();
    negative.put(START, -1L);
    assertThatThrownBy(() -> detector.detect(negative)).hasMessageContaining("zero or more");
    assertThatThrownBy(() -> detector.intraday(series(30, d -> 1L), START.plusDays(30), 1, 0)).hasMessageContaining("share");
  }

  private static SortedMap<LocalDate, Long> series(int days, Function<Integer, Long> count) {
    SortedMap<LocalDate, Long> daily = new TreeMap<>();
    for (int day = 0; day < days; day++) {
      daily.put(START.plusDays(day), count.apply(day));
    }
    return daily;
  }

  /** Knuth's Poisson sampler via a normal approximation for large means, exact for small ones. */
  private static long poisson(Random random, double mean) {
    if (mean > 30) {
      return Math.max(0, Math.round(mean + Math.sqrt(mean) * random.nextGaussian()));
    }
    double limit = Math.exp(-mean);
    double product = random.nextDouble();
    long k = 0;
    while (product > limit) {
      product *= random.nextDouble();
      k++;
    }
    return k;
  }
}
