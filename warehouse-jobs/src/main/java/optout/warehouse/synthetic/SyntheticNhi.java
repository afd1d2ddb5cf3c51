package optout.warehouse.synthetic;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import optout.pseudonymizer.generalise.County;
import optout.warehouse.synthetic.Claims.Dispensing;
import optout.warehouse.synthetic.Claims.Order;
import optout.warehouse.synthetic.Claims.Stay;
import optout.warehouse.synthetic.Claims.Visit;
import optout.warehouse.synthetic.Clinical.Acute;
import optout.warehouse.synthetic.Clinical.Admission;
import optout.warehouse.synthetic.Clinical.Chronic;
import optout.warehouse.synthetic.Clinical.Drug;
import optout.warehouse.synthetic.Clinical.DrugGroup;
import optout.warehouse.synthetic.Clinical.Procedure;
import optout.warehouse.synthetic.Hospitals.Type;

/**
 * Deterministic synthetic NHI data. Person {@code i} of {@code [0, N)}, with N = round(scale x
 * 23,500,000), and each of their claims come from generators seeded by (seed, i) alone, so the output
 * does not depend on how the persons are split into partitions, nor on the order they are made in.
 *
 * <p>Shaped like Taiwan in the early 2020s: the age-sex pyramid (median age about 44, 12% under 15, 18%
 * 65 and over), counties by population with real postal codes, national IDs with the letter of the
 * county of first registration and valid check digits, about 16 outpatient visits per person-year (more
 * for the old and the very young; over-dispersed), chronic conditions that persist and grow with age,
 * about 0.1 admissions per person-year, chronic prescriptions refilled at pharmacies. See
 * {@link Population} and {@link Clinical} for the tables.
 *
 * <p>Distinct persons get distinct IDs: the seven serial digits are a keyed permutation of {@code i mod
 * 10^7}; persons {@code i}, {@code i + 10^7} and {@code i + 2 x 10^7} (only at scales above 0.43) share
 * serial digits, and draw their letter and sex together so that those differ.
 *
 * <p>Thread-safe: immutable after construction.
 */
public final class SyntheticNhi {

  /** Serial numbers of a national ID: 7 digits. */
  static final long SERIALS = 10_000_000L;
  /** The NHI's first day. */
  static final LocalDate NHI_START = LocalDate.of(1995, 3, 1);

  private static final long STREAM_CORE = 1;
  private static final long STREAM_PERSON = 2;
  private static final long STREAM_OUTPATIENT = 3;
  private static final long STREAM_INPATIENT = 4;
  private static final long STREAM_PHARMACY = 5;

