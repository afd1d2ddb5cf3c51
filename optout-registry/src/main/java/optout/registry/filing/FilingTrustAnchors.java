package optout.registry.filing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import optout.registry.log.Ed25519NoteVerifier;
import optout.registry.sealedfiling.CanonicalFiling;
import optout.registry.sealedfiling.FilingSignatureException;
import optout.registry.sealedfiling.FilingSignatures;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.stereotype.Component;

/**
 * The filing keys the registry trusts: the consent service's verifier keys (note format,
 * {@code <name>+<key ID>+<base64>}), from configuration. Without any, every filing is refused: the
 * registry never stores a filing it cannot check.
 */
@Component
@EnableConfigurationProperties(FilingTrustAnchors.Properties.class)
class FilingTrustAnchors {

  private static final Logger log = LoggerFactory.getLogger(FilingTrustAnchors.class);

  /**
   * {@code optout.registry.filing.*}.
   *
   * @param verifierKeys verifier keys, comma-separated in the environment ({@code OPTOUT_REGISTRY_FILING_VERIFIER_KEYS})
   * @param verifierKeysFile a file of verifier keys, one a line, {@code #} comments ({@code OPTOUT_REGISTRY_FILING_VERIFIER_KEYS_FILE})
   */
  @ConfigurationProperties("optout.registry.filing")
  record Properties(List<String> verifierKeys, Path verifierKeysFile) {}

  private final List<Ed25519NoteVerifier> trusted;

  FilingTrustAnchors(Properties properties) throws IOException {
    List<String> keys = new ArrayList<>();
    if (properties.verifierKeys() != null) {
      properties.verifierKeys().stream().map(String::strip).filter(key -> !key.isEmpty()).forEach(keys::add);
    }
    if (properties.verifierKeysFile() != null) {
      Files.readAllLines(properties.verifierKeysFile(), StandardCharsets.US_ASCII).stream().map(String::strip)
          .filter(line -> !line.isEmpty() && !line.startsWith("#")).forEach(keys::add);
    }
    List<Ed25519NoteVerifier> verifiers = new ArrayList<>();
    for (String key : keys) {
      try {
        verifiers.add(Ed25519NoteVerifier.fromVerifierKey(key));
      } catch (IllegalArgumentException invalid) {
        throw new IllegalArgumentException("Cannot start the registry: a filing verifier key (optout.registry.filing.*) is not valid: "
            + invalid.getMessage(), invalid);
      }
    }
    this.trusted = List.copyOf(verifiers);
    if (trusted.isEmpty()) {
      log.warn("No filing verifier key is configured (OPTOUT_REGISTRY_FILING_VERIFIER_KEYS or _FILE): every filing will be refused");
    } else {
      log.info("Trusting {} filing key(s): {}", trusted.size(), trusted.stream().map(v -> v.keyName()).toList());
    }
  }

  /** Checks that a trusted filing key signed exactly this filing. */
  void verify(CanonicalFiling filing, String signatureLines) throws FilingSignatureException {
    FilingSignatures.verify(filing, signatureLines, trusted);
  }
}
