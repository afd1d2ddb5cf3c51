package optout.consent.filing;

import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import optout.consent.form.Channel;
import optout.consent.form.Filing;
import optout.consent.form.FormKind;
import optout.consent.form.FormTemplate;
import optout.consent.form.Representative;
import optout.consent.form.VerificationCode;
import optout.consent.secrets.ConsentSecrets;
import optout.consent.secrets.FilingSigner;
import optout.pad.api.SignatureCapture;
import optout.pad.quality.QualityGate;
import optout.pad.quality.QualityIssue;
import optout.pseudonymizer.id.PersonId;
import optout.registry.sealedfiling.CanonicalFiling;

/**
 * Every flow's way from a draft to a sealed, archived filing: open a draft (the person's ID and the
 * scopes checked at once), attach a representative's evidence, put signature attempts through the
 * quality gate, and file: assemble and seal the documents, then store the filing, its documents and its
 * outbox row in one transaction (an online representative's filing gets, instead of its outbox row, a
 * review row for the clerks: {@code optout.consent.review}). The counter and online adapters differ only
 * in how the signature arrives and who may do what.
 */
public final class FilingService {

  /** Evidence scans larger than this are refused: a scanned page is well under it. */
  public static final int MAX_EVIDENCE_BYTES = 5 * 1024 * 1024;
  public static final Set<String> EVIDENCE_TYPES = Set.of("household-registration-transcript", "court-ruling");
  public static final Set<String> IDENTITY_CHECKS = Set.of("national-id-card", "nhi-card", "passport", "resident-certificate");
  public static final String ONLINE_IDENTITY_CHECK = "keycloak-login";

  private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyyMMdd").withZone(java.time.ZoneId.of("Asia/Taipei"));
  private static final String BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final DraftBook drafts;
  private final QualityGate gate;
  private final FilingAssembler assembler;
  private final ConsentSecrets secrets;
  private final FilingSigner signer;
  private final FilingStore store;
  private final JsonMapper json;
  private final Clock clock;

  public FilingService(DraftBook drafts, QualityGate gate, FilingAssembler assembler, ConsentSecrets secrets, FilingSigner signer,
      FilingStore store, JsonMapper json, Clock clock) {
    this.drafts = drafts;
    this.gate = gate;
    this.assembler = assembler;
    this.secrets = secrets;
    this.signer = signer;
    this.store = store;
    this.json = json;
    this.clock = clock;
  }

  /** What a draft asks for, as the adapters have read it from a request. */
  public record DraftRequest(FormKind kind, PersonId person, Collection<String> scopes, Optional<Representative.Relation> relation,
      Optional<PersonId> representativeId, Optional<String> evidenceType, String identityCheck) {}

  /**
   * A new draft.
   *
   * @throws IllegalArgumentException naming the field when the scopes do not fit the form, or the
   *     representative's evidence type or the identity check is unknown
   */
  public Draft open(Draft.Owner owner, Channel channel, DraftRequest request) {
    SortedSet<String> scopes = checkScopes(request.kind(), request.scopes());
    if (request.relation().isPresent() != request.evidenceType().isPresent()) {
      throw new IllegalArgumentException("representative: a representative needs both the relation and the type of evidence");
    }
    if (request.relation().isPresent() != request.representativeId().isPresent()) {
      throw new IllegalArgumentException("representative.representativeId: a representative's own ID is recorded with their filing");
    }
    if (request.representativeId().filter(request.person()::equals).isPresent()) {
      throw new IllegalArgumentException("representative.nationalId: a representative files for someone else; file for yourself without one");
    }
    request.evidenceType().ifPresent(type -> {
      if (!EVIDENCE_TYPES.contains(type)) {
        throw new IllegalArgumentException("representative.evidenceType: must be one of " + new TreeSet<>(EVIDENCE_TYPES));
      }
    });
    if (channel == Channel.COUNTER ? !IDENTITY_CHECKS.contains(request.identityCheck()) : !ONLINE_IDENTITY_CHECK.equals(request.identityCheck())) {
      throw new IllegalArgumentException("identityCheck.method: must be one of " + new TreeSet<>(IDENTITY_CHECKS));
    }
    return drafts.open(owner, channel, request.kind(), request.person(), scopes, request.relation(), request.representativeId(),
        request.evidenceType(), request.identityCheck());
  }

  /** The scopes as a set, checked against the template the form will use. */
  static SortedSet<String> checkScopes(FormKind kind, Collection<String> chosen) {
    if (chosen == null || chosen.isEmpty()) {
      throw new IllegalArgumentException("scopes: choose at least one scope");
    }
    FormTemplate template = FormTemplate.latest(kind.templateId());
    SortedSet<String> scopes = new TreeSet<>();
    for (String scope : chosen) {
      if (scope == null || !template.scopes().contains(scope)) {
        throw new IllegalArgumentException("scopes: the form offers only " + template.scopes());
      }
      scopes.add(scope);
    }
    template.coversAll().ifPresent(all -> {
      if (scopes.contains(all) && scopes.size() > 1) {
        throw new IllegalArgumentException("scopes: " + all + " already covers every other scope; choose it alone");
      }
    });
    return scopes;
  }

