package optout.registry.statistics;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import optout.disclosure.CellValue;
import optout.disclosure.LinkedTableSuppression;
import optout.disclosure.OneWayTable;
import optout.disclosure.SmallCellSuppression;
import optout.disclosure.SuppressedOneWayTable;
import optout.disclosure.SuppressedTwoWayTable;
import optout.disclosure.TwoWayTable;
import optout.registry.event.Channel;
import optout.registry.event.EventType;
import optout.registry.event.store.StatisticsFacets;
import optout.registry.scope.Scope;
import optout.registry.scope.ScopeCatalogue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * What the public sees: the counts of {@link StatisticsSource} as fixed tables, suppressed, and kept for
 * {@code cache-for} before the next publication is computed.
 *
 * <ul>
 *   <li><b>Fixed categories.</b> Every county (22 and unknown), sex and five-year age band is always a row or
 *       column, with a true zero shown: the shape of a table never depends on who filed. A facet outside the
 *       categories (an age band like {@code 40-49}) counts as unknown rather than as a category of its own.</li>
 *   <li><b>Linked tables suppressed together.</b> County by sex and age band by sex share the sex totals and
 *       the grand total; {@link LinkedTableSuppression} protects them as one system, and the one-way tables by
 *       county, sex and age band are published as their margins, never tabulated afresh. People by scope
 *       (overlapping) takes the same grand total.</li>
 *   <li><b>Daily filings</b> of opt-outs and of withdrawals per calendar day, each type an additive one-way
 *       table over the days with its total. Only complete days: today's count would change with every filing,
 *       and a series that moves while someone watches tells them when a filing happened.</li>
 *   <li><b>One publication per period.</b> A new one is computed at the first request after the last one
 *       expired, so at most one state per period can be observed. That limits, and does not remove, what the
 *       difference between two publications tells (see the package documentation): a coarse period is safer.</li>
 * </ul>
 */
@Service
class PublicStatistics {

  private static final Logger log = LoggerFactory.getLogger(PublicStatistics.class);

  static final List<String> COUNTIES = List.of("taipei-city", "new-taipei-city", "taoyuan-city", "taichung-city", "tainan-city",
      "kaohsiung-city", "keelung-city", "hsinchu-city", "hsinchu-county", "miaoli-county", "changhua-county", "nantou-county",
      "yunlin-county", "chiayi-city", "chiayi-county", "pingtung-county", "yilan-county", "hualien-county", "taitung-county",
      "penghu-county", "kinmen-county", "lienchiang-county", StatisticsFacets.UNKNOWN);
  static final List<String> SEXES = List.of("female", "male", StatisticsFacets.UNKNOWN);
  static final List<String> AGE_BANDS = ageBands();

  private static final Pattern BAND = Pattern.compile("([0-9]{1,2})-([0-9]{1,3})");

  /** A cell as published: a count, or {@code null} and {@code suppressed}; never why. */
  record Cell(Long count, boolean suppressed) {
    static Cell of(CellValue value) {
      return value.suppressed() ? new Cell(null, true) : new Cell(value.count().getAsLong(), false);
    }
  }

  record Category(String category, Long count, boolean suppressed) {
    static Category of(String category, CellValue value) {
      Cell cell = Cell.of(value);
      return new Category(category, cell.count(), cell.suppressed());
    }
  }

  /**
   * @param overlapping whether a person can be in several categories (then the total is no sum of them)
   */
  record OneWay(String dimension, boolean overlapping, List<Category> categories, Cell total) {}

  record Row(String category, List<Cell> cells, Cell total) {}

  record TwoWay(String rowDimension, String columnDimension, List<String> columns, List<Row> rows, List<Cell> columnTotals,
      Cell total) {}

  /** People with at least one opt-out now; {@code byChannel}: by the channel of their latest filing (counter, online, proxy). */
  record OptedOut(Cell total, OneWay byScope, OneWay byChannel, OneWay byCounty, OneWay bySex, OneWay byAgeBand, TwoWay countyBySex,
      TwoWay ageBandBySex) {}

  record Day(LocalDate day, Cell optOutsFiled, Cell withdrawals) {}

  /** Filings received per calendar day, each type protected as a table of its own (so no per-day sum across types). */
  record DailyFilings(LocalDate from, LocalDate to, List<Day> days, Cell optOutsFiledTotal, Cell withdrawalsTotal) {}

