package optout.disclosure;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Why each suppressed value of a table was suppressed. Auditors only: it tells which cells are small
 * (primary), which the public view must never tell. Kept apart from the table's public accessors so that
 * a view serialising those cannot print it by accident; it holds no counts.
 */
public final class SuppressionAudit {

  private final int threshold;
  private final Map<CellRef, SuppressionReason> reasons;

  SuppressionAudit(int threshold, Map<CellRef, SuppressionReason> reasons) {
    this.threshold = threshold;
    this.reasons = Collections.unmodifiableMap(new LinkedHashMap<>(reasons));
  }

  public int threshold() {
    return threshold;
  }

  /** Why the value was suppressed, or empty if it is published. */
  public Optional<SuppressionReason> reason(CellRef ref) {
    return Optional.ofNullable(reasons.get(ref));
  }

  /** Every suppressed value with its reason, in table order (cells, then margins, then the total). */
  public Map<CellRef, SuppressionReason> suppressed() {
    return reasons;
  }

  public long count(SuppressionReason reason) {
    return reasons.values().stream().filter(reason::equals).count();
  }

  @Override
  public String toString() {
    return "SuppressionAudit[threshold " + threshold + ", " + count(SuppressionReason.PRIMARY) + " primary, "
        + count(SuppressionReason.SECONDARY) + " secondary]";
  }
}
