package optout.registry.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Witness cosignatures (c2sp.org/tlog-cosignature, cosignature/v1): published witness keys and a
 * published cosignature by a production witness, then our own cosigner against our verifier and the
 * checkpoint verifier that requires witnesses, with every way a cosignature can be missing or wrong.
 */
class CosignatureTest {

  // --- Published vkeys of the witnesses listed on transparency.dev/witnesses (type 0x04), and the same
  // --- witness key in the plain Ed25519 (0x01) form a TesseraCT policy example uses: one key, two IDs.
  static final String LITTLE_GARDEN = "transparency.dev/DEV:witness-little-garden+d8042a87+BCtusOxINQNUTN5Oj8HObRkh2yHf/MwYaGX4CPdiVEPM";
  static final String LITTLE_GARDEN_AS_NOTE_KEY = "transparency.dev/DEV:witness-little-garden+4b7fca75+AStusOxINQNUTN5Oj8HObRkh2yHf/MwYaGX4CPdiVEPM";
  static final String STAGEMOLE = "witness.stagemole.eu+67f7aea0+BEqSG3yu9YrmcM3BHvQYTxwFj3uSWakQepafafpUqklv";

  // --- A cosignature by the witness of Google's Android binary transparency log (developers.google.com/android/
  // --- binary_transparency), as published with its PEM public key for checking with transparency-dev/formats' note package.
  static final String ANDROID_WITNESS_PUBLIC_KEY_DER = "MCowBQYDK2VwAyEApTPPKyRu6Q3PoMkeY+/sNni0biF4vnVTYRHbVNA31mY=";
  static final String ANDROID_CHECKPOINT_TEXT = "developers.google.com/android/binary_transparency/google1p/0\n5\n"
      + "xqaCEZhTGZUuKNA7MpSyxe1WXiiESB2p+crAyzM+Vxo=\n";
  static final String ANDROID_COSIGNATURE = "r0xBJQAAAABnkyoLuHgN5KlIUUpZV9hulwsFcgqV5v1CyeIhBZWdkfOJT0ims1LqbYygO5MEl91CGha5sP79K57P7lIGrz7Qtx8eBw==";

  private static final String ORIGIN = "nhi-optout.example/registry";
  private static final Clock AT_1700000000 = Clock.fixed(Instant.ofEpochSecond(1_700_000_000L), ZoneOffset.UTC);

  @Test
  void publishedWitnessKeysParseAndTheirKeyIdsAreTheCosignatureOnes() {
    Ed25519CosignatureVerifier garden = Ed25519CosignatureVerifier.fromVerifierKey(LITTLE_GARDEN);
    assertThat(garden.keyName()).isEqualTo("transparency.dev/DEV:witness-little-garden");
    assertThat(Ed25519NoteVerifier.hex(garden.keyId())).isEqualTo("d8042a87");
    assertThat(garden.verifierKey()).isEqualTo(LITTLE_GARDEN);
    assertThat(Ed25519CosignatureVerifier.fromVerifierKey(STAGEMOLE).verifierKey()).isEqualTo(STAGEMOLE);
    // the type byte is part of the key ID: the same name and key as a log key have another ID
    Ed25519NoteVerifier asNoteKey = Ed25519NoteVerifier.fromVerifierKey(LITTLE_GARDEN_AS_NOTE_KEY);
    assertThat(asNoteKey.publicKey()).isEqualTo(garden.publicKey());
    assertThat(Ed25519NoteVerifier.hex(asNoteKey.keyId())).isEqualTo("4b7fca75");
  }

