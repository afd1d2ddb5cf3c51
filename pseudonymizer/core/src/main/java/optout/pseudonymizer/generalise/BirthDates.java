package optout.pseudonymizer.generalise;

import java.time.LocalDate;
import java.time.Period;

/**
 * Generalisation of dates of birth and ages, so that an extract carries no exact birth date. Each
 * project's rules choose which of these it gets.
 */
public final class BirthDates {

  /** Ages from this on are reported as this value, meaning "this age or older". */
  public static final int TOP_CODED_AGE = 90;

  private BirthDates() {}

  public static int year(LocalDate birthDate) {
    return requireDate(birthDate).getYear();
  }

  /** The first year of the birth date's 5-year band: 1980 for 1980-1984, 1985 for 1985-1989. */
  public static int fiveYearBandStart(LocalDate birthDate) {
    return Math.floorDiv(year(birthDate), 5) * 5;
  }

  /** The band as shown to researchers: "1980-1984". */
  public static String fiveYearBand(LocalDate birthDate) {
    int start = fiveYearBandStart(birthDate);
    return start + "-" + (start + 4);
  }

  /**
   * Completed years of age on the day of an event, top-coded: anyone {@value #TOP_CODED_AGE} or older
   * is {@value #TOP_CODED_AGE}.
   *
   * @throws IllegalArgumentException if the event lies before the birth
   */
  public static int ageAtEvent(LocalDate birthDate, LocalDate eventDate) {
    requireDate(birthDate);
    requireDate(eventDate);
    if (eventDate.isBefore(birthDate)) {
      throw new IllegalArgumentException("Cannot compute an age: the event lies before the birth");
    }
    return Math.min(Period.between(birthDate, eventDate).getYears(), TOP_CODED_AGE);
  }

  /** The age as shown: "47", or "90+" when top-coded. */
  public static String ageLabel(int topCodedAge) {
    return topCodedAge >= TOP_CODED_AGE ? TOP_CODED_AGE + "+" : Integer.toString(topCodedAge);
  }

  private static LocalDate requireDate(LocalDate date) {
    if (date == null) {
      throw new IllegalArgumentException("Cannot generalise: the date is missing");
    }
    return date;
  }
}
