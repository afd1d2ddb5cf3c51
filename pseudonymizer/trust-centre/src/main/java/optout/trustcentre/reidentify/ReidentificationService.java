package optout.trustcentre.reidentify;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import optout.platform.problem.ProblemResponses;
import optout.pseudonymizer.custody.CustodianShare;
import optout.pseudonymizer.custody.KeyCustody;
import optout.pseudonymizer.custody.ReidentificationKeys;
import optout.pseudonymizer.id.PersonId;
import optout.pseudonymizer.id.ProjectId;
import optout.pseudonymizer.pseudonym.NotAPseudonymException;
import optout.pseudonymizer.pseudonym.ProjectPseudonymizer;
import optout.pseudonymizer.pseudonym.WarehousePseudonymizer;
import optout.pseudonymizer.reidentify.AuditChain;
import optout.pseudonymizer.reidentify.AuditEvent;
import optout.pseudonymizer.reidentify.ReidentificationRefusedException;
import optout.pseudonymizer.reidentify.ReidentificationRefusedException.Rule;
import optout.pseudonymizer.reidentify.ReidentificationRequest;
import optout.pseudonymizer.reidentify.RequestSeal;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Applies the re-identification rules ({@link ReidentificationRequest}) to stored requests. Each step
 * runs in one transaction on a locked request; a refused step still stores its audit event.
 */
@Service
class ReidentificationService {

  /** A request just filed comes with the requester's release secret, shown to them this once. */
  record Filed(ReidentificationRequest request, boolean created, Optional<String> releaseSecret) {}

  private final ReidentificationStore store;
  private final RefusalAudit refusals;
  private final ExtractManifests manifests;
  private final Path reidentificationKeys;
  private final Clock clock;
  private final Duration validity;

  ReidentificationService(ReidentificationStore store, RefusalAudit refusals, ExtractManifests manifests, Clock clock,
      @Value("${optout.trust-centre.request-validity}") Duration validity,
      @Value("${optout.trust-centre.reidentification-keys:}") String reidentificationKeys) throws IOException {
    this.store = store;
    this.refusals = refusals;
    this.manifests = manifests;
    this.clock = clock;
    this.validity = validity;
    if (reidentificationKeys == null || reidentificationKeys.isBlank()) {
      throw new IllegalStateException("Cannot start the trust centre: set OPTOUT_REIDENTIFICATION_KEYS to the re-identification"
          + " keys sealed under the two custodians' shares (`./optout keys reidentification-seal`)");
    }
    this.reidentificationKeys = Path.of(reidentificationKeys);
    ReidentificationKeys.describe(this.reidentificationKeys); // fails clearly at start if they are missing
  }

  /**
   * Files a request, or returns the one filed before under the same idempotency key. The pseudonyms'
   * extract is named by its signed manifest, which says which warehouse key version made them; a manifest
   * the warehouse did not sign, of another project, or of another version than the request names, or a
   * version the sealed keys do not hold, is refused and audited.
   */
  @Transactional(noRollbackFor = ReidentificationRefusedException.class)
  public Filed file(String requester, String idempotencyKey, String project, int warehouseKeyVersion, String extractManifest,
      String manifestSignature, List<Long> pseudonyms, String legalBasis, String reason) throws GeneralSecurityException, IOException {
    String hash = hash(project, Integer.toString(warehouseKeyVersion), extractManifest, manifestSignature, String.valueOf(pseudonyms),
        legalBasis, reason);
    Optional<ReidentificationStore.Stored> earlier = store.findByIdempotencyKey(requester, idempotencyKey);
    if (earlier.isPresent()) {
      if (!earlier.get().requestHash().equals(hash)) {
        throw ProblemResponses.exception(HttpStatus.CONFLICT, "idempotency-key-reused", "Idempotency key reused",
            "This idempotency key was used for a different request. Use a new key for a new request.");
      }
      return new Filed(earlier.get().request(), false, Optional.empty());
    }
    ProjectId projectId = ProjectId.of(project);
    if (!ReidentificationKeys.describe(reidentificationKeys).projects().contains(projectId)) {
      // nothing could ever be resolved: the custodians have not sealed this project's key
      throw ProblemResponses.exception(HttpStatus.CONFLICT, "key-unavailable", "Key unavailable",
          "Project " + projectId + " has no key among the re-identification keys: its custodians add it with"
              + " `./optout keys reidentification-seal`");
    }
    Instant now = clock.instant();
    Optional<ExtractManifests.Verified> manifest = manifests.verify(extractManifest, manifestSignature);
    Rule refused = manifest.isEmpty() ? Rule.MANIFEST_NOT_AUTHENTIC
        : !manifest.get().project().equals(projectId.value()) ? Rule.MANIFEST_OF_ANOTHER_PROJECT
        : manifest.get().warehouseKeyVersion() != warehouseKeyVersion ? Rule.WAREHOUSE_KEY_VERSION_MISMATCH
        : !ReidentificationKeys.describe(reidentificationKeys).warehouseVersions().contains(warehouseKeyVersion)
            ? Rule.WAREHOUSE_KEY_VERSION_UNKNOWN
        : null;
    if (refused != null) {
      throw ReidentificationRequest.refuseFiling(requester, projectId, pseudonyms == null ? 0 : pseudonyms.size(), refused, now,
          event -> store.audit(List.of(event)));
    }
    ReidentificationRequest request = ReidentificationRequest.file(requester, projectId,
        new ReidentificationRequest.Extract(manifest.get().extractId(), warehouseKeyVersion), pseudonyms, legalBasis, reason, now, validity);
    RequestSeal.Created seal = RequestSeal.create(request.id());
    store.insert(request, idempotencyKey, hash, manifest.get().sha256(),
        new ReidentificationStore.Seal(seal.publicKey(), seal.sealedPrivateKey()));
    store.save(request, now);
    return new Filed(request, true, Optional.of(seal.releaseSecret()));
  }

