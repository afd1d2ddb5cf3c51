package optout.registry.scope;

import java.util.regex.Pattern;

/**
 * A purpose of secondary use that a person can opt out of, e.g. academic research. Scopes come from
 * configuration; their codes are what filings, snapshots and the log name.
 *
 * @param code stable identifier, lower-case words joined by hyphens
 * @param traditionalChinese the name shown first
 * @param english the name shown second
 * @param fhirPurpose an HL7 v3 ActReason code for the FHIR Consent view, or empty if none fits
 * @param coversAll opting out of this scope opts out of every scope (e.g. "all secondary use")
 */
public record Scope(String code, String traditionalChinese, String english, String fhirPurpose, boolean coversAll) {

  static final Pattern CODE = Pattern.compile("[a-z][a-z0-9]*(-[a-z0-9]+)*");

  public Scope {
    if (code == null || !CODE.matcher(code).matches() || code.length() > 64) {
      throw new IllegalArgumentException("Cannot define a scope: its code must be lower-case words joined by hyphens, at most 64 characters");
    }
    if (traditionalChinese == null || traditionalChinese.isBlank() || english == null || english.isBlank()) {
      throw new IllegalArgumentException("Cannot define scope " + code + ": it needs a name in Traditional Chinese and in English");
    }
    fhirPurpose = fhirPurpose == null ? "" : fhirPurpose;
  }
}
