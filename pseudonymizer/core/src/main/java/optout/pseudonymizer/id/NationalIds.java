package optout.pseudonymizer.id;

/**
 * Distinct, valid Taiwanese national IDs by index, for benchmarks and demos that need many made-up persons
 * (registry-bench: one per filing, so every filing is a first opt-out of its own person; portal-demo: one per
 * benchmark citizen). The check digit is computed here from the rule itself, and {@link #selfCheck} holds the
 * result against {@link PersonId}'s parser, so neither can drift unnoticed.
 */
public final class NationalIds {

  /** The two-digit code of each first letter A..Z (I=34, O=35, W=32, X=30, Y=31, Z=33 are out of order). */
  private static final int[] LETTER_CODES = {
    10, 11, 12, 13, 14, 15, 16, 17, 34, 18, 19, 20, 21, 22, 35, 23, 24, 25, 26, 27, 28, 29, 32, 30, 31, 33
  };
  /** 26 letters x 2 sexes x 10^7 serial numbers. */
  public static final long CAPACITY = 26L * 2 * 10_000_000L;

  private NationalIds() {}

  /** The ID of filing {@code index}: letter, then sex (1 or 2), then a seven-digit serial, then the check digit. */
  public static String of(long index) {
    if (index < 0 || index >= CAPACITY) {
      throw new IllegalArgumentException("Cannot make a national ID: index out of range");
    }
    char[] id = new char[10];
    id[0] = (char) ('A' + index % 26);
    id[1] = (char) ('1' + (index / 26) % 2);
    long serial = index / 52;
    for (int i = 8; i >= 2; i--) {
      id[i] = (char) ('0' + serial % 10);
      serial /= 10;
    }
    int code = LETTER_CODES[id[0] - 'A'];
    int sum = code / 10 + (code % 10) * 9;
    for (int i = 1; i < 9; i++) {
      sum += (id[i] - '0') * (9 - i);
    }
    id[9] = (char) ('0' + (10 - sum % 10) % 10);
    return new String(id);
  }

  /** Every one of the first {@code count} IDs parses as valid and none repeats (the serial spreads them). */
  public static void selfCheck(int count) {
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (int i = 0; i < count; i++) {
      String id = of(i);
      if (!PersonId.isValid(id) || !seen.add(id)) {
        throw new IllegalStateException("The benchmark's ID generator made an invalid or repeated ID at index " + i);
      }
    }
  }
}
