package optout.portal.registrylog;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import optout.registry.log.CheckpointVerifier;
import optout.registry.log.Ed25519CosignatureVerifier;
import optout.registry.log.Ed25519NoteVerifier;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The registry whose log the portal checks, and the keys its checkpoints must carry
 * ({@code optout.portal.registry-log.*}), as the consent service and the warehouse jobs configure theirs: the
 * delivery checks a manifest's checkpoint with them, the citizen's view a receipt's, the oversight console the
 * checkpoint history.
 *
 * @param url the registry's base URL: its public log serves {@code /api/v1/log/checkpoints/<size>}
 * @param origin the log's origin line, as configured (not taken from what is checked)
 * @param verifierKey the registry's log verifier key ({@code <name>+<key ID>+<key>}), or {@code verifierKeyFile} holding it
 * @param witnessVerifierKey the witness's cosignature verifier key, or {@code witnessVerifierKeyFile} holding it
 */
@ConfigurationProperties("optout.portal.registry-log")
public record RegistryLogProperties(
    @DefaultValue("http://127.0.0.1:8081") URI url,
    @DefaultValue("localhost/nhi-optout-registry") String origin,
    String verifierKey,
    Path verifierKeyFile,
    String witnessVerifierKey,
    Path witnessVerifierKeyFile) {

  /** The log's verifier key, or null if none is configured. */
  public String logKey() {
    return keyOrFile(verifierKey, verifierKeyFile);
  }

  /** The witness's verifier key, or null if none is configured. */
  public String witnessKey() {
    return keyOrFile(witnessVerifierKey, witnessVerifierKeyFile);
  }

  /** The verifier of the log's own signature on checkpoints of {@link #origin}; null without a log key. */
  public CheckpointVerifier logVerifier() {
    return logVerifier(origin, logKey());
  }

  /** The verifier that also demands the witness's cosignature; null without both keys. */
  public CheckpointVerifier witnessedVerifier() {
    return witnessed(logVerifier(), witnessKey());
  }

  /** The verifier of a log's signature (registry-formats'); null when {@code logKey} is null. */
  public static CheckpointVerifier logVerifier(String origin, String logKey) {
    return logKey == null ? null : new CheckpointVerifier(origin, Ed25519NoteVerifier.fromVerifierKey(logKey));
  }

  /** {@code log} also demanding the witness's cosignature (c2sp.org/tlog-cosignature); null when either is missing. */
  public static CheckpointVerifier witnessed(CheckpointVerifier log, String witnessKey) {
    return log == null || witnessKey == null ? null : log.requiringCosignatures(List.of(Ed25519CosignatureVerifier.fromVerifierKey(witnessKey)));
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