  /**
   * Attaches the representative's evidence: a PDF, PNG or JPEG scan, recognised by its own first bytes,
   * not by what the client claims, and then opened as what it claims to be (a PDF with a page, a
   * picture of a page's size).
   *
   * @throws UnsupportedEvidenceException for anything but a PDF, PNG or JPEG (415)
   * @throws UnreadableEvidenceException for one that does not open as one (422)
   */
  public Draft.Evidence attachEvidence(Draft draft, byte[] content) {
    if (!draft.needsEvidence()) {
      throw new DraftStateException("no-representative", "This draft is not filed by a representative; it takes no evidence.", null);
    }
    if (content == null || content.length == 0) {
      throw new IllegalArgumentException("evidence: the upload is empty");
    }
    if (content.length > MAX_EVIDENCE_BYTES) {
      throw new IllegalArgumentException("evidence: at most " + MAX_EVIDENCE_BYTES + " bytes");
    }
    String mediaType = sniff(content).orElseThrow(() -> new UnsupportedEvidenceException(
        "evidence: only a PDF, PNG or JPEG scan is accepted"));
    EvidenceCheck.check(content, mediaType);
    Draft.Evidence evidence = new Draft.Evidence(content.clone(), mediaType, Digests.sha256Hex(content));
    draft.attachEvidence(evidence);
    return evidence;
  }

  /** Thrown for evidence of a kind the archive does not take (HTTP 415). */
  public static final class UnsupportedEvidenceException extends RuntimeException {
    public UnsupportedEvidenceException(String message) {
      super(message);
    }
  }

  /** Thrown for evidence that starts like a PDF, PNG or JPEG but does not open as a readable one (HTTP 422). */
  public static final class UnreadableEvidenceException extends RuntimeException {
    public UnreadableEvidenceException(String message) {
      super(message);
    }
  }

