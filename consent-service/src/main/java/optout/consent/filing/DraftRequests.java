package optout.consent.filing;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.Optional;
import optout.consent.form.FormKind;
import optout.consent.form.Representative;
import optout.pseudonymizer.id.InvalidPersonIdException;
import optout.pseudonymizer.id.PersonId;

/** The draft requests of both flows, validated at the edge (Jakarta Validation); the domain checks again. */
public final class DraftRequests {

  private DraftRequests() {}

  static final String KIND = "opt-out|withdrawal";
  static final String RELATION = "parent-of-minor|guardian-of-ward|assistant-of-person-under-assistance";
  static final String EVIDENCE = "household-registration-transcript|court-ruling";
  /** The ID's shape; its check digit is the pseudonymizer's PersonId's to judge. */
  public static final String NATIONAL_ID = "[A-Za-z][0-9A-Da-d][0-9]{8}";
  static final String NATIONAL_ID_MESSAGE = "must be a national ID or resident certificate number: a letter and nine characters";

  /** A clerk's draft: the person's ID as checked at the counter, and how it was checked. */
  public record Counter(
      @NotNull @Pattern(regexp = KIND, message = "must be opt-out or withdrawal") String kind,
      @NotBlank @Pattern(regexp = NATIONAL_ID, message = NATIONAL_ID_MESSAGE) String nationalId,
      @NotEmpty(message = "choose at least one scope") @Size(max = 16) List<@NotBlank @Size(max = 64) String> scopes,
      @NotNull @Valid IdentityCheck identityCheck,
      @Valid CounterRepresentative representative) {}

  public record IdentityCheck(
      @NotNull @Pattern(regexp = "national-id-card|nhi-card|passport|resident-certificate",
          message = "must be national-id-card, nhi-card, passport or resident-certificate") String method) {}

  /** At the counter the clerk checks the representative's own ID card and enters its number. */
  public record CounterRepresentative(
      @NotNull @Pattern(regexp = RELATION, message = "must be parent-of-minor, guardian-of-ward or assistant-of-person-under-assistance") String relation,
      @NotNull @Pattern(regexp = EVIDENCE, message = "must be household-registration-transcript or court-ruling") String evidenceType,
      @NotBlank @Pattern(regexp = NATIONAL_ID, message = NATIONAL_ID_MESSAGE) String nationalId) {}

  /** A citizen's draft: their own ID comes from their login, a representative names the person's. */
  public record Online(
      @NotNull @Pattern(regexp = KIND, message = "must be opt-out or withdrawal") String kind,
      @NotEmpty(message = "choose at least one scope") @Size(max = 16) List<@NotBlank @Size(max = 64) String> scopes,
      @Valid OnlineRepresentative representative) {}

  public record OnlineRepresentative(
      @NotNull @Pattern(regexp = RELATION, message = "must be parent-of-minor, guardian-of-ward or assistant-of-person-under-assistance") String relation,
      @NotNull @Pattern(regexp = EVIDENCE, message = "must be household-registration-transcript or court-ruling") String evidenceType,
      @NotBlank @Pattern(regexp = NATIONAL_ID, message = NATIONAL_ID_MESSAGE) String nationalId) {}

  public record Capture(
      @Pattern(regexp = "signature-a|signature-b|signature-c|too-short", message = "must be signature-a, signature-b, signature-c or too-short")
      String virtualRecording) {}

  /** A national ID with its check digit verified, or the field's error. */
  public static PersonId personId(String field, String nationalId) {
    try {
      return PersonId.parse(nationalId);
    } catch (InvalidPersonIdException invalid) {
      throw new IllegalArgumentException(field + ": " + invalid.getMessage());
    }
  }

  static FormKind kind(String code) {
    return code.equals("withdrawal") ? FormKind.WITHDRAWAL : FormKind.OPT_OUT;
  }

  static Optional<Representative.Relation> relation(String code) {
    for (Representative.Relation relation : Representative.Relation.values()) {
      if (relation.code().equals(code)) {
        return Optional.of(relation);
      }
    }
    return Optional.empty();
  }
}
