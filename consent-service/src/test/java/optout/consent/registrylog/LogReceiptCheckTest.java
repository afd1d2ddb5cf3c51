package optout.consent.registrylog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import optout.registry.log.Checkpoint;
import optout.registry.log.CheckpointSigner;
import optout.registry.log.CheckpointVerifier;
import optout.registry.log.Ed25519CosignatureSigner;
import optout.registry.log.Ed25519NoteSigner;
import optout.registry.log.Hash;
import optout.registry.log.InMemoryNodeStore;
import optout.registry.log.MerkleHashing;
import optout.registry.log.MerkleLog;
import optout.registry.log.SignedNote;
import org.junit.jupiter.api.Test;

class LogReceiptCheckTest {

  private static final String ORIGIN = "example.test/registry";
  private static final Ed25519NoteSigner LOG_KEY = Ed25519NoteSigner.generate(ORIGIN);
  private static final String FORM = "ab".repeat(32);

  private final UUID eventId = UUID.randomUUID();
  private final MerkleLog log = new MerkleLog(new InMemoryNodeStore());
  private final List<byte[]> leaves = new ArrayList<>();
  private final LogReceiptCheck check = new LogReceiptCheck(new CheckpointVerifier(ORIGIN, LOG_KEY.verifier()));

  private static byte[] leaf(UUID id, String type, String document) {
    return ("nhi-optout-registry-event/2\nid " + id + "\ntype " + type + "\nperson " + "00".repeat(32)
        + "\nscopes academic-research\nchannel counter\nproxy none\ndocument " + document
        + "\neffective 2026-12-01T00:00:00Z\nrecorded 2026-12-01T00:00:01Z\nfiled-by consent-service\nfiler clerk " + "11".repeat(16) + "\n")
        .getBytes(StandardCharsets.UTF_8);
  }

  /** Three other leaves, ours at index 3, two after; the receipt for ours at the full tree. */
  private LogReceiptCheck.LogReceipt receipt(byte[] ours, Ed25519NoteSigner signer) {
    for (int i = 0; i < 6; i++) {
      byte[] leaf = i == 3 ? ours : leaf(UUID.randomUUID(), "opt-out-filed", "cd".repeat(32));
      leaves.add(leaf);
      log.append(MerkleHashing.leafHash(leaf));
    }
    String note = new CheckpointSigner(signer).sign(Checkpoint.of(ORIGIN, log.treeHead())).encoded();
    return new LogReceiptCheck.LogReceipt(eventId, 3, Base64.getEncoder().encodeToString(ours), MerkleHashing.leafHash(ours).base64(), 6,
        log.inclusionProof(3, 6).path().stream().map(Hash::base64).toList(), note);
  }

  private LogReceiptCheck.Expected expected() {
    return new LogReceiptCheck.Expected(eventId, "opt-out-filed", FORM);
  }

  @Test
  void aReceiptOfTheFilingAsSealedProvesIt() throws Exception {
    LogReceiptCheck.Proven proven = check.check(receipt(leaf(eventId, "opt-out-filed", FORM), LOG_KEY), expected());
    assertThat(proven.logIndex()).isEqualTo(3);
    assertThat(proven.checkpoint().size()).isEqualTo(6);
    assertThat(proven.checkpoint().rootHash()).isEqualTo(log.root(6));
  }

  @Test
  void aLeafOfAnotherFormIsRefused() {
    LogReceiptCheck.LogReceipt receipt = receipt(leaf(eventId, "opt-out-filed", "ef".repeat(32)), LOG_KEY);
    assertThatThrownBy(() -> check.check(receipt, expected())).isInstanceOf(LogReceiptCheck.InvalidLogReceiptException.class)
        .hasMessageContaining("document");
  }

  @Test
  void aLeafOfAnotherKindIsRefused() {
    LogReceiptCheck.LogReceipt withdrawn = receipt(leaf(eventId, "opt-out-withdrawn", FORM), LOG_KEY);
    assertThatThrownBy(() -> check.check(withdrawn, expected())).hasMessageContaining("type");
  }

  @Test
  void aLeafOfAnotherEventIsRefused() {
    LogReceiptCheck.LogReceipt other = receipt(leaf(UUID.randomUUID(), "opt-out-filed", FORM), LOG_KEY);
    assertThatThrownBy(() -> check.check(other, expected())).hasMessageContaining("id");
  }

  @Test
  void aCheckpointSignedByAnotherKeyIsRefused() {
    LogReceiptCheck.LogReceipt receipt = receipt(leaf(eventId, "opt-out-filed", FORM), Ed25519NoteSigner.generate(ORIGIN));
    assertThatThrownBy(() -> check.check(receipt, expected())).hasMessageContaining("checkpoint does not verify");
  }