  static Optional<String> sniff(byte[] content) {
    if (startsWith(content, new byte[] {'%', 'P', 'D', 'F', '-'})) {
      return Optional.of("application/pdf");
    }
    if (startsWith(content, new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'})) {
      return Optional.of("image/png");
    }
    if (startsWith(content, new byte[] {(byte) 0xff, (byte) 0xd8, (byte) 0xff})) {
      return Optional.of("image/jpeg");
    }
    return Optional.empty();
  }

  private static boolean startsWith(byte[] content, byte[] prefix) {
    return content.length >= prefix.length && java.util.Arrays.equals(content, 0, prefix.length, prefix, 0, prefix.length);
  }

  /** Puts a signature attempt through the quality gate and remembers it as the draft's last attempt. */
  public Draft.Attempt recordAttempt(Draft draft, Optional<SignatureCapture> capture) {
    requireReadyToSign(draft);
    List<QualityIssue> issues = capture.map(c -> gate.check(c).issues()).orElse(List.of());
    return draft.recordAttempt(capture, issues);
  }

  /** Refuses a signature before a representative's evidence is there (before the pad is even used). */
  public void requireReadyToSign(Draft draft) {
    if (!draft.readyToSign()) {
      throw new DraftStateException("evidence-missing", "Upload the representative's evidence before signing.", null);
    }
  }

  /** Who files: a clerk at the counter, or a citizen online. */
  public record Filer(String role, String subject) {}

  /**
   * Files the draft with its last accepted signature: seals the documents and stores everything in one
   * transaction. A draft is filed once; a replayed submission is told which filing it became.
   *
   * @throws DraftStateException if the draft was filed already, is being filed, or has no accepted signature
   */
  public FilingRecord file(Draft draft, Filer filer) throws IOException, GeneralSecurityException {
    Draft.Attempt attempt = draft.lastAttempt().filter(Draft.Attempt::accepted).orElseThrow(() -> new DraftStateException(
        "not-signed", "There is no accepted signature for this draft yet: sign, and pass the quality check, first.", null));
    // the draft refuses a second submission; the filing table's unique draft ID is the last guard
    draft.beginFiling();
    String filedAs = null;
    try {
      // the server's time, not the pad's or the browser's: a phone's clock may be fast or set to any year;
      // the capture's own times serve only the strokes' relative timing
      Instant signedAt = clock.instant();
      String filingId = newFilingId(signedAt);
      Optional<Representative> representative = draft.relation().map(relation ->
          new Representative(relation, evidenceReference(draft.evidence().orElseThrow()), draft.representativeId().orElseThrow()));
      // a representative online is not checked by anyone yet: a clerk reviews the evidence before the registry hears of it
      boolean heldForReview = representative.isPresent() && draft.channel() == Channel.ONLINE;
      Filing filing = new Filing(filingId, draft.kind(), draft.person(), draft.scopes(), draft.channel(), representative, signedAt);
      VerificationCode code = secrets.receiptCode(filingId);
      FilingAssembler.AssembledFiling documents = assembler.assemble(filing, onServerTime(attempt.capture().get(), signedAt), code);
      byte[] payload = registryRequest(filing, documents.formSha256(), filer);
      store.store(new FilingStore.NewFiling(filingId, draft.id(), draft.kind().templateId(), draft.channel().code(),
          secrets.personLookup(draft.person()), filing.maskedPersonId(), List.copyOf(draft.scopes()),
          draft.relation().map(Representative.Relation::code), representative.map(Representative::maskedId),
          heldForReview ? Optional.of(filer.subject()) : Optional.empty(),
          draft.evidenceType(), draft.evidence(), draft.identityCheck(),
          filer.role(), filer.subject(), signedAt, documents.sealedAt(), documents.template().id(), documents.template().version(),
          documents.template().sha256(), documents.sealedForm(), documents.receipt(), code.value(),
          secrets.sealOutboxPayload(payload, filingId), heldForReview));
      filedAs = filingId;
      return store.byId(filingId).orElseThrow();
    } finally {
      draft.endFiling(filedAs);
    }
  }

  /**
   * The capture as the pen record keeps it: its strokes' relative timing as captured, placed so that it
   * ends at the server's signing time; the browser's wall clock claimed nothing that is kept.
   */
  static SignatureCapture onServerTime(SignatureCapture capture, Instant signedAt) {
    return new SignatureCapture(capture.device(), capture.capabilities(), signedAt.minusNanos(capture.durationMicros() * 1000),
        capture.samples());
  }

  /** The registry's reference for a representative's evidence: its place in this service's archive. */
  static String evidenceReference(Draft.Evidence evidence) {
    return "consent-archive:sha256:" + evidence.sha256();
  }

  /** The registry's reference for the signed form. */
  public static String documentReference(String filingId) {
    return "consent-filing:" + filingId;
  }

  /**
   * What the relay posts to the registry, under the filing ID as idempotency key. A representative's
   * filing is the registry's channel {@code proxy}, whichever way it arrived: the registry's event names
   * who may have filed it, and the form keeps counter or online. The filing key signs the canonical
   * filing (the person as a commitment under a fresh salt that travels beside it, the sealed form's
   * SHA-256, the clerk or citizen who filed), so the registry stores only what this service sealed.
   */
  private byte[] registryRequest(Filing filing, String formSha256, Filer filer) {
    String type = filing.kind() == FormKind.OPT_OUT ? "opt-out-filed" : "opt-out-withdrawn";
    String channel = filing.representative().isPresent() ? "proxy" : filing.channel().code();
    byte[] salt = new byte[CanonicalFiling.SALT_BYTES];
    RANDOM.nextBytes(salt);
    CanonicalFiling canonical = new CanonicalFiling(filing.filingId(), type,
        CanonicalFiling.personCommitment(salt, filing.person().unmaskedValue()), new TreeSet<>(filing.scopes()), channel,
        filing.representative().map(r -> new CanonicalFiling.Proxy(r.relation().code(), r.evidenceReference())),
        filing.signedAt(), formSha256, filer.role(), filer.subject());
    ObjectNode request = json.createObjectNode();
    request.put("type", type);
    request.put("nationalId", filing.person().unmaskedValue());
    filing.scopes().forEach(request.putArray("scopes")::add);
    request.put("channel", channel);
    filing.representative().ifPresent(r -> request.putObject("proxy").put("relation", r.relation().code())
        .put("evidenceReference", r.evidenceReference()));
    request.putObject("document").put("reference", documentReference(filing.filingId())).put("sha256", formSha256);
    request.put("effectiveAt", filing.signedAt().toString());
    request.put("personSalt", HexFormat.of().formatHex(salt));
    request.putObject("filer").put("role", filer.role()).put("account", filer.subject());
    request.put("signature", signer.sign(canonical));
    return json.writeValueAsBytes(request);
  }

  /** {@code CS-<Taipei date>-<10 random base32>}: readable aloud, 50 random bits, no person in it. */
  static String newFilingId(Instant now) {
    StringBuilder id = new StringBuilder("CS-").append(DAY.format(now)).append('-');
    for (int i = 0; i < 10; i++) {
      id.append(BASE32.charAt(RANDOM.nextInt(32)));
    }
    return id.toString();
  }
}
