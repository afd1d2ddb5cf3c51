package optout.registry.transparency;

import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The transparency log's configuration ({@code optout.registry.log.*}).
 *
 * @param origin the log's name in its checkpoints, and the signing key's name
 * @param signingKeyFile a file holding the Ed25519 signer key ({@code PRIVATE+KEY+...}); outside git
 * @param createSigningKey create the file (0600) with a new key if it is missing: for a one-machine
 *     platform; a real deployment provisions its key and leaves this off
 * @param sequenceInterval how often the sequencer logs new events
 * @param checkpointInterval the most often a checkpoint is signed
 * @param batchSize the most events logged in one transaction
 */
@ConfigurationProperties("optout.registry.log")
public record LogProperties(String origin, Path signingKeyFile, boolean createSigningKey, Duration sequenceInterval,
    Duration checkpointInterval, int batchSize) {

  public LogProperties {
    if (origin == null || origin.isBlank()) {
      origin = "localhost/nhi-optout-registry";
    }
    if (signingKeyFile == null) {
      throw new IllegalArgumentException("Cannot start the registry: optout.registry.log.signing-key-file (OPTOUT_REGISTRY_LOG_SIGNING_KEY_FILE) is not set");
    }
    sequenceInterval = sequenceInterval == null ? Duration.ofMillis(200) : sequenceInterval;
    checkpointInterval = checkpointInterval == null ? Duration.ofSeconds(1) : checkpointInterval;
    batchSize = batchSize <= 0 ? 10_000 : batchSize;
  }
}
