package optout.portal.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The manifest check: the warehouse key's signature over exactly these bytes, and their SHA-256; tampering and another key fail. */
class ManifestCheckTest {

  @TempDir Path directory;

  private Path pem(KeyPair pair, String name) throws Exception {
    Path file = directory.resolve(name);
    Files.writeString(file, "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder().encodeToString(pair.getPublic().getEncoded())
        + "\n-----END PUBLIC KEY-----\n");
    return file;
  }

  private static String sign(KeyPair pair, byte[] bytes) throws Exception {
    Signature signature = Signature.getInstance("Ed25519");
    signature.initSign(pair.getPrivate());
    signature.update(bytes);
    return Base64.getEncoder().encodeToString(signature.sign()) + "\n";
  }

  @Test
  void aSignedManifestVerifiesAndAnAlteredOneOrAnotherKeyDoesNot() throws Exception {
    KeyPair warehouse = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    KeyPair other = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    byte[] manifest = "{\"extractId\":\"EX-1\",\"persons\":{\"excluded\":3}}".getBytes(StandardCharsets.UTF_8);
    String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(manifest));
    String signature = sign(warehouse, manifest);

    assertThat(ManifestCheck.check(manifest, signature, sha, pem(warehouse, "w.pub")).verified()).isTrue();
    byte[] altered = "{\"extractId\":\"EX-1\",\"persons\":{\"excluded\":0}}".getBytes(StandardCharsets.UTF_8);
    ManifestCheck.Verdict tampered = ManifestCheck.check(altered, signature, sha, pem(warehouse, "w.pub"));
    assertThat(tampered.signatureValid()).isFalse();
    assertThat(tampered.sha256Matches()).isFalse();
    assertThat(ManifestCheck.check(manifest, signature, sha, pem(other, "o.pub")).verified()).isFalse();
    assertThat(ManifestCheck.check(manifest, "not base64 at all!", sha, pem(warehouse, "w.pub")).verified()).isFalse();
    assertThat(ManifestCheck.check(manifest, signature, "0".repeat(64), pem(warehouse, "w.pub")).verified()).isFalse();
  }
}
