package optout.platform.logging;

import java.util.regex.Pattern;

/**
 * A last line of defence for the rule that logs never hold an identifier or a token: whatever slips
 * into a log message or an exception text is masked before it is written. Code must still never log
 * these; the masking catches mistakes, it does not license them.
 */
public final class LogMasking {

  /** National ID and resident certificate numbers, old and new formats: a letter, then [1289A-D], then 8 digits. */
  private static final Pattern PERSON_ID = Pattern.compile("(?<![A-Za-z0-9])[A-Za-z][1289A-Da-d]\\d{8}(?![0-9])");
  /** A compact JWS/JWT: three base64url parts, the first a JSON header. */
  private static final Pattern JWT = Pattern.compile("eyJ[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*");
  private static final Pattern BEARER = Pattern.compile("(?i)(bearer\\s+)[A-Za-z0-9._~+/-]+=*");
  private static final Pattern SECRET_ASSIGNMENT =
      Pattern.compile("(?i)((?:password|passphrase|secret|client_secret|access_token|refresh_token)[\"']?\\s*[=:]\\s*[\"']?)[^\\s\"'&,;}]+");

  public static final String PERSON_ID_MASK = "[person-id]";
  public static final String TOKEN_MASK = "[token]";
  public static final String SECRET_MASK = "[secret]";

  private LogMasking() {}

  public static String mask(String text) {
    if (text == null || text.isEmpty()) {
      return text;
    }
    String masked = JWT.matcher(text).replaceAll(TOKEN_MASK);
    masked = BEARER.matcher(masked).replaceAll("$1" + TOKEN_MASK);
    masked = SECRET_ASSIGNMENT.matcher(masked).replaceAll("$1" + SECRET_MASK);
    return PERSON_ID.matcher(masked).replaceAll(PERSON_ID_MASK);
  }
}
