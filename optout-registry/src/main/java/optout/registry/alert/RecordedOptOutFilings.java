package optout.registry.alert;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.SortedMap;
import java.util.TreeMap;
import optout.registry.event.EventType;
import optout.registry.statistics.StatisticsProperties;
import optout.registry.statistics.StatisticsQueries;
import org.springframework.stereotype.Component;

/** {@link OptOutFilings} from the events table, through the statistics' SQL (one place counts filings). */
@Component
class RecordedOptOutFilings implements OptOutFilings {

  private static final String OPT_OUT = EventType.OPT_OUT_FILED.code();

  private final StatisticsQueries queries;
  private final StatisticsProperties properties;

  RecordedOptOutFilings(StatisticsQueries queries, StatisticsProperties properties) {
    this.queries = queries;
    this.properties = properties;
  }

  @Override
  public Optional<LocalDate> firstDay() {
    return queries.firstFiling(OPT_OUT).map(first -> first.atZone(properties.timeZone()).toLocalDate());
  }

  @Override
  public SortedMap<LocalDate, Long> perDay(LocalDate from, LocalDate to) {
    SortedMap<LocalDate, Long> days = new TreeMap<>();
    for (Map.Entry<LocalDate, Map<String, Long>> day : queries.filingsPerDay(from, to, properties.timeZone()).entrySet()) {
      days.put(day.getKey(), day.getValue().getOrDefault(OPT_OUT, 0L));
    }
    return days;
  }

  @Override
  public long between(Instant from, Instant to) {
    return queries.filings(OPT_OUT, from, to);
  }

  @Override
  public OptionalDouble shareBefore(LocalDate from, LocalDate to, LocalTime time) {
    StatisticsQueries.TimeOfDayCounts counts = queries.filingsByTimeOfDay(OPT_OUT, from, to, properties.timeZone(), time);
    return counts.all() == 0 ? OptionalDouble.empty() : OptionalDouble.of((double) counts.before() / counts.all());
  }
}
