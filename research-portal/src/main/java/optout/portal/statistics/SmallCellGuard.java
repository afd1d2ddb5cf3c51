package optout.portal.statistics;

import tools.jackson.databind.JsonNode;

/**
 * The portal's own last line before publishing the registry's statistics: every cell ({@code count} with
 * {@code suppressed}) must be a true zero, at least the threshold (never below 10), or suppressed with no count. A
 * publication that breaks this anywhere is not shown at all. Plain Java.
 */
public final class SmallCellGuard {

  public static final int MINIMUM_THRESHOLD = 10;

  private SmallCellGuard() {}

  /** The first cell that may not be published, as its JSON pointer, or null if every cell may. */
  public static String firstSmallCell(JsonNode publication, int threshold) {
    return walk(publication, "", Math.max(threshold, MINIMUM_THRESHOLD));
  }

  private static String walk(JsonNode node, String pointer, int threshold) {
    if (node.isObject()) {
      if (node.has("count") || node.has("suppressed")) {
        JsonNode count = node.path("count");
        boolean suppressed = node.path("suppressed").asBoolean(false);
        if (suppressed ? !count.isNull() && !count.isMissingNode()
            : !count.isIntegralNumber() || (count.asLong() != 0 && count.asLong() < threshold)) {
          return pointer;
        }
      }
      for (var field : node.properties()) {
        String found = walk(field.getValue(), pointer + "/" + field.getKey(), threshold);
        if (found != null) {
          return found;
        }
      }
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        String found = walk(node.get(i), pointer + "/" + i, threshold);
        if (found != null) {
          return found;
        }
      }
    }
    return null;
  }
}