  @Test
  void verifiesACosignaturePublishedByAProductionWitness() throws NoteException {
    byte[] der = Base64.getDecoder().decode(ANDROID_WITNESS_PUBLIC_KEY_DER);
    Ed25519CosignatureVerifier witness = Ed25519CosignatureVerifier.of("android-witness", Arrays.copyOfRange(der, der.length - 32, der.length));
    byte[] line = Base64.getDecoder().decode(ANDROID_COSIGNATURE);
    NoteSignature cosignature = new NoteSignature("android-witness", 0xaf4c4125, Arrays.copyOfRange(line, 4, line.length));
    assertThat(Ed25519CosignatureVerifier.timestamp(cosignature)).isEqualTo(1_737_697_803L);  // 2025-01-24
    byte[] text = ANDROID_CHECKPOINT_TEXT.getBytes(StandardCharsets.UTF_8);
    assertThat(witness.verify(text, cosignature.signature())).isTrue();

    assertThat(witness.verify(ANDROID_CHECKPOINT_TEXT.replace("\n5\n", "\n6\n").getBytes(StandardCharsets.UTF_8), cosignature.signature()))
        .as("another tree size").isFalse();
    byte[] otherTime = cosignature.signature();
    otherTime[7] ^= 1;
    assertThat(witness.verify(text, otherTime)).as("another timestamp").isFalse();
    assertThat(witness.verify(text, Arrays.copyOfRange(cosignature.signature(), 8, 72))).as("without the timestamp").isFalse();
    // a cosignature is no log signature: the same key does not verify it as a plain Ed25519 note signature
    Ed25519NoteVerifier asLogKey = Ed25519NoteVerifier.of("android-witness", witness.publicKey());
    assertThat(asLogKey.verify(text, Arrays.copyOfRange(cosignature.signature(), 8, 72))).isFalse();
  }

  @Test
  void ourCosignatureIsTheTimestampThenEd25519OverTheSpecifiedMessage() throws NoteException {
    Ed25519CosignatureSigner cosigner = Ed25519CosignatureSigner.generate("witness.example/w1").withClock(AT_1700000000);
    Checkpoint checkpoint = new Checkpoint(ORIGIN, 7, Hash.of(new byte[32]), List.of());
    NoteSignature line = cosigner.cosign(checkpoint);
    byte[] signature = line.signature();
    assertThat(signature).hasSize(72);
    assertThat(Arrays.copyOf(signature, 8)).containsExactly(0, 0, 0, 0, 0x65, 0x53, (byte) 0xf1, 0x00);  // 1700000000
    assertThat(Ed25519CosignatureVerifier.timestamp(line)).isEqualTo(1_700_000_000L);
    // the Ed25519 part, checked as a plain signature over the message the spec defines
    Ed25519NoteVerifier plain = Ed25519NoteVerifier.of("x", cosigner.verifier().publicKey());
    byte[] message = ("cosignature/v1\ntime 1700000000\n" + ORIGIN + "\n7\n" + Hash.of(new byte[32]).base64() + "\n").getBytes(StandardCharsets.UTF_8);
    assertThat(plain.verify(message, Arrays.copyOfRange(signature, 8, 72))).isTrue();
    assertThat(line.keyId()).isEqualTo(Ed25519CosignatureVerifier.keyId("witness.example/w1", cosigner.verifier().publicKey()));
  }

  @Test
  void signerKeyStringsRoundTripAndRefuseOtherTypes() {
    Ed25519CosignatureSigner cosigner = Ed25519CosignatureSigner.generate("witness.example/w1");
    String secret = cosigner.unmaskedSignerKey();
    assertThat(secret).startsWith("PRIVATE+KEY+witness.example/w1+" + Ed25519NoteVerifier.hex(cosigner.keyId()) + "+B");
    assertThat(Ed25519CosignatureSigner.fromSignerKey(secret, AT_1700000000).verifierKey()).isEqualTo(cosigner.verifierKey());
    assertThat(cosigner.toString()).doesNotContain(secret.substring(secret.lastIndexOf('+') + 1));
    assertThatThrownBy(() -> Ed25519CosignatureSigner.fromSignerKey(NoteVectors.PETER_SIGNER_KEY, AT_1700000000))
        .hasMessage("Cannot parse signer key: the signature type is not supported, only 0x04 (Ed25519 cosignature/v1)");
    assertThatThrownBy(() -> Ed25519CosignatureVerifier.fromVerifierKey(NoteVectors.PETER_VERIFIER_KEY))
        .hasMessage("Cannot parse witness verifier key: the signature type 0x01 is not supported, only 0x04 (Ed25519 cosignature/v1)");
    assertThatThrownBy(() -> Ed25519CosignatureVerifier.fromVerifierKey(LITTLE_GARDEN.replace("+d8042a87+", "+d8042a88+")))
        .hasMessageContaining("the key ID d8042a88 does not belong to this name and key, whose ID is d8042a87");
  }

