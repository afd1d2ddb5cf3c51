package optout.trustcentre.reidentify;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.util.HexFormat;
import java.util.Optional;
import optout.platform.problem.ProblemResponses;
import optout.signing.DetachedSigner;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponseException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Extract manifests as the warehouse signs them ({@code DetachedSigner}: Ed25519 over the
 * manifest's exact bytes, base64; the public key a PEM SubjectPublicKeyInfo). The trust centre learns from
 * a project's signed manifest which warehouse key version its pseudonyms were made with; a requester's word
 * alone would let a wrong version through, which reverses to valid but wrong people.
 */
@Component
class ExtractManifests {

  /** The manifest format that records the warehouse key version. */
  static final String FORMAT = "nhi-optout-extract-manifest/2";
  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** What a verified manifest says about the pseudonyms of its project. */
  record Verified(String extractId, String project, int warehouseKeyVersion, String sha256) {}

  private final String publicKeyFile;

  ExtractManifests(@Value("${optout.trust-centre.extract-manifest-public-key:}") String publicKeyFile) {
    this.publicKeyFile = publicKeyFile;
  }

  /**
   * The manifest's statements if the warehouse signed exactly these bytes and they are a manifest of
   * {@link #FORMAT}; empty otherwise.
   *
   * @throws ErrorResponseException ({@code key-unavailable}) if the warehouse's public key is not configured or cannot be read
   */
  Optional<Verified> verify(String manifest, String signature) {
    if (manifest == null || signature == null) {
      return Optional.empty();
    }
    byte[] bytes = manifest.getBytes(StandardCharsets.UTF_8);
    PublicKey key = publicKey();
    if (!DetachedSigner.verify(key, bytes, signature)) {
      return Optional.empty();
    }
    try {
      JsonNode root = JSON.readTree(bytes);
      if (!FORMAT.equals(text(root.path("format")))) {
        return Optional.empty();
      }
      String extractId = text(root.path("extractId"));
      String project = text(root.path("spec").path("project"));
      JsonNode version = root.path("keys").path("warehouseKeyVersion");
      if (extractId == null || project == null || !version.isInt() || version.asInt() < 1) {
        return Optional.empty();
      }
      return Optional.of(new Verified(extractId, project, version.asInt(), HexFormat.of().formatHex(
          MessageDigest.getInstance("SHA-256").digest(bytes))));
    } catch (RuntimeException | java.security.NoSuchAlgorithmException malformed) {
      return Optional.empty();
    }
  }

  private static String text(JsonNode node) {
    return node.isString() ? node.asString() : null;
  }

  private PublicKey publicKey() {
    if (publicKeyFile == null || publicKeyFile.isBlank()) {
      throw unavailable("The warehouse's extract-manifest public key is not configured: set"
          + " OPTOUT_EXTRACT_MANIFEST_PUBLIC_KEY to its PEM file (beside the signing key, .pub)");
    }
    try {
      return DetachedSigner.publicKey(Path.of(publicKeyFile));
    } catch (IOException | GeneralSecurityException e) {
      throw unavailable("Cannot read the warehouse's extract-manifest public key (OPTOUT_EXTRACT_MANIFEST_PUBLIC_KEY): "
          + e.getClass().getSimpleName());
    }
  }

  private static ErrorResponseException unavailable(String detail) {
    return ProblemResponses.exception(HttpStatus.CONFLICT, "key-unavailable", "Key unavailable", detail);
  }
}