  /**
   * The publication.
   *
   * @param asOf when the counts were taken
   * @param nextUpdate the earliest a new publication is computed
   * @param note how to read a suppressed value, for readers who see only the JSON
   */
  record View(Instant asOf, Instant nextUpdate, String timeZone, int threshold, String note, OptedOut optedOut,
      DailyFilings dailyFilings) {}

  static final String NOTE = "Counts of people (or of their filings). A count from 1 to threshold - 1, and any value "
      + "from which one could be worked out, is not published: its count is null and suppressed is true. A zero is a true zero.";

  private final StatisticsSource source;
  private final ScopeCatalogue catalogue;
  private final StatisticsProperties properties;
  private final Clock clock;
  private final Object computing = new Object();
  private volatile View published;

  PublicStatistics(StatisticsSource source, ScopeCatalogue catalogue, StatisticsProperties properties, Clock clock) {
    this.source = source;
    this.catalogue = catalogue;
    this.properties = properties;
    this.clock = clock;
  }

  /** The current publication: the cached one until it expires, else a new one (one computation at a time). */
  View current() {
    View view = published;
    if (view != null && clock.instant().isBefore(view.nextUpdate())) {
      return view;
    }
    synchronized (computing) {
      view = published;
      Instant now = clock.instant();
      if (view == null || !now.isBefore(view.nextUpdate())) {
        view = compute(now.truncatedTo(ChronoUnit.SECONDS));
        published = view;
      }
      return view;
    }
  }

  View compute(Instant asOf) {
    long started = System.nanoTime();
    int threshold = properties.threshold();
    StatisticsSource.CurrentCounts counts = source.currentlyOptedOut();

    long[][] countyBySex = new long[COUNTIES.size()][SEXES.size()];
    long[][] ageBySex = new long[AGE_BANDS.size()][SEXES.size()];
    for (StatisticsSource.FacetCount facets : counts.byFacets()) {
      int sex = index(SEXES, facets.sex());
      countyBySex[index(COUNTIES, facets.county())][sex] += facets.people();
      ageBySex[index(AGE_BANDS, ageBand(facets.ageBand()))][sex] += facets.people();
    }
    List<SuppressedTwoWayTable> linked = LinkedTableSuppression.suppress(List.of(
        TwoWayTable.of("county", "sex", COUNTIES, SEXES, countyBySex),
        TwoWayTable.of("age band", "sex", AGE_BANDS, SEXES, ageBySex)), threshold);
    SuppressedTwoWayTable county = linked.get(0);
    SuppressedTwoWayTable age = linked.get(1);

    Map<String, Long> scopes = new LinkedHashMap<>();
    catalogue.scopes().stream().map(Scope::code).forEach(code -> scopes.put(code, 0L));
    new TreeSet<>(counts.byScope().keySet()).forEach(code -> scopes.put(code, counts.byScope().get(code)));
    SuppressedOneWayTable byScope = LinkedTableSuppression.suppressOverlapping(
        OneWayTable.overlapping("scope", scopes, counts.people()), county.total(), threshold);

    Map<String, Long> channels = new LinkedHashMap<>();
    for (Channel channel : Channel.values()) {
      channels.put(channel.code(), counts.byChannel().getOrDefault(channel.code(), 0L));
    }
    SuppressedOneWayTable byChannel = SmallCellSuppression.suppress(OneWayTable.additive("channel", channels), threshold);

    OptedOut optedOut = new OptedOut(Cell.of(county.total()), oneWay(byScope), sameTotal(byChannel, county.total()),
        rowMargins(county), columnMargins(county), rowMargins(age), twoWay(county), twoWay(age));

    LocalDate today = asOf.atZone(properties.timeZone()).toLocalDate();
    LocalDate from = today.minusDays(properties.seriesDays());
    LocalDate to = today.minusDays(1);
    SortedMap<LocalDate, Map<String, Long>> perDay = source.filingsPerDay(from, to, properties.timeZone());
    Map<String, Long> filed = new LinkedHashMap<>();
    Map<String, Long> withdrawn = new LinkedHashMap<>();
    for (LocalDate day = from; !day.isAfter(to); day = day.plusDays(1)) {
      Map<String, Long> types = perDay.getOrDefault(day, Map.of());
      filed.put(day.toString(), types.getOrDefault(EventType.OPT_OUT_FILED.code(), 0L));
      withdrawn.put(day.toString(), types.getOrDefault(EventType.OPT_OUT_WITHDRAWN.code(), 0L));
    }
    SuppressedOneWayTable filedTable = SmallCellSuppression.suppress(OneWayTable.additive("day", filed), threshold);
    SuppressedOneWayTable withdrawnTable = SmallCellSuppression.suppress(OneWayTable.additive("day", withdrawn), threshold);
    List<Day> days = new ArrayList<>();
    for (LocalDate day = from; !day.isAfter(to); day = day.plusDays(1)) {
      days.add(new Day(day, Cell.of(filedTable.value(day.toString())), Cell.of(withdrawnTable.value(day.toString()))));
    }
    DailyFilings series = new DailyFilings(from, to, days, Cell.of(filedTable.total()), Cell.of(withdrawnTable.total()));

    log.info("Public statistics computed in {} ms: {} values suppressed in the linked tables, {} in the daily series",
        (System.nanoTime() - started) / 1_000_000, county.audit().suppressed().size() + age.audit().suppressed().size()
            + byScope.audit().suppressed().size() + byChannel.audit().suppressed().size(),
        filedTable.audit().suppressed().size() + withdrawnTable.audit().suppressed().size());
    return new View(asOf, asOf.plus(properties.cacheFor()), properties.timeZone().getId(), threshold, NOTE, optedOut, series);
  }

