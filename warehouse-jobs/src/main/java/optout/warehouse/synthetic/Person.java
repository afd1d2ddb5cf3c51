package optout.warehouse.synthetic;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import optout.pseudonymizer.generalise.County;

/**
 * One synthetic insured person: what the enrollment file says about them, and what the generator needs
 * to make their claims (chronic conditions and their drugs, frailty, usual providers). The national ID
 * is synthetic, but valid; it is treated like a real one all the same (never logged).
 */
public final class Person {

  final long index;
  final String nationalId;
  final LocalDate birthDate;
  final boolean male;
  final LocalDate inDate;
  final LocalDate outDate;
  final String insuredUnit;
  final int postalCode;
  final County county;
  final int premiumGrade;
  /** Age in whole years at the end of the period. */
  final int age;
  /** The days of the period this person was insured, inclusive; start after end if none. */
  final LocalDate exposureStart;
  final LocalDate exposureEnd;
  final List<Clinical.Chronic> chronic;
  final Map<Clinical.Chronic, List<Clinical.Drug>> chronicDrugs;
  final double frailty;
  final boolean copayExempt;
  final String usualClinic;
  final String usualDental;
  final String usualChineseMedicine;
  final String usualPharmacy;
  final String usualHospital;
  final Hospitals.Type usualHospitalType;

  Person(long index, String nationalId, LocalDate birthDate, boolean male, LocalDate inDate, LocalDate outDate,
      String insuredUnit, int postalCode, County county, int premiumGrade, int age, LocalDate exposureStart,
      LocalDate exposureEnd, List<Clinical.Chronic> chronic, Map<Clinical.Chronic, List<Clinical.Drug>> chronicDrugs,
      double frailty, boolean copayExempt, String usualClinic, String usualDental, String usualChineseMedicine,
      String usualPharmacy, String usualHospital, Hospitals.Type usualHospitalType) {
    this.index = index;
    this.nationalId = nationalId;
    this.birthDate = birthDate;
    this.male = male;
    this.inDate = inDate;
    this.outDate = outDate;
    this.insuredUnit = insuredUnit;
    this.postalCode = postalCode;
    this.county = county;
    this.premiumGrade = premiumGrade;
    this.age = age;
    this.exposureStart = exposureStart;
    this.exposureEnd = exposureEnd;
    this.chronic = chronic;
    this.chronicDrugs = chronicDrugs;
    this.frailty = frailty;
    this.copayExempt = copayExempt;
    this.usualClinic = usualClinic;
    this.usualDental = usualDental;
    this.usualChineseMedicine = usualChineseMedicine;
    this.usualPharmacy = usualPharmacy;
    this.usualHospital = usualHospital;
    this.usualHospitalType = usualHospitalType;
  }

  public long index() {
    return index;
  }

  /** The synthetic national ID. Like a real one: never log it. */
  public String unmaskedNationalId() {
    return nationalId;
  }

  public LocalDate birthDate() {
    return birthDate;
  }

  public boolean male() {
    return male;
  }

  public LocalDate inDate() {
    return inDate;
  }

  /** When the person left the insurance (died or emigrated), or null. */
  public LocalDate outDate() {
    return outDate;
  }

  public String insuredUnit() {
    return insuredUnit;
  }

  /** The 3-digit postal code of registration. */
  public String areaCode() {
    return Integer.toString(postalCode);
  }

  public County county() {
    return county;
  }

  public int premiumGrade() {
    return premiumGrade;
  }

  /** Age in whole years at the end of the period. */
  public int age() {
    return age;
  }

  /** Days insured within the period. */
  public long exposureDays() {
    return exposureStart.isAfter(exposureEnd) ? 0 : exposureEnd.toEpochDay() - exposureStart.toEpochDay() + 1;
  }

  public List<String> chronicConditions() {
    return chronic.stream().map(c -> c.code).toList();
  }

  @Override
  public String toString() {
    return "Person[" + index + ", ID hidden]";
  }
}
