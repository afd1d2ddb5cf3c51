package optout.portal.citizen;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which releases left a person out: an extract is built against one registry checkpoint, and excludes
 * exactly those opted out of its purpose by the events logged before that checkpoint (log index below
 * the tree size). The person's history is replayed up to each release's checkpoint. Plain Java.
 */
final class ReleaseHistory {

  /** One filing as the registry logged it; {@code logIndex} null while it waits for its place in the log. */
  record Event(String type, Set<String> scopes, Long logIndex) {}

  /** One delivered extract: its purpose and the registry checkpoint (tree size) its exclusions were taken at. */
  record Release(String extractId, String purpose, long checkpointSize, Instant releasedAt) {}

  private ReleaseHistory() {}

  /** The purposes opted out of as of the checkpoint of this tree size. */
  static Set<String> optedOutAt(List<Event> history, long treeSize) {
    List<Event> logged = history.stream().filter(e -> e.logIndex() != null && e.logIndex() < treeSize)
        .sorted(Comparator.comparingLong(Event::logIndex)).toList();
    TreeSet<String> out = new TreeSet<>();
    for (Event event : logged) {
      switch (event.type()) {
        case "opt-out-filed" -> out.addAll(event.scopes());
        case "opt-out-withdrawn" -> out.removeAll(event.scopes());
        case "scopes-changed" -> {
          out.clear();
          out.addAll(event.scopes());
        }
        default -> throw new IllegalArgumentException("Cannot replay the history: unknown event type " + event.type());
      }
    }
    return out;
  }

  /** The releases (in their order) that left the person out. */
  static List<Release> excluding(List<Event> history, List<Release> releases) {
    List<Release> excluded = new ArrayList<>();
    for (Release release : releases) {
      if (optedOutAt(history, release.checkpointSize()).contains(release.purpose())) {
        excluded.add(release);
      }
    }
    return excluded;
  }
}
