package optout.consent.filing;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * A filing as the archive holds it: everything but the documents' bytes and the person. {@code
 * filedBySubject} is the Keycloak subject of the clerk or citizen who filed it.
 */
public record FilingRecord(String filingId, String kind, String channel, String maskedPersonId, List<String> scopes,
    Optional<String> representativeRelation, Optional<String> evidenceType, String identityCheck, String filedByRole,
    String filedBySubject, Instant signedAt, Instant sealedAt, String templateId, int templateVersion, String templateSha256,
    String formSha256, String receiptSha256, String receiptCode, Delivery delivery) {

  /** Where the filing stands with the registry. */
  public record Delivery(String status, int attempts, Optional<Instant> deliveredAt, Optional<UUID> registryEventId,
      Optional<String> detail) {}
}
