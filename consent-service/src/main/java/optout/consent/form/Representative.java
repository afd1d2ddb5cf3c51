package optout.consent.form;

import java.util.regex.Pattern;
import optout.pseudonymizer.id.PersonId;

/**
 * A legal representative who files for the person: how they relate to the person, and where the
 * evidence of their authority is kept, and who they are. The form shows the representative's ID masked,
 * as it shows the person's, so a form filed for someone always says who filed it; the evidence itself
 * stays in the archive, where the reference leads.
 *
 * @param relation the legal relation (the registry's codes)
 * @param evidenceReference a reference into the consent service's archive, 1 to 128 letters, digits
 *     or {@code ._:/-} (the registry's rule)
 * @param id the representative's own national ID (checked at the counter, or from their account
 *     online); only its masked form reaches the PDF
 */
public record Representative(Relation relation, String evidenceReference, PersonId id) {

  private static final Pattern REFERENCE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:/-]{0,127}");

  /** The relations under which one person may file for another. */
  public enum Relation {
    /** A parent of a minor (法定代理人). */
    PARENT_OF_MINOR("parent-of-minor"),
    /** The guardian of a person under guardianship (監護人). */
    GUARDIAN_OF_WARD("guardian-of-ward"),
    /** The assistant of a person under assistance (輔助人). */
    ASSISTANT_OF_PERSON_UNDER_ASSISTANCE("assistant-of-person-under-assistance");

    private final String code;

    Relation(String code) {
      this.code = code;
    }

    public String code() {
      return code;
    }
  }

  public Representative {
    if (relation == null) {
      throw new IllegalArgumentException("Cannot record a representative: the relation is missing");
    }
    if (evidenceReference == null || !REFERENCE.matcher(evidenceReference).matches()) {
      throw new IllegalArgumentException(
          "Cannot record a representative: the evidence reference must be 1 to 128 letters, digits or ._:/-");
    }
    if (id == null) {
      throw new IllegalArgumentException("Cannot record a representative: the representative's own ID is missing");
    }
  }

  /** The representative's ID as the form shows it. */
  public String maskedId() {
    return Filing.mask(id);
  }
}
