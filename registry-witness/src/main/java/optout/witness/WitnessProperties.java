package optout.witness;

import java.nio.file.Path;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * The witness's configuration ({@code optout.witness.*}).
 *
 * @param name the witness's name in its cosignature lines and verifier key
 * @param signingKeyFile the file holding the Ed25519 cosigning key ({@code PRIVATE+KEY+...}); outside git
 * @param createSigningKey create the file (0600) with a new key if it is missing: for the local demo only
 * @param stateDirectory where the latest and every cosigned checkpoint per log are kept
 * @param logs the logs witnessed, each {@code <log verifier key> <origin>}
 * @param logsFile the same, one a line, from a file (both may be given)
 * @param maxBodySize the largest add-checkpoint request read
 */
@ConfigurationProperties("optout.witness")
public record WitnessProperties(String name, Path signingKeyFile, boolean createSigningKey, Path stateDirectory, List<String> logs,
    Path logsFile, DataSize maxBodySize) {

  public WitnessProperties {
    if (name == null || name.isBlank()) {
      name = "localhost/nhi-optout-witness";
    }
    if (signingKeyFile == null) {
      throw new IllegalArgumentException("Cannot start the witness: optout.witness.signing-key-file (OPTOUT_WITNESS_SIGNING_KEY_FILE) is not set");
    }
    if (stateDirectory == null) {
      throw new IllegalArgumentException("Cannot start the witness: optout.witness.state-directory (OPTOUT_WITNESS_STATE_DIRECTORY) is not set");
    }
    logs = logs == null ? List.of() : List.copyOf(logs);
    maxBodySize = maxBodySize == null ? DataSize.ofKilobytes(16) : maxBodySize;
  }
}
