package optout.warehouse.runner;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Job outcomes as the portal reads them: JSON objects. */
final class Outcomes {

  static final ObjectMapper JSON = new ObjectMapper();

  private Outcomes() {}

  static ObjectNode object() {
    return JSON.createObjectNode();
  }

  /** A failed job's reason: the exception's kind and message, cut short (the jobs' messages name no person). */
  static String failure(Throwable e) {
    String message = e.getMessage() == null ? "" : e.getMessage();
    if (message.length() > 500) {
      message = message.substring(0, 500) + "...";
    }
    return object().put("error", e.getClass().getSimpleName() + (message.isEmpty() ? "" : ": " + message)).toString();
  }
}
