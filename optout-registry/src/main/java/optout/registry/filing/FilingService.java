package optout.registry.filing;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.Optional;
import java.util.SortedSet;
import java.util.UUID;
import optout.pseudonymizer.id.PersonId;
import optout.registry.event.Channel;
import optout.registry.event.EventLeaf;
import optout.registry.event.EventType;
import optout.registry.event.FilerPseudonyms;
import optout.registry.event.LeafAuthenticator;
import optout.registry.event.PersonState;
import optout.registry.event.Proxy;
import optout.registry.event.RegistryEvent;
import optout.registry.event.SignedDocument;
import optout.registry.event.store.EventStore;
import optout.registry.event.store.StatisticsFacets;
import optout.registry.event.store.StoredEvent;
import optout.registry.identity.PersonIdentities;
import optout.registry.scope.ScopeCatalogue;
import optout.registry.sealedfiling.CanonicalFiling;
import optout.registry.sealedfiling.FilingSignatureException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Files an event: checks it against the person's state under a per-person lock, and stores the event
 * and the new state in one transaction. Every filing carries an idempotency key: the same key with
 * the same request returns the first outcome, also to a retry that arrives while the first is still
 * being stored; with another request it is refused.
 */
@Service
class FilingService {

  /** Clocks at counters and in browsers differ a little; a form signed in the future is not accepted. */
  static final Duration FUTURE_TOLERANCE = Duration.ofMinutes(5);
  /** The Constitutional Court's judgment: no opt-out can have taken effect before it. */
  static final Instant EARLIEST_EFFECT = Instant.parse("2022-08-12T00:00:00Z");

  private final EventStore events;
  private final PersonIdentities identities;
  private final ScopeCatalogue catalogue;
  private final LeafAuthenticator authenticator;
  private final FilingTrustAnchors trustAnchors;
  private final FilerPseudonyms filers;
  private final TransactionTemplate transactions;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();

  FilingService(EventStore events, PersonIdentities identities, ScopeCatalogue catalogue, LeafAuthenticator authenticator,
      FilingTrustAnchors trustAnchors, FilerPseudonyms filers, TransactionTemplate transactions, Clock clock) {
    this.events = events;
    this.identities = identities;
    this.catalogue = catalogue;
    this.authenticator = authenticator;
    this.trustAnchors = trustAnchors;
    this.filers = filers;
    this.transactions = transactions;
    this.clock = clock;
  }

  /** The outcome of a filing: the stored event, and whether it was stored by an earlier, identical request. */
  record Outcome(StoredEvent stored, boolean replayed) {}

  /** Who files: a clerk, the consent service, ... and their subject (staff, not the citizen). */
  record Filer(String role, String subject) {}