  /** Outpatient visits per person-year by 5-year band of age, both sexes (women 6% more, men 6% fewer). */
  static final double[] VISITS = {22, 14, 10, 8, 8.5, 10, 11, 12, 13, 15, 17, 19, 21, 24, 27, 30, 31, 30, 30, 30, 30};
  /** Admissions per person-year by 5-year band, deliveries apart. */
  static final double[] ADMISSIONS = {0.10, 0.03, 0.03, 0.04, 0.05, 0.05, 0.05, 0.05, 0.06, 0.07, 0.08, 0.09, 0.11, 0.15,
      0.20, 0.28, 0.35, 0.40, 0.42, 0.42, 0.42};
  /** Deliveries per woman-year by 5-year band (about 135,000 births a year). */
  static final double[] DELIVERIES = {0, 0, 0, 0.002, 0.012, 0.045, 0.06, 0.035, 0.008, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
  /** Chronic prescription refills at a pharmacy per person-year, for people with a chronic condition. */
  static final double REFILLS = 2.0;
  private static final int MAX_VISITS = 1 << 16;
  private static final int MAX_STAYS = 1 << 8;
  private static final int MAX_REFILLS = 1 << 10;

  private final GeneratorSettings settings;
  private final long seed;
  private final LocalDate periodStart;
  private final LocalDate periodEnd;
  private final Feistel serials;
  private final Feistel visitIds;
  private final Feistel admissionIds;
  private final Feistel rxIds;
  private final Hospitals hospitals;
  private final int employers;
  private final long employerOffset;
  /** Acute diagnoses by [sex][5-year band][year]. */
  private final Weighted<Acute>[][][] acute;
  /** Admission diagnoses by [sex][5-year band]. */
  private final Weighted<Admission>[][] admissions;
  private final Weighted<Type> hospitalLevels = new Weighted<>(List.of(Type.DISTRICT, Type.REGIONAL, Type.CENTRE),
      List.of(0.45, 0.35, 0.20));

  @SuppressWarnings("unchecked")
  public SyntheticNhi(GeneratorSettings settings) {
    this.settings = settings;
    this.seed = settings.seed();
    this.periodStart = LocalDate.of(settings.fromYear(), 1, 1);
    this.periodEnd = LocalDate.of(settings.toYear(), 12, 31);
    this.serials = new Feistel(Rng.mix(seed ^ 0x5E41A1L), SERIALS);
    this.visitIds = new Feistel(Rng.mix(seed ^ 0xC0L), 1L << 48);
    this.admissionIds = new Feistel(Rng.mix(seed ^ 0xDDL), 1L << 48);
    this.rxIds = new Feistel(Rng.mix(seed ^ 0x6DL), 1L << 48);
    this.hospitals = new Hospitals(seed);
    this.employers = (int) Math.max(20, settings.persons() / 30);
    this.employerOffset = Math.floorMod(Rng.mix(seed ^ 0xE3L), 50_000_000L);
    int bands = Population.MEN.length;
    this.acute = new Weighted[2][bands][settings.years()];
    this.admissions = new Weighted[2][bands];
    for (int sex = 0; sex < 2; sex++) {
      for (int band = 0; band < bands; band++) {
        int age = band * 5 + 2;
        for (int year = 0; year < settings.years(); year++) {
          acute[sex][band][year] = Clinical.acuteFor(age, sex == 0, settings.fromYear() + year);
        }
        admissions[sex][band] = Clinical.admissionsFor(age, sex == 0);
      }
    }
  }

  public GeneratorSettings settings() {
    return settings;
  }

  public long persons() {
    return settings.persons();
  }

  // ---------------------------------------------------------------- persons

  /** What decides the national ID: sex, birth date, county of first registration and its letter. */
  private record Core(boolean male, LocalDate birthDate, County birthCounty, char letter) {}

  /** Person {@code index}, in [0, N). */
  public Person person(long index) {
    if (index < 0 || index >= persons()) {
      throw new IllegalArgumentException("Cannot make person " + index + ": there are " + persons());
    }
    Core core = core(index);
    String nationalId = nationalId(core.letter(), core.male(), serials.apply(index % SERIALS));
    Rng rng = Rng.of(seed, index, STREAM_PERSON);
    int age = (int) ChronoUnit.YEARS.between(core.birthDate(), periodEnd);
    County county = rng.chance(age < 18 ? 0.9 : 0.7) ? core.birthCounty() : Population.BY_RESIDENTS.draw(rng);
    int postalCode = Population.postalCode(county, rng);

    LocalDate inDate;
    if (!core.birthDate().isBefore(NHI_START)) {
      inDate = min(core.birthDate().plusDays(rng.between(0, 20)), periodEnd);
    } else if (rng.chance(0.94)) {
      inDate = NHI_START;
    } else { // joined later: immigrants, people who came back from abroad
      inDate = NHI_START.plusDays((long) (rng.nextDouble() * (periodEnd.toEpochDay() - NHI_START.toEpochDay())));
    }
    LocalDate start = max(periodStart, inDate);
    LocalDate outDate = null;
    double years = settings.years();
    double dies = 1 - Math.pow(1 - Population.annualMortality(age), years);
    double leaves = age >= 20 && age < 60 ? 1 - Math.pow(1 - 0.002, years) : 0;
    if (rng.chance(dies + leaves)) {
      outDate = start.plusDays((long) (rng.nextDouble() * (periodEnd.toEpochDay() - start.toEpochDay() + 1)));
      outDate = min(outDate, periodEnd);
    }
    LocalDate end = outDate == null ? periodEnd : outDate;

    List<Chronic> chronic = new ArrayList<>();
    Map<Chronic, List<Drug>> chronicDrugs = new EnumMap<>(Chronic.class);
    for (Chronic condition : Chronic.values()) {
      if (rng.chance(condition.prevalence(age, core.male()))) {
        chronic.add(condition);
        List<Drug> group = Clinical.DRUGS_BY_GROUP.get(condition.drugs);
        List<Drug> mine = new ArrayList<>();
        mine.add(group.get(rng.nextInt(group.size())));
        if (group.size() > 1 && rng.chance(0.35)) { // a second drug of the class (e.g. metformin and a DPP-4 inhibitor)
          Drug second = group.get(rng.nextInt(group.size()));
          if (!mine.contains(second)) {
            mine.add(second);
          }
        }
        chronicDrugs.put(condition, List.copyOf(mine));
      }
    }
    double frailty = rng.gammaTwo();
    boolean exempt = rng.chance(age >= 65 ? 0.08 : 0.04); // catastrophic illness, low income, ...

    String insuredUnit;
    int grade;
    double employment = employment(age, core.male());
    if (rng.chance(employment) || (age < 20 || rng.chance(0.55))) {
      // employees, and dependants insured through a family member's employer
      long employer = rng.skewed(employers, 3.0);
      insuredUnit = Long.toString(10_000_000L + Math.floorMod(employer * 7_919_111L + employerOffset, 50_000_000L));
      grade = (int) Math.max(1, Math.min(50, Math.round(rng.logNormal(14, 0.55))));
    } else if (age >= 40 && Population.RESIDENTS.get(county) < 1000 && rng.chance(0.4)) {
      insuredUnit = "7" + postalCode + "0001"; // farmers' association
      grade = 1;
    } else {
      insuredUnit = "6" + postalCode + "0001"; // district office
      grade = rng.between(1, 3);
    }

    Type hospitalType = hospitalLevels.draw(rng);
    return new Person(index, nationalId, core.birthDate(), core.male(), inDate, outDate, insuredUnit, postalCode, county,
        grade, age, start, end, List.copyOf(chronic), chronicDrugs, frailty, exempt,
        hospitals.pick(Type.CLINIC, county, rng), hospitals.pick(Type.DENTAL, county, rng),
        hospitals.pick(Type.CHINESE_MEDICINE, county, rng), hospitals.pick(Type.PHARMACY, county, rng),
        hospitals.pick(hospitalType, county, rng), hospitalType);
  }

  private static double employment(int age, boolean male) {
    if (age < 20 || age >= 65) {
      return 0;
    }
    if (age < 25) {
      return 0.5;
    }
    if (age < 55) {
      return male ? 0.85 : 0.72;
    }
    return male ? 0.55 : 0.35;
  }

  /**
   * The ID-deciding draws of person {@code index}, made together with those of the persons that share
   * its serial digits, so that their letters and sexes differ.
   */
  private Core core(long index) {
    int block = (int) (index / SERIALS);
    Rng rng = Rng.of(seed, index % SERIALS, STREAM_CORE);
    Core[] drawn = new Core[block + 1];
    for (int b = 0; b <= block; b++) {
      Core candidate;
      boolean clash;
      do {
        candidate = drawCore(rng);
        clash = false;
        for (int earlier = 0; earlier < b; earlier++) {
          clash |= drawn[earlier].letter() == candidate.letter() && drawn[earlier].male() == candidate.male();
        }
      } while (clash);
      drawn[b] = candidate;
    }
    return drawn[block];
  }

  private Core drawCore(Rng rng) {
    boolean male = rng.chance(Population.MALE_SHARE);
    int band = (male ? Population.MEN_BANDS : Population.WOMEN_BANDS).draw(rng);
    long ageDays = (long) ((band + rng.nextDouble()) * 5 * 365.25);
    LocalDate birthDate = periodEnd.minusDays(ageDays);
    County birthCounty = Population.BY_RESIDENTS.draw(rng);
    return new Core(male, birthDate, birthCounty, Population.letter(birthCounty, birthDate.getYear(), rng));
  }

  /** Letter codes A=10, B=11, ... with I=34, O=35, W=32, X=30, Y=31, Z=33. */
  private static final int[] LETTER_CODES = {
    10, 11, 12, 13, 14, 15, 16, 17, 34, 18, 19, 20, 21, 22, 35, 23, 24, 25, 26, 27, 28, 29, 32, 30, 31, 33
  };

  /** A national ID: letter, 1 (male) or 2 (female), seven serial digits and the check digit. */
  static String nationalId(char letter, boolean male, long serial) {
    char[] id = new char[10];
    id[0] = letter;
    id[1] = male ? '1' : '2';
    for (int i = 8; i >= 2; i--) {
      id[i] = (char) ('0' + serial % 10);
      serial /= 10;
    }
    id[9] = (char) ('0' + checkDigit(id));
    return new String(id);
  }

  /**
   * The letter's code gives two digits (weights 1 and 9), the next eight characters weigh 8 to 1, and
   * the check digit (weight 1) brings the sum to a multiple of 10.
   */
  static int checkDigit(char[] id) {
    int code = LETTER_CODES[id[0] - 'A'];
    int sum = code / 10 + (code % 10) * 9;
    for (int i = 1; i <= 8; i++) {
      sum += (id[i] - '0') * (9 - i);
    }
    return (10 - sum % 10) % 10;
  }

  // ---------------------------------------------------------------- outpatient

  /** The person's outpatient visits in the period, by date, each with its orders. */
  public List<Visit> outpatient(Person person) {
    Rng rng = Rng.of(seed, person.index, STREAM_OUTPATIENT);
    long days = person.exposureDays();
    if (days == 0) {
      return List.of();
    }
    int band = band(person.age);
    double chronicFactor = (1 + 0.3 * person.chronic.size()) / (1 + 0.3 * Clinical.expectedChronic(person.age, person.male));
    double rate = VISITS[band] * (person.male ? 0.94 : 1.06) * person.frailty * chronicFactor * days / 365.25;
    int count = (int) Math.min(Math.min(rng.poisson(rate), 3 * days), MAX_VISITS - 1);
    List<Visit> visits = new ArrayList<>(count);
    for (int k = 0; k < count; k++) {
      visits.add(visit(person, rng));
    }
    visits.sort(Comparator.comparing(Visit::date).thenComparing(Visit::hospital).thenComparing(Visit::icd1));
    List<Visit> numbered = new ArrayList<>(count);
    for (int k = 0; k < count; k++) {
      Visit v = visits.get(k);
      long id = visitIds.apply((person.index << 16) | k);
      numbered.add(new Visit(id, v.hospital(), v.date(), v.department(), v.icd1(), v.icd2(), v.icd3(), v.points(), v.copay(),
          v.orders()));
    }
    return numbered;
  }

  private Visit visit(Person person, Rng rng) {
    LocalDate date = drawDate(person, rng, true);
    boolean child = person.age < 15;
    String icd1;
    String icd2 = null;
    String icd3 = null;
    String department;
    boolean toClinic;
    List<Drug> drugs = new ArrayList<>();
    List<Procedure> procedures = new ArrayList<>();
    int drugDays;
    int n = person.chronic.size();
    if (n > 0 && rng.chance(Math.min(0.8, 0.3 + 0.15 * n))) {
      // a chronic condition's follow-up: its drugs for four weeks, now and then its tests
      Chronic condition = person.chronic.get(rng.nextInt(n));
      icd1 = condition.code;
      department = condition.departments.draw(rng);
      toClinic = condition.hospitalCare ? rng.chance(0.25) : rng.chance(0.7);
      drugs.addAll(person.chronicDrugs.get(condition));
      for (Chronic other : person.chronic) {
        if (other != condition && rng.chance(0.5)) {
          if (icd2 == null) {
            icd2 = other.code;
          } else if (icd3 == null) {
            icd3 = other.code;
          }
          if (rng.chance(0.6)) {
            drugs.addAll(person.chronicDrugs.get(other));
          }
        }
      }
      if (rng.chance(0.25)) {
        List<Procedure> tests = Clinical.followUpTests(condition);
        for (Procedure test : tests) {
          if (rng.chance(0.7)) {
            procedures.add(test);
          }
        }
      }
      drugDays = rng.chance(0.8) ? 28 : rng.chance(0.5) ? 30 : rng.between(7, 14);
    } else {
      Acute diagnosis = acute[person.male ? 0 : 1][band(person.age)][date.getYear() - settings.fromYear()].draw(rng);
      icd1 = diagnosis.code();
      if (rng.chance(0.2)) {
        String second = acute[person.male ? 0 : 1][band(person.age)][date.getYear() - settings.fromYear()].draw(rng).code();
        icd2 = second.equals(icd1) ? null : second;
      }
      if (n > 0 && rng.chance(0.35)) {
        String comorbidity = person.chronic.get(rng.nextInt(n)).code;
        if (icd2 == null) {
          icd2 = comorbidity;
        } else {
          icd3 = comorbidity;
        }
      }
      department = diagnosis.departments().draw(rng);
      if (child && (department.equals(Clinical.FAMILY) || department.equals(Clinical.INTERNAL)
          || department.equals(Clinical.GENERAL)) && rng.chance(0.6)) {
        department = Clinical.PAEDIATRICS;
      }
      if (!department.equals(Clinical.DENTAL) && !department.equals(Clinical.CHINESE_MEDICINE) && rng.chance(0.015)) {
        department = Clinical.EMERGENCY;
      }
      toClinic = rng.chance(person.age >= 65 ? 0.6 : 0.75);
      List<Drug> candidates = new ArrayList<>();
      if (department.equals(Clinical.CHINESE_MEDICINE)) {
        candidates.addAll(Clinical.DRUGS_BY_GROUP.get(DrugGroup.HERBAL));
      } else {
        for (DrugGroup group : diagnosis.drugs()) {
          DrugGroup actual = group == DrugGroup.COLD && person.age < 7 ? DrugGroup.COLD_SYRUP : group;
          candidates.addAll(Clinical.DRUGS_BY_GROUP.get(actual));
        }
      }
      if (!candidates.isEmpty() && !department.equals(Clinical.DENTAL) || rng.chance(0.2) && !candidates.isEmpty()) {
        int wanted = Math.min(5, 1 + rng.poisson(child ? 1.8 : 1.3));
        for (int tries = 0; drugs.size() < wanted && tries < 12; tries++) {
          Drug drug = candidates.get(rng.nextInt(candidates.size()));
          if (!drugs.contains(drug)) {
            drugs.add(drug);
          }
        }
      }
      Procedure[] options = diagnosis.procedures();
      for (int p = 0; p < options.length; p++) {
        boolean dental = department.equals(Clinical.DENTAL);
        if (dental && p == 0 || rng.chance(dental ? 0.4 : department.equals(Clinical.CHINESE_MEDICINE) ? 0.3 : 0.35)) {
          procedures.add(options[p]);
        }
      }
      drugDays = department.equals(Clinical.CHINESE_MEDICINE) ? 7 : rng.chance(0.7) ? 3 : rng.between(2, 7);
    }

    String hospital;
    Type type;
    if (department.equals(Clinical.DENTAL)) {
      type = rng.chance(0.9) ? Type.DENTAL : person.usualHospitalType;
      hospital = type == Type.DENTAL ? (rng.chance(0.7) ? person.usualDental : hospitals.pick(Type.DENTAL, person.county, rng))
          : person.usualHospital;
    } else if (department.equals(Clinical.CHINESE_MEDICINE)) {
      type = rng.chance(0.95) ? Type.CHINESE_MEDICINE : person.usualHospitalType;
      hospital = type == Type.CHINESE_MEDICINE
          ? (rng.chance(0.7) ? person.usualChineseMedicine : hospitals.pick(Type.CHINESE_MEDICINE, person.county, rng))
          : person.usualHospital;
    } else if (toClinic && !department.equals(Clinical.EMERGENCY)) {
      type = Type.CLINIC;
      hospital = rng.chance(0.6) ? person.usualClinic : hospitals.pick(Type.CLINIC, person.county, rng);
    } else if (rng.chance(0.55)) {
      type = person.usualHospitalType;
      hospital = person.usualHospital;
    } else {
      type = hospitalLevels.draw(rng);
      hospital = hospitals.pick(type, person.county, rng);
    }

    List<Order> orders = new ArrayList<>();
    int drugPoints = 0;
    int seq = 1;
    int maxDrugs = Math.max(0, 6 - Math.min(procedures.size(), 3));
    for (Drug drug : drugs) {
      if (seq > maxDrugs) {
        break;
      }
      Order order = drugOrder(seq++, drug, drugDays);
      orders.add(order);
      drugPoints += order.points();
    }
    for (Procedure procedure : procedures) {
      if (seq > 6) {
        break;
      }
      orders.add(procedureOrder(seq++, procedure, BigDecimal.ONE));
    }
    boolean emergency = department.equals(Clinical.EMERGENCY);
    int consultation = (emergency ? 550 : 0) + switch (type) {
      case CENTRE -> 400;
      case REGIONAL -> 350;
      case DISTRICT -> 330;
      case DENTAL -> 300;
      case CHINESE_MEDICINE -> 320;
      default -> 350;
    };
    int points = consultation + (drugPoints > 0 ? 33 : 0) + orders.stream().mapToInt(Order::points).sum();
    int copay = 0;
    if (!person.copayExempt) {
      copay = emergency
          ? (type == Type.CENTRE ? 550 : type == Type.REGIONAL ? 300 : 150)
          : switch (type) {
            case CENTRE -> 420;
            case REGIONAL -> 240;
            case DISTRICT -> 80;
            default -> 50;
          };
      if (drugPoints > 100 && drugDays < 28) { // chronic prescriptions carry no drug copayment
        copay += Math.min(200, (int) Math.ceil((drugPoints - 100) / 100.0) * 20);
      }
      copay = Math.min(copay, points);
    }
    return new Visit(0, hospital, date, department, icd1, icd2, icd3, points, copay, List.copyOf(orders));
  }

  // ---------------------------------------------------------------- inpatient

  /** The person's inpatient stays in the period, by admission date, each with its orders. */
  public List<Stay> inpatient(Person person) {
    Rng rng = Rng.of(seed, person.index, STREAM_INPATIENT);
    long days = person.exposureDays();
    if (days == 0) {
      return List.of();
    }
    int band = band(person.age);
    double years = days / 365.25;
    double chronicFactor = (1 + 0.3 * person.chronic.size()) / (1 + 0.3 * Clinical.expectedChronic(person.age, person.male));
    int others = rng.poisson(ADMISSIONS[band] * (0.5 + 0.5 * person.frailty) * chronicFactor * years);
    int deliveries = person.male ? 0 : Math.min(2, rng.poisson(DELIVERIES[band] * years));
    List<Stay> stays = new ArrayList<>();
    for (int k = 0; k < Math.min(others + deliveries, MAX_STAYS - 1); k++) {
      Admission admission = k < deliveries
          ? (rng.chance(0.35) ? Clinical.CAESAREAN : Clinical.DELIVERY)
          : admissions[person.male ? 0 : 1][band].draw(rng);
      stays.add(stay(person, admission, rng));
    }
    stays.sort(Comparator.comparing(Stay::admitted).thenComparing(Stay::hospital));
    List<Stay> numbered = new ArrayList<>(stays.size());
    for (int k = 0; k < stays.size(); k++) {
      Stay s = stays.get(k);
      numbered.add(new Stay(admissionIds.apply((person.index << 8) | k), s.hospital(), s.admitted(), s.discharged(), s.icd(),
          s.bedDays(), s.points(), s.orders()));
    }
    return numbered;
  }

  private Stay stay(Person person, Admission admission, Rng rng) {
    LocalDate admitted = drawDate(person, rng, false);
    double median = admission.medianDays() * (person.age >= 75 ? 1.3 : 1.0);
    int bedDays = (int) Math.max(1, Math.min(30, Math.round(rng.logNormal(median, 0.45))));
    LocalDate discharged = admitted.plusDays(bedDays);
    if (person.outDate != null && discharged.isAfter(person.outDate)) { // died in hospital
      discharged = max(admitted, person.outDate);
      bedDays = (int) Math.max(1, discharged.toEpochDay() - admitted.toEpochDay());
    }
    Type type;
    String hospital;
    if (rng.chance(0.5) && person.usualHospitalType != Type.CLINIC) {
      type = person.usualHospitalType;
      hospital = person.usualHospital;
    } else {
      type = hospitalLevels.draw(rng);
      hospital = hospitals.pick(type, person.county, rng);
    }
    List<String> icd = new ArrayList<>();
    icd.add(admission.code());
    for (Chronic chronic : person.chronic) {
      if (icd.size() < 5 && rng.chance(0.7)) {
        icd.add(chronic.code);
      }
    }
    while (icd.size() < 5) {
      icd.add(null);
    }
    List<Order> orders = new ArrayList<>();
    int seq = 1;
    BigDecimal days = BigDecimal.valueOf(bedDays);
    int ward = type == Type.CENTRE ? 1950 : type == Type.REGIONAL ? 1800 : Clinical.WARD_DAY.points();
    orders.add(order(seq++, Claims.PROCEDURE, Clinical.WARD_DAY.code(), BigDecimal.ONE, days, BigDecimal.valueOf(ward),
        bedDays * ward, 0));
    orders.add(procedureOrder(seq++, Clinical.NURSING_DAY, days));
    List<Drug> injections = Clinical.DRUGS_BY_GROUP.get(DrugGroup.INPATIENT);
    int drugs = rng.between(1, 3);
    for (int d = 0; d < drugs; d++) {
      Drug drug = injections.get((d + rng.nextInt(injections.size())) % injections.size());
      orders.add(drugOrder(seq++, drug, Math.max(1, bedDays - rng.nextInt(Math.max(1, bedDays / 2)))));
    }
    for (Chronic chronic : person.chronic) {
      if (seq <= 8) {
        orders.add(drugOrder(seq++, person.chronicDrugs.get(chronic).get(0), bedDays));
      }
    }
    BigDecimal labs = BigDecimal.valueOf(1 + bedDays / 3);
    orders.add(procedureOrder(seq++, Clinical.CBC, labs));
    orders.add(procedureOrder(seq++, Clinical.CREATININE, labs));
    if (rng.chance(0.5)) {
      orders.add(procedureOrder(seq++, Clinical.CHEST_XRAY, BigDecimal.ONE));
    }
    if (rng.chance(0.2)) {
      orders.add(procedureOrder(seq++, Clinical.CT_SCAN, BigDecimal.ONE));
    }
    if (admission.operation() != null) {
      orders.add(procedureOrder(seq++, admission.operation(), BigDecimal.ONE));
      orders.add(procedureOrder(seq++, Clinical.ANAESTHESIA, BigDecimal.ONE));
    }
    int points = orders.stream().mapToInt(Order::points).sum();
    return new Stay(0, hospital, admitted, discharged, java.util.Collections.unmodifiableList(icd), bedDays, points,
        List.copyOf(orders));
  }

  // ---------------------------------------------------------------- pharmacy

  /** Refills of the person's chronic prescriptions at pharmacies in the period, by date. */
  public List<Dispensing> pharmacy(Person person) {
    if (person.chronic.isEmpty() || person.exposureDays() == 0) {
      return List.of();
    }
    Rng rng = Rng.of(seed, person.index, STREAM_PHARMACY);
    int count = Math.min(rng.poisson(REFILLS * person.exposureDays() / 365.25), MAX_REFILLS - 1);
    List<Dispensing> refills = new ArrayList<>();
    for (int k = 0; k < count; k++) {
      LocalDate date = drawDate(person, rng, true);
      String pharmacy = rng.chance(0.8) ? person.usualPharmacy : hospitals.pick(Type.PHARMACY, person.county, rng);
      int days = rng.chance(0.8) ? 28 : 30;
      List<Order> orders = new ArrayList<>();
      int seq = 1;
      for (Chronic chronic : person.chronic) {
        for (Drug drug : person.chronicDrugs.get(chronic)) {
          if (seq <= 6) {
            orders.add(drugOrder(seq++, drug, days));
          }
        }
      }
      int points = 54 + orders.stream().mapToInt(Order::points).sum(); // the pharmacist's dispensing fee
      refills.add(new Dispensing(0, pharmacy, date, days, points, List.copyOf(orders)));
    }
    refills.sort(Comparator.comparing(Dispensing::date).thenComparing(Dispensing::pharmacy));
    List<Dispensing> numbered = new ArrayList<>(refills.size());
    for (int k = 0; k < refills.size(); k++) {
      Dispensing d = refills.get(k);
      numbered.add(new Dispensing(rxIds.apply((person.index << 10) | k), d.pharmacy(), d.date(), d.days(), d.points(),
          d.orders()));
    }
    return numbered;
  }

  // ---------------------------------------------------------------- helpers

  private static Order drugOrder(int seq, Drug drug, int days) {
    BigDecimal total = drug.perCourse()
        ? BigDecimal.ONE
        : drug.dose().multiply(BigDecimal.valueOf((long) drug.timesPerDay() * days));
    int points = total.multiply(drug.unitPrice()).setScale(0, RoundingMode.HALF_UP).intValueExact();
    return order(seq, Claims.DRUG, drug.code(), drug.dose(), total, drug.unitPrice(), points, days);
  }

  private static Order procedureOrder(int seq, Procedure procedure, BigDecimal quantity) {
    BigDecimal price = BigDecimal.valueOf(procedure.points());
    return order(seq, Claims.PROCEDURE, procedure.code(), BigDecimal.ONE, quantity, price,
        quantity.multiply(price).setScale(0, RoundingMode.HALF_UP).intValueExact(), 0);
  }

  private static Order order(int seq, int type, String code, BigDecimal dose, BigDecimal total, BigDecimal price, int points,
      int days) {
    return new Order(seq, type, code, dose, total, price.setScale(2, RoundingMode.HALF_UP), points, days);
  }

  /** A day the person was insured, uniformly; clinics close on most Sundays. */
  private LocalDate drawDate(Person person, Rng rng, boolean fewerOnSundays) {
    long first = person.exposureStart.toEpochDay();
    long span = person.exposureEnd.toEpochDay() - first + 1;
    LocalDate date = LocalDate.ofEpochDay(first + (long) (rng.nextDouble() * span));
    if (fewerOnSundays && date.getDayOfWeek() == DayOfWeek.SUNDAY && rng.chance(0.7)) {
      date = LocalDate.ofEpochDay(first + (long) (rng.nextDouble() * span));
    }
    return date;
  }

  static int band(int age) {
    return Math.max(0, Math.min(Population.MEN.length - 1, age / 5));
  }

  private static LocalDate min(LocalDate a, LocalDate b) {
    return a.isBefore(b) ? a : b;
  }

  private static LocalDate max(LocalDate a, LocalDate b) {
    return a.isAfter(b) ? a : b;
  }

  int hospitalPoolSize() {
    return hospitals.size();
  }

  List<String> hospitalCodes() {
    return hospitals.all();
  }
}
