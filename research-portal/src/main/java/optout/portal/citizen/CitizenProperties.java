package optout.portal.citizen;

import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The citizen's view ({@code optout.portal.citizen.*}).
 *
 * @param registryUrl the registry whose {@code GET /api/v1/me/status} the portal calls with the citizen's own token
 * @param onlineFilingUrl the consent service's online filing page (file or withdraw an opt-out), linked from the page
 * @param watchInterval how often subscriptions are checked for news (new ledger rows, a changed status)
 * @param ledgerUrl the database holding the warehouse's {@code person_usage} (the warehouse catalog's), read-only; unset:
 *     the portal's own database
 * @param ledgerUsername, ledgerPassword its read-only role
 * @param ledgerPoolSize the most connections to it at once (a pool of its own; 1 to 100)
 * @param pseudonymCache how long a signed-in citizen's pseudonyms are remembered between the registry's answers (0 to 15
 *     minutes; 0: the registry is asked on every request), so "where my data was used" is a ledger lookup
 * @param statusClientId, statusClientSecret the confidential client whose service account may read a person's status by
 *     pseudonym at the registry (auditors' {@code /api/v1/persons/{pseudonym}/status}); unset: "my status changed" is
 *     never checked (subscriptions are kept)
 */
@ConfigurationProperties("optout.portal.citizen")
record CitizenProperties(
    @DefaultValue("http://127.0.0.1:8081") URI registryUrl,
    @DefaultValue("http://127.0.0.1:8082/online/") URI onlineFilingUrl,
    @DefaultValue("5m") Duration watchInterval,
    String ledgerUrl,
    String ledgerUsername,
    String ledgerPassword,
    @DefaultValue("10") int ledgerPoolSize,
    @DefaultValue("60s") Duration pseudonymCache,
    String statusClientId,
    String statusClientSecret) {

  CitizenProperties {
    if (ledgerPoolSize < 1 || ledgerPoolSize > 100) {
      throw new IllegalArgumentException("Cannot configure the citizen's view: optout.portal.citizen.ledger-pool-size must be 1 to 100");
    }
    if (pseudonymCache.isNegative() || pseudonymCache.compareTo(Duration.ofMinutes(15)) > 0) {
      throw new IllegalArgumentException("Cannot configure the citizen's view: optout.portal.citizen.pseudonym-cache must be 0 to 15 minutes");
    }
    if (watchInterval.compareTo(Duration.ofMillis(100)) < 0) {
      throw new IllegalArgumentException("Cannot configure the citizen's view: optout.portal.citizen.watch-interval must be at least 100ms");
    }
  }
}
