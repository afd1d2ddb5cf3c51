package optout.consent.filing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import optout.consent.form.Channel;
import optout.consent.form.FormKind;
import optout.consent.form.Representative;
import optout.pseudonymizer.id.PersonId;

/**
 * The drafts in progress, in memory only, each for a limited time. Bounded: a caller cannot hold more
 * than a few drafts, nor all callers together more than a fixed number, so the service's memory cannot
 * be filled by opening drafts. A draft is found only by its owner; anyone else is told it does not exist.
 */
public final class DraftBook {

  private final Map<UUID, Draft> drafts = new ConcurrentHashMap<>();
  private final Clock clock;
  private final Duration lifetime;
  private final int perOwner;
  private final int total;

  public DraftBook(Clock clock, Duration lifetime, int perOwner, int total) {
    if (clock == null || lifetime == null || lifetime.isNegative() || lifetime.isZero() || perOwner < 1 || total < perOwner) {
      throw new IllegalArgumentException("Cannot keep drafts: a clock, a positive lifetime and positive limits are required");
    }
    this.clock = clock;
    this.lifetime = lifetime;
    this.perOwner = perOwner;
    this.total = total;
  }

  /**
   * A new draft.
   *
   * @throws DraftStateException with type {@code too-many-drafts} if the owner or the service holds
   *     as many drafts as allowed
   */
  public synchronized Draft open(Draft.Owner owner, Channel channel, FormKind kind, PersonId person, SortedSet<String> scopes,
      Optional<Representative.Relation> relation, Optional<PersonId> representativeId, Optional<String> evidenceType, String identityCheck) {
    purgeExpired();
    long owned = drafts.values().stream().filter(d -> d.owner().equals(owner) && d.filingId().isEmpty()).count();
    if (owned >= perOwner || drafts.size() >= total) {
      throw new DraftStateException("too-many-drafts", owned >= perOwner
          ? "You have " + owned + " unfinished drafts; finish or discard one first."
          : "The service holds as many drafts as it may; try again in a few minutes.", null);
    }
    Draft draft = new Draft(UUID.randomUUID(), owner, channel, kind, person, scopes, relation, representativeId, evidenceType,
        identityCheck, clock.instant().plus(lifetime));
    drafts.put(draft.id(), draft);
    return draft;
  }

  /** The owner's draft with this ID, if it exists and has not expired. */
  public Optional<Draft> find(UUID id, Draft.Owner owner) {
    Draft draft = drafts.get(id);
    if (draft == null || !draft.owner().equals(owner)) {
      return Optional.empty();
    }
    if (!clock.instant().isBefore(draft.expiresAt())) {
      drafts.remove(id);
      return Optional.empty();
    }
    return Optional.of(draft);
  }

  public void discard(UUID id, Draft.Owner owner) {
    find(id, owner).ifPresent(draft -> drafts.remove(draft.id()));
  }

  public Duration lifetime() {
    return lifetime;
  }

  private void purgeExpired() {
    Instant now = clock.instant();
    for (Iterator<Draft> it = drafts.values().iterator(); it.hasNext(); ) {
      if (!now.isBefore(it.next().expiresAt())) {
        it.remove();
      }
    }
  }
}
