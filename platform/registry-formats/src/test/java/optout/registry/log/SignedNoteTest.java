package optout.registry.log;

import static optout.registry.log.NoteVectors.ENOCH_SIGNATURE_LINE;
import static optout.registry.log.NoteVectors.ENOCH_VERIFIER_KEY;
import static optout.registry.log.NoteVectors.PETER_SIGNATURE_LINE;
import static optout.registry.log.NoteVectors.PETER_SIGNED_NOTE;
import static optout.registry.log.NoteVectors.PETER_SIGNER_KEY;
import static optout.registry.log.NoteVectors.PETER_VERIFIER_KEY;
import static optout.registry.log.NoteVectors.TEXT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Signed notes against golang.org/x/mod/sumdb/note's vectors and the C2SP example (see {@link NoteVectors}). */
class SignedNoteTest {

  private static final Ed25519NoteVerifier PETER = Ed25519NoteVerifier.fromVerifierKey(PETER_VERIFIER_KEY);
  private static final Ed25519NoteVerifier ENOCH = Ed25519NoteVerifier.fromVerifierKey(ENOCH_VERIFIER_KEY);

  @Test
  void signingGivesGosExactNote() {
    SignedNote note = SignedNote.sign(TEXT, Ed25519NoteSigner.fromSignerKey(PETER_SIGNER_KEY));
    assertThat(note.encoded()).isEqualTo(PETER_SIGNED_NOTE);
    assertThat(note.signatures()).singleElement().satisfies(signature -> {
      assertThat(signature.keyName()).isEqualTo("PeterNeumann");
      assertThat(signature.keyId()).isEqualTo(0xc74f20a3);
      assertThat(signature.line()).isEqualTo(PETER_SIGNATURE_LINE);
    });
  }

  @Test
  void parsingGivesBackTextAndSignatures() throws NoteException {
    SignedNote note = SignedNote.parse(PETER_SIGNED_NOTE + ENOCH_SIGNATURE_LINE);
    assertThat(note.text()).isEqualTo(TEXT);
    assertThat(note.signatures()).extracting(NoteSignature::keyName).containsExactly("PeterNeumann", "EnochRoot");
    assertThat(note.encoded()).isEqualTo(PETER_SIGNED_NOTE + ENOCH_SIGNATURE_LINE);
    assertThat(SignedNote.parse(PETER_SIGNED_NOTE.getBytes(StandardCharsets.UTF_8)))
        .isEqualTo(SignedNote.parse(PETER_SIGNED_NOTE)).hasToString(PETER_SIGNED_NOTE);
  }

  /** TestOpen: one signature verified, the other by an unknown key ignored; then both verified. */
  @Test
  void verifiesTrustedSignaturesAndIgnoresUnknownOnes() throws NoteException {
    SignedNote note = SignedNote.parse(PETER_SIGNED_NOTE + ENOCH_SIGNATURE_LINE);
    assertThat(note.verify(List.of(PETER))).extracting(NoteSignature::keyName).containsExactly("PeterNeumann");
    assertThat(note.verify(List.of(ENOCH))).extracting(NoteSignature::keyName).containsExactly("EnochRoot");
    assertThat(note.verify(List.of(PETER, ENOCH))).extracting(NoteSignature::keyName).containsExactly("PeterNeumann", "EnochRoot");
  }

  @Test
  void refusesANoteNoTrustedKeySigned() throws NoteException {
    SignedNote note = SignedNote.parse(PETER_SIGNED_NOTE + ENOCH_SIGNATURE_LINE);
    Ed25519NoteVerifier stranger = Ed25519NoteSigner.generate("Stranger").verifier();
    assertThatThrownBy(() -> note.verify(List.of(stranger)))
        .isInstanceOfSatisfying(NoteException.class, e -> assertThat(e.reason()).isEqualTo(NoteException.Reason.NO_TRUSTED_SIGNATURE))
        .hasMessageStartingWith("Cannot verify signed note: no signature is by a trusted key (signed by PeterNeumann+c74f20a3, EnochRoot+af0cfe78; trusted: Stranger+");
  }

