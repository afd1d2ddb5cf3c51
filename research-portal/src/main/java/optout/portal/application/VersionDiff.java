package optout.portal.application;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What changed between two versions of an application, field by field: each leaf of the form
 * ({@code cohort.to}, {@code tables.enrollment}, {@code justifications.enrollment.person}) whose value
 * differs, with the value before and after. Lists are compared whole.
 */
public final class VersionDiff {

  private VersionDiff() {}

  /** One changed field; {@code before} or {@code after} is null where the field was absent. */
  public record Change(String field, String before, String after) {}

  public static List<Change> between(ApplicationContent before, String ethicsBefore, ApplicationContent after, String ethicsAfter,
      JsonMapper json) {
    Map<String, String> a = flatten(json.valueToTree(before));
    Map<String, String> b = flatten(json.valueToTree(after));
    a.put("ethicsApproval", ethicsBefore);
    b.put("ethicsApproval", ethicsAfter);
    List<Change> changes = new ArrayList<>();
    TreeSet<String> fields = new TreeSet<>(a.keySet());
    fields.addAll(b.keySet());
    for (String field : fields) {
      String was = a.get(field);
      String is = b.get(field);
      if (!Objects.equals(was, is)) {
        changes.add(new Change(field, was, is));
      }
    }
    return List.copyOf(changes);
  }

  private static Map<String, String> flatten(JsonNode node) {
    Map<String, String> leaves = new TreeMap<>();
    flatten("", node, leaves);
    return leaves;
  }

  private static void flatten(String path, JsonNode node, Map<String, String> leaves) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return;
    }
    if (node.isObject()) {
      for (Map.Entry<String, JsonNode> field : node.properties()) {
        flatten(path.isEmpty() ? field.getKey() : path + "." + field.getKey(), field.getValue(), leaves);
      }
    } else if (node.isArray()) {
      leaves.put(path, node.toString());
    } else {
      leaves.put(path, node.asString());
    }
  }
}
