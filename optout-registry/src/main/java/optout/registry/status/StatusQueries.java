package optout.registry.status;

import java.time.Instant;
import java.util.List;
import java.util.function.Predicate;
import optout.registry.event.EventLeaf;
import optout.registry.event.LeafAuthenticator;
import optout.registry.event.PersonState;
import optout.registry.event.store.EventStore;
import optout.registry.event.store.StoredEvent;
import optout.registry.identity.PersonIdentities;
import org.springframework.stereotype.Service;

/**
 * A person's status now, at an instant, or at a checkpoint: always the fold of their events, so that
 * every answer can be recomputed from the log. The person is their pseudonym under the registry's warehouse
 * key version; their events filed under an older one are theirs through the re-key's mapping. "At an instant" counts the events that had taken effect
 * by then; "at a checkpoint" counts the events the checkpoint's tree holds, which is what an extract
 * built against that checkpoint excluded.
 *
 * <p>Only the registry's own events count: logged ones, and filings it stored in the last moment that
 * wait for their place in the log (about a second; their {@code logIndex} is empty, so views can say
 * so). A row without the registry's MAC, inserted behind its back, never counts and is never shown: the
 * sequencer leaves it out of the log and raises an alert.
 */
@Service
public class StatusQueries {

  private final EventStore events;
  private final LeafAuthenticator authenticator;
  private final PersonIdentities identities;

  StatusQueries(EventStore events, LeafAuthenticator authenticator, PersonIdentities identities) {
    this.events = events;
    this.authenticator = authenticator;
    this.identities = identities;
  }

  /** A status and the events behind it (the person's authentic events, in log order, the unlogged last). */
  public record Status(PersonState state, List<StoredEvent> history) {}

  public Status now(long person) {
    return status(person, stored -> true);
  }

  public Status at(long person, Instant instant) {
    return status(person, stored -> !stored.event().effectiveAt().isAfter(instant));
  }

  public Status atCheckpoint(long person, long treeSize) {
    return status(person, stored -> stored.logIndex().isPresent() && stored.logIndex().getAsLong() < treeSize);
  }

  /** The fold of the authentic events that {@code counted} accepts. */
  private Status status(long person, Predicate<StoredEvent> counted) {
    List<StoredEvent> history = events.eventsOf(identities.version(), person).stream().filter(this::authentic).toList();
    return new Status(PersonState.fold(history.stream().filter(counted).map(StoredEvent::event).toList()), history);
  }

  /** Logged events were checked by the sequencer; the audit checks them again against the rows. */
  private boolean authentic(StoredEvent stored) {
    return stored.logIndex().isPresent() || authenticator.verify(EventLeaf.encode(stored.event()), stored.rowMac());
  }
}
