package optout.consent.filing;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A filing as the API shows it to those who may see it: the person only masked, the receipt code, the
 * documents' addresses and hashes, and where delivery to the registry stands. The representative who
 * filed an online proxy filing sees, until a clerk accepts it, only their request's status: no form,
 * receipt or receipt code ({@link #requestOnly}).
 */
public record FilingView(String filingId, String kind, String channel, String maskedNationalId, List<String> scopes,
    Representative representative, Instant signedAt, Instant sealedAt, Template template, String formSha256, String receiptCode,
    String formUrl, String receiptUrl, Delivery delivery, Review review) {

  public record Representative(String relation, String evidenceType, String maskedNationalId) {}

  public record Template(String id, int version, String sha256) {}

  public record Delivery(String status, int attempts, Instant deliveredAt, UUID registryEventId, String detail) {}

  /** A clerk's review of a representative's online filing: {@code pending}, {@code accepted} or {@code rejected} (with the reason). */
  public record Review(String status, Instant decidedAt, String reason) {}

  public static final String FILINGS = "/api/v1/filings";

  public static FilingView of(FilingRecord record) {
    String base = FILINGS + "/" + record.filingId();
    FilingRecord.Delivery delivery = record.delivery();
    return new FilingView(record.filingId(), record.kind(), record.channel(), record.maskedPersonId(), record.scopes(),
        representative(record), record.signedAt(), record.sealedAt(),
        new Template(record.templateId(), record.templateVersion(), record.templateSha256()),
        record.formSha256(), record.receiptCode(), base + "/form.pdf", base + "/receipt.pdf",
        new Delivery(delivery.status(), delivery.attempts(), delivery.deliveredAt().orElse(null), delivery.registryEventId().orElse(null),
            delivery.detail().orElse(null)), review(record));
  }

  /** The representative's own request while it waits for review or after it was rejected: its status, nothing of the person's form. */
  public static FilingView requestOnly(FilingRecord record) {
    return new FilingView(record.filingId(), record.kind(), record.channel(), record.maskedPersonId(), record.scopes(),
        representative(record), record.signedAt(), null, null, null, null, null, null,
        new Delivery(record.delivery().status(), 0, null, null, null), review(record));
  }

  private static Representative representative(FilingRecord record) {
    return record.representativeRelation()
        .map(relation -> new Representative(relation, record.evidenceType().orElse(null), record.representativeMaskedId().orElse(null)))
        .orElse(null);
  }

  private static Review review(FilingRecord record) {
    return record.review().map(r -> new Review(r.status(), r.decidedAt().orElse(null), r.reason().orElse(null))).orElse(null);
  }
}
