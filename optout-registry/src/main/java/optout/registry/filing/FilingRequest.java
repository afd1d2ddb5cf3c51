package optout.registry.filing;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;

/**
 * A filing as the consent service posts it. The national ID is checked for its form here and for its
 * check digit by the pseudonymizer; it is turned into a pseudonym and a sealed copy before anything is
 * stored, and it is never logged. The consent service signs the filing's canonical text
 * ({@code optout.registry.sealedfiling.CanonicalFiling}: these fields, the idempotency key, the person
 * committed to under {@code personSalt}, and the clerk or citizen account that filed) with its filing
 * key; {@code signature} carries the signed note's signature lines.
 */
record FilingRequest(
    @NotBlank @Pattern(regexp = "opt-out-filed|opt-out-withdrawn|scopes-changed",
        message = "must be opt-out-filed, opt-out-withdrawn or scopes-changed") String type,
    @NotBlank @Pattern(regexp = "[A-Za-z][0-9A-Da-d][0-9]{8}", message = "must be a national ID or resident certificate number: a letter and nine characters") String nationalId,
    @NotEmpty @Size(max = 16) List<@NotBlank @Size(max = 64) String> scopes,
    @NotBlank @Pattern(regexp = "counter|online|proxy", message = "must be counter, online or proxy") String channel,
    @Valid ProxyPart proxy,
    @NotNull @Valid DocumentPart document,
    @NotNull Instant effectiveAt,
    @Pattern(regexp = "[0-9]{1,2}-[0-9]{1,3}|90\\+", message = "must be a five-year band like 40-44, or 90+") String ageBand,
    @NotBlank @Pattern(regexp = "[0-9a-f]{64}", message = "must be 64 lower-case hex digits") String personSalt,
    @NotNull @Valid FilerPart filer,
    @NotBlank @Size(max = 2000) String signature) {

  /** The clerk or citizen account that filed at the consent service; the registry keeps only a keyed pseudonym of it. */
  record FilerPart(
      @NotBlank @Pattern(regexp = "clerk|citizen", message = "must be clerk or citizen") String role,
      @NotBlank @Pattern(regexp = "[A-Za-z0-9._:@-]{1,128}", message = "must be 1 to 128 letters, digits or ._:@-") String account) {}

  record ProxyPart(
      @NotBlank @Pattern(regexp = "parent-of-minor|guardian-of-ward|assistant-of-person-under-assistance",
          message = "must be parent-of-minor, guardian-of-ward or assistant-of-person-under-assistance") String relation,
      @NotBlank @Pattern(regexp = "[A-Za-z0-9][A-Za-z0-9._:/-]{0,127}", message = "must be 1 to 128 letters, digits or ._:/-") String evidenceReference) {}

  record DocumentPart(
      @NotBlank @Pattern(regexp = "[A-Za-z0-9][A-Za-z0-9._:/-]{0,127}", message = "must be 1 to 128 letters, digits or ._:/-") String reference,
      @NotBlank @Pattern(regexp = "[0-9a-f]{64}", message = "must be 64 lower-case hex digits") String sha256) {}
}
