package optout.portal.delivery;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where the registry checkpoint a manifest names is fetched from, and the keys it must carry
 * ({@code optout.portal.registry-log.*}), as the consent service and the warehouse jobs configure theirs.
 *
 * @param url the registry's base URL: its public log serves {@code /api/v1/log/checkpoints/<size>}
 * @param origin the log's origin line, as configured (not taken from what is checked)
 * @param verifierKey the registry's log verifier key ({@code <name>+<key ID>+<key>}), or {@code verifierKeyFile} holding it
 * @param witnessVerifierKey the witness's cosignature verifier key, or {@code witnessVerifierKeyFile} holding it
 */
@ConfigurationProperties("optout.portal.registry-log")
record RegistryLogProperties(
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
