package optout.registry.status;

import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;
import optout.registry.event.PersonState;
import optout.registry.event.store.EventStore;
import optout.registry.event.store.StoredEvent;
import org.springframework.stereotype.Service;

/**
 * A person's status now, at an instant, or at a checkpoint: always the fold of their events, so that
 * every answer can be recomputed from the log. "At an instant" counts the events that had taken effect
 * by then; "at a checkpoint" counts the events the checkpoint's tree holds, which is what an extract
 * built against that checkpoint excluded.
 */
@Service
public class StatusQueries {

  private final EventStore events;

  StatusQueries(EventStore events) {
    this.events = events;
  }

  /** A status and the events behind it (all of the person's events, in log order). */
  public record Status(PersonState state, List<StoredEvent> history) {}

  public Status now(long person) {
    List<StoredEvent> history = events.eventsOf(person);
    return new Status(PersonState.fold(history.stream().map(StoredEvent::event).toList()), history);
  }

  public Status at(long person, Instant instant) {
    List<StoredEvent> history = events.eventsOf(person);
    return new Status(PersonState.fold(history.stream().map(StoredEvent::event)
        .filter(e -> !e.effectiveAt().isAfter(instant)).toList()), history);
  }

  public Status atCheckpoint(long person, long treeSize) {
    List<StoredEvent> history = events.eventsOf(person);
    return new Status(PersonState.fold(history.stream()
        .filter(e -> below(e.logIndex(), treeSize)).map(StoredEvent::event).toList()), history);
  }

  private static boolean below(OptionalLong index, long treeSize) {
    return index.isPresent() && index.getAsLong() < treeSize;
  }
}
