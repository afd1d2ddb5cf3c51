package optout.portal.citizen;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * A signed-in citizen's warehouse pseudonyms (key version to pseudonym) as the registry last answered them, kept for
 * {@code optout.portal.citizen.pseudonym-cache} by the token's subject, so that "where my data was used" is a ledger lookup
 * and not a registry round trip each time the page asks. The registry's status answer (the overview) refreshes it. Kept
 * in memory only, never logged; the portal already holds these numbers (the ledger is read with them, subscriptions save
 * one), and never the national ID. A key rotation shows in the answer after at most the cache's time, as does a
 * national ID a clerk adds at Keycloak.
 */
@Component
class CitizenPseudonyms {

  /** Citizens remembered at most (the least recently used leave first). */
  private static final int MOST_CITIZENS = 100_000;

  private final RegistryStatus registry;
  private final Cache<String, Map<Integer, Long>> bySubject;

  CitizenPseudonyms(RegistryStatus registry, CitizenProperties properties) {
    this.registry = registry;
    this.bySubject = properties.pseudonymCache().isZero() ? null
        : Caffeine.newBuilder().maximumSize(MOST_CITIZENS).expireAfterWrite(properties.pseudonymCache()).build();
  }

  /** The caller's status from the registry (with their token), remembering their pseudonyms. */
  RegistryStatus.Status status(String subject, String token) {
    RegistryStatus.Status status = registry.mine(token);
    if (bySubject != null) {
      bySubject.put(subject, Map.copyOf(status.pseudonyms()));
    }
    return status;
  }

  /** The caller's pseudonyms: remembered, or asked from the registry with their token. */
  Map<Integer, Long> of(String subject, String token) {
    Map<Integer, Long> known = bySubject == null ? null : bySubject.getIfPresent(subject);
    return known != null ? known : status(subject, token).pseudonyms();
  }
}
