package optout.registry.log;

import static optout.registry.log.NoteVectors.ENOCH_VERIFIER_KEY;
import static optout.registry.log.NoteVectors.PETER_SIGNER_KEY;
import static optout.registry.log.NoteVectors.PETER_VERIFIER_KEY;
import static optout.registry.log.NoteVectors.SUM_GOLANG_ORG_VERIFIER_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Key strings and key IDs against golang.org/x/mod/sumdb/note's vectors (see {@link NoteVectors}). */
class Ed25519NoteKeysTest {

  @Test
  void parsesAndWritesGoVerifierKeys() {
    Ed25519NoteVerifier peter = Ed25519NoteVerifier.fromVerifierKey(PETER_VERIFIER_KEY);
    assertThat(peter.keyName()).isEqualTo("PeterNeumann");
    assertThat(peter.keyId()).isEqualTo(0xc74f20a3);
    assertThat(peter.verifierKey()).isEqualTo(PETER_VERIFIER_KEY);
    assertThat(peter).hasToString("Ed25519NoteVerifier[" + PETER_VERIFIER_KEY + "]");
    assertThat(Ed25519NoteVerifier.of("PeterNeumann", peter.publicKey())).isEqualTo(peter).hasSameHashCodeAs(peter);
    assertThat(Ed25519NoteVerifier.fromVerifierKey(ENOCH_VERIFIER_KEY).keyId()).isEqualTo(0xaf0cfe78);
    assertThat(Ed25519NoteVerifier.fromVerifierKey(SUM_GOLANG_ORG_VERIFIER_KEY).keyId()).isEqualTo(0x033de0ae);
  }

  @Test
  void theKeyIdIsTheStartOfTheHashOfNameNewlineTypeAndKey() {
    Ed25519NoteVerifier peter = Ed25519NoteVerifier.fromVerifierKey(PETER_VERIFIER_KEY);
    assertThat(Ed25519NoteVerifier.keyId("PeterNeumann", peter.publicKey())).isEqualTo(0xc74f20a3);
    assertThat(Ed25519NoteVerifier.keyId("PeterNeumanm", peter.publicKey())).isNotEqualTo(0xc74f20a3);
  }

  @Test
  void parsesGoSignerKeysAndDerivesTheMatchingVerifier() {
    Ed25519NoteSigner peter = Ed25519NoteSigner.fromSignerKey(PETER_SIGNER_KEY);
    assertThat(peter.keyName()).isEqualTo("PeterNeumann");
    assertThat(peter.keyId()).isEqualTo(0xc74f20a3);
    assertThat(peter.verifierKey()).isEqualTo(PETER_VERIFIER_KEY);
    assertThat(peter.verifier()).isEqualTo(Ed25519NoteVerifier.fromVerifierKey(PETER_VERIFIER_KEY));
    assertThat(peter.unmaskedSignerKey()).isEqualTo(PETER_SIGNER_KEY);
  }