  @Test
  void aLeafNotInTheTreeIsRefusedWhateverItsHashClaims() {
    LogReceiptCheck.LogReceipt genuine = receipt(leaf(eventId, "opt-out-filed", FORM), LOG_KEY);
    byte[] substitute = leaf(eventId, "opt-out-filed", FORM);
    substitute[substitute.length - 2] ^= 1;  // another filer pseudonym: a leaf the log does not hold
    LogReceiptCheck.LogReceipt swapped = new LogReceiptCheck.LogReceipt(eventId, 3, Base64.getEncoder().encodeToString(substitute),
        MerkleHashing.leafHash(substitute).base64(), 6, genuine.inclusionProof(), genuine.checkpoint());
    assertThatThrownBy(() -> check.check(swapped, expected())).hasMessageContaining("not proven included");
    LogReceiptCheck.LogReceipt lying = new LogReceiptCheck.LogReceipt(eventId, 3, Base64.getEncoder().encodeToString(substitute),
        genuine.leafHash(), 6, genuine.inclusionProof(), genuine.checkpoint());
    assertThatThrownBy(() -> check.check(lying, expected())).hasMessageContaining("leaf hash is not the hash of its leaf");
  }

  @Test
  void aReceiptPlacingTheLeafOutsideItsCheckpointIsRefused() {
    LogReceiptCheck.LogReceipt genuine = receipt(leaf(eventId, "opt-out-filed", FORM), LOG_KEY);
    LogReceiptCheck.LogReceipt beyond = new LogReceiptCheck.LogReceipt(eventId, 6, genuine.leaf(), genuine.leafHash(), 6,
        genuine.inclusionProof(), genuine.checkpoint());
    assertThatThrownBy(() -> check.check(beyond, expected())).hasMessageContaining("places leaf 6");
    LogReceiptCheck.LogReceipt otherSize = new LogReceiptCheck.LogReceipt(eventId, 3, genuine.leaf(), genuine.leafHash(), 7,
        genuine.inclusionProof(), genuine.checkpoint());
    assertThatThrownBy(() -> check.check(otherSize, expected())).hasMessageContaining("tree of 7 leaves");
  }

  @Test
  void whereAWitnessIsRequiredOnlyItsCosignedCheckpointsProve() throws Exception {
    Ed25519CosignatureSigner witness = Ed25519CosignatureSigner.generate("example.test/witness");
    LogReceiptCheck witnessed = new LogReceiptCheck(new CheckpointVerifier(ORIGIN, LOG_KEY.verifier())
        .requiringCosignatures(List.of(witness.verifier())));
    LogReceiptCheck.LogReceipt logSignedOnly = receipt(leaf(eventId, "opt-out-filed", FORM), LOG_KEY);
    assertThatThrownBy(() -> witnessed.check(logSignedOnly, expected())).hasMessageContaining("checkpoint does not verify");

    SignedNote note = SignedNote.parse(logSignedOnly.checkpoint());
    String cosigned = note.withSignatures(SignedNote.sign(note.text(), witness).signatures()).encoded();
    LogReceiptCheck.LogReceipt receipt = new LogReceiptCheck.LogReceipt(eventId, 3, logSignedOnly.leaf(), logSignedOnly.leafHash(), 6,
        logSignedOnly.inclusionProof(), cosigned);
    assertThat(witnessed.check(receipt, expected()).logIndex()).isEqualTo(3);

    Ed25519CosignatureSigner impostor = Ed25519CosignatureSigner.generate("example.test/witness");
    String wronglyCosigned = note.withSignatures(SignedNote.sign(note.text(), impostor).signatures()).encoded();
    LogReceiptCheck.LogReceipt forged = new LogReceiptCheck.LogReceipt(eventId, 3, logSignedOnly.leaf(), logSignedOnly.leafHash(), 6,
        logSignedOnly.inclusionProof(), wronglyCosigned);
    assertThatThrownBy(() -> witnessed.check(forged, expected())).hasMessageContaining("checkpoint does not verify");
  }

  @Test
  void garbageIsRefusedNotThrown() {
    LogReceiptCheck.LogReceipt genuine = receipt(leaf(eventId, "opt-out-filed", FORM), LOG_KEY);
    LogReceiptCheck.LogReceipt garbage = new LogReceiptCheck.LogReceipt(eventId, 3, "not base64!", genuine.leafHash(), 6,
        List.of("%%%"), genuine.checkpoint());
    assertThatThrownBy(() -> check.check(garbage, expected())).isInstanceOf(LogReceiptCheck.InvalidLogReceiptException.class);
    LogReceiptCheck.LogReceipt noNote = new LogReceiptCheck.LogReceipt(eventId, 3, genuine.leaf(), genuine.leafHash(), 6,
        genuine.inclusionProof(), "not a note");
    assertThatThrownBy(() -> check.check(noNote, expected())).isInstanceOf(LogReceiptCheck.InvalidLogReceiptException.class);
  }
}
