package optout.registry.statistics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import optout.registry.scope.Scope;
import optout.registry.scope.ScopeCatalogue;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class PublicStatisticsTest {

  private static final ZoneId TAIPEI = ZoneId.of("Asia/Taipei");
  /** 2026-11-20 00:30 in Taipei: still the 19th in UTC. */
  private static final Instant NOW = Instant.parse("2026-11-19T16:30:00Z");
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private static final ScopeCatalogue CATALOGUE = new ScopeCatalogue(List.of(
      new Scope("academic-research", "學術研究", "Academic research", "HRESCH", false),
      new Scope("commercial-use", "商業利用", "Commercial use", "HMARKT", false)), List.of());

  private final MutableClock clock = new MutableClock(NOW);
  private final FakeSource source = new FakeSource();

  private PublicStatistics statistics(Duration cacheFor) {
    StatisticsProperties properties = new StatisticsProperties(10, cacheFor, 90, TAIPEI, surge());
    return new PublicStatistics(source, CATALOGUE, properties, clock);
  }

  @Test
  void onePublicationIsServedUntilItExpiresAndThenTheNextIsComputed() {
    source.people("taipei-city", "male", "40-44", 30);
    PublicStatistics statistics = statistics(Duration.ofMinutes(5));

    PublicStatistics.View first = statistics.current();
    assertThat(first.asOf()).isEqualTo(NOW);
    assertThat(first.nextUpdate()).isEqualTo(NOW.plus(Duration.ofMinutes(5)));
    assertThat(first.optedOut().total().count()).isEqualTo(30);

    source.people("taipei-city", "male", "40-44", 1);  // one more person opts out
    clock.advance(Duration.ofMinutes(4).plusSeconds(59));
    assertThat(statistics.current()).isSameAs(first);
    assertThat(source.reads).isEqualTo(1);

    clock.advance(Duration.ofSeconds(1));
    PublicStatistics.View second = statistics.current();
    assertThat(second.asOf()).isEqualTo(NOW.plus(Duration.ofMinutes(5)));
    assertThat(second.optedOut().total().count()).isEqualTo(31);
    assertThat(source.reads).isEqualTo(2);
  }

  @Test
  void theOneWayTablesAreTheMarginsOfTheTwoWayTablesAndEveryTableHasItsFixedCategories() {
    source.people("taipei-city", "male", "40-44", 30);
    source.people("taipei-city", "female", "40-44", 25);
    source.people("kinmen-county", "female", "05-09", 3);     // a leading zero is the same band
    source.people("kinmen-county", "male", "40-49", 12);      // not a five-year band: unknown
    source.people("atlantis", "unknown", "unknown", 2);       // not a county: unknown
    source.scope("academic-research", 60).scope("commercial-use", 14).scope("retired-scope", 1);

    PublicStatistics.View view = statistics(Duration.ofMinutes(5)).current();
    PublicStatistics.OptedOut optedOut = view.optedOut();

    assertThat(optedOut.countyBySex().rows()).extracting(PublicStatistics.Row::category).isEqualTo(PublicStatistics.COUNTIES)
        .hasSize(23);
    assertThat(optedOut.ageBandBySex().rows()).extracting(PublicStatistics.Row::category).isEqualTo(PublicStatistics.AGE_BANDS)
        .hasSize(20).contains("5-9", "90+", "unknown");
    assertThat(optedOut.countyBySex().columns()).containsExactly("female", "male", "unknown");
    assertThat(cell(optedOut.ageBandBySex(), "5-9", "female").suppressed()).isTrue();
    assertThat(optedOut.ageBandBySex().rows().get(PublicStatistics.AGE_BANDS.indexOf("unknown")).total())
        .isIn(new PublicStatistics.Cell(14L, false), new PublicStatistics.Cell(null, true));

    for (int r = 0; r < PublicStatistics.COUNTIES.size(); r++) {
      assertThat(optedOut.byCounty().categories().get(r).count()).isEqualTo(optedOut.countyBySex().rows().get(r).total().count());
    }
    for (int r = 0; r < PublicStatistics.AGE_BANDS.size(); r++) {
      assertThat(optedOut.byAgeBand().categories().get(r).count()).isEqualTo(optedOut.ageBandBySex().rows().get(r).total().count());
    }
    for (int c = 0; c < 3; c++) {
      PublicStatistics.Category sex = optedOut.bySex().categories().get(c);
      assertThat(sex.count()).isEqualTo(optedOut.countyBySex().columnTotals().get(c).count())
          .isEqualTo(optedOut.ageBandBySex().columnTotals().get(c).count());
      assertThat(sex.suppressed()).isEqualTo(optedOut.countyBySex().columnTotals().get(c).suppressed());
    }
    assertThat(optedOut.total()).isEqualTo(optedOut.countyBySex().total()).isEqualTo(optedOut.ageBandBySex().total())
        .isEqualTo(optedOut.byScope().total()).isEqualTo(new PublicStatistics.Cell(72L, false));
    assertThat(optedOut.byScope().overlapping()).isTrue();
    assertThat(optedOut.byScope().categories()).extracting(PublicStatistics.Category::category)
        .containsExactly("academic-research", "commercial-use", "retired-scope");
    assertThat(optedOut.byScope().categories()).extracting(PublicStatistics.Category::count).containsExactly(60L, 14L, null);
    assertThat(optedOut.byCounty().overlapping()).isFalse();
  }

  @Test
  void peopleByChannelAddUpToTheTotalAndASmallChannelIsHiddenWithAComplementSoNeitherFollowsFromTheTotal() {
    source.people("taipei-city", "male", "40-44", 40);
    source.people("taipei-city", "female", "40-44", 35);
    source.channel("counter", 50).channel("online", 22).channel("proxy", 3);

    PublicStatistics.OneWay byChannel = statistics(Duration.ofMinutes(5)).current().optedOut().byChannel();

    assertThat(byChannel.overlapping()).isFalse();
    assertThat(byChannel.categories()).extracting(PublicStatistics.Category::category).containsExactly("counter", "online", "proxy");
    assertThat(byChannel.total()).isEqualTo(new PublicStatistics.Cell(75L, false));
    assertThat(byChannel.categories().get(2).suppressed()).as("3 people filed through a proxy").isTrue();
    // with the total shown, one more channel is hidden, or the proxies' 3 would be 75 minus the others
    assertThat(byChannel.categories()).filteredOn(PublicStatistics.Category::suppressed).hasSizeGreaterThanOrEqualTo(2);

    source.channel("counter", 60).channel("online", 15).channel("proxy", 0);
    clock.advance(Duration.ofMinutes(5));
    PublicStatistics.OneWay later = statistics(Duration.ofMinutes(5)).current().optedOut().byChannel();
    assertThat(later.categories()).extracting(PublicStatistics.Category::count).containsExactly(60L, 15L, 0L);
  }

  @Test
  void withTheLinkedTablesHidingTheTotalNoChannelIsShown() {
    source.people("taipei-city", "male", "40-44", 4);
    source.channel("counter", 4);

    PublicStatistics.OptedOut optedOut = statistics(Duration.ofMinutes(5)).current().optedOut();

    assertThat(optedOut.total().suppressed()).isTrue();
    assertThat(optedOut.byChannel().total().suppressed()).isTrue();
    assertThat(optedOut.byChannel().categories()).extracting(PublicStatistics.Category::count).containsOnly(0L, null);
    assertThat(optedOut.byChannel().categories().get(0).suppressed()).isTrue();
  }

  @Test
  void theDailySeriesHoldsTheCompleteDaysBeforeTodayInTaipeiAndNoSmallCount() {
    LocalDate today = LocalDate.of(2026, 11, 20);
    source.filings(today.minusDays(1), 25, 12);
    source.filings(today.minusDays(2), 30, 4);
    source.filings(today.minusDays(90), 11, 0);
    source.filings(today, 500, 500);  // today so far: never published

    PublicStatistics.DailyFilings series = statistics(Duration.ofMinutes(5)).current().dailyFilings();

    assertThat(series.from()).isEqualTo(today.minusDays(90));
    assertThat(series.to()).isEqualTo(today.minusDays(1));
    assertThat(series.days()).hasSize(90);
    assertThat(series.days().get(89)).isEqualTo(new PublicStatistics.Day(today.minusDays(1),
        new PublicStatistics.Cell(25L, false), new PublicStatistics.Cell(null, true)));
    assertThat(series.days().get(88).optOutsFiled()).isEqualTo(new PublicStatistics.Cell(30L, false));
    assertThat(series.days().get(88).withdrawals().suppressed()).isTrue();
    assertThat(series.days().get(0).optOutsFiled()).isEqualTo(new PublicStatistics.Cell(11L, false));
    assertThat(series.days().get(1).optOutsFiled()).isEqualTo(new PublicStatistics.Cell(0L, false));
    assertThat(series.optOutsFiledTotal()).isEqualTo(new PublicStatistics.Cell(66L, false));
    assertThat(series.withdrawalsTotal()).isEqualTo(new PublicStatistics.Cell(16L, false));
  }

  @Test
  void theJsonShowsNoNumberFromOneToNineAndNoReason() {
    source.people("taipei-city", "male", "40-44", 30);
    source.people("taipei-city", "female", "40-44", 3);
    source.people("penghu-county", "female", "90+", 1);
    source.people("new-taipei-city", "male", "unknown", 17);
    source.scope("academic-research", 51);
    source.filings(LocalDate.of(2026, 11, 18), 7, 2);

    String json = JSON.writeValueAsString(statistics(Duration.ofMinutes(5)).current());

    List<Long> numbers = new ArrayList<>();
    collect(JSON.readTree(json), numbers);
    assertThat(numbers).isNotEmpty().allMatch(n -> n == 0 || n >= 10);
    assertThat(json).doesNotContain("PRIMARY", "SECONDARY", "primary", "secondary", "reason");
    assertThat(JSON.readTree(json).at("/optedOut/countyBySex/rows/0/cells/0").toString())
        .isEqualTo("{\"count\":null,\"suppressed\":true}");
  }

  @Test
  void aThresholdBelowTenOrAnUnboundedCacheIsRefusedAtStart() {
    assertThatThrownBy(() -> new StatisticsProperties(9, Duration.ofMinutes(5), 90, TAIPEI, surge()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("threshold must be at least 10");
    assertThatThrownBy(() -> new StatisticsProperties(10, Duration.ZERO, 90, TAIPEI, surge()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cache-for");
    assertThatThrownBy(() -> new StatisticsProperties(10, Duration.ofMinutes(5), 3, TAIPEI, surge()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("series-days");
    assertThat(new StatisticsProperties(25, Duration.ofMinutes(5), 90, TAIPEI, surge()).threshold()).isEqualTo(25);
    assertThatThrownBy(() -> new StatisticsProperties.Surge(true, Duration.ZERO, Duration.ofHours(1), 7, true, 28, 13, 5, 20, 1.5, true))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("14 days of history");
  }

  @Test
  void anAgeBandIsAFiveYearBandOrUnknown() {
    assertThat(PublicStatistics.ageBand("40-44")).isEqualTo("40-44");
    assertThat(PublicStatistics.ageBand("05-09")).isEqualTo("5-9");
    assertThat(PublicStatistics.ageBand("0-4")).isEqualTo("0-4");
    assertThat(PublicStatistics.ageBand("90+")).isEqualTo("90+");
    assertThat(PublicStatistics.ageBand("90-94")).isEqualTo("unknown");
    assertThat(PublicStatistics.ageBand("40-49")).isEqualTo("unknown");
    assertThat(PublicStatistics.ageBand("41-45")).isEqualTo("unknown");
    assertThat(PublicStatistics.ageBand("unknown")).isEqualTo("unknown");
  }

  static StatisticsProperties.Surge surge() {
    return new StatisticsProperties.Surge(true, Duration.ofSeconds(30), Duration.ofHours(1), 7, true, 28, 14, 5.0, 20, 1.5, true);
  }

  private static PublicStatistics.Cell cell(PublicStatistics.TwoWay table, String row, String column) {
    int r = table.rows().stream().map(PublicStatistics.Row::category).toList().indexOf(row);
    return table.rows().get(r).cells().get(table.columns().indexOf(column));
  }

  private static void collect(JsonNode node, List<Long> numbers) {
    if (node.isNumber()) {
      numbers.add(node.asLong());
    }
    node.forEach(child -> collect(child, numbers));
  }

  private static final class FakeSource implements StatisticsSource {
    private final Map<List<String>, Long> people = new LinkedHashMap<>();
    private final Map<String, Long> scopes = new LinkedHashMap<>();
    private final Map<String, Long> channels = new LinkedHashMap<>();
    private final SortedMap<LocalDate, Map<String, Long>> days = new TreeMap<>();
    int reads;

    FakeSource people(String county, String sex, String ageBand, long n) {
      people.merge(List.of(county, sex, ageBand), n, Long::sum);
      return this;
    }

    FakeSource channel(String channel, long n) {
      channels.put(channel, n);
      return this;
    }

    FakeSource scope(String scope, long n) {
      scopes.put(scope, n);
      return this;
    }

    void filings(LocalDate day, long filed, long withdrawn) {
      days.put(day, Map.of("opt-out-filed", filed, "opt-out-withdrawn", withdrawn));
    }

    @Override
    public CurrentCounts currentlyOptedOut() {
      reads++;
      List<FacetCount> facets = new ArrayList<>();
      people.forEach((key, n) -> facets.add(new FacetCount(key.get(0), key.get(1), key.get(2), n)));
      long total = facets.stream().mapToLong(FacetCount::people).sum();
      Map<String, Long> byScope = new LinkedHashMap<>(scopes);
      if (byScope.isEmpty()) {
        byScope.put("academic-research", total);
      }
      Map<String, Long> byChannel = new LinkedHashMap<>(channels);
      if (byChannel.isEmpty()) {
        byChannel.put("counter", total);
      }
      return new CurrentCounts(facets, byScope, byChannel, total);
    }

    @Override
    public SortedMap<LocalDate, Map<String, Long>> filingsPerDay(LocalDate from, LocalDate to, ZoneId zone) {
      return new TreeMap<>(days.subMap(from, to.plusDays(1)));
    }
  }

  private static final class MutableClock extends Clock {
    private Instant now;

    MutableClock(Instant now) {
      this.now = now;
    }

    void advance(Duration duration) {
      now = now.plus(duration);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
