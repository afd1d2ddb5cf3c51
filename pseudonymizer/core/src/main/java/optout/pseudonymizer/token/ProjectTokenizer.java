package optout.pseudonymizer.token;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import javax.crypto.Mac;

/**
 * Per-project tokens for the identifiers that are not people: hospitals (醫事機構代碼) and insured
 * units (投保單位). A token is HMAC-SHA256 under the project's token key over the identifier's kind
 * and value, cut to 63 bits: the same hospital gets the same token throughout one project and
 * unrelated tokens in another. Tokens are one-way: nobody reverses them, and nobody needs to.
 *
 * <p>Obtain it from {@code KeyCustody}; not thread-safe, so take one per thread.
 */
public final class ProjectTokenizer {

  /** What kind of identifier is tokenised; part of the MAC input, so kinds never collide. */
  public enum Kind {
    HOSPITAL,
    INSURED_UNIT
  }

  private final Mac mac;

  /** @param hmacSha256 initialised with the project's token key */
  public ProjectTokenizer(Mac hmacSha256) {
    if (!"HmacSHA256".equalsIgnoreCase(hmacSha256.getAlgorithm())) {
      throw new IllegalArgumentException("Cannot use MAC " + hmacSha256.getAlgorithm() + ": need HmacSHA256");
    }
    this.mac = hmacSha256;
  }

  /**
   * @throws IllegalArgumentException if the value is empty or holds characters other than letters,
   *     digits and hyphens (identifiers are codes; anything else is a mistake upstream)
   */
  public long token(Kind kind, String value) {
    if (value == null || value.isBlank() || !value.strip().matches("[A-Za-z0-9-]{1,64}")) {
      throw new IllegalArgumentException("Cannot tokenise " + kind + ": the identifier must be 1 to 64 letters, digits or hyphens");
    }
    // the first byte is the kind's ordinal (0 or 1): record-key derivation (KeyCustody) starts its input with 'n'
    mac.update((byte) kind.ordinal());
    mac.update((byte) 0);
    // Locale.ROOT: under a Turkish default locale "i" would become "İ", and the same code another token
    byte[] digest = mac.doFinal(value.strip().toUpperCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII));
    long token = 0;
    for (int i = 0; i < 8; i++) {
      token = (token << 8) | (digest[i] & 0xFF);
    }
    return token & Long.MAX_VALUE;
  }
}
