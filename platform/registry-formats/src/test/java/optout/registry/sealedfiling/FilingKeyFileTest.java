package optout.registry.sealedfiling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import optout.registry.log.Ed25519NoteSigner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FilingKeyFileTest {

  @TempDir Path directory;

  @Test
  void createsTheKeyOnceReadableByItsOwnerOnlyAndWritesItsVerifierKey() throws IOException {
    Path key = directory.resolve("keys/consent-filing.key");
    Path verifier = directory.resolve("keys/consent-filing.verifier");
    Ed25519NoteSigner first = FilingKeyFile.createIfMissing(key, "localhost/nhi-optout-consent-filing", verifier);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
    assertThat(Files.readString(verifier)).isEqualTo(first.verifierKey() + "\n");
    assertThat(Files.readString(verifier)).doesNotContain("PRIVATE");

    Ed25519NoteSigner again = FilingKeyFile.createIfMissing(key, "localhost/nhi-optout-consent-filing", verifier);
    assertThat(again.verifierKey()).isEqualTo(first.verifierKey());
    assertThat(FilingKeyFile.load(key).verifierKey()).isEqualTo(first.verifierKey());
  }

  @Test
  void aMissingKeyIsNotMadeByLoad() {
    Path missing = directory.resolve("absent.key");
    assertThatThrownBy(() -> FilingKeyFile.load(missing)).isInstanceOf(IOException.class)
        .hasMessageContaining("does not exist");
    assertThat(missing).doesNotExist();
  }

  @Test
  void theCommandPrintsOnlyTheVerifierKey() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Path key = directory.resolve("consent-filing.key");
    int code = FilingKeyFile.run(new String[] {"create", key.toString(), "localhost/nhi-optout-consent-filing",
        directory.resolve("consent-filing.verifier").toString()}, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(code).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(FilingKeyFile.load(key).verifierKey() + "\n");
    assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
    assertThat(FilingKeyFile.run(new String[] {"create"}, new PrintStream(out), new PrintStream(err))).isEqualTo(2);
  }
}
