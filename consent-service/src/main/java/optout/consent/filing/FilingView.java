package optout.consent.filing;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A filing as the API shows it to those who may see it: the person only masked, the receipt code, the
 * documents' addresses and hashes, and where delivery to the registry stands.
 */
public record FilingView(String filingId, String kind, String channel, String maskedNationalId, List<String> scopes,
    Representative representative, Instant signedAt, Instant sealedAt, Template template, String formSha256, String receiptCode,
    String formUrl, String receiptUrl, Delivery delivery) {

  public record Representative(String relation, String evidenceType) {}

  public record Template(String id, int version, String sha256) {}

  public record Delivery(String status, int attempts, Instant deliveredAt, UUID registryEventId, String detail) {}

  public static final String FILINGS = "/api/v1/filings";

  public static FilingView of(FilingRecord record) {
    String base = FILINGS + "/" + record.filingId();
    FilingRecord.Delivery delivery = record.delivery();
    return new FilingView(record.filingId(), record.kind(), record.channel(), record.maskedPersonId(), record.scopes(),
        record.representativeRelation().map(relation -> new Representative(relation, record.evidenceType().orElse(null))).orElse(null),
        record.signedAt(), record.sealedAt(), new Template(record.templateId(), record.templateVersion(), record.templateSha256()),
        record.formSha256(), record.receiptCode(), base + "/form.pdf", base + "/receipt.pdf",
        new Delivery(delivery.status(), delivery.attempts(), delivery.deliveredAt().orElse(null), delivery.registryEventId().orElse(null),
            delivery.detail().orElse(null)));
  }
}
