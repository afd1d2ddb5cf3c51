package optout.registry.event;

import java.util.Arrays;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A legal representative's filing: how they relate to the person, and where the evidence of it is kept
 * (a reference into the consent service's archive, not the evidence itself).
 */
public record Proxy(Relation relation, String evidenceReference) {

  private static final Pattern REFERENCE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:/-]{0,127}");

  /** The relations under which one person may file for another. */
  public enum Relation {
    PARENT_OF_MINOR("parent-of-minor"),
    GUARDIAN_OF_WARD("guardian-of-ward"),
    ASSISTANT_OF_PERSON_UNDER_ASSISTANCE("assistant-of-person-under-assistance");

    private final String code;

    Relation(String code) {
      this.code = code;
    }

    public String code() {
      return code;
    }

    public static Optional<Relation> fromCode(String code) {
      return Arrays.stream(values()).filter(r -> r.code.equals(code)).findFirst();
    }
  }

  public Proxy {
    if (relation == null) {
      throw new IllegalArgumentException("Cannot record a proxy filing: the relation is missing");
    }
    if (evidenceReference == null || !REFERENCE.matcher(evidenceReference).matches()) {
      throw new IllegalArgumentException("Cannot record a proxy filing: the evidence reference must be 1 to 128 letters, digits or ._:/-");
    }
  }
}
