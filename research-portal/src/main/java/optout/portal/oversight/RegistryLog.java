package optout.portal.oversight;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The registry and the keys its checkpoints must carry, the same settings the delivery reads
 * ({@code optout.portal.registry-log.*}, see the README's configuration): the console checks the checkpoint
 * history with them and puts the witness's key into evidence bundles for the auditor's convenience.
 */
@ConfigurationProperties("optout.portal.registry-log")
record RegistryLog(
    @DefaultValue("http://127.0.0.1:8081") URI url,
    @DefaultValue("localhost/nhi-optout-registry") String origin,
    String verifierKey,
    Path verifierKeyFile,
    String witnessVerifierKey,
    Path witnessVerifierKeyFile) {

  /** The log's verifier key, or null if none is configured. */
  String logKey() {
    return keyOrFile(verifierKey, verifierKeyFile);
  }

  /** The witness's verifier key, or null if none is configured. */
  String witnessKey() {
    return keyOrFile(witnessVerifierKey, witnessVerifierKeyFile);
  }

  private static String keyOrFile(String key, Path file) {
    if ((key == null || key.isBlank()) && file != null) {
      try {
        key = Files.readString(file, StandardCharsets.US_ASCII);
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot read a registry-log key file of optout.portal.registry-log", e);
      }
    }
    return key == null || key.isBlank() ? null : key.strip();
  }
}
