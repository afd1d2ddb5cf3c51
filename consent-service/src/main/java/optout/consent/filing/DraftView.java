package optout.consent.filing;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import optout.consent.form.Filing;

/** A draft as the pages see it: the person masked. */
public record DraftView(UUID draftId, String kind, String maskedNationalId, List<String> scopes, String channel, String relation,
    boolean needsEvidence, boolean evidenceAttached, Instant expiresAt) {

  public static DraftView of(Draft draft) {
    return new DraftView(draft.id(), draft.kind().templateId(), Filing.mask(draft.person()), List.copyOf(draft.scopes()),
        draft.channel().code(), draft.relation().map(r -> r.code()).orElse(null), draft.needsEvidence(), draft.evidence().isPresent(),
        draft.expiresAt());
  }

  /** What an attempt at signing came to. */
  public record AttemptView(int attempt, String ending, boolean accepted, List<Issue> issues, String signaturePng) {}

  /** A quality-gate reason, zh-TW first. */
  public record Issue(String code, String zh, String en) {
    public static List<Issue> of(Draft.Attempt attempt) {
      return attempt.issues().stream().map(i -> new Issue(i.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'),
          i.traditionalChinese(), i.english())).toList();
    }
  }

  /** The evidence as stored with the draft. */
  public record EvidenceView(String evidenceSha256, int bytes, String mediaType) {}
}
