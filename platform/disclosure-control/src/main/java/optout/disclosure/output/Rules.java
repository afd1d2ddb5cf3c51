package optout.disclosure.output;

import java.util.Locale;
import java.util.Optional;

/**
 * A rule set of the output check: the threshold below which a count is suppressed (with its complements,
 * see {@code optout.disclosure}) and the base every other non-zero value is rounded to (1: not rounded).
 *
 * <ul>
 *   <li>{@link #smallCell(int)}, named {@code small-cell}: the current practice, suppression only (threshold 3
 *       by default, {@link OutputCheck#DEFAULT_THRESHOLD}).</li>
 *   <li>{@link #OPENSAFELY}, named {@code opensafely}: like OpenSAFELY's output rules, counts of 7 or fewer are
 *       suppressed (threshold 8, with the same complements) and every other non-zero value, totals included, is
 *       rounded to the nearest 5. A true zero is shown, as in the small-cell rules.</li>
 * </ul>
 *
 * @param name what the rule set is called in the API and the records
 * @param threshold counts from 1 to {@code threshold - 1} are suppressed
 * @param roundingBase shown non-zero values are rounded to the nearest multiple of this (1: exact)
 */
public record Rules(String name, int threshold, int roundingBase) {

  /** Counts of 7 or fewer suppressed, the rest rounded to the nearest 5. */
  public static final Rules OPENSAFELY = new Rules("opensafely", 8, 5);

  public Rules {
    if (name == null || !name.matches("[a-z][a-z0-9-]{0,31}")) {
      throw new IllegalArgumentException("Cannot make rules: the name must be lower-case letters, digits and hyphens");
    }
    if (threshold < 1) {
      throw new IllegalArgumentException("Cannot make rules: the threshold must be at least 1, not " + threshold);
    }
    if (roundingBase < 1) {
      throw new IllegalArgumentException("Cannot make rules: the rounding base must be at least 1, not " + roundingBase);
    }
  }

  /** Suppression only, with this threshold. */
  public static Rules smallCell(int threshold) {
    return new Rules("small-cell", threshold, 1);
  }

  /** The rule sets a caller may choose by name: {@code small-cell} (threshold 3) and {@code opensafely}. */
  public static Optional<Rules> named(String name) {
    return switch (name == null ? "" : name.toLowerCase(Locale.ROOT)) {
      case "small-cell" -> Optional.of(smallCell(OutputCheck.DEFAULT_THRESHOLD));
      case "opensafely" -> Optional.of(OPENSAFELY);
      default -> Optional.empty();
    };
  }

  /** Whether shown non-zero values are rounded (and so not exact). */
  public boolean rounds() {
    return roundingBase > 1;
  }

  /** A shown count as released: rounded to the nearest multiple of the base, half way up. */
  long release(long count) {
    if (roundingBase == 1 || count == 0) {
      return count;
    }
    long down = count / roundingBase * roundingBase;
    // the nearest multiple; exactly half way (only for an even base) rounds up
    return count - down >= roundingBase - (count - down) ? down + roundingBase : down;
  }
}
