package optout.warehouse.synthetic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import optout.pseudonymizer.generalise.County;
import optout.pseudonymizer.id.PersonId;
import optout.warehouse.ingest.RawFile;
import optout.warehouse.synthetic.Claims.Dispensing;
import optout.warehouse.synthetic.Claims.Order;
import optout.warehouse.synthetic.Claims.Stay;
import optout.warehouse.synthetic.Claims.Visit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The generator in plain Java: determinism, valid and distinct IDs, and distributions near Taiwan's. */
class SyntheticNhiTest {

  private static final int SAMPLE = 4000;
  /** 23,500 persons; the first 4,000 are sampled. */
  private static final SyntheticNhi GENERATOR = new SyntheticNhi(GeneratorSettings.of(20240607L, 0.001));
  private static final List<Person> PERSONS = new ArrayList<>();
  private static final Map<Long, List<Visit>> VISITS = new HashMap<>();
  private static final Map<Long, List<Stay>> STAYS = new HashMap<>();
  private static final Map<Long, List<Dispensing>> REFILLS = new HashMap<>();

  @BeforeAll
  static void generate() {
    for (long i = 0; i < SAMPLE; i++) {
      Person person = GENERATOR.person(i);
      PERSONS.add(person);
      VISITS.put(i, GENERATOR.outpatient(person));
      STAYS.put(i, GENERATOR.inpatient(person));
      REFILLS.put(i, GENERATOR.pharmacy(person));
    }
  }

  @Test
  void theSameSeedGivesTheSameRowsAndAnotherSeedOtherRows() {
    RawRows again = new RawRows(new SyntheticNhi(GeneratorSettings.of(20240607L, 0.001)));
    RawRows same = new RawRows(GENERATOR);
    RawRows other = new RawRows(new SyntheticNhi(GeneratorSettings.of(20240608L, 0.001)));
    for (RawFile file : RawFile.values()) {
      for (long i : new long[] {0, 1, 17, 999, 23_499}) {
        assertThat(again.rows(file, i)).as("%s of person %d", file, i).usingRecursiveComparison().isEqualTo(same.rows(file, i));
      }
    }
    assertThat(other.rows(RawFile.ID, 5).get(0)).isNotEqualTo(same.rows(RawFile.ID, 5).get(0));
  }

  @Test
  void aPersonDoesNotDependOnWhichOthersAreMadeNorInWhatOrder() {
    SyntheticNhi fresh = new SyntheticNhi(GeneratorSettings.of(20240607L, 0.001));
    RawRows rows = new RawRows(fresh);
    RawRows sampled = new RawRows(GENERATOR);
    for (long i : new long[] {3_999, 12, 2_000, 0}) { // backwards, with gaps: as another partitioning would
      for (RawFile file : RawFile.values()) {
        assertThat(rows.rows(file, i)).usingRecursiveComparison().isEqualTo(sampled.rows(file, i));
      }
    }
  }

  @Test
  void nationalIdsAreValidMatchSexAndCountyAndAreDistinct() {
    Set<String> ids = new HashSet<>();
    int letterOfHomeCounty = 0;
    for (Person person : PERSONS) {
      String id = person.unmaskedNationalId();
      assertThat(PersonId.isValid(id)).isTrue();
      assertThat(PersonId.parse(id).kind()).isEqualTo(PersonId.Kind.NATIONAL_ID);
      assertThat(id.charAt(1)).isEqualTo(person.male() ? '1' : '2');
      assertThat(ids.add(id)).isTrue();
      assertThat(County.ofPostalCode(person.areaCode())).isEqualTo(person.county());
      if (Population.LETTER.get(person.county()) == id.charAt(0)) {
        letterOfHomeCounty++;
      }
    }
    // most people live where they were first registered (the rest moved, or carry a merged county's letter)
    assertThat(letterOfHomeCounty).isBetween(SAMPLE / 2, SAMPLE * 9 / 10);
  }

  @Test
  void theCheckDigitFollowsTheLetterTableAndWeights() {
    assertThat(SyntheticNhi.nationalId('A', true, 2345678)).isEqualTo("A123456789");
    for (char letter = 'A'; letter <= 'Z'; letter++) {
      for (long serial : new long[] {0, 1, 4_242_424, 9_999_999}) {
        assertThat(PersonId.isValid(SyntheticNhi.nationalId(letter, serial % 2 == 0, serial))).isTrue();
      }
    }
  }

  @Test
  void theSerialDigitsAreAPermutationOfTheirTenMillionValues() {
    Feistel serials = new Feistel(42, SyntheticNhi.SERIALS);
    BitSet seen = new BitSet((int) SyntheticNhi.SERIALS);
    for (long i = 0; i < SyntheticNhi.SERIALS; i++) {
      long serial = serials.apply(i);
      assertThat(serial).isBetween(0L, SyntheticNhi.SERIALS - 1);
      seen.set((int) serial);
    }
    assertThat(seen.cardinality()).isEqualTo((int) SyntheticNhi.SERIALS);
  }

