package optout.pseudonymizer.reidentify;

import java.time.Instant;
import java.util.UUID;

/**
 * One step of a re-identification request, for auditors. It names the actor (a subject), the
 * request, the project and how many pseudonyms were concerned, never a pseudonym or a person.
 */
public record AuditEvent(Type type, UUID request, String actor, String project, int pseudonymCount, Instant at, String note) {

  public enum Type {
    REQUESTED,
    APPROVED,
    REJECTED,
    REFUSED,
    EXPIRED,
    RESOLVED
  }
}
