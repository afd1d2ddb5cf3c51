package optout.consent.form;

import java.util.regex.Pattern;

/**
 * The code on a receipt that lets anyone holding it check, at the public verification endpoint, that
 * the filing exists and is unaltered. The service derives it (e.g. an HMAC of the filing ID under a
 * key of its own, in base32) so that codes cannot be guessed or enumerated; the form only shows it.
 * 16 characters of the RFC 4648 base32 alphabet (80 bits), upper case, shown in groups of four.
 */
public record VerificationCode(String value) {

  private static final Pattern BASE32 = Pattern.compile("[A-Z2-7]{16}");

  public VerificationCode {
    if (value == null || !BASE32.matcher(value).matches()) {
      throw new IllegalArgumentException("Cannot use the verification code: it must be 16 characters of A-Z and 2-7 (base32, upper case)");
    }
  }

  /** The code in groups of four, for reading aloud or typing: {@code ABCD-EFGH-IJKL-MNOP}. */
  public String grouped() {
    return value.substring(0, 4) + "-" + value.substring(4, 8) + "-" + value.substring(8, 12) + "-" + value.substring(12);
  }
}
