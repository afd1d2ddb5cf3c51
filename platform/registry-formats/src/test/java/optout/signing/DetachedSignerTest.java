package optout.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The detached signatures of published files, from the key file to one changed byte. */
class DetachedSignerTest {

  @TempDir Path directory;

  @Test
  void aSnapshotVerifiesUnderThePublishedKeyAndOneChangedByteBreaksIt() throws Exception {
    Path key = directory.resolve("keys/public-register.key");
    DetachedSigner signer = DetachedSigner.open(key, true, "register snapshots");
    assertThat(Files.getPosixFilePermissions(key)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
    byte[] snapshot = "{\"date\":\"2026-12-07\",\"projects\":[]}".getBytes(StandardCharsets.UTF_8);
    String signature = signer.sign(snapshot);
    var published = DetachedSigner.publicKey(Files.readString(DetachedSigner.publicKeyFile(key)));
    assertThat(DetachedSigner.verify(published, snapshot, signature)).isTrue();
    for (int i = 0; i < snapshot.length; i++) {
      byte[] changed = snapshot.clone();
      changed[i] ^= 0x01;
      assertThat(DetachedSigner.verify(published, changed, signature)).as("byte %d changed", i).isFalse();
    }
    assertThat(DetachedSigner.verify(published, snapshot, "not base64!")).isFalse();
    assertThat(DetachedSigner.verify(published, snapshot, "")).isFalse();
    // the same key when opened again; the toString names the key's hash only
    assertThat(DetachedSigner.open(key, false, "register snapshots").keySha256()).isEqualTo(signer.keySha256());
    assertThat(signer.toString()).contains(signer.keySha256()).doesNotContain("PRIVATE");
  }

  @Test
  void noKeyAndNoLeaveToMakeOneIsRefused() {
    assertThatThrownBy(() -> DetachedSigner.open(directory.resolve("missing.key"), false, "extract manifests")).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("Cannot sign extract manifests").hasMessageContaining("does not exist");
  }

  @Test
  void aFileThatHoldsNoKeyIsRefused() throws Exception {
    Path key = directory.resolve("broken.key");
    Files.write(key, new byte[] {1, 2, 3});
    Files.writeString(DetachedSigner.publicKeyFile(key), "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n");
    assertThatThrownBy(() -> DetachedSigner.open(key, false, "register snapshots")).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("does not hold an Ed25519 key");
  }

  /**
   * RFC 8032, section 7.1, TEST 1 and TEST 2: the published key pairs sign the published messages into the published
   * signatures, and those verify, read through the PEM files this class publishes.
   */
  @Test
  void theRfc8032VectorsSignAndVerify() throws Exception {
    String[][] vectors = {
        {"9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60", "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
            "", "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"},
        {"4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb", "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c",
            "72", "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"},
    };
    HexFormat hex = HexFormat.of();
    for (String[] vector : vectors) {
      Path key = directory.resolve("vector-" + vector[1].substring(0, 8) + ".key");
      // PKCS#8 and SubjectPublicKeyInfo of an Ed25519 key (RFC 8410): fixed prefixes before the raw 32 bytes
      Files.write(key, hex.parseHex("302e020100300506032b657004220420" + vector[0]));
      java.security.PublicKey published = java.security.KeyFactory.getInstance("Ed25519")
          .generatePublic(new java.security.spec.X509EncodedKeySpec(hex.parseHex("302a300506032b6570032100" + vector[1])));
      Files.writeString(DetachedSigner.publicKeyFile(key), DetachedSigner.pem(published));
      DetachedSigner signer = DetachedSigner.open(key, false, "test vectors");
      byte[] message = hex.parseHex(vector[2]);
      String expected = Base64.getEncoder().encodeToString(hex.parseHex(vector[3]));
      assertThat(signer.sign(message)).isEqualTo(expected);
      assertThat(DetachedSigner.verify(DetachedSigner.publicKey(DetachedSigner.publicKeyFile(key)), message, expected)).isTrue();
      assertThat(DetachedSigner.verify(published, new byte[] {1}, expected)).isFalse();
    }
  }

  @Test
  void aPublicKeyFileOfAnotherPairIsRefused() throws Exception {
    Path first = directory.resolve("first.key");
    Path second = directory.resolve("second.key");
    DetachedSigner.open(first, true, "register snapshots");
    DetachedSigner.open(second, true, "register snapshots");
    Files.copy(DetachedSigner.publicKeyFile(second), DetachedSigner.publicKeyFile(first), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    assertThatThrownBy(() -> DetachedSigner.open(first, false, "register snapshots")).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("are not one key pair");
  }
}