  /** TestOpen "Invalid signature": four characters inserted into Peter's signature. */
  @Test
  void refusesTheWholeNoteWhenATrustedKeysSignatureFails() throws NoteException {
    String broken = PETER_SIGNATURE_LINE.substring(0, 60) + "ABCD" + PETER_SIGNATURE_LINE.substring(60);
    SignedNote note = SignedNote.parse(TEXT + "\n" + ENOCH_SIGNATURE_LINE + broken);
    assertThatThrownBy(() -> note.verify(List.of(PETER, ENOCH)))
        .isInstanceOfSatisfying(NoteException.class, e -> assertThat(e.reason()).isEqualTo(NoteException.Reason.INVALID_SIGNATURE))
        .hasMessage("Cannot verify signed note: the signature by PeterNeumann+c74f20a3 is not valid");
    // A changed text fails the same way.
    SignedNote changed = SignedNote.parse(TEXT.replace("cryptography", "cryptocurrency") + "\n" + PETER_SIGNATURE_LINE);
    assertThatThrownBy(() -> changed.verify(List.of(PETER))).hasMessageContaining("is not valid");
  }

  /** TestOpen "Duplicated verified and unverified signatures": repeats are harmless and reported once. */
  @Test
  void reportsEachTrustedKeyOnce() throws NoteException {
    String enochBroken = ENOCH_SIGNATURE_LINE.substring(0, 60) + "ABCD" + ENOCH_SIGNATURE_LINE.substring(60);
    SignedNote note = SignedNote.parse(
        TEXT + "\n" + PETER_SIGNATURE_LINE + PETER_SIGNATURE_LINE + ENOCH_SIGNATURE_LINE + ENOCH_SIGNATURE_LINE + enochBroken);
    assertThat(note.verify(List.of(PETER))).extracting(NoteSignature::keyName).containsExactly("PeterNeumann");
    assertThat(note.signatures()).hasSize(5);
  }

  /** TestOpen: a signature line naming another key, or carrying another key ID, is not Peter's. */
  @Test
  void aSignatureCountsOnlyForTheKeyWithItsNameAndKeyId() throws NoteException {
    SignedNote misnamed = SignedNote.parse(TEXT + "\n" + PETER_SIGNATURE_LINE.replace("PeterNeumann", "CarmenSandiego"));
    SignedNote otherId = SignedNote.parse(TEXT + "\n" + PETER_SIGNATURE_LINE.replace("x08g", "xxxx"));
    for (SignedNote note : List.of(misnamed, otherId)) {
      assertThatThrownBy(() -> note.verify(List.of(PETER)))
          .isInstanceOfSatisfying(NoteException.class, e -> assertThat(e.reason()).isEqualTo(NoteException.Reason.NO_TRUSTED_SIGNATURE));
    }
  }

