package optout.registry.scope;

import java.util.Set;

/**
 * A use of data that the law mandates, so that an opt-out does not stop it. Shown to citizens wherever
 * their status is shown, and named in a snapshot's manifest when a release relies on it.
 *
 * @param code stable identifier
 * @param traditionalChinese what the use is, shown first
 * @param english what the use is, shown second
 * @param legalBasis the law and article that mandate it
 * @param scopes the scopes it overrides
 */
public record LegalExemption(String code, String traditionalChinese, String english, String legalBasis, Set<String> scopes) {

  public LegalExemption {
    if (code == null || !Scope.CODE.matcher(code).matches()) {
      throw new IllegalArgumentException("Cannot define a legal exemption: its code must be lower-case words joined by hyphens");
    }
    if (traditionalChinese == null || traditionalChinese.isBlank() || english == null || english.isBlank()) {
      throw new IllegalArgumentException("Cannot define legal exemption " + code + ": it needs a description in both languages");
    }
    if (legalBasis == null || legalBasis.isBlank()) {
      throw new IllegalArgumentException("Cannot define legal exemption " + code + ": it needs its legal basis");
    }
    if (scopes == null || scopes.isEmpty()) {
      throw new IllegalArgumentException("Cannot define legal exemption " + code + ": it must name the scopes it overrides");
    }
    scopes = Set.copyOf(scopes);
  }
}
