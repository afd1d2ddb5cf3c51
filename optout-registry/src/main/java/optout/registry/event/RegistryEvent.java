package optout.registry.event;

import java.time.Instant;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.UUID;

/**
 * One event in the registry: what happened to whose opt-out, through which channel, on which signed
 * document, when it took effect and when the registry recorded it. The person appears only as their
 * warehouse pseudonym; the log sees not even that, only a salted commitment to it (see {@link EventLeaf}).
 *
 * @param id the event's identity, also in its log leaf
 * @param type what happened
 * @param person the person's layer-1 (warehouse) pseudonym
 * @param personSalt 16 random bytes that salt the person's commitment in the log
 * @param scopes the scopes the event names: added, withdrawn, or the new set
 * @param channel where it was filed
 * @param proxy present exactly for proxy filings
 * @param document the signed form
 * @param effectiveAt when it took effect (the moment the form was signed)
 * @param recordedAt when the registry stored it
 * @param filedBy which role filed it: clerk, citizen, or the consent service
 * @param filer the clerk or citizen who filed at the consent service, as a keyed pseudonym: present for
 *     sealed filings (leaf format 2), empty for events recorded before (format 1)
 */
public record RegistryEvent(UUID id, EventType type, long person, byte[] personSalt, SortedSet<String> scopes,
    Channel channel, Optional<Proxy> proxy, SignedDocument document, Instant effectiveAt, Instant recordedAt,
    String filedBy, Optional<Filer> filer) {

  public static final int SALT_BYTES = 16;

  /** Who filed at the consent service: their role there and the pseudonym of their account ({@link FilerPseudonyms}). */
  public record Filer(String role, String pseudonym) {
    private static final java.util.regex.Pattern PSEUDONYM = java.util.regex.Pattern.compile("[0-9a-f]{" + 2 * FilerPseudonyms.BYTES + "}");

    public Filer {
      if (!"clerk".equals(role) && !"citizen".equals(role)) {
        throw new IllegalArgumentException("Cannot record a filer: the role must be clerk or citizen");
      }
      if (pseudonym == null || !PSEUDONYM.matcher(pseudonym).matches()) {
        throw new IllegalArgumentException("Cannot record a filer: the pseudonym must be " + 2 * FilerPseudonyms.BYTES + " lower-case hex digits");
      }
    }
  }

  /** An event recorded before filers were kept (leaf format 1). */
  public RegistryEvent(UUID id, EventType type, long person, byte[] personSalt, SortedSet<String> scopes, Channel channel,
      Optional<Proxy> proxy, SignedDocument document, Instant effectiveAt, Instant recordedAt, String filedBy) {
    this(id, type, person, personSalt, scopes, channel, proxy, document, effectiveAt, recordedAt, filedBy, Optional.empty());
  }

  public RegistryEvent {
    if (id == null || type == null || channel == null || proxy == null || document == null || effectiveAt == null
        || recordedAt == null || filedBy == null || scopes == null || filer == null) {
      throw new IllegalArgumentException("Cannot make an event: every field is required");
    }
    if (personSalt == null || personSalt.length != SALT_BYTES) {
      throw new IllegalArgumentException("Cannot make an event: the person's salt must be " + SALT_BYTES + " bytes");
    }
    if (scopes.isEmpty()) {
      throw new IllegalArgumentException("Cannot make an event: it must name at least one scope");
    }
    if ((channel == Channel.PROXY) != proxy.isPresent()) {
      throw new IllegalArgumentException("Cannot make an event: a proxy filing, and only a proxy filing, names the proxy's relation and evidence");
    }
    personSalt = personSalt.clone();
    scopes = new TreeSet<>(scopes);
  }

  @Override
  public byte[] personSalt() {
    return personSalt.clone();
  }

  @Override
  public SortedSet<String> scopes() {
    return new TreeSet<>(scopes);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof RegistryEvent e && e.id.equals(id) && java.util.Arrays.equals(EventLeaf.encode(e), EventLeaf.encode(this));
  }

  @Override
  public int hashCode() {
    return id.hashCode();
  }

  @Override
  public String toString() {
    return "RegistryEvent[" + id + ", " + type.code() + ", scopes " + scopes + ", " + channel.code() + "]";
  }
}
