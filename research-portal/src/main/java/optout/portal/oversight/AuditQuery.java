package optout.portal.oversight;

import java.time.Instant;
import java.util.Locale;
import java.util.Set;

/**
 * What the auditor searches for: a time window, services, kinds, words in the event, and at most how many
 * events (newest first). Plain Java; the controller checks the shapes at the edge.
 *
 * @param from inclusive, or null for no lower bound
 * @param to exclusive, or null for no upper bound
 * @param services the services to search (empty: all)
 * @param kinds the kinds to keep (empty: all)
 * @param text words that must occur (case-insensitive) in the actor, reference or summary, or null
 * @param limit at most this many events
 */
record AuditQuery(Instant from, Instant to, Set<String> services, Set<String> kinds, String text, int limit) {

  AuditQuery {
    if (from != null && to != null && !from.isBefore(to)) {
      throw new IllegalArgumentException("Cannot search: 'from' must lie before 'to'");
    }
    if (limit < 1) {
      throw new IllegalArgumentException("Cannot search: the limit must be at least 1");
    }
    services = Set.copyOf(services);
    kinds = Set.copyOf(kinds);
    text = text == null || text.isBlank() ? null : text.strip().toLowerCase(Locale.ROOT);
  }

  boolean asks(String service) {
    return services.isEmpty() || services.contains(service);
  }

  boolean matches(AuditEvent event) {
    if (from != null && (event.at() == null || event.at().isBefore(from))) {
      return false;
    }
    if (to != null && (event.at() == null || !event.at().isBefore(to))) {
      return false;
    }
    if (!asks(event.service()) || !kinds.isEmpty() && !kinds.contains(event.kind())) {
      return false;
    }
    if (text == null) {
      return true;
    }
    String haystack = (event.actor() + " " + event.reference() + " " + event.summary()).toLowerCase(Locale.ROOT);
    for (String word : text.split("\\s+")) {
      if (!haystack.contains(word)) {
        return false;
      }
    }
    return true;
  }
}
