package optout.registry.log;

import java.util.Base64;

/**
 * The strict text rules shared by checkpoints, signed notes and key strings. Strict because every
 * byte of a signed text is signed: two encodings of one value would let the same checkpoint be
 * written two ways, and a lenient parser would accept text our own formatter never produces.
 */
final class Encodings {

  private Encodings() {}

  /**
   * Decodes standard base64 (RFC 4648 section 4) only in its canonical form: correct padding, no
   * line breaks, no other characters, unused trailing bits zero. Answers null otherwise, so callers
   * word the error for their context.
   */
  static byte[] decodeCanonicalBase64(String text) {
    if (text.isEmpty() || text.length() % 4 != 0) {
      return null;
    }
    byte[] decoded;
    try {
      decoded = Base64.getDecoder().decode(text);
    } catch (IllegalArgumentException e) {
      return null;
    }
    // The JDK decoder ignores non-zero unused bits ("QR==" decodes like "QQ=="); re-encoding finds them.
    return Base64.getEncoder().encodeToString(decoded).equals(text) ? decoded : null;
  }

  /**
   * The first code point that a signed note must not contain, or -1 if there is none: ASCII control
   * characters other than newline (c2sp.org/signed-note), and unpaired surrogates, which have no
   * UTF-8 encoding.
   */
  static int firstForbiddenCharacter(String text) {
    for (int i = 0; i < text.length(); ) {
      int codePoint = text.codePointAt(i);
      if (codePoint < 0x20 && codePoint != '\n' || isUnpairedSurrogate(codePoint)) {
        return codePoint;
      }
      i += Character.charCount(codePoint);
    }
    return -1;
  }

  /** U+XXXX, for messages about characters that cannot be shown as themselves. */
  static String describe(int codePoint) {
    return String.format("U+%04X", codePoint);
  }

  /**
   * Whether a key name is valid: non-empty, no Unicode white space and no plus (c2sp.org/signed-note,
   * golang.org/x/mod/sumdb/note), and, stricter than either, no control characters at all.
   */
  static boolean isValidKeyName(String name) {
    if (name == null || name.isEmpty()) {
      return false;
    }
    for (int i = 0; i < name.length(); ) {
      int codePoint = name.codePointAt(i);
      if (codePoint == '+' || isUnicodeSpace(codePoint) || Character.isISOControl(codePoint)
          || isUnpairedSurrogate(codePoint)) {
        return false;
      }
      i += Character.charCount(codePoint);
    }
    return true;
  }

  /** String.codePointAt answers a surrogate code point only for a surrogate without its pair. */
  private static boolean isUnpairedSurrogate(int codePoint) {
    return codePoint >= Character.MIN_SURROGATE && codePoint <= Character.MAX_SURROGATE;
  }

  /** Unicode's White_Space property, as Go's unicode.IsSpace tests it. */
  private static boolean isUnicodeSpace(int codePoint) {
    return codePoint >= 0x09 && codePoint <= 0x0d || codePoint == 0x85 || Character.isSpaceChar(codePoint);
  }

  /** Text for a message: the value itself if short, else its start, so errors stay readable. */
  static String excerpt(String text) {
    return text.length() <= 64 ? '"' + text + '"' : '"' + text.substring(0, 64) + "\"...";
  }
}