  /**
   * Files a request whose signature a trusted filing key made over exactly this filing.
   *
   * @throws FilingSignatureException if it is not so; nothing is stored then
   */
  Outcome file(FilingRequest request, String idempotencyKey, Filer filer) throws FilingSignatureException {
    PersonId person = PersonId.parse(request.nationalId());
    SortedSet<String> scopes = catalogue.require(request.scopes());
    Channel channel = Channel.fromCode(request.channel()).orElseThrow();
    if ((channel == Channel.PROXY) != (request.proxy() != null)) {
      throw new IllegalArgumentException(channel == Channel.PROXY
          ? "A proxy filing must name the proxy's relation and evidence"
          : "Only a proxy filing names a proxy");
    }
    Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
    Instant effective = request.effectiveAt().truncatedTo(ChronoUnit.MICROS);
    if (effective.isAfter(now.plus(FUTURE_TOLERANCE))) {
      throw new IllegalArgumentException("effectiveAt lies in the future");
    }
    if (effective.isBefore(EARLIEST_EFFECT)) {
      throw new IllegalArgumentException("effectiveAt lies before the opt-out right existed (2022-08-12)");
    }
    // the sealed form's statement, checked before anything is looked up or stored
    trustAnchors.verify(canonical(request, idempotencyKey, person, scopes, effective), request.signature());
    PersonIdentities.Identified identified = identities.identify(person);
    byte[] fingerprint = fingerprint(request, identified.pseudonym());

    byte[] salt = new byte[RegistryEvent.SALT_BYTES];
    random.nextBytes(salt);
    RegistryEvent event = new RegistryEvent(UUID.randomUUID(), EventType.fromCode(request.type()).orElseThrow(),
        identified.pseudonym(), salt, scopes, channel,
        Optional.ofNullable(request.proxy()).map(p -> new Proxy(Proxy.Relation.fromCode(p.relation()).orElseThrow(), p.evidenceReference())),
        new SignedDocument(request.document().reference(), request.document().sha256()), effective, now, filer.role(),
        Optional.of(new RegistryEvent.Filer(request.filer().role(), filers.pseudonym(request.filer().account()))));
    StatisticsFacets facets = new StatisticsFacets(sex(person), county(person),
        request.ageBand() == null ? StatisticsFacets.UNKNOWN : request.ageBand());
    try {
      return transactions.execute(status -> {
        identities.requireCurrentVersion();
        events.lockPerson(identified.pseudonym());
        // Under the lock: a retry that waited here while the first request committed finds it now, and is
        // answered with it rather than refused as a second opt-out (which the outbox would take as final).
        Optional<Outcome> earlier = replay(idempotencyKey, fingerprint);
        if (earlier.isPresent()) {
          return earlier.get();
        }
        PersonState next = events.state(identities.version(), identified.pseudonym()).orElse(PersonState.none()).apply(event);
        byte[] mac = authenticator.mac(EventLeaf.encode(event));
        long seq = events.insert(event, identities.version(), identified.sealedId(), idempotencyKey, fingerprint, mac, facets, filer.subject());
        events.saveState(identities.version(), identified.pseudonym(), next, seq, identified.sealedId());
        return new Outcome(new StoredEvent(seq, event, identified.sealedId(), idempotencyKey, fingerprint, mac,
            java.util.OptionalLong.empty(), identities.version()), false);
      });
    } catch (DuplicateKeyException raced) {
      // the same key arrived twice at once: the other request stored it
      return replay(idempotencyKey, fingerprint).orElseThrow(() -> raced);
    }
  }

  private Optional<Outcome> replay(String idempotencyKey, byte[] fingerprint) {
    return events.byIdempotencyKey(idempotencyKey).map(stored -> {
      if (!MessageDigest.isEqual(stored.requestSha256(), fingerprint)) {
        throw new IdempotencyConflictException();
      }
      return new Outcome(stored, true);
    });
  }

  /** The filing as the consent service signed it, rebuilt from the request's fields and the registry's reading of them. */
  private static CanonicalFiling canonical(FilingRequest request, String idempotencyKey, PersonId person, SortedSet<String> scopes,
      Instant effective) {
    return new CanonicalFiling(idempotencyKey, request.type(),
        CanonicalFiling.personCommitment(HexFormat.of().parseHex(request.personSalt()), person.unmaskedValue()), scopes,
        request.channel(), Optional.ofNullable(request.proxy()).map(p -> new CanonicalFiling.Proxy(p.relation(), p.evidenceReference())),
        effective, request.document().sha256(), request.filer().role(), request.filer().account());
  }

  /** What makes two requests the same, over the pseudonym rather than the ID (an ID's hash is guessable). */
  private static byte[] fingerprint(FilingRequest request, long pseudonym) {
    String canonical = String.join("\n", request.type(), Long.toString(pseudonym), String.join(",", new java.util.TreeSet<>(request.scopes())),
        request.channel(), request.proxy() == null ? "-" : request.proxy().relation() + " " + request.proxy().evidenceReference(),
        request.document().reference(), request.document().sha256(), request.effectiveAt().truncatedTo(ChronoUnit.MICROS).toString(),
        String.valueOf(request.ageBand()), request.filer().role() + " " + request.filer().account());
    try {
      return MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The second character of a national ID: 1 male, 2 female; resident certificates use others. */
  static String sex(PersonId person) {
    if (person.kind() != PersonId.Kind.NATIONAL_ID) {
      return StatisticsFacets.UNKNOWN;
    }
    return person.unmaskedValue().charAt(1) == '1' ? "male" : "female";
  }

  /** The first letter: the county or city where the ID was first issued (household registration). */
  static String county(PersonId person) {
    return IdLetters.county(person.unmaskedValue().charAt(0));
  }
}
