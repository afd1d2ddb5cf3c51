package optout.pseudonymizer.reidentify;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.LongFunction;
import java.util.function.Supplier;
import optout.pseudonymizer.id.PersonId;
import optout.pseudonymizer.id.ProjectId;
import optout.pseudonymizer.pseudonym.Pseudonyms;
import optout.pseudonymizer.reidentify.ReidentificationRefusedException.Rule;

/**
 * A request to re-identify project pseudonyms, and the rules it lives by: it states its legal basis
 * and reason; two different key custodians, neither of them the requester, must approve it; it
 * expires if it is not completed in time; its result goes to the requester only, once. Every step,
 * allowed or refused, is an {@link AuditEvent}. Plain Java: the trust-centre service stores it and
 * checks roles at its edge.
 */
public final class ReidentificationRequest {

  public enum Status {
    AWAITING_APPROVAL,
    APPROVED,
    REJECTED,
    EXPIRED,
    RESOLVED
  }

  /** Approvals needed, from different custodians. */
  public static final int APPROVALS_NEEDED = 2;
  public static final int MAX_PSEUDONYMS = 1000;

  public record Approval(String custodian, Instant at) {}

  /**
   * The extract the pseudonyms come from, as its signed manifest names it, and the warehouse key version
   * under them: layer 1 is reversed with exactly that version (any other gives valid but wrong people).
   * Version 0 is a request stored before versions were recorded: it is never resolved.
   */
  public record Extract(String id, int warehouseKeyVersion) {
    public Extract {
      Objects.requireNonNull(id, "the extract's ID");
      if (warehouseKeyVersion < 0) {
        throw new IllegalArgumentException("Cannot file the request: the warehouse key version must be at least 1");
      }
    }

    /** A request stored before the extract and its key version were recorded. */
    public static Extract unrecorded() {
      return new Extract("", 0);
    }

    public boolean recorded() {
      return warehouseKeyVersion > 0 && !id.isEmpty();
    }
  }

  private final UUID id;
  private final String requester;
  private final ProjectId project;
  private final Extract extract;
  private final List<Long> pseudonyms;
  private final String legalBasis;
  private final String reason;
  private final Instant requestedAt;
  private final Instant expiresAt;
  private final List<Approval> approvals = new ArrayList<>();
  private final List<AuditEvent> events = new ArrayList<>();
  private Status status = Status.AWAITING_APPROVAL;

  private ReidentificationRequest(UUID id, String requester, ProjectId project, Extract extract, List<Long> pseudonyms,
      String legalBasis, String reason, Instant requestedAt, Instant expiresAt) {
    this.id = id;
    this.requester = requester;
    this.project = project;
    this.extract = extract;
    this.pseudonyms = pseudonyms;
    this.legalBasis = legalBasis;
    this.reason = reason;
    this.requestedAt = requestedAt;
    this.expiresAt = expiresAt;
  }

  /**
   * A stored request, as it was saved. Its {@link #events()} start empty: they are what happens from
   * here on, for the caller to store.
   */
  public static ReidentificationRequest restore(UUID id, String requester, ProjectId project, Extract extract, List<Long> pseudonyms,
      String legalBasis, String reason, Instant requestedAt, Instant expiresAt, Status status, List<Approval> approvals) {
    ReidentificationRequest request = new ReidentificationRequest(id, requester, project, extract, List.copyOf(pseudonyms),
        legalBasis, reason, requestedAt, expiresAt);
    request.status = status;
    request.approvals.addAll(approvals);
    return request;
  }