  @Test
  void atFullScalePersonsSharingSerialDigitsStillGetDistinctIds() {
    SyntheticNhi full = new SyntheticNhi(GeneratorSettings.of(7, 1.0));
    Set<String> ids = new HashSet<>();
    for (long residue = 0; residue < 3_000; residue++) {
      for (long block = 0; block < 3; block++) {
        long index = block * SyntheticNhi.SERIALS + residue;
        if (index < full.persons()) {
          assertThat(ids.add(full.person(index).unmaskedNationalId())).as("person %d", index).isTrue();
        }
      }
    }
    assertThat(ids).hasSize(3_000 * 3 - (int) Math.max(0, 3_000 - (full.persons() - 2 * SyntheticNhi.SERIALS)));
  }

  @Test
  void theAgeSexStructureIsTaiwansOfThe2020s() {
    long under15 = PERSONS.stream().filter(p -> p.age() < 15).count();
    long over65 = PERSONS.stream().filter(p -> p.age() >= 65).count();
    long men = PERSONS.stream().filter(Person::male).count();
    int[] ages = PERSONS.stream().mapToInt(Person::age).sorted().toArray();
    assertThat(under15 / (double) SAMPLE).isBetween(0.09, 0.15);
    assertThat(over65 / (double) SAMPLE).isBetween(0.15, 0.21);
    assertThat(ages[SAMPLE / 2]).isBetween(41, 47);
    assertThat(men / (double) (SAMPLE - men)).isBetween(0.90, 1.06);
    assertThat(ages[SAMPLE - 1]).isLessThanOrEqualTo(106);
  }

  @Test
  void countiesFollowTheirPopulation() {
    Map<County, Integer> counts = new HashMap<>();
    PERSONS.forEach(p -> counts.merge(p.county(), 1, Integer::sum));
    assertThat(counts.get(County.NEW_TAIPEI_CITY) / (double) SAMPLE).isBetween(0.14, 0.20);
    assertThat(counts.get(County.TAIPEI_CITY) / (double) SAMPLE).isBetween(0.08, 0.14);
    assertThat(counts.getOrDefault(County.LIENCHIANG_COUNTY, 0)).isLessThan(12);
  }

  @Test
  void aboutSixteenOutpatientVisitsPerPersonYearMoreForTheOldAndTheVeryYoung() {
    double[] visits = new double[3];
    double[] years = new double[3];
    double allVisits = 0;
    double allYears = 0;
    for (Person person : PERSONS) {
      int group = person.age() < 5 ? 0 : person.age() < 65 ? 1 : 2;
      double exposure = person.exposureDays() / 365.25;
      visits[group] += VISITS.get(person.index()).size();
      years[group] += exposure;
      allVisits += VISITS.get(person.index()).size();
      allYears += exposure;
    }
    assertThat(allVisits / allYears).isBetween(14.5, 17.5);
    double small = visits[0] / years[0];
    double adults = visits[1] / years[1];
    double old = visits[2] / years[2];
    assertThat(small).isGreaterThan(adults * 1.3);
    assertThat(old).isGreaterThan(adults * 1.5);
  }

  @Test
  void admissionsAreAboutOneInTenPersonYearsMoreForTheOld() {
    double stays = 0;
    double years = 0;
    double oldStays = 0;
    double oldYears = 0;
    for (Person person : PERSONS) {
      double exposure = person.exposureDays() / 365.25;
      stays += STAYS.get(person.index()).size();
      years += exposure;
      if (person.age() >= 65) {
        oldStays += STAYS.get(person.index()).size();
        oldYears += exposure;
      }
    }
    assertThat(stays / years).isBetween(0.07, 0.14);
    assertThat(oldStays / oldYears).isGreaterThan(2 * stays / years);
    for (List<Stay> list : STAYS.values()) {
      for (Stay stay : list) {
        assertThat(stay.bedDays()).isBetween(1, 30);
        assertThat(stay.points()).isEqualTo(stay.orders().stream().mapToInt(Order::points).sum());
      }
    }
  }

  @Test
  void diagnosesAreSkewedCommonCodesAndChronicOnesGrowWithAge() {
    Map<String, Integer> counts = new HashMap<>();
    VISITS.values().forEach(list -> list.forEach(v -> counts.merge(v.icd1(), 1, Integer::sum)));
    Set<String> known = new HashSet<>(Clinical.allDiagnosisCodes());
    assertThat(known).hasSizeGreaterThan(60);
    assertThat(counts.keySet()).allMatch(known::contains);
    List<Map.Entry<String, Integer>> ranked = new ArrayList<>(counts.entrySet());
    ranked.sort(Map.Entry.<String, Integer>comparingByValue().reversed());
    List<String> top = ranked.subList(0, 8).stream().map(Map.Entry::getKey).toList();
    assertThat(top).contains("J069", "I10");
    int total = counts.values().stream().mapToInt(Integer::intValue).sum();
    assertThat(ranked.subList(0, 10).stream().mapToInt(Map.Entry::getValue).sum()).isGreaterThan(total * 4 / 10);

    double youngChronic = PERSONS.stream().filter(p -> p.age() >= 20 && p.age() < 40).mapToInt(p -> p.chronic.size()).average().orElse(0);
    double oldChronic = PERSONS.stream().filter(p -> p.age() >= 70).mapToInt(p -> p.chronic.size()).average().orElse(0);
    assertThat(oldChronic).isGreaterThan(3 * youngChronic);
    long hypertensive = PERSONS.stream().filter(p -> p.age() >= 65 && p.chronicConditions().contains("I10")).count();
    long old = PERSONS.stream().filter(p -> p.age() >= 65).count();
    assertThat(hypertensive / (double) old).isBetween(0.35, 0.60);
  }

