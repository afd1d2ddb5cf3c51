package optout.portal.delivery;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.util.HexFormat;
import optout.signing.DetachedSigner;

/**
 * The check the warehouse's signature is made for ({@code DetachedSigner.verify}):
 * an Ed25519 signature, base64 in the {@code .sig} file, over exactly the manifest's bytes, under the
 * warehouse's public key (PEM, {@code extract-manifest.key.pub}); and the bytes' SHA-256 against the one the
 * runner reported. Plain Java.
 */
final class ManifestCheck {

  /** What the researcher is told: whether the manifest is the one released and signed by the warehouse. */
  record Verdict(boolean signatureValid, boolean sha256Matches, String keySha256) {

    boolean verified() {
      return signatureValid && sha256Matches;
    }
  }

  private ManifestCheck() {}

  static Verdict check(byte[] manifest, String signatureBase64, String expectedSha256, Path publicKeyPem) throws IOException, GeneralSecurityException {
    PublicKey key = DetachedSigner.publicKey(publicKeyPem);
    boolean valid = DetachedSigner.verify(key, manifest, signatureBase64);
    String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(manifest));
    return new Verdict(valid, sha256.equals(expectedSha256), DetachedSigner.keySha256(key));
  }
}
