package optout.pseudonymizer.pseudonym;

/**
 * The number space of pseudonyms. Both layers are FF1 permutations of the 10-digit domain
 * [0, 10^10); the layer is written in front as an 11th digit, so that a layer-1 (warehouse)
 * pseudonym lies in [10^10, 2 x 10^10) and a layer-2 (project) pseudonym in [2 x 10^10, 3 x 10^10).
 * A pseudonym is therefore an 11-digit number starting with 1 or 2: it fits a {@code long}, joins
 * fast, can never be taken for a person identifier (which begins with a letter), and says which
 * layer it belongs to, so that one is never fed where the other belongs.
 */
public final class Pseudonyms {

  /** Digits of the FF1 domain. */
  public static final int DOMAIN_DIGITS = 10;
  public static final long DOMAIN = 10_000_000_000L;
  public static final long LAYER1_FIRST = DOMAIN;
  public static final long LAYER2_FIRST = 2 * DOMAIN;

  private Pseudonyms() {}

  public static boolean isLayer1(long value) {
    return value >= LAYER1_FIRST && value < LAYER1_FIRST + DOMAIN;
  }

  public static boolean isLayer2(long value) {
    return value >= LAYER2_FIRST && value < LAYER2_FIRST + DOMAIN;
  }

  static long requireLayer1(long value) {
    if (!isLayer1(value)) {
      throw new NotAPseudonymException("Not a warehouse (layer-1) pseudonym: it must be an 11-digit number starting with 1");
    }
    return value;
  }

  static long requireLayer2(long value) {
    if (!isLayer2(value)) {
      throw new NotAPseudonymException("Not a project (layer-2) pseudonym: it must be an 11-digit number starting with 2");
    }
    return value;
  }
}
