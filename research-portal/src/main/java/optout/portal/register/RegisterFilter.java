package optout.portal.register;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Locale;

/**
 * What a reader of the register filters by; every part optional. Text matches ignore case. Plain Java.
 *
 * @param purpose a registry scope, exactly
 * @param organisation part of the organisation's name
 * @param status {@code approved}, {@code active} or {@code closed}
 * @param text part of the title, lay summary or public benefit
 * @param approvedFrom, approvedTo the approval's calendar day (UTC), both inclusive
 */
public record RegisterFilter(String purpose, String organisation, String status, String text, LocalDate approvedFrom, LocalDate approvedTo) {

  public static final RegisterFilter NONE = new RegisterFilter(null, null, null, null, null, null);

  public boolean matches(RegisterEntry entry) {
    return (purpose == null || purpose.equals(entry.purpose()))
        && (organisation == null || contains(entry.organisation(), organisation))
        && (status == null || status.equals(entry.status()))
        && (text == null || contains(entry.title(), text) || contains(entry.laySummary(), text) || contains(entry.publicBenefit(), text))
        && (approvedFrom == null && approvedTo == null || entry.approvedAt() != null)
        && (approvedFrom == null || !entry.approvedAt().isBefore(approvedFrom.atStartOfDay().toInstant(ZoneOffset.UTC)))
        && (approvedTo == null || entry.approvedAt().isBefore(approvedTo.plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC)));
  }

  private static boolean contains(String value, String part) {
    return value != null && value.toLowerCase(Locale.ROOT).contains(part.toLowerCase(Locale.ROOT));
  }

  /** Whether any part is set. */
  public boolean any() {
    return purpose != null || organisation != null || status != null || text != null || approvedFrom != null || approvedTo != null;
  }
}
