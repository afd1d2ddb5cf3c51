package optout.registry.transparency;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import optout.registry.log.Ed25519CosignatureVerifier;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The registry's witness ({@code optout.registry.log.witness.*}): where to submit checkpoints and the
 * witness's key. Both or neither: without a witness the registry serves its own signed checkpoints, as
 * before; with one, consumers are served only checkpoints the witness cosigned.
 *
 * @param url the witness's submission prefix ({@code <url>/add-checkpoint}); OPTOUT_REGISTRY_LOG_WITNESS_URL
 * @param verifierKey the witness's cosignature verifier key ({@code <name>+<key ID>+<base64(0x04 || key)>});
 *     OPTOUT_REGISTRY_LOG_WITNESS_VERIFIER_KEY
 * @param interval how often the relay looks for a checkpoint to submit
 * @param timeout how long one submission may take
 */
@ConfigurationProperties("optout.registry.log.witness")
public record WitnessProperties(URI url, String verifierKey, Duration interval, Duration timeout) {

  public WitnessProperties {
    boolean hasUrl = url != null && !url.toString().isBlank();
    boolean hasKey = verifierKey != null && !verifierKey.isBlank();
    if (hasUrl != hasKey) {
      throw new IllegalArgumentException("Cannot start the registry: set both optout.registry.log.witness.url and .verifier-key"
          + " (OPTOUT_REGISTRY_LOG_WITNESS_URL, OPTOUT_REGISTRY_LOG_WITNESS_VERIFIER_KEY), or neither");
    }
    url = hasUrl ? url : null;
    verifierKey = hasKey ? verifierKey.strip() : null;
    if (hasKey) {
      Ed25519CosignatureVerifier.fromVerifierKey(verifierKey);  // refuse a wrong key at start, not at the first checkpoint
    }
    interval = interval == null ? Duration.ofSeconds(1) : interval;
    timeout = timeout == null ? Duration.ofSeconds(10) : timeout;
  }

  /** The witness's key, if a witness is configured. */
  public Optional<Ed25519CosignatureVerifier> witness() {
    return Optional.ofNullable(verifierKey).map(Ed25519CosignatureVerifier::fromVerifierKey);
  }
}
