package optout.portal.delivery;

import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where the warehouse's releases are read from and how often live projects are propagated.
 *
 * @param warehouseOutput the warehouse runner's output directory (manifests and reports); the portal reads only under it
 * @param manifestPublicKey the warehouse's manifest signing key, public half (PEM)
 * @param propagationInterval how often every live project gets a propagation job (at least a second)
 */
@ConfigurationProperties("optout.portal")
record DeliveryProperties(
    @DefaultValue("var/warehouse-output") Path warehouseOutput,
    @DefaultValue("var/keys/extract-manifest.key.pub") Path manifestPublicKey,
    @DefaultValue("1d") Duration propagationInterval) {

  DeliveryProperties {
    if (propagationInterval.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new IllegalArgumentException("Cannot start the portal: optout.portal.propagation-interval must be at least 1s");
    }
    warehouseOutput = warehouseOutput.toAbsolutePath().normalize();
    manifestPublicKey = manifestPublicKey.toAbsolutePath().normalize();
  }
}