  /**
   * A custodian approves with their share of the re-identification keys. The share must be one of the
   * two, not the one the other approval gave; it is stored only encrypted to this request's key pair,
   * bound to what was approved, and dropped from memory here.
   */
  @Transactional(noRollbackFor = ReidentificationRefusedException.class)
  public ReidentificationRequest approve(UUID id, String custodian, String encodedShare) throws IOException {
    ReidentificationRequest request = locked(id, custodian, "approval");
    Instant now = clock.instant();
    ReidentificationKeys.Description keys = ReidentificationKeys.describe(reidentificationKeys);
    Optional<ReidentificationStore.Seal> seal = store.seal(id);
    List<ReidentificationStore.SealedShare> given = store.sealedShares(id);
    ReidentificationStore.SealedShare[] sealed = new ReidentificationStore.SealedShare[1];
    try {
      request.approve(custodian, now, () -> {
        if (encodedShare == null || encodedShare.isBlank() || seal.isEmpty()) {
          return Optional.of(Rule.SHARE_NOT_ACCEPTED);
        }
        try (CustodianShare share = CustodianShare.decode(encodedShare)) {
          int slot = keys.slotOf(share);
          if (slot == 0) {
            return Optional.of(Rule.SHARE_NOT_ACCEPTED);
          }
          if (given.stream().anyMatch(g -> g.slot() == slot)) {
            return Optional.of(Rule.SHARE_GIVEN_ALREADY);
          }
          sealed[0] = new ReidentificationStore.SealedShare(custodian, slot,
              RequestSeal.sealShare(seal.get().publicKey(), share, RequestSeal.context(request)));
          return Optional.empty();
        } catch (IllegalArgumentException | GeneralSecurityException e) {
          return Optional.of(Rule.SHARE_NOT_ACCEPTED);
        }
      });
    } finally {
      store.save(request, now, Optional.ofNullable(sealed[0]));
    }
    return request;
  }

  @Transactional(noRollbackFor = ReidentificationRefusedException.class)
  public ReidentificationRequest reject(UUID id, String custodian, String why) {
    ReidentificationRequest request = locked(id, custodian, "rejection");
    Instant now = clock.instant();
    try {
      request.reject(custodian, why, now);
    } finally {
      store.save(request, now);
    }
    return request;
  }

