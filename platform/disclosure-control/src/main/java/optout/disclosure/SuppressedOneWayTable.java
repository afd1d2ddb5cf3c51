package optout.disclosure;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A one-way table as the public sees it: each category and the total shown or suppressed. Why a value is
 * suppressed is only in {@link #audit()}.
 */
public final class SuppressedOneWayTable {

  private final String dimension;
  private final boolean additive;
  private final Map<String, CellValue> values;
  private final CellValue total;
  private final SuppressionAudit audit;

  SuppressedOneWayTable(String dimension, boolean additive, Map<String, CellValue> values, CellValue total,
      SuppressionAudit audit) {
    this.dimension = dimension;
    this.additive = additive;
    this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    this.total = total;
    this.audit = audit;
  }

  public String dimension() {
    return dimension;
  }

  /** Whether the categories partition the people (the total is their sum). */
  public boolean additive() {
    return additive;
  }

  public List<String> categories() {
    return List.copyOf(values.keySet());
  }

  public CellValue value(String category) {
    CellValue value = values.get(category);
    if (value == null) {
      throw new IllegalArgumentException("Cannot read " + dimension + ": no category " + category);
    }
    return value;
  }

  /** Every category's value, in table order. */
  public Map<String, CellValue> values() {
    return values;
  }

  public CellValue total() {
    return total;
  }

  /** For auditors only: why each suppressed value was suppressed. */
  public SuppressionAudit audit() {
    return audit;
  }

  /** The public view: values and "suppressed", never a reason. */
  @Override
  public String toString() {
    return dimension + values + ", total " + total;
  }
}
