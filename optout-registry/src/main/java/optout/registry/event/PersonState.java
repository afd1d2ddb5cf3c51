package optout.registry.event;

import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What a person has opted out of and since when: the fold of their events in log order. Every rule of
 * what a filing may do lives here, so that the write path, the as-of queries and the auditor's
 * recomputation agree.
 */
public final class PersonState {

  private final SortedMap<String, Instant> optedOutSince;

  private PersonState(SortedMap<String, Instant> optedOutSince) {
    this.optedOutSince = optedOutSince;
  }

  /** A person the registry has no events for: nothing opted out. */
  public static PersonState none() {
    return new PersonState(new TreeMap<>());
  }

  /** Rebuilt from stored values (the projection). */
  public static PersonState of(Map<String, Instant> optedOutSince) {
    return new PersonState(new TreeMap<>(optedOutSince));
  }

  /** The opted-out scopes, each with the moment it took effect. */
  public SortedMap<String, Instant> optedOutSince() {
    return Collections.unmodifiableSortedMap(optedOutSince);
  }

  public boolean optedOut() {
    return !optedOutSince.isEmpty();
  }

  /**
   * The state after an event.
   *
   * @throws FilingRefusedException if the event cannot follow this state
   */
  public PersonState apply(RegistryEvent event) {
    TreeMap<String, Instant> next = new TreeMap<>(optedOutSince);
    switch (event.type()) {
      case OPT_OUT_FILED -> {
        TreeSet<String> already = new TreeSet<>(event.scopes());
        already.retainAll(optedOutSince.keySet());
        if (already.size() == event.scopes().size()) {
          throw new FilingRefusedException("The person has already opted out of " + String.join(", ", already) + ": nothing to file");
        }
        event.scopes().forEach(scope -> next.putIfAbsent(scope, event.effectiveAt()));
      }
      case OPT_OUT_WITHDRAWN -> {
        TreeSet<String> notOptedOut = new TreeSet<>(event.scopes());
        notOptedOut.removeAll(optedOutSince.keySet());
        if (!notOptedOut.isEmpty()) {
          throw new FilingRefusedException(optedOutSince.isEmpty()
              ? "The person has no opt-out to withdraw"
              : "The person has not opted out of " + String.join(", ", notOptedOut) + ": nothing to withdraw there");
        }
        event.scopes().forEach(next::remove);
      }
      case SCOPES_CHANGED -> {
        if (optedOutSince.isEmpty()) {
          throw new FilingRefusedException("The person has no opt-out whose scopes could change; file an opt-out instead");
        }
        if (event.scopes().equals(optedOutSince.keySet())) {
          throw new FilingRefusedException("The scopes are unchanged: nothing to file");
        }
        next.keySet().retainAll(event.scopes());
        event.scopes().forEach(scope -> next.putIfAbsent(scope, event.effectiveAt()));
      }
    }
    return new PersonState(next);
  }

  /**
   * The state after an event that was accepted when it was filed, for as-of queries over part of a
   * history (events up to an instant or a checkpoint): it never refuses, so that a history cut at any
   * point still folds.
   */
  public PersonState replay(RegistryEvent event) {
    try {
      return apply(event);
    } catch (FilingRefusedException accepted) {
      TreeMap<String, Instant> next = new TreeMap<>(optedOutSince);
      switch (event.type()) {
        case OPT_OUT_FILED -> event.scopes().forEach(scope -> next.putIfAbsent(scope, event.effectiveAt()));
        case OPT_OUT_WITHDRAWN -> event.scopes().forEach(next::remove);
        case SCOPES_CHANGED -> {
          next.keySet().retainAll(event.scopes());
          event.scopes().forEach(scope -> next.putIfAbsent(scope, event.effectiveAt()));
        }
      }
      return new PersonState(next);
    }
  }

  /** The state after events in log order. */
  public static PersonState fold(Iterable<RegistryEvent> events) {
    PersonState state = none();
    for (RegistryEvent event : events) {
      state = state.replay(event);
    }
    return state;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof PersonState s && s.optedOutSince.equals(optedOutSince);
  }

  @Override
  public int hashCode() {
    return optedOutSince.hashCode();
  }

  @Override
  public String toString() {
    return "PersonState" + optedOutSince;
  }
}
