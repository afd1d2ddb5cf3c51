package optout.portal.register;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegisterSignerTest {

  @TempDir Path directory;

  @Test
  void aSnapshotVerifiesUnderThePublishedKeyAndOneChangedByteBreaksIt() throws Exception {
    Path key = directory.resolve("keys/public-register.key");
    RegisterSigner signer = RegisterSigner.open(key, true);
    assertThat(Files.getPosixFilePermissions(key)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
    byte[] snapshot = "{\"date\":\"2026-12-07\",\"projects\":[]}".getBytes(StandardCharsets.UTF_8);
    String signature = signer.sign(snapshot);
    var published = RegisterSigner.publicKey(Files.readString(RegisterSigner.publicKeyFile(key)));
    assertThat(RegisterSigner.verify(published, snapshot, signature)).isTrue();
    for (int i = 0; i < snapshot.length; i++) {
      byte[] changed = snapshot.clone();
      changed[i] ^= 0x01;
      assertThat(RegisterSigner.verify(published, changed, signature)).as("byte %d changed", i).isFalse();
    }
    assertThat(RegisterSigner.verify(published, snapshot, "not base64!")).isFalse();
    assertThat(RegisterSigner.verify(published, snapshot, "")).isFalse();
    // the same key when opened again; the toString names the key's hash only
    assertThat(RegisterSigner.open(key, false).keySha256()).isEqualTo(signer.keySha256());
    assertThat(signer.toString()).contains(signer.keySha256()).doesNotContain("PRIVATE");
  }

  @Test
  void noKeyAndNoLeaveToMakeOneIsRefused() {
    assertThatThrownBy(() -> RegisterSigner.open(directory.resolve("missing.key"), false)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("does not exist");
  }

  @Test
  void aFileThatHoldsNoKeyIsRefused() throws Exception {
    Path key = directory.resolve("broken.key");
    Files.write(key, new byte[] {1, 2, 3});
    Files.writeString(RegisterSigner.publicKeyFile(key), "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n");
    assertThatThrownBy(() -> RegisterSigner.open(key, false)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("does not hold an Ed25519 key");
  }
}
