package optout.portal.register;

import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The register's snapshot signing and schedule.
 *
 * @param signingKey the Ed25519 private key (PKCS#8 file; its public half beside it, {@code .pub}); without it no snapshot is taken
 * @param createSigningKey make the key there if it is missing (the local demo only)
 * @param snapshotInterval how often the portal looks whether today's snapshot (UTC) was taken, and takes it if not (at least 1s)
 * @param firstSnapshotAfter how long after start the portal first looks
 */
@ConfigurationProperties("optout.portal.register")
record RegisterProperties(
    @DefaultValue("var/keys/public-register.key") Path signingKey,
    @DefaultValue("false") boolean createSigningKey,
    @DefaultValue("1h") Duration snapshotInterval,
    @DefaultValue("10s") Duration firstSnapshotAfter) {

  RegisterProperties {
    if (snapshotInterval.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new IllegalArgumentException("Cannot start the portal: optout.portal.register.snapshot-interval must be at least 1s");
    }
    signingKey = signingKey.toAbsolutePath().normalize();
  }
}
