package optout.consent.form;

import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Pattern;
import optout.pseudonymizer.id.PersonId;

/**
 * What one form records, and nothing more: the form carries the person's ID masked, the scopes, the
 * channel, for a proxy filing the relation and the evidence reference, the moment of signing, and
 * the filing's ID. No name, birth date, address or telephone number: the registry needs none of them
 * to honour an opt-out, and a form that held them would be a richer target than the opt-out itself.
 * The full ID is taken only to mask it consistently; it never reaches the PDF.
 *
 * @param filingId the consent service's ID of the filing, 1 to 64 letters, digits or {@code ._:/-}
 * @param kind opt-out or withdrawal
 * @param person the person whose data the filing is about (for a proxy filing: the minor or ward)
 * @param scopes the scope codes chosen (the registry's codes, e.g. {@code academic-research}); the
 *     template must offer each
 * @param channel counter or online
 * @param representative present exactly when a legal representative files for the person
 * @param signedAt when the form was signed; shown in Asia/Taipei time
 */
public record Filing(String filingId, FormKind kind, PersonId person, SortedSet<String> scopes, Channel channel,
    Optional<Representative> representative, Instant signedAt) {

  private static final Pattern FILING_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:/-]{0,63}");
  private static final Pattern SCOPE = Pattern.compile("[a-z][a-z0-9]*(-[a-z0-9]+)*");

  public Filing {
    if (filingId == null || !FILING_ID.matcher(filingId).matches()) {
      throw new IllegalArgumentException("Cannot prepare the form: the filing ID must be 1 to 64 letters, digits or ._:/-");
    }
    if (kind == null || person == null || channel == null || representative == null || signedAt == null) {
      throw new IllegalArgumentException("Cannot prepare the form: kind, person, channel, representative (or empty) and signing time are required");
    }
    if (scopes == null || scopes.isEmpty()) {
      throw new IllegalArgumentException(kind == FormKind.WITHDRAWAL
          ? "Cannot prepare a withdrawal: it must name at least one scope to consent to again"
          : "Cannot prepare an opt-out: it must name at least one scope to stop");
    }
    for (String scope : scopes) {
      if (scope == null || scope.length() > 64 || !SCOPE.matcher(scope).matches()) {
        throw new IllegalArgumentException("Cannot prepare the form: scope codes are lower-case words joined by hyphens, at most 64 characters");
      }
    }
    scopes = Collections.unmodifiableSortedSet(new TreeSet<>(scopes));
  }

  /** A filing by the person themself. */
  public static Filing byPerson(String filingId, FormKind kind, PersonId person, Collection<String> scopes,
      Channel channel, Instant signedAt) {
    return new Filing(filingId, kind, person, sorted(scopes), channel, Optional.empty(), signedAt);
  }

  /** A filing by a legal representative for the person. */
  public static Filing byRepresentative(String filingId, FormKind kind, PersonId person, Collection<String> scopes,
      Channel channel, Representative representative, Instant signedAt) {
    if (representative == null) {
      throw new IllegalArgumentException("Cannot prepare a proxy filing: the representative is missing");
    }
    return new Filing(filingId, kind, person, sorted(scopes), channel, Optional.of(representative), signedAt);
  }

  /**
   * The person's ID as the form shows it: the first letter and the last three characters, the rest
   * hidden ({@code A******789}). Enough for the person to recognise their own form, too little to
   * single them out: the hidden sex digit and five serial digits, less the visible check digit, leave
   * some 20,000 national IDs that fit.
   */
  public String maskedPersonId() {
    return mask(person);
  }

  public static String mask(PersonId person) {
    String id = person.unmaskedValue();
    return id.charAt(0) + "*".repeat(id.length() - 4) + id.substring(id.length() - 3);
  }

  private static SortedSet<String> sorted(Collection<String> scopes) {
    if (scopes == null) {
      return null;
    }
    TreeSet<String> sorted = new TreeSet<>();
    for (String scope : scopes) {
      if (scope == null) {
        throw new IllegalArgumentException("Cannot prepare the form: a scope code is missing");
      }
      sorted.add(scope);
    }
    return sorted;
  }
}
