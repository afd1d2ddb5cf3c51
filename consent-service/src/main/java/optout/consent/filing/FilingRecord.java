package optout.consent.filing;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * A filing as the archive holds it: everything but the documents' bytes and the person. {@code
 * filedBySubject} is the Keycloak subject of the clerk or citizen who filed it; for a representative's
 * filing {@code representativeMaskedId} is their own ID as the form shows it, and {@code
 * representativeSubject} their account when they filed online. {@code review} is there for an online
 * representative's filing, which a clerk reviews before it goes to the registry.
 */
public record FilingRecord(String filingId, String kind, String channel, String maskedPersonId, List<String> scopes,
    Optional<String> representativeRelation, Optional<String> representativeMaskedId, Optional<String> representativeSubject,
    Optional<String> evidenceType, Optional<String> evidenceSha256, String identityCheck, String filedByRole,
    String filedBySubject, Instant signedAt, Instant sealedAt, String templateId, int templateVersion, String templateSha256,
    String formSha256, String receiptSha256, String receiptCode, Delivery delivery, Optional<Review> review) {

  /** The delivery status of a filing held for a clerk's review: the registry has not heard of it. */
  public static final String HELD_FOR_REVIEW = "held-for-review";
  /** The delivery status of a filing a clerk rejected in review: it never goes to the registry. */
  public static final String REJECTED_IN_REVIEW = "rejected-in-review";

  /** A clerk's review of a representative's online filing: pending, accepted or rejected, by whom, when, why. */
  public record Review(String status, Optional<String> decidedBy, Optional<Instant> decidedAt, Optional<String> reason) {}

  /** Whether the filing still waits for, or failed, a clerk's review: then it counts for nothing. */
  public boolean awaitsOrFailedReview() {
    return review.filter(r -> !r.status().equals("accepted")).isPresent();
  }

  /** Where the filing stands with the registry. */
  public record Delivery(String status, int attempts, Optional<Instant> deliveredAt, Optional<UUID> registryEventId,
      Optional<String> detail) {}
}