  @Test
  void neverShowsThePrivateKey() {
    Ed25519NoteSigner peter = Ed25519NoteSigner.fromSignerKey(PETER_SIGNER_KEY);
    String secret = PETER_SIGNER_KEY.substring(PETER_SIGNER_KEY.lastIndexOf('+') + 1);
    assertThat(peter.toString()).isEqualTo("Ed25519NoteSigner[PeterNeumann+c74f20a3, private key not shown]").doesNotContain(secret);
    assertThat(new CheckpointSigner(peter).toString()).doesNotContain(secret);
    // Errors about a signer key never quote it, not even a part.
    String corrupted = PETER_SIGNER_KEY.substring(0, PETER_SIGNER_KEY.length() - 2) + "zz";
    assertThatThrownBy(() -> Ed25519NoteSigner.fromSignerKey(corrupted))
        .hasMessageStartingWith("Cannot parse signer key: ")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(secret.substring(0, 8)).doesNotContain("zz"));
  }

  /** TestGenerateKey and testSignerAndVerifier: a new key pair is consistent and detects changes. */
  @Test
  void generatedKeysSignAndVerifyAndRoundTripThroughTheirStrings() {
    Ed25519NoteSigner signer = Ed25519NoteSigner.generate("EnochRoot");
    Ed25519NoteVerifier verifier = Ed25519NoteVerifier.fromVerifierKey(signer.verifierKey());
    assertThat(verifier.keyName()).isEqualTo("EnochRoot");
    assertThat(verifier.keyId()).isEqualTo(signer.keyId());
    assertThat(Ed25519NoteSigner.fromSignerKey(signer.unmaskedSignerKey()).verifierKey()).isEqualTo(signer.verifierKey());

    byte[] message = "hi".getBytes(StandardCharsets.UTF_8);
    byte[] signature = signer.sign(message);
    assertThat(verifier.verify(message, signature)).isTrue();
    signature[0]++;
    assertThat(verifier.verify(message, signature)).isFalse();
    signature[0]--;
    message[0]++;
    assertThat(verifier.verify(message, signature)).isFalse();
    assertThat(verifier.verify(message, new byte[10])).isFalse();
  }

  @Test
  void generationUsesTheRandomSourceGiven() throws Exception {
    SecureRandom first = SecureRandom.getInstance("SHA1PRNG");
    first.setSeed(42);
    SecureRandom second = SecureRandom.getInstance("SHA1PRNG");
    second.setSeed(42);
    assertThat(Ed25519NoteSigner.generate("a", first).verifierKey()).isEqualTo(Ed25519NoteSigner.generate("a", second).verifierKey());
    assertThat(Ed25519NoteSigner.generate("a").verifierKey()).isNotEqualTo(Ed25519NoteSigner.generate("a").verifierKey());
  }

  /** TestNewVerifier and TestNewSigner: every proper substring and every one-character change is refused. */
  @Test
  void refusesEveryMangledKeyString() {
    for (String mangled : manglings(PETER_VERIFIER_KEY)) {
      assertThatThrownBy(() -> Ed25519NoteVerifier.fromVerifierKey(mangled)).as(mangled)
          .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("Cannot parse verifier key: ");
    }
    for (String mangled : manglings(PETER_SIGNER_KEY)) {
      assertThatThrownBy(() -> Ed25519NoteSigner.fromSignerKey(mangled))
          .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("Cannot parse signer key: ");
    }
  }

  @Test
  void refusesGosOtherBadVerifierKeysSayingWhy() {
    assertThatThrownBy(() -> Ed25519NoteVerifier.fromVerifierKey(NoteVectors.WRONG_LENGTH_VERIFIER_KEY))
        .hasMessage("Cannot parse verifier key: the key is not canonical base64");
    assertThatThrownBy(() -> Ed25519NoteVerifier.fromVerifierKey(NoteVectors.UNKNOWN_ALGORITHM_VERIFIER_KEY))
        .hasMessage("Cannot parse verifier key: the signature type 0x65 is not supported, only 0x01 (Ed25519)");
    assertThatThrownBy(() -> Ed25519NoteVerifier.fromVerifierKey("PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"))
        .hasMessage("Cannot parse verifier key: the key ID c74f20a4 does not belong to this name and key, whose ID is c74f20a3");
    assertThatThrownBy(() -> Ed25519NoteVerifier.fromVerifierKey("PeterNeumann+C74F20A3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"))
        .hasMessage("Cannot parse verifier key: the key ID must be 8 lower-case hex digits");
    assertThatThrownBy(() -> Ed25519NoteVerifier.fromVerifierKey("PeterNeumann"))
        .hasMessage("Cannot parse verifier key: expected <name>+<key ID>+<key>");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "a+b", "a b", "a\tb", "a\u00a0b", "a\u2003b", "a\u0085b", "line\n", "nul\u0000"})
  void refusesInvalidKeyNames(String name) {
    assertThatThrownBy(() -> Ed25519NoteSigner.generate(name))
        .hasMessage("Cannot generate a signer: a key name must be non-empty, without spaces, plus signs or control characters");
    assertThatThrownBy(() -> Ed25519NoteVerifier.of(name, new byte[32])).hasMessageStartingWith("Cannot make a verifier: a key name");
  }

  @Test
  void acceptsUrlLikeAndNonAsciiKeyNames() {
    assertThat(Ed25519NoteSigner.generate("nhi-optout.example/registry").keyName()).isEqualTo("nhi-optout.example/registry");
    assertThat(Ed25519NoteSigner.generate("健保署.example/登錄").keyName()).isEqualTo("健保署.example/登錄");
  }

  @Test
  void refusesPublicKeysOfTheWrongLength() {
    assertThatThrownBy(() -> Ed25519NoteVerifier.of("a", new byte[31]))
        .hasMessage("Cannot make a verifier: an Ed25519 public key has 32 bytes, this one has 31");
  }

  /** A y coordinate of 2^255 - 1 is not below the field prime: no point has that encoding. */
  @Test
  void refusesBytesThatAreNoPointOnTheCurve() {
    byte[] notAPoint = new byte[32];
    Arrays.fill(notAPoint, (byte) 0xff);
    notAPoint[31] = 0x7f;
    assertThatThrownBy(() -> Ed25519NoteVerifier.of("a", notAPoint))
        .hasMessage("Cannot make a verifier: the key is not a valid Ed25519 public key");
    byte[] key = new byte[33];
    key[0] = 1;
    System.arraycopy(notAPoint, 0, key, 1, 32);
    String verifierKey = "a+" + String.format("%08x", Ed25519NoteVerifier.keyId("a", notAPoint)) + "+" + Base64.getEncoder().encodeToString(key);
    assertThatThrownBy(() -> Ed25519NoteVerifier.fromVerifierKey(verifierKey))
        .hasMessage("Cannot parse verifier key: the key is not a valid Ed25519 public key");
  }

  private static List<String> manglings(String key) {
    List<String> result = new ArrayList<>();
    for (int i = 0; i <= key.length(); i++) {
      for (int j = i + 1; j <= key.length(); j++) {
        if (i != 0 || j != key.length()) {
          result.add(key.substring(i, j));
        }
      }
    }
    for (int i = 0; i < key.length(); i++) {
      char[] chars = key.toCharArray();
      chars[i]++;
      result.add(new String(chars));
    }
    return result;
  }
}