  /** A five-year band as {@code 40-44} (leading zeros dropped) or {@code 90+}; anything else is unknown. */
  static String ageBand(String stored) {
    if (stored == null) {
      return StatisticsFacets.UNKNOWN;
    }
    if (stored.equals("90+")) {
      return stored;
    }
    Matcher band = BAND.matcher(stored);
    if (band.matches()) {
      int lower = Integer.parseInt(band.group(1));
      int upper = Integer.parseInt(band.group(2));
      if (lower % 5 == 0 && upper == lower + 4 && lower <= 85) {
        return lower + "-" + upper;
      }
    }
    return StatisticsFacets.UNKNOWN;
  }

  private static List<String> ageBands() {
    List<String> bands = new ArrayList<>();
    for (int lower = 0; lower < 90; lower += 5) {
      bands.add(lower + "-" + (lower + 4));
    }
    bands.add("90+");
    bands.add(StatisticsFacets.UNKNOWN);
    return List.copyOf(bands);
  }

  /** The category's index; a value outside the fixed categories counts as unknown (the last). */
  private static int index(List<String> categories, String value) {
    int index = categories.indexOf(value);
    return index >= 0 ? index : categories.size() - 1;
  }

  private static OneWay oneWay(SuppressedOneWayTable table) {
    List<Category> categories = new ArrayList<>();
    table.values().forEach((category, value) -> categories.add(Category.of(category, value)));
    return new OneWay(table.dimension(), !table.additive(), categories, Cell.of(table.total()));
  }

  /**
   * An additive table of the same people as the linked tables, published only if it does not show the grand total
   * they hide (its categories would add up to it): then every category is withheld.
   */
  private static OneWay sameTotal(SuppressedOneWayTable table, CellValue sharedTotal) {
    if (sharedTotal.suppressed() && !table.total().suppressed()) {
      List<Category> withheld = table.values().keySet().stream().map(category -> new Category(category, null, true)).toList();
      return new OneWay(table.dimension(), false, withheld, new Cell(null, true));
    }
    return oneWay(table);
  }

  private static OneWay rowMargins(SuppressedTwoWayTable table) {
    List<Category> categories = table.rows().stream().map(row -> Category.of(row, table.rowTotal(row))).toList();
    return new OneWay(table.rowDimension(), false, categories, Cell.of(table.total()));
  }

  private static OneWay columnMargins(SuppressedTwoWayTable table) {
    List<Category> categories = table.columns().stream().map(column -> Category.of(column, table.columnTotal(column))).toList();
    return new OneWay(table.columnDimension(), false, categories, Cell.of(table.total()));
  }

  private static TwoWay twoWay(SuppressedTwoWayTable table) {
    List<Row> rows = table.rows().stream().map(row -> new Row(row,
        table.columns().stream().map(column -> Cell.of(table.value(row, column))).toList(),
        Cell.of(table.rowTotal(row)))).toList();
    List<Cell> columnTotals = table.columns().stream().map(column -> Cell.of(table.columnTotal(column))).toList();
    return new TwoWay(table.rowDimension(), table.columnDimension(), table.columns(), rows, columnTotals, Cell.of(table.total()));
  }
}
