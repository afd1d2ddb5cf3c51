package optout.portal.delivery;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The check warehouse-jobs' {@code ManifestSigner.verify} makes (the portal never links the Spark module):
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
    PublicKey key = publicKey(publicKeyPem);
    boolean valid;
    try {
      Signature signature = Signature.getInstance("Ed25519");
      signature.initVerify(key);
      signature.update(manifest);
      valid = signature.verify(Base64.getDecoder().decode(signatureBase64.strip()));
    } catch (IllegalArgumentException | java.security.SignatureException e) {
      valid = false;
    }
    String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(manifest));
    String keySha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getEncoded()));
    return new Verdict(valid, sha256.equals(expectedSha256), keySha256);
  }

  static PublicKey publicKey(Path pem) throws IOException, GeneralSecurityException {
    String text = Files.readString(pem, StandardCharsets.US_ASCII).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(text)));
  }
}
