package optout.trustcentre.reidentify;

import java.nio.charset.StandardCharsets;
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
import optout.pseudonymizer.custody.KeyCustody;
import optout.pseudonymizer.id.PersonId;
import optout.pseudonymizer.id.ProjectId;
import optout.pseudonymizer.pseudonym.NotAPseudonymException;
import optout.pseudonymizer.pseudonym.ProjectPseudonymizer;
import optout.pseudonymizer.pseudonym.WarehousePseudonymizer;
import optout.pseudonymizer.reidentify.AuditEvent;
import optout.pseudonymizer.reidentify.ReidentificationRefusedException;
import optout.pseudonymizer.reidentify.ReidentificationRequest;
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

  record Filed(ReidentificationRequest request, boolean created) {}

  private final ReidentificationStore store;
  private final KeyCustody custody;
  private final Clock clock;
  private final Duration validity;

  ReidentificationService(ReidentificationStore store, KeyCustody custody, Clock clock,
      @Value("${optout.trust-centre.request-validity}") Duration validity) {
    this.store = store;
    this.custody = custody;
    this.clock = clock;
    this.validity = validity;
  }

  /** Files a request, or returns the one filed before under the same idempotency key. */
  @Transactional
  public Filed file(String requester, String idempotencyKey, String project, List<Long> pseudonyms, String legalBasis,
      String reason) throws GeneralSecurityException {
    String hash = hash(project, pseudonyms, legalBasis, reason);
    Optional<ReidentificationStore.Stored> earlier = store.findByIdempotencyKey(requester, idempotencyKey);
    if (earlier.isPresent()) {
      if (!earlier.get().requestHash().equals(hash)) {
        throw ProblemResponses.exception(HttpStatus.CONFLICT, "idempotency-key-reused", "Idempotency key reused",
            "This idempotency key was used for a different request. Use a new key for a new request.");
      }
      return new Filed(earlier.get().request(), false);
    }
    ProjectId projectId = ProjectId.of(project);
    custody.projectPseudonymizer(projectId); // the project must have keys, or nothing could ever be resolved
    Instant now = clock.instant();
    ReidentificationRequest request = ReidentificationRequest.file(requester, projectId, pseudonyms, legalBasis, reason, now, validity);
    store.insert(request, idempotencyKey, hash);
    store.save(request, now);
    return new Filed(request, true);
  }

  @Transactional(noRollbackFor = ReidentificationRefusedException.class)
  public ReidentificationRequest approve(UUID id, String custodian) {
    ReidentificationRequest request = locked(id);
    Instant now = clock.instant();
    try {
      request.approve(custodian, now);
    } finally {
      store.save(request, now);
    }
    return request;
  }

  @Transactional(noRollbackFor = ReidentificationRefusedException.class)
  public ReidentificationRequest reject(UUID id, String custodian, String why) {
    ReidentificationRequest request = locked(id);
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
  public Map<Long, Optional<PersonId>> resolve(UUID id, String caller) throws GeneralSecurityException {
    ReidentificationRequest request = locked(id);
    ProjectPseudonymizer project = custody.projectPseudonymizer(request.project());
    WarehousePseudonymizer warehouse = custody.warehousePseudonymizer();
    Instant now = clock.instant();
    Map<Long, PersonId> people;
    try {
      people = request.resolve(caller, now, pseudonym -> {
        try {
          return warehouse.reveal(project.layer1(pseudonym));
        } catch (NotAPseudonymException e) {
          return null;
        }
      });
    } finally {
      store.save(request, now);
    }
    Map<Long, Optional<PersonId>> results = new LinkedHashMap<>();
    people.forEach((pseudonym, person) -> results.put(pseudonym, Optional.ofNullable(person)));
    return results;
  }

  @Transactional(readOnly = true)
  public Optional<ReidentificationRequest> find(UUID id) {
    return store.find(id);
  }

  @Transactional(readOnly = true)
  public List<ReidentificationRequest> byStatus(ReidentificationRequest.Status status) {
    return store.byStatus(status, 200);
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

  static org.springframework.web.ErrorResponseException notFound() {
    return ProblemResponses.exception(HttpStatus.NOT_FOUND, "reidentification-request-not-found",
        "No such re-identification request", "There is no re-identification request with this ID that you may see.");
  }

  private static String hash(String project, List<Long> pseudonyms, String legalBasis, String reason) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      for (String part : new String[] {project, String.valueOf(pseudonyms), legalBasis, reason}) {
        digest.update(String.valueOf(part).getBytes(StandardCharsets.UTF_8));
        digest.update((byte) 0);
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