  /** The people behind the pseudonyms, for the requester, once. A pseudonym no key made maps to empty. */
  @Transactional(noRollbackFor = ReidentificationRefusedException.class)
  public Map<Long, Optional<PersonId>> resolve(UUID id, String caller, String releaseSecret) {
    ReidentificationRequest request = locked(id, caller, "resolution");
    Instant now = clock.instant();
    Optional<ReidentificationStore.Seal> seal = store.seal(id);
    List<ReidentificationStore.SealedShare> given = store.sealedShares(id);
    KeyCustody[] opened = new KeyCustody[1];
    Map<Long, PersonId> people;
    try {
      java.util.Set<Integer> held = describedVersions();
      people = request.resolve(caller, now, held::contains, () -> {
        if (releaseSecret == null || releaseSecret.isBlank() || seal.isEmpty() || given.size() != 2) {
          return null;
        }
        List<CustodianShare> shares = List.of();
        try {
          shares = RequestSeal.openShares(seal.get().sealedPrivateKey(), releaseSecret, id,
              given.stream().map(ReidentificationStore.SealedShare::sealed).toList(), RequestSeal.context(request));
          opened[0] = ReidentificationKeys.open(reidentificationKeys, shares.get(0), shares.get(1));
          ProjectPseudonymizer project = opened[0].projectPseudonymizer(request.project());
          // exactly the version the project's manifest records; a keystore without it refuses (KeyUnavailableException)
          WarehousePseudonymizer warehouse = opened[0].warehousePseudonymizer(request.extract().warehouseKeyVersion());
          return pseudonym -> {
            try {
              return warehouse.reveal(project.layer1(pseudonym));
            } catch (NotAPseudonymException e) {
              return null;
            }
          };
        } catch (GeneralSecurityException | IOException e) {
          return null;
        } finally {
          shares.forEach(CustodianShare::close);
        }
      });
    } finally {
      if (opened[0] != null) {
        opened[0].close(); // the unwrapped keys live for this request only
      }
      store.save(request, now);
    }
    Map<Long, Optional<PersonId>> results = new LinkedHashMap<>();
    people.forEach((pseudonym, person) -> results.put(pseudonym, Optional.ofNullable(person)));
    return results;
  }

  private java.util.Set<Integer> describedVersions() {
    try {
      return ReidentificationKeys.describe(reidentificationKeys).warehouseVersions();
    } catch (IOException e) {
      return java.util.Set.of(); // every version unknown: refused, and audited
    }
  }

  @Transactional(readOnly = true)
  public Optional<ReidentificationRequest> find(UUID id) {
    return store.find(id);
  }

  @Transactional(readOnly = true)
  public List<ReidentificationRequest> byStatus(ReidentificationRequest.Status status) {
    return store.byStatus(status, 200);
  }

  /** Recomputes the audit chain over every event. */
  @Transactional(readOnly = true)
  public AuditChain.Verification verifyAuditChain() {
    return store.verifyChain();
  }

  @Transactional(readOnly = true)
  public long unchainedEvents() {
    return store.unchainedEvents();
  }

  @Transactional(readOnly = true)
  public List<AuditEvent> events(Optional<UUID> request, long afterId, int limit) {
    return store.events(request, afterId, limit);
  }

  /** Expires every open request whose time ran out; returns how many. */
  @Transactional
  public int expireStale() {
    Instant now = clock.instant();
    int expired = 0;
    for (UUID id : store.openAndDue(now)) {
      ReidentificationRequest request = locked(id);
      if (request.expireIfStale(now)) {
        store.save(request, now);
        expired++;
      }
    }
    return expired;
  }

  private ReidentificationRequest locked(UUID id) {
    return store.lock(id).orElseThrow(ReidentificationService::notFound);
  }

  /** The request, locked; an unknown ID is an audited refusal of {@code actor}'s {@code step}. */
  private ReidentificationRequest locked(UUID id, String actor, String step) {
    Optional<ReidentificationRequest> found = store.lock(id);
    if (found.isEmpty()) {
      refusals.notFound(id, actor, step);
      throw notFound();
    }
    return found.get();
  }

  /** A request the caller may not see, or that does not exist, asked for by {@code actor}: audited, then 404. */
  org.springframework.web.ErrorResponseException notFoundFor(UUID id, String actor) {
    refusals.notFound(id, actor, "reading the request");
    return notFound();
  }

  static org.springframework.web.ErrorResponseException notFound() {
    return ProblemResponses.exception(HttpStatus.NOT_FOUND, "reidentification-request-not-found",
        "No such re-identification request", "There is no re-identification request with this ID that you may see.");
  }

  private static String hash(String... parts) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      for (String part : parts) {
        digest.update(String.valueOf(part).getBytes(StandardCharsets.UTF_8));
        digest.update((byte) 0);
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
