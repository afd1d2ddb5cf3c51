package optout.warehouse.synthetic;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import optout.pseudonymizer.generalise.County;

/**
 * The contracted providers (特約醫事機構): about 5,500 medical centres, regional and district hospitals,
 * clinics (western, dental, Chinese medicine) and pharmacies, spread over the counties by population.
 * A code has 10 digits: the county's 2-digit area (the NHI's old numbering), 2 digits of type and a
 * 6-digit serial, e.g. {@code 0121104523}. The pool depends only on the seed.
 */
final class Hospitals {

  enum Type {
    CENTRE("01", 22), REGIONAL("11", 84), DISTRICT("15", 340), CLINIC("21", 2400), DENTAL("31", 900),
    CHINESE_MEDICINE("41", 500), PHARMACY("59", 1300);

    final String digits;
    final int count;

    Type(String digits, int count) {
      this.digits = digits;
      this.count = count;
    }
  }

  /** Medical centres (醫學中心) are where Taiwan's are: the big cities, Changhua and Hualien. */
  private static final Map<County, Integer> CENTRES = Map.of(
      County.TAIPEI_CITY, 8, County.NEW_TAIPEI_CITY, 1, County.TAOYUAN_CITY, 2, County.TAICHUNG_CITY, 4,
      County.TAINAN_CITY, 2, County.KAOHSIUNG_CITY, 3, County.CHANGHUA_COUNTY, 1, County.HUALIEN_COUNTY, 1);

  private static final Map<County, String> AREA = new EnumMap<>(County.class);

  static {
    String[][] areas = {
      {"TAIPEI_CITY", "01"}, {"KAOHSIUNG_CITY", "02"}, {"KEELUNG_CITY", "11"}, {"HSINCHU_CITY", "12"},
      {"TAICHUNG_CITY", "17"}, {"CHIAYI_CITY", "22"}, {"TAINAN_CITY", "21"}, {"NEW_TAIPEI_CITY", "31"},
      {"TAOYUAN_CITY", "32"}, {"HSINCHU_COUNTY", "33"}, {"YILAN_COUNTY", "34"}, {"MIAOLI_COUNTY", "35"},
      {"CHANGHUA_COUNTY", "37"}, {"NANTOU_COUNTY", "38"}, {"YUNLIN_COUNTY", "39"}, {"CHIAYI_COUNTY", "40"},
      {"PINGTUNG_COUNTY", "43"}, {"PENGHU_COUNTY", "44"}, {"HUALIEN_COUNTY", "45"}, {"TAITUNG_COUNTY", "46"},
      {"KINMEN_COUNTY", "90"}, {"LIENCHIANG_COUNTY", "91"}};
    for (String[] area : areas) {
      AREA.put(County.valueOf(area[0]), area[1]);
    }
  }

  private final Map<Type, Map<County, List<String>>> pool = new EnumMap<>(Type.class);
  private final Map<Type, List<County>> countiesWith = new EnumMap<>(Type.class);
  private final Map<Type, Weighted<County>> countiesByResidents = new EnumMap<>(Type.class);

  Hospitals(long seed) {
    for (Type type : Type.values()) {
      Map<County, Integer> counts = type == Type.CENTRE ? CENTRES : apportion(type.count, type != Type.REGIONAL);
      Map<County, List<String>> byCounty = new EnumMap<>(County.class);
      long offset = Math.floorMod(Rng.mix(seed ^ (type.ordinal() * 0x9E3779B97F4A7C15L)), 900_000L);
      List<County> with = new ArrayList<>();
      List<Double> weights = new ArrayList<>();
      for (County county : Population.COUNTIES) {
        int count = counts.getOrDefault(county, 0);
        List<String> codes = new ArrayList<>(count);
        for (int index = 0; index < count; index++) {
          // 7919 is coprime with 900,000, so serials are distinct within a county and type
          long serial = 100_000 + Math.floorMod(index * 7919L + offset, 900_000L);
          codes.add(AREA.get(county) + type.digits + serial);
        }
        byCounty.put(county, codes);
        if (count > 0) {
          with.add(county);
          weights.add((double) Population.RESIDENTS.get(county));
        }
      }
      pool.put(type, byCounty);
      countiesWith.put(type, with);
      countiesByResidents.put(type, new Weighted<>(with, weights));
    }
  }

  /** Largest-remainder apportionment of {@code total} by residents, at least one each if asked. */
  private static Map<County, Integer> apportion(int total, boolean atLeastOne) {
    Map<County, Integer> counts = new EnumMap<>(County.class);
    double residents = Population.RESIDENTS.values().stream().mapToInt(Integer::intValue).sum();
    int given = 0;
    for (County county : Population.COUNTIES) {
      int count = (int) Math.floor(total * Population.RESIDENTS.get(county) / residents);
      if (atLeastOne) {
        count = Math.max(1, count);
      }
      counts.put(county, count);
      given += count;
    }
    for (County county : Population.COUNTIES) { // the rest to the biggest counties, in order
      if (given >= total) {
        break;
      }
      if (Population.RESIDENTS.get(county) > 1000) {
        counts.merge(county, 1, Integer::sum);
        given++;
      }
    }
    return counts;
  }

  /**
   * A provider of a type for someone living in {@code home}: mostly in the home county (where there is
   * one), popular ones more often.
   */
  String pick(Type type, County home, Rng rng) {
    List<String> local = pool.get(type).get(home);
    County county = home;
    if (local.isEmpty() || rng.chance(0.1)) {
      county = countiesByResidents.get(type).draw(rng);
    }
    List<String> codes = pool.get(type).get(county);
    return codes.get(rng.skewed(codes.size(), 2.0));
  }

  int size() {
    return pool.values().stream().flatMap(m -> m.values().stream()).mapToInt(List::size).sum();
  }

  List<String> all() {
    List<String> all = new ArrayList<>();
    pool.values().forEach(m -> m.values().forEach(all::addAll));
    return all;
  }
}
