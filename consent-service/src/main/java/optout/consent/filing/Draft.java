package optout.consent.filing;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.SortedSet;
import java.util.UUID;
import optout.consent.form.Channel;
import optout.consent.form.FormKind;
import optout.consent.form.Representative;
import optout.pad.api.SignatureCapture;
import optout.pad.quality.QualityIssue;
import optout.pseudonymizer.id.PersonId;

/**
 * A filing being prepared: who it is about, what it asks, and the signature attempts so far. A draft
 * lives only in the service's memory, for minutes; nothing of it is stored until the signature is
 * accepted and the sealed filing is written in one transaction. So an abandoned filing leaves no trace,
 * and a half-made one cannot be found in the archive.
 */
public final class Draft {

  /** Evidence of a representative's authority, as uploaded. */
  public record Evidence(byte[] content, String mediaType, String sha256) {}

  /** The last signature attempt and what the quality gate said of it. */
  public record Attempt(int number, Optional<SignatureCapture> capture, List<QualityIssue> issues) {
    public boolean accepted() {
      return capture.isPresent() && issues.isEmpty();
    }
  }

  /** Who is preparing the draft: only they may continue it. */
  public record Owner(String role, String subject) {}

  private final UUID id;
  private final Owner owner;
  private final Channel channel;
  private final FormKind kind;
  private final PersonId person;
  private final SortedSet<String> scopes;
  private final Optional<Representative.Relation> relation;
  private final Optional<PersonId> representativeId;
  private final Optional<String> evidenceType;
  private final String identityCheck;
  private final Instant expiresAt;
  private Evidence evidence;
  private Attempt lastAttempt;
  private int attempts;
  private String filingId;
  private boolean filing;

  Draft(UUID id, Owner owner, Channel channel, FormKind kind, PersonId person, SortedSet<String> scopes,
      Optional<Representative.Relation> relation, Optional<PersonId> representativeId, Optional<String> evidenceType, String identityCheck,
      Instant expiresAt) {
    this.id = id;
    this.owner = owner;
    this.channel = channel;
    this.kind = kind;
    this.person = person;
    this.scopes = scopes;
    this.relation = relation;
    this.representativeId = representativeId;
    this.evidenceType = evidenceType;
    this.identityCheck = identityCheck;
    this.expiresAt = expiresAt;
  }

  public UUID id() {
    return id;
  }

  public Owner owner() {
    return owner;
  }

  public Channel channel() {
    return channel;
  }

  public FormKind kind() {
    return kind;
  }

  public PersonId person() {
    return person;
  }

  public SortedSet<String> scopes() {
    return scopes;
  }

  public Optional<Representative.Relation> relation() {
    return relation;
  }

  /** The representative's own ID: checked by the clerk at the counter, from their account online. */
  public Optional<PersonId> representativeId() {
    return representativeId;
  }

  public Optional<String> evidenceType() {
    return evidenceType;
  }

  public String identityCheck() {
    return identityCheck;
  }

  public Instant expiresAt() {
    return expiresAt;
  }

  public synchronized Optional<Evidence> evidence() {
    return Optional.ofNullable(evidence);
  }

  public boolean needsEvidence() {
    return relation.isPresent();
  }

  public synchronized boolean readyToSign() {
    return !needsEvidence() || evidence != null;
  }

  synchronized void attachEvidence(Evidence uploaded) {
    checkOpen();
    evidence = uploaded;
  }

  synchronized Attempt recordAttempt(Optional<SignatureCapture> capture, List<QualityIssue> issues) {
    checkOpen();
    lastAttempt = new Attempt(++attempts, capture, List.copyOf(issues));
    return lastAttempt;
  }

  public synchronized Optional<Attempt> lastAttempt() {
    return Optional.ofNullable(lastAttempt);
  }

  /** Marks the draft as being filed; a second, concurrent submission is refused. */
  synchronized void beginFiling() {
    checkOpen();
    if (filing) {
      throw new DraftStateException("in-progress", "This draft is being filed already; wait for that submission's answer.", null);
    }
    filing = true;
  }

  synchronized void endFiling(String filedAs) {
    filing = false;
    filingId = filedAs;
  }

  public synchronized Optional<String> filingId() {
    return Optional.ofNullable(filingId);
  }

  private void checkOpen() {
    if (filingId != null) {
      throw new DraftStateException("already-filed", "This draft has been filed already as " + filingId
          + "; a submission is accepted once. Start a new draft for another filing.", filingId);
    }
  }

  /** Never the person: drafts end up in logs and debuggers. */
  @Override
  public String toString() {
    return "Draft[" + id + ", " + channel + ", " + kind + "]";
  }
}