  /**
   * Files a request.
   *
   * @throws IllegalArgumentException if a field is missing or malformed (the message says which)
   */
  public static ReidentificationRequest file(String requester, ProjectId project, Extract extract, List<Long> pseudonyms,
      String legalBasis, String reason, Instant now, Duration validFor) {
    requireText(requester, "requester", 200);
    Objects.requireNonNull(project, "project");
    Objects.requireNonNull(extract, "extract");
    requireText(extract.id(), "extract's ID", 100);
    if (!extract.recorded()) {
      throw new IllegalArgumentException("Cannot file the request: name the warehouse key version of the pseudonyms (at least 1)");
    }
    requireText(legalBasis, "legal basis", 500);
    requireText(reason, "reason", 2000);
    if (pseudonyms == null || pseudonyms.isEmpty() || pseudonyms.size() > MAX_PSEUDONYMS) {
      throw new IllegalArgumentException("Cannot file the request: name 1 to " + MAX_PSEUDONYMS + " project pseudonyms");
    }
    if (pseudonyms.stream().anyMatch(p -> p == null || !Pseudonyms.isLayer2(p))) {
      throw new IllegalArgumentException("Cannot file the request: every pseudonym must be a project (layer-2) pseudonym");
    }
    List<Long> distinct = List.copyOf(new LinkedHashSet<>(pseudonyms));
    if (validFor == null || validFor.isNegative() || validFor.isZero() || validFor.compareTo(Duration.ofDays(30)) > 0) {
      throw new IllegalArgumentException("Cannot file the request: it must expire within 30 days");
    }
    ReidentificationRequest request = new ReidentificationRequest(UUID.randomUUID(), requester.strip(), project, extract,
        distinct, legalBasis.strip(), reason.strip(), now, now.plus(validFor));
    request.record(AuditEvent.Type.REQUESTED, request.requester, now, "legal basis: " + request.legalBasis + "; extract "
        + extract.id() + ", warehouse key v" + extract.warehouseKeyVersion());
    return request;
  }

  /**
   * Refuses a filing before any request exists (the extract's manifest does not vouch for it, or the keys
   * cannot serve it). The refusal is still an audit event, under the ID the request would have had, given
   * to {@code audit}; the caller throws the exception returned.
   */
  public static ReidentificationRefusedException refuseFiling(String requester, ProjectId project, int pseudonymCount, Rule rule,
      Instant now, java.util.function.Consumer<AuditEvent> audit) {
    requireText(requester, "requester", 200);
    Objects.requireNonNull(project, "project");
    audit.accept(new AuditEvent(AuditEvent.Type.REFUSED, UUID.randomUUID(), requester.strip(), project.value(), pseudonymCount, now,
        rule.explanation()));
    return new ReidentificationRefusedException(rule);
  }

  /** A custodian approves. The second different custodian's approval makes the request approved. */
  public void approve(String custodian, Instant now) {
    approve(custodian, now, Optional::empty);
  }

  /**
   * A custodian approves with their share of the keys. {@code shareCheck} runs after the other rules
   * and names the rule the share breaks, if any (see {@link RequestSeal}); the approval is refused then.
   */
  public void approve(String custodian, Instant now, Supplier<Optional<Rule>> shareCheck) {
    requireText(custodian, "custodian", 200);
    expireIfStale(now);
    refuseUnless(status == Status.AWAITING_APPROVAL, Rule.NOT_AWAITING_APPROVAL, custodian, now);
    refuseUnless(!custodian.equals(requester), Rule.REQUESTER_CANNOT_APPROVE, custodian, now);
    refuseUnless(approvals.stream().noneMatch(a -> a.custodian().equals(custodian)), Rule.ALREADY_APPROVED_BY_CUSTODIAN, custodian, now);
    Optional<Rule> shareProblem = shareCheck.get();
    refuseUnless(shareProblem.isEmpty(), shareProblem.orElse(null), custodian, now);
    approvals.add(new Approval(custodian, now));
    record(AuditEvent.Type.APPROVED, custodian, now, "approval " + approvals.size() + " of " + APPROVALS_NEEDED);
    if (approvals.size() >= APPROVALS_NEEDED) {
      status = Status.APPROVED;
    }
  }

  /** A custodian rejects; the request is closed. */
  public void reject(String custodian, String why, Instant now) {
    requireText(custodian, "custodian", 200);
    requireText(why, "reason for the rejection", 2000);
    expireIfStale(now);
    refuseUnless(status == Status.AWAITING_APPROVAL, Rule.NOT_AWAITING_APPROVAL, custodian, now);
    refuseUnless(!custodian.equals(requester), Rule.REQUESTER_CANNOT_APPROVE, custodian, now);
    status = Status.REJECTED;
    record(AuditEvent.Type.REJECTED, custodian, now, why.strip());
  }

