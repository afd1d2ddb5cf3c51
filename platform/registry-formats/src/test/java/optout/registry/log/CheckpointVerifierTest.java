package optout.registry.log;

import static optout.registry.log.NoteVectors.SUM_GOLANG_ORG_ORIGIN;
import static optout.registry.log.NoteVectors.SUM_GOLANG_ORG_VERIFIER_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Signed checkpoints end to end: real checkpoints of the Go checksum database verified under its
 * published key, and our own signed, opened and checked against the log's proofs.
 */
class CheckpointVerifierTest {

  private static final Ed25519NoteVerifier SUM_GOLANG_ORG = Ed25519NoteVerifier.fromVerifierKey(SUM_GOLANG_ORG_VERIFIER_KEY);
  private static final CheckpointVerifier GO_SUMDB = new CheckpointVerifier(SUM_GOLANG_ORG_ORIGIN, SUM_GOLANG_ORG);

  @Test
  void verifiesRealCheckpointsOfTheGoChecksumDatabase() throws NoteException {
    Checkpoint september2024 = GO_SUMDB.verify(NoteVectors.SUM_GOLANG_ORG_CHECKPOINT_30055305);
    assertThat(september2024.size()).isEqualTo(30055305);
    assertThat(september2024.rootHash().base64()).isEqualTo("mXfgRcJ0bG0j3CPdKwgGWtUzBUbX67saZGRmFuJGGsM=");

    Checkpoint later = GO_SUMDB.verify(NoteVectors.SUM_GOLANG_ORG_CHECKPOINT_31700353.getBytes(StandardCharsets.UTF_8));
    assertThat(later.size()).isEqualTo(31700353);
    assertThat(later.rootHash().base64()).isEqualTo("qINS1GRFhWHwdkUeqLEoP4yEMkTBBzxBkGwGQlVlVcs=");
  }

  @Test
  void refusesAChangedCheckpoint() {
    String changedSize = NoteVectors.SUM_GOLANG_ORG_CHECKPOINT_30055305.replace("30055305", "30055306");
    assertReason(() -> GO_SUMDB.verify(changedSize), NoteException.Reason.INVALID_SIGNATURE,
        "Cannot verify signed note: the signature by sum.golang.org+033de0ae is not valid");
    String changedRoot = NoteVectors.SUM_GOLANG_ORG_CHECKPOINT_30055305.replace("mXfg", "mXfh");
    assertReason(() -> GO_SUMDB.verify(changedRoot), NoteException.Reason.INVALID_SIGNATURE, "Cannot verify signed note: ");
  }

  @Test
  void refusesACheckpointOfAnotherLogEvenIfProperlySigned() {
    CheckpointVerifier otherLog = new CheckpointVerifier("nhi-optout.example/registry", SUM_GOLANG_ORG);
    assertReason(() -> otherLog.verify(NoteVectors.SUM_GOLANG_ORG_CHECKPOINT_30055305), NoteException.Reason.WRONG_ORIGIN,
        "Cannot verify checkpoint: its origin is \"go.sum database tree\", this verifier accepts only \"nhi-optout.example/registry\"");
  }

  @Test
  void refusesACheckpointNoTrustedKeySigned() {
    CheckpointVerifier peterOnly = new CheckpointVerifier("example.com/behind-the-sofa",
        Ed25519NoteVerifier.fromVerifierKey(NoteVectors.PETER_VERIFIER_KEY));
    assertReason(() -> peterOnly.verify(NoteVectors.C2SP_CHECKPOINT_EXAMPLE), NoteException.Reason.NO_TRUSTED_SIGNATURE,
        "Cannot verify signed note: no signature is by a trusted key");
  }

  @Test
  void refusesASignedNoteThatIsNoCheckpoint() {
    CheckpointVerifier peterLog = new CheckpointVerifier("PeterNeumann", Ed25519NoteVerifier.fromVerifierKey(NoteVectors.PETER_VERIFIER_KEY));
    assertReason(() -> peterLog.verify(NoteVectors.PETER_SIGNED_NOTE), NoteException.Reason.MALFORMED,
        "Cannot parse checkpoint: it needs an origin, a tree size and a root hash line, it has 2 lines");
  }

  /** Our log, checkpointed with the Go test key: sign, publish, open, then check proofs against it. */
  @Test
  void signsCheckpointsThatOpenAndAnchorProofs() throws Exception {
    Ed25519NoteSigner key = Ed25519NoteSigner.fromSignerKey(NoteVectors.PETER_SIGNER_KEY);
    CheckpointSigner signer = new CheckpointSigner(key);
    CheckpointVerifier verifier = new CheckpointVerifier("nhi-optout.example/registry", key.verifier());
    MerkleLog log = MerkleVectors.logOf(7);

    String signed6 = signer.sign(Checkpoint.of("nhi-optout.example/registry", new TreeHead(6, log.root(6)))).encoded();
    TreeHead head7 = log.append(MerkleHashing.leafHash(MerkleVectors.leafInput(7)));
    String signed8 = signer.sign(Checkpoint.of("nhi-optout.example/registry", head7)).encoded();

    assertThat(signed8).isEqualTo("nhi-optout.example/registry\n8\n" + MerkleVectors.root(8).base64() + "\n\n"
        + NoteVectors.EM_DASH + " PeterNeumann " + signed8.substring(signed8.lastIndexOf(' ') + 1));
    assertThat(signed8.substring(signed8.lastIndexOf(' ') + 1)).startsWith("x08go"); // key ID c74f20a3

    Checkpoint old = verifier.verify(signed6);
    Checkpoint latest = verifier.verify(signed8);
    assertThat(latest.treeHead()).isEqualTo(new TreeHead(8, MerkleVectors.root(8)));
    ProofVerifier.verifyConsistency(log.consistencyProof(old.size(), latest.size()), old.rootHash(), latest.rootHash());
    ProofVerifier.verifyInclusion(MerkleVectors.node(0, 3), log.inclusionProof(3, latest.size()), latest.rootHash());
  }