  @Test
  void claimsAreWellFormed() {
    Set<String> pool = new HashSet<>(GENERATOR.hospitalCodes());
    assertThat(pool).hasSizeBetween(2_000, 10_000);
    assertThat(pool).allMatch(code -> code.matches("\\d{10}"));
    Map<String, Integer> byHospital = new HashMap<>();
    Set<Long> visitIds = new HashSet<>();
    List<String> problems = new ArrayList<>();
    for (Person person : PERSONS) {
      for (Visit visit : VISITS.get(person.index())) {
        check(problems, visitIds.add(visit.visitId()), "visit ID repeated");
        check(problems, pool.contains(visit.hospital()), "hospital not in the pool");
        check(problems, !visit.date().isBefore(person.exposureStart) && !visit.date().isAfter(person.exposureEnd),
            "visit outside the person's insured days");
        check(problems, visit.orders().size() <= 6, "more than 6 orders");
        check(problems, visit.department().matches("\\d{2}"), "department not 2 digits");
        check(problems, visit.copay() >= 0 && visit.copay() <= visit.points(), "copay outside [0, points]");
        check(problems, visit.points() > visit.orders().stream().mapToInt(Order::points).sum(), "points below the orders'");
        for (Order order : visit.orders()) {
          check(problems, order.seq() >= 1 && order.seq() <= 6, "order sequence outside 1..6");
          check(problems, order.type() != Claims.DRUG || order.code().length() == 10, "drug code not 10 characters");
        }
        byHospital.merge(visit.hospital().substring(2, 4), 1, Integer::sum);
      }
      for (Dispensing refill : REFILLS.get(person.index())) {
        check(problems, !person.chronicConditions().isEmpty(), "refill without a chronic condition");
        check(problems, refill.pharmacy().substring(2, 4).equals(Hospitals.Type.PHARMACY.digits), "refill not at a pharmacy");
        check(problems, refill.days() == 28 || refill.days() == 30, "refill not for 28 or 30 days");
      }
    }
    assertThat(problems).isEmpty();
    int visits = byHospital.values().stream().mapToInt(Integer::intValue).sum();
    int clinics = byHospital.getOrDefault("21", 0) + byHospital.getOrDefault("31", 0) + byHospital.getOrDefault("41", 0);
    assertThat(clinics / (double) visits).as("share of visits at clinics").isBetween(0.55, 0.85);
    long chronicPatients = PERSONS.stream().filter(p -> !p.chronic.isEmpty()).count();
    double refills = REFILLS.values().stream().mapToInt(List::size).sum() / (double) chronicPatients / 2;
    assertThat(refills).isBetween(1.6, 2.4);
    assertThat(Clinical.DRUGS).hasSizeGreaterThanOrEqualTo(60).allMatch(d -> d.code().length() == 10);
  }

  private static void check(List<String> problems, boolean ok, String problem) {
    if (!ok && problems.size() < 20) {
      problems.add(problem);
    }
  }

  @Test
  void theRowsMatchTheRawLayout() {
    RawRows rows = new RawRows(GENERATOR);
    for (RawFile file : RawFile.values()) {
      for (long i = 0; i < 50; i++) {
        for (String[] row : rows.rows(file, i)) {
          assertThat(row).hasSize(file.columns().size());
          assertThat(Arrays.stream(row).filter(v -> v != null && (v.contains(",") || v.contains("\"")))).isEmpty();
        }
      }
    }
    String[] enrollment = rows.rows(RawFile.ID, 3).get(0);
    assertThat(enrollment[1]).matches("\\d{4}-\\d{2}-\\d{2}");
    assertThat(enrollment[5]).matches("\\d{8}");
    assertThat(enrollment[6]).matches("\\d{3}");
    assertThat(Integer.parseInt(enrollment[7])).isBetween(1, 50);
  }

  @Test
  void badSettingsAreRefused() {
    assertThatThrownBy(() -> GeneratorSettings.of(1, 0)).hasMessageContaining("more than 0");
    assertThatThrownBy(() -> GeneratorSettings.of(1, 1.5)).hasMessageContaining("at most 1.0");
    assertThatThrownBy(() -> GeneratorSettings.of(1, 1e-9)).hasMessageContaining("less than one person");
    assertThatThrownBy(() -> new GeneratorSettings(1, 0.1, 2023, 2022)).hasMessageContaining("FROM-TO");
    assertThatThrownBy(() -> new GeneratorSettings(1, 0.1, 1990, 1991)).hasMessageContaining("1996");
    assertThat(GeneratorSettings.of(1, 0.00002).persons()).isEqualTo(470);
  }
}
