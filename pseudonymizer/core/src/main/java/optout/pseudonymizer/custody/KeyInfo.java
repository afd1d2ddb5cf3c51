package optout.pseudonymizer.custody;

import java.time.Instant;
import java.util.Optional;
import optout.pseudonymizer.id.ProjectId;

/**
 * What may be known about a key without holding it: its ID, purpose, project, version and when it was
 * created (or, for a destroyed project, when its keys were destroyed). Never the key. The time is
 * empty where the storage does not record it (PKCS#11 tokens keep no creation dates).
 */
public record KeyInfo(String id, Purpose purpose, Optional<ProjectId> project, int version, Optional<Instant> at) {

  public enum Purpose {
    /** Layer-1 pseudonyms of the whole warehouse (AES-256, FF1). */
    WAREHOUSE_PSEUDONYM,
    /** Person IDs sealed for the person's own view, bound to their warehouse pseudonym (AES-256-GCM). */
    SEALED_PERSON_ID,
    /** Layer-2 pseudonyms of one project (AES-256, FF1). */
    PROJECT_PSEUDONYM,
    /** Tokens of hospitals and insured units in one project (HMAC-SHA256). */
    PROJECT_TOKEN,
    /** A project whose keys were destroyed; {@code at} is when. */
    DESTROYED_PROJECT
  }
}