  /** The registry's first checkpoint: no leaves, the root SHA-256 of nothing, and every later tree extends it. */
  @Test
  void theCheckpointOfTheEmptyTreeOpensAndEveryLaterTreeExtendsIt() throws Exception {
    Ed25519NoteSigner key = Ed25519NoteSigner.fromSignerKey(NoteVectors.PETER_SIGNER_KEY);
    CheckpointVerifier verifier = new CheckpointVerifier("nhi-optout.example/registry", key.verifier());
    MerkleLog log = new MerkleLog(new InMemoryNodeStore());
    String signed0 = new CheckpointSigner(key).sign(Checkpoint.of("nhi-optout.example/registry", log.treeHead())).encoded();

    assertThat(signed0).startsWith("nhi-optout.example/registry\n0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n\n");
    Checkpoint empty = verifier.verify(signed0);
    assertThat(empty.treeHead()).isEqualTo(new TreeHead(0, MerkleHashing.emptyRoot()));

    MerkleLog grown = MerkleVectors.logOf(7);
    assertThat(grown.consistencyProof(0, 7).path()).isEmpty();
    ProofVerifier.verifyConsistency(grown.consistencyProof(0, 7), empty.rootHash(), grown.root(7));
  }

  @Test
  void refusesACheckpointOfTheEmptyTreeThatSignsAnotherRoot() {
    Ed25519NoteSigner key = Ed25519NoteSigner.fromSignerKey(NoteVectors.PETER_SIGNER_KEY);
    CheckpointVerifier verifier = new CheckpointVerifier("nhi-optout.example/registry", key.verifier());
    String forged = new CheckpointSigner(key).sign(Checkpoint.of("nhi-optout.example/registry", new TreeHead(0, MerkleVectors.root(1))))
        .encoded();

    assertReason(() -> verifier.verify(forged), NoteException.Reason.MALFORMED, "Cannot verify checkpoint: it signs a tree of 0 leaves"
        + " with the root " + MerkleVectors.root(1).base64() + ", the empty tree's root is 47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=");
  }

  @Test
  void acceptsACheckpointCosignedByAnUnknownKeyAndRefusesABrokenTrustedOne() throws NoteException {
    Ed25519NoteSigner log = Ed25519NoteSigner.generate("nhi-optout.example/registry");
    Ed25519NoteSigner witness = Ed25519NoteSigner.generate("witness.example/w1");
    Checkpoint checkpoint = Checkpoint.of("nhi-optout.example/registry", new TreeHead(8, MerkleVectors.root(8)));
    SignedNote note = SignedNote.sign(checkpoint.text(), witness, log);
    CheckpointVerifier verifier = new CheckpointVerifier("nhi-optout.example/registry", log.verifier());
    assertThat(verifier.verify(note)).isEqualTo(checkpoint);

    CheckpointVerifier both = new CheckpointVerifier("nhi-optout.example/registry", List.of(log.verifier(), witness.verifier()));
    String witnessLine = note.signatures().get(0).line();
    String broken = note.encoded().replace(witnessLine, witnessLine.substring(0, 40) + flip(witnessLine.charAt(40)) + witnessLine.substring(41));
    assertReason(() -> both.verify(broken), NoteException.Reason.INVALID_SIGNATURE, "Cannot verify signed note: the signature by witness.example/w1+");
  }

  @Test
  void refusesAmbiguousOrMissingTrust() {
    assertThatThrownBy(() -> new CheckpointVerifier("o", List.of(SUM_GOLANG_ORG, Ed25519NoteVerifier.fromVerifierKey(SUM_GOLANG_ORG_VERIFIER_KEY))))
        .hasMessageStartingWith("Cannot trust two keys with the same name and key ID sum.golang.org+033de0ae");
    assertThatThrownBy(() -> new CheckpointVerifier("o", List.of())).hasMessage("Cannot make a checkpoint verifier: no trusted key was given");
    assertThatThrownBy(() -> new CheckpointVerifier("", SUM_GOLANG_ORG)).hasMessage("Cannot make a checkpoint verifier: the origin is empty");
  }

  private static char flip(char c) {
    return c == 'A' ? 'B' : 'A';
  }

  private interface Verification {
    void run() throws Exception;
  }

  private static void assertReason(Verification verification, NoteException.Reason reason, String messageStart) {
    assertThatThrownBy(verification::run)
        .isInstanceOfSatisfying(NoteException.class, e -> assertThat(e.reason()).isEqualTo(reason))
        .hasMessageStartingWith(messageStart);
  }
}
