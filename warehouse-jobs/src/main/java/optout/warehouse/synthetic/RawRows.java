package optout.warehouse.synthetic;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import optout.warehouse.ingest.RawFile;
import optout.warehouse.synthetic.Claims.Dispensing;
import optout.warehouse.synthetic.Claims.Order;
import optout.warehouse.synthetic.Claims.Stay;
import optout.warehouse.synthetic.Claims.Visit;

/**
 * A person's rows of one raw file, as the CSV's text fields in {@link RawFile#columns()} order (null for
 * an empty field): dates yyyy-MM-dd, quantities with up to 3 decimals, prices with 2.
 */
public final class RawRows {

  private final SyntheticNhi generator;

  public RawRows(SyntheticNhi generator) {
    this.generator = generator;
  }

  /** Rows of {@code file} for person {@code index}. */
  public List<String[]> rows(RawFile file, long index) {
    Person person = generator.person(index);
    List<String[]> rows = new ArrayList<>();
    switch (file) {
      case ID -> rows.add(new String[] {
        person.nationalId, date(person.birthDate), person.male ? "M" : "F", date(person.inDate), date(person.outDate),
        person.insuredUnit, person.areaCode(), Integer.toString(person.premiumGrade)});
      case CD -> {
        for (Visit v : generator.outpatient(person)) {
          rows.add(new String[] {
            Long.toString(v.visitId()), v.hospital(), person.nationalId, date(v.date()), v.department(), v.icd1(), v.icd2(),
            v.icd3(), Integer.toString(v.points()), Integer.toString(v.copay())});
        }
      }
      case OO -> {
        for (Visit v : generator.outpatient(person)) {
          for (Order o : v.orders()) {
            rows.add(new String[] {
              Long.toString(v.visitId()), Integer.toString(o.seq()), Integer.toString(o.type()), o.code(), quantity(o.dose()),
              quantity(o.totalQuantity()), price(o.unitPrice()), Integer.toString(o.points())});
          }
        }
      }
      case DD -> {
        for (Stay s : generator.inpatient(person)) {
          rows.add(new String[] {
            Long.toString(s.admissionId()), s.hospital(), person.nationalId, date(s.admitted()), date(s.discharged()),
            s.icd().get(0), s.icd().get(1), s.icd().get(2), s.icd().get(3), s.icd().get(4), Integer.toString(s.bedDays()),
            Integer.toString(s.points())});
        }
      }
      case DO -> {
        for (Stay s : generator.inpatient(person)) {
          for (Order o : s.orders()) {
            rows.add(new String[] {
              Long.toString(s.admissionId()), Integer.toString(o.seq()), o.code(), quantity(o.totalQuantity()),
              Integer.toString(o.points())});
          }
        }
      }
      case GD -> {
        for (Dispensing d : generator.pharmacy(person)) {
          rows.add(new String[] {
            Long.toString(d.rxId()), d.pharmacy(), person.nationalId, date(d.date()), Integer.toString(d.days()),
            Integer.toString(d.points())});
        }
      }
      case GO -> {
        for (Dispensing d : generator.pharmacy(person)) {
          for (Order o : d.orders()) {
            rows.add(new String[] {
              Long.toString(d.rxId()), Integer.toString(o.seq()), o.code(), quantity(o.totalQuantity()),
              Integer.toString(o.days()), Integer.toString(o.points())});
          }
        }
      }
      default -> throw new IllegalArgumentException("no rows for " + file);
    }
    return rows;
  }

  static String date(LocalDate date) {
    return date == null ? null : date.toString();
  }

  static String quantity(BigDecimal value) {
    BigDecimal scaled = value.setScale(3, RoundingMode.HALF_UP).stripTrailingZeros();
    return (scaled.scale() < 0 ? scaled.setScale(0) : scaled).toPlainString();
  }

  static String price(BigDecimal value) {
    return value.setScale(2, RoundingMode.HALF_UP).toPlainString();
  }
}