  @Test
  void aCheckpointVerifierRequiringAWitnessAcceptsOnlyNotesItCosigned() throws NoteException {
    Ed25519NoteSigner log = Ed25519NoteSigner.fromSignerKey(NoteVectors.PETER_SIGNER_KEY);
    Ed25519CosignatureSigner witness = Ed25519CosignatureSigner.generate("witness.example/w1").withClock(AT_1700000000);
    CheckpointVerifier logOnly = new CheckpointVerifier(ORIGIN, log.verifier());
    CheckpointVerifier witnessed = logOnly.requiringCosignatures(List.of(witness.verifier()));
    Checkpoint checkpoint = new Checkpoint(ORIGIN, 7, Hash.of(new byte[32]), List.of());
    SignedNote signed = new CheckpointSigner(log).sign(checkpoint);
    SignedNote cosigned = signed.withSignatures(List.of(witness.cosign(checkpoint)));

    assertThat(witnessed.verify(cosigned.encoded())).isEqualTo(checkpoint);
    assertThat(logOnly.verify(cosigned.encoded())).as("a verifier that knows no witness ignores the line").isEqualTo(checkpoint);
    assertThat(cosigned.verify(List.of(witness.verifier()))).as("SignedNote.verify takes the cosignature verifier").hasSize(1);

    assertReason(() -> witnessed.verify(signed.encoded()), NoteException.Reason.NOT_COSIGNED,
        "Cannot verify checkpoint: it is signed by the log but not cosigned by the witness witness.example/w1+"
            + Ed25519NoteVerifier.hex(witness.keyId()) + ", whose cosignature is required");
    // the same name with another key: another key ID, so not this witness's line
    Ed25519CosignatureSigner impostor = Ed25519CosignatureSigner.generate("witness.example/w1").withClock(AT_1700000000);
    assertReason(() -> witnessed.verify(signed.withSignatures(List.of(impostor.cosign(checkpoint))).encoded()),
        NoteException.Reason.NOT_COSIGNED, "not cosigned by the witness");
    // the witness's line over another checkpoint, moved onto this one
    Checkpoint other = new Checkpoint(ORIGIN, 8, Hash.of(new byte[32]), List.of());
    assertReason(() -> witnessed.verify(signed.withSignatures(List.of(witness.cosign(other))).encoded()),
        NoteException.Reason.INVALID_SIGNATURE, "Cannot verify checkpoint: the cosignature by the witness witness.example/w1+");
    // its own line with the timestamp changed
    byte[] bytes = witness.cosign(checkpoint).signature();
    bytes[7] ^= 1;
    assertReason(() -> witnessed.verify(signed.withSignatures(List.of(new NoteSignature(witness.keyName(), witness.keyId(), bytes))).encoded()),
        NoteException.Reason.INVALID_SIGNATURE, "is not valid");
    // cosigned, but not by the log
    Ed25519NoteSigner stranger = Ed25519NoteSigner.generate("PeterNeumann");
    SignedNote forged = new CheckpointSigner(stranger).sign(checkpoint).withSignatures(List.of(witness.cosign(checkpoint)));
    assertReason(() -> witnessed.verify(forged.encoded()), NoteException.Reason.NO_TRUSTED_SIGNATURE, "no signature is by a trusted key");
    // a witness key may not also be a log key
    assertThatThrownBy(() -> logOnly.requiringCosignatures(List.of(log.verifier())))
        .hasMessageContaining("Cannot trust two keys with the same name and key ID");
  }

  @Test
  void aTimestampBeyondTwoToTheSixtyThreeIsRefused() {
    Ed25519CosignatureSigner witness = Ed25519CosignatureSigner.generate("witness.example/w1");
    byte[] bytes = witness.cosign(new Checkpoint(ORIGIN, 1, Hash.of(new byte[32]), List.of())).signature();
    bytes[0] = (byte) 0x80;
    NoteSignature line = new NoteSignature(witness.keyName(), witness.keyId(), bytes);
    assertThatThrownBy(() -> Ed25519CosignatureVerifier.timestamp(line)).isInstanceOf(NoteException.class)
        .hasMessageContaining("a time below 2^63");
    assertThat(witness.verifier().verify(new byte[] {'x', '\n'}, bytes)).isFalse();
  }

  private interface Verification {
    void run() throws NoteException;
  }

  private static void assertReason(Verification verification, NoteException.Reason reason, String message) {
    assertThatThrownBy(verification::run).isInstanceOfSatisfying(NoteException.class, e -> {
      assertThat(e.reason()).isEqualTo(reason);
      assertThat(e.getMessage()).contains(message);
    });
  }
}
