package optout.registry.event.store;

/**
 * The coarse facts the public statistics count by, stored beside each event and nowhere in the log:
 * sex and county of household registration as the ID's own letters tell them, and a five-year age
 * band when the filer gave one.
 */
public record StatisticsFacets(String sex, String county, String ageBand) {

  public static final String UNKNOWN = "unknown";

  public StatisticsFacets {
    if (!sex.equals("female") && !sex.equals("male") && !sex.equals(UNKNOWN)) {
      throw new IllegalArgumentException("Cannot record statistics facets: sex must be female, male or unknown");
    }
    if (county == null || county.isBlank() || ageBand == null || ageBand.isBlank()) {
      throw new IllegalArgumentException("Cannot record statistics facets: county and age band are required (unknown if not known)");
    }
  }
}