  @Test
  void refusesAmbiguousTrustedKeys() throws NoteException {
    SignedNote note = SignedNote.parse(PETER_SIGNED_NOTE);
    assertThatThrownBy(() -> note.verify(List.of(ENOCH, PETER, ENOCH)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot trust two keys with the same name and key ID EnochRoot+af0cfe78: signatures would be ambiguous");
  }

  /** TestOpen "Check too many signatures": 101 lines are refused; the spec's minimum of 16, and 100, are fine. */
  @Test
  void limitsTheNumberOfSignatures() throws NoteException {
    assertThat(SignedNote.parse(TEXT + "\n" + PETER_SIGNATURE_LINE.repeat(100)).verify(List.of(PETER))).hasSize(1);
    assertThatThrownBy(() -> SignedNote.parse(TEXT + "\n" + PETER_SIGNATURE_LINE.repeat(101)))
        .isInstanceOfSatisfying(NoteException.class, e -> assertThat(e.reason()).isEqualTo(NoteException.Reason.MALFORMED))
        .hasMessage("Cannot parse signed note: it has 101 signature lines, at most 100 are accepted");
  }

  /** TestOpen's badMsgs, and more, each with its reason. */
  @Test
  void refusesMalformedNotesSayingWhy() {
    assertMalformed(TEXT, "there is no blank line between the text and the signatures");
    assertMalformed(TEXT + "\n", "there are no signature lines after the blank line");
    assertMalformed(TEXT + "\n" + PETER_SIGNATURE_LINE.strip(), "the last signature line does not end in a newline");
    assertMalformed("\u0001" + PETER_SIGNED_NOTE, "it contains the character U+0001");
    assertMalformed(PETER_SIGNED_NOTE.replace("\n", "\r\n"), "it contains the character U+000D");
    // Go's "Bad Name": the name ends at the first space, so "Name x08go..." is the (broken) signature.
    assertMalformed(TEXT + "\n" + NoteVectors.EM_DASH + " Bad Name x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n",
        "signature line 1 has a signature that is not canonical base64");
    assertMalformed(TEXT + "\n" + PETER_SIGNATURE_LINE.replace("PeterNeumann", "Peter+Neumann"), "signature line 1 has an invalid key name");
    assertMalformed(PETER_SIGNED_NOTE + "Unexpected line.\n", "signature line 2 does not start with an em dash (U+2014) and a space");
    assertMalformed(TEXT + "\n" + PETER_SIGNATURE_LINE.replace(NoteVectors.EM_DASH, "--"), "signature line 1 does not start with an em dash");
    assertMalformed(TEXT + "\n" + PETER_SIGNATURE_LINE.replace(" x08go", "x08go"), "signature line 1 has no space between");
    assertMalformed(TEXT + "\n" + PETER_SIGNATURE_LINE.replace("AM=", "AN="), "signature line 1 has a signature that is not canonical base64");
    assertMalformed(TEXT + "\n" + NoteVectors.EM_DASH + " PeterNeumann x08gow==\n", "signature line 1 has 4 signature bytes; a key ID and a signature need at least 5");
    assertMalformed(TEXT + "\n" + NoteVectors.EM_DASH + " PeterNeumann \n", "signature line 1 has a signature that is not canonical base64");
  }

  @Test
  void refusesBytesThatAreNotUtf8() {
    byte[] note = PETER_SIGNED_NOTE.getBytes(StandardCharsets.UTF_8);
    byte[] withInvalidByte = new byte[note.length + 1];
    withInvalidByte[0] = (byte) 0xff;
    System.arraycopy(note, 0, withInvalidByte, 1, note.length);
    assertThatThrownBy(() -> SignedNote.parse(withInvalidByte)).hasMessage("Cannot parse signed note: it is not valid UTF-8");
  }

  /** The C2SP example has a blank line inside its text: the last blank line is the separator. */
  @Test
  void theLastBlankLineSeparatesTextFromSignatures() throws NoteException {
    SignedNote note = SignedNote.parse(NoteVectors.C2SP_NOTE_EXAMPLE);
    assertThat(note.text()).isEqualTo("Ognuno sta solo sul cuor della terra\ntrafitto da un raggio di sole:\n\ned \u00e8 subito sera.\n");
    assertThat(note.signatures()).singleElement().satisfies(signature -> {
      assertThat(signature.keyName()).isEqualTo("quasimodo.example/salvatore");
      assertThat(signature.signature()).hasSize(64);
    });
    assertThat(note.encoded()).isEqualTo(NoteVectors.C2SP_NOTE_EXAMPLE);
  }

  @Test
  void signsTextsWithBlankLinesAndSeveralSigners() throws NoteException {
    Ed25519NoteSigner first = Ed25519NoteSigner.generate("example.org/first");
    Ed25519NoteSigner second = Ed25519NoteSigner.generate("example.org/second");
    String text = "line one\n\nline three after a blank line\n";
    SignedNote note = SignedNote.parse(SignedNote.sign(text, first, second).encoded());
    assertThat(note.text()).isEqualTo(text);
    assertThat(note.verify(List.of(second.verifier(), first.verifier()))).hasSize(2);
  }

  @ParameterizedTest
  @ValueSource(strings = {"abc", "no final newline\nhere", "a\tb\n", "carriage\r\n", ""})
  void refusesToSignAnInvalidText(String text) {
    Ed25519NoteSigner signer = Ed25519NoteSigner.fromSignerKey(PETER_SIGNER_KEY);
    assertThatThrownBy(() -> SignedNote.sign(text, signer))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Cannot sign a note: the text ");
  }

  /** TestSign "Sign with bad name": a signer whose name could not be parsed back. */
  @Test
  void refusesASignerWithAnInvalidName() {
    NoteSigner badName = new NoteSigner() {
      @Override public String keyName() { return "a+b"; }
      @Override public int keyId() { return 1; }
      @Override public byte[] sign(byte[] message) { return new byte[64]; }
    };
    assertThatThrownBy(() -> SignedNote.sign(TEXT, badName)).hasMessageStartingWith("Cannot make a note signature: a key name must be");
    assertThatThrownBy(() -> SignedNote.sign(TEXT)).hasMessage("Cannot sign a note: no signer was given");
  }

  private static void assertMalformed(String encoded, String reason) {
    assertThatThrownBy(() -> SignedNote.parse(encoded))
        .as(reason)
        .isInstanceOfSatisfying(NoteException.class, e -> assertThat(e.reason()).isEqualTo(NoteException.Reason.MALFORMED))
        .hasMessageStartingWith("Cannot parse signed note: " + reason);
  }
}