  /**
   * Hands the requester the people behind the pseudonyms, once.
   *
   * @param reveal the person behind one project pseudonym (both keys: project, then warehouse)
   */
  public Map<Long, PersonId> resolve(String caller, Instant now, LongFunction<PersonId> reveal) {
    return resolve(caller, now, version -> true, () -> reveal);
  }

  /**
   * Hands the requester the people behind the pseudonyms, once, opening the keys only after every other
   * rule passed.
   *
   * @param warehouseVersionHeld whether the keys hold a warehouse key of a version
   * @param keys opens the keys and gives the reveal function under {@link #extract()}'s warehouse key
   *     version, or null if they do not open for this request (wrong release secret, a share that does not
   *     fit, no such version inside): the release is refused then
   */
  public Map<Long, PersonId> resolve(String caller, Instant now, java.util.function.IntPredicate warehouseVersionHeld,
      Supplier<LongFunction<PersonId>> keys) {
    requireText(caller, "caller", 200);
    expireIfStale(now);
    refuseUnless(caller.equals(requester), Rule.ONLY_REQUESTER_RESOLVES, caller, now);
    refuseUnless(status != Status.RESOLVED, Rule.ALREADY_RESOLVED, caller, now);
    refuseUnless(status == Status.APPROVED, Rule.NOT_APPROVED, caller, now);
    // never the newest key instead: under another version a pseudonym reverses to a valid but wrong person
    refuseUnless(extract.recorded() && warehouseVersionHeld.test(extract.warehouseKeyVersion()), Rule.WAREHOUSE_KEY_VERSION_UNKNOWN,
        caller, now);
    LongFunction<PersonId> reveal = keys.get();
    refuseUnless(reveal != null, Rule.KEYS_DO_NOT_OPEN, caller, now);
    Map<Long, PersonId> people = new java.util.LinkedHashMap<>();
    for (long pseudonym : pseudonyms) {
      people.put(pseudonym, reveal.apply(pseudonym));
    }
    status = Status.RESOLVED;
    record(AuditEvent.Type.RESOLVED, caller, now, "released to the requester");
    return people;
  }

  /** Closes a request whose time ran out; does nothing to one that is closed already. */
  public boolean expireIfStale(Instant now) {
    boolean open = status == Status.AWAITING_APPROVAL || status == Status.APPROVED;
    if (open && !now.isBefore(expiresAt)) {
      status = Status.EXPIRED;
      record(AuditEvent.Type.EXPIRED, "system", now, "not completed by " + expiresAt);
      return true;
    }
    return false;
  }

  private void refuseUnless(boolean allowed, Rule rule, String actor, Instant now) {
    if (!allowed) {
      Rule shown = status == Status.EXPIRED && rule != Rule.ONLY_REQUESTER_RESOLVES ? Rule.EXPIRED : rule;
      record(AuditEvent.Type.REFUSED, actor, now, shown.explanation());
      throw new ReidentificationRefusedException(shown);
    }
  }

  private void record(AuditEvent.Type type, String actor, Instant at, String note) {
    events.add(new AuditEvent(type, id, actor, project.value(), pseudonyms.size(), at, note));
  }

  private static void requireText(String value, String name, int maximum) {
    if (value == null || value.isBlank() || value.length() > maximum) {
      throw new IllegalArgumentException("Cannot file the request: the " + name + " must be given, at most " + maximum + " characters");
    }
  }

  public UUID id() {
    return id;
  }

  public String requester() {
    return requester;
  }

  public ProjectId project() {
    return project;
  }

  public Extract extract() {
    return extract;
  }

  public List<Long> pseudonyms() {
    return pseudonyms;
  }

  public String legalBasis() {
    return legalBasis;
  }

  public String reason() {
    return reason;
  }

  public Instant requestedAt() {
    return requestedAt;
  }

  public Instant expiresAt() {
    return expiresAt;
  }

  public Status status() {
    return status;
  }

  public List<Approval> approvals() {
    return List.copyOf(approvals);
  }

  /** Every step since the request was filed or restored, in order, refusals included. */
  public List<AuditEvent> events() {
    return List.copyOf(events);
  }
}
