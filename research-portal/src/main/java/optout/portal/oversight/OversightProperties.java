package optout.portal.oversight;

import java.net.URI;
import java.time.Duration;
import optout.portal.registrylog.RegistryLogProperties;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where the oversight console finds the trust centre's audit trail, and its limits ({@code optout.portal.oversight.*});
 * the registry is the one of {@code optout.portal.registry-log.*} ({@link RegistryLogProperties}).
 *
 * @param trustCentreUrl the trust centre (the re-identification audit chain)
 * @param timeout how long one call to another service may take
 * @param registryLeaves how many of the log's newest leaves a search reads (at most 10,000)
 */
@ConfigurationProperties("optout.portal.oversight")
record OversightProperties(
    @DefaultValue("http://127.0.0.1:8084") URI trustCentreUrl,
    @DefaultValue("10s") Duration timeout,
    @DefaultValue("2000") int registryLeaves) {

  OversightProperties {
    if (registryLeaves < 1 || registryLeaves > 10_000) {
      throw new IllegalArgumentException("Cannot configure the oversight console: registry-leaves must be 1 to 10000");
    }
  }
}
