package optout.portal.statistics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SurgeNoticesTest {

  private static final LocalDate MONDAY = LocalDate.of(2026, 11, 30);

  private static Map<LocalDate, Long> weeks(long usual) {
    Map<LocalDate, Long> series = new HashMap<>();
    for (int day = 0; day < 35; day++) {
      series.put(MONDAY.minusDays(34 - day), usual);
    }
    return series;
  }

  @Test
  void aDayFarAboveItsWeekdaysIsASurge() {
    Map<LocalDate, Long> series = weeks(20);
    series.put(MONDAY, 45L);
    assertThat(SurgeNotices.of(series)).containsExactly(new SurgeNotices.Surge(MONDAY, 45, 20.0));
  }

  @Test
  void usualDaysSmallDaysAndDaysWithoutHistoryAreNot() {
    Map<LocalDate, Long> series = weeks(20);
    series.put(MONDAY, 29L);
    assertThat(SurgeNotices.of(series)).isEmpty();
    // below the minimum, however far above the usual
    Map<LocalDate, Long> quiet = weeks(0);
    quiet.put(MONDAY, 19L);
    assertThat(SurgeNotices.of(quiet)).isEmpty();
    // the same weekday suppressed (absent) in three of the four weeks before: too little history
    Map<LocalDate, Long> sparse = weeks(20);
    sparse.put(MONDAY, 100L);
    for (int week = 1; week <= 3; week++) {
      sparse.remove(MONDAY.minusWeeks(week));
    }
    assertThat(SurgeNotices.of(sparse)).isEmpty();
  }

  @Test
  void fromNothingToTwentyIsASurge() {
    Map<LocalDate, Long> series = weeks(0);
    series.put(MONDAY, 20L);
    assertThat(SurgeNotices.of(series)).containsExactly(new SurgeNotices.Surge(MONDAY, 20, 0.0));
  }
}
