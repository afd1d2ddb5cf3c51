package optout.pseudonymizer.custody;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BcfksCustodyTest extends KeyCustodyContractTest {

  private static final String PASSPHRASE = "correct horse battery staple";

  @TempDir Path directory;

  private Path keystore() {
    return directory.resolve("keys/pseudonymizer.bcfks");
  }

  @Override
  KeyCustody newCustody() throws Exception {
    return KeyCustodies.createBcfks(keystore(), Passphrase.of(PASSPHRASE.toCharArray()));
  }

  @Override
  KeyCustody reopen() throws Exception {
    return KeyCustodies.openBcfks(keystore(), Passphrase.of(PASSPHRASE.toCharArray()));
  }

  private KeyStore raw() throws Exception {
    KeyStore raw = KeyStore.getInstance("BCFKS", new BouncyCastleProvider());
    try (var in = Files.newInputStream(keystore())) {
      raw.load(in, PASSPHRASE.toCharArray());
    }
    return raw;
  }

  @Override
  List<Cipher> everyRemainingAesKey() throws Exception {
    KeyStore raw = raw();
    List<Cipher> ciphers = new ArrayList<>();
    for (String alias : Collections.list(raw.aliases())) {
      SecretKey key = (SecretKey) raw.getKey(alias, PASSPHRASE.toCharArray());
      if (key.getAlgorithm().startsWith("AES")) {
        Cipher aes = Cipher.getInstance("AES/ECB/NoPadding");
        aes.init(Cipher.ENCRYPT_MODE, key);
        ciphers.add(aes);
      }
    }
    return ciphers;
  }

  @Test
  void theFileIsOwnerOnlyAndHoldsNoKeyInClear() throws Exception {
    try (KeyCustody custody = created()) {
      custody.createProjectKeys(DIABETES);
    }
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keystore()))).isEqualTo("rw-------");
    byte[] file = Files.readAllBytes(keystore());
    KeyStore raw = raw();
    List<String> aliases = Collections.list(raw.aliases());
    assertThat(aliases).containsExactlyInAnyOrder("warehouse.v1", "identity.v1", "project.nhird-2026-0042.pseudonym", "project.nhird-2026-0042.token");
    for (String alias : aliases) {
      byte[] key = ((SecretKey) raw.getKey(alias, PASSPHRASE.toCharArray())).getEncoded();
      assertThat(key).hasSize(32);
      assertThat(indexOf(file, key)).as(alias + " must not appear in clear").isEqualTo(-1);
    }
  }

  @Test
  void aWrongPassphraseOrAMissingFileIsRefusedClearly() throws Exception {
    created().close();
    assertThatThrownBy(() -> KeyCustodies.openBcfks(keystore(), Passphrase.of("not the passphrase".toCharArray())))
        .isInstanceOf(GeneralSecurityException.class)
        .hasMessage("Cannot open the keystore: wrong passphrase, or the file is damaged");
    assertThatThrownBy(() -> KeyCustodies.openBcfks(directory.resolve("nowhere.bcfks"), Passphrase.of(PASSPHRASE.toCharArray())))
        .hasMessageContaining("no keystore here: create it with `./optout keys init`");
    assertThatThrownBy(this::newCustody).hasMessageContaining("a keystore exists already");
    assertThatThrownBy(() -> Passphrase.of("short".toCharArray()))
        .hasMessage("Cannot use the keystore passphrase: it must have at least 12 characters");
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i <= haystack.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
