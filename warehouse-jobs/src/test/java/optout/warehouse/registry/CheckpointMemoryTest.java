package optout.warehouse.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import optout.registry.log.Checkpoint;
import optout.registry.log.CheckpointSigner;
import optout.registry.log.CheckpointVerifier;
import optout.registry.log.Ed25519CosignatureSigner;
import optout.registry.log.Ed25519NoteSigner;
import optout.registry.log.InMemoryNodeStore;
import optout.registry.log.MerkleHashing;
import optout.registry.log.MerkleLog;
import optout.registry.log.TreeHead;
import optout.warehouse.extract.VerifiedSnapshots.UnverifiedSnapshotException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a warehouse remembers of the registry's checkpoints holds the registry to them: real Merkle trees,
 * checkpoints signed by the log's key and proofs from the log's own code, as the registry serves them.
 */
class CheckpointMemoryTest {

  private static final String ORIGIN = "localhost/nhi-optout-registry";

  @TempDir Path directory;

  private final Ed25519NoteSigner logKey = Ed25519NoteSigner.generate(ORIGIN);
  private final MerkleLog log = new MerkleLog(new InMemoryNodeStore());

  private CheckpointMemory memory() {
    return new CheckpointMemory(directory.resolve("registry-checkpoint.note"), new CheckpointVerifier(ORIGIN, logKey.verifier()));
  }

  private String signed(MerkleLog tree, long size) {
    return new CheckpointSigner(logKey).sign(Checkpoint.of(ORIGIN, new TreeHead(size, tree.root(size)))).encoded();
  }

  private void grow(MerkleLog tree, int leaves, String prefix) {
    for (int i = 0; i < leaves; i++) {
      tree.append(MerkleHashing.leafHash((prefix + tree.size()).getBytes(StandardCharsets.UTF_8)));
    }
  }

  private CheckpointMemory.ConsistencyProofs proofsOf(MerkleLog tree) {
    return (from, to) -> tree.consistencyProof(from, to).path();
  }

  @Test
  void everyLaterCheckpointMustExtendTheNewestVerifiedFromTheEmptyTreeOn() throws Exception {
    CheckpointMemory memory = memory();
    assertThat(memory.newest()).isEmpty();
    assertThat(memory.advance(signed(log, 0), proofsOf(log)).size()).isZero();
    grow(log, 5, "event ");
    assertThat(memory.advance(signed(log, 5), proofsOf(log)).size()).isEqualTo(5);
    grow(log, 8, "event ");
    assertThat(memory.advance(signed(log, 13), proofsOf(log)).size()).isEqualTo(13);
    // the same checkpoint again is fine, and what is kept survives the process
    assertThat(memory.advance(signed(log, 13), proofsOf(log)).size()).isEqualTo(13);
    assertThat(memory().newest().orElseThrow().size()).isEqualTo(13);
  }

  @Test
  void aRegistryThatLostItsTailIsRefused() throws Exception {
    CheckpointMemory memory = memory();
    grow(log, 9, "event ");
    memory.advance(signed(log, 9), proofsOf(log));

    assertThatThrownBy(() -> memory.advance(signed(log, 7), proofsOf(log))).isInstanceOf(UnverifiedSnapshotException.class)
        .hasMessage("The registry's latest checkpoint (7 leaves) is older than checkpoint 9, which this warehouse verified before:"
            + " the registry lost signed events or shows another history");
    assertThat(memory.newest().orElseThrow().size()).isEqualTo(9);
  }

  @Test
  void aSecondHistoryIsRefusedAtTheSameSizeAndWhenItGrows() throws Exception {
    CheckpointMemory memory = memory();
    grow(log, 6, "event ");
    memory.advance(signed(log, 6), proofsOf(log));
    MerkleLog other = new MerkleLog(new InMemoryNodeStore());
    grow(other, 6, "rewritten ");

    assertThatThrownBy(() -> memory.advance(signed(other, 6), proofsOf(other))).isInstanceOf(UnverifiedSnapshotException.class)
        .hasMessageStartingWith("The registry's checkpoint 6 is not of the history of checkpoint 6, which this warehouse verified before: ")
        .hasMessageContaining("two different trees of 6 leaves");
    grow(other, 4, "rewritten ");
    assertThatThrownBy(() -> memory.advance(signed(other, 10), proofsOf(other))).isInstanceOf(UnverifiedSnapshotException.class)
        .hasMessageStartingWith("The registry's checkpoint 10 is not of the history of checkpoint 6, which this warehouse verified before: ")
        .hasMessageContaining("not a prefix");
    // nor does a registry get through by sending no proof
    assertThatThrownBy(() -> memory.advance(signed(other, 10), (from, to) -> List.of())).isInstanceOf(UnverifiedSnapshotException.class);
    assertThat(memory.newest().orElseThrow().size()).isEqualTo(6);
  }

  /**
   * With the registry's witness configured, only cosigned checkpoints are taken, and the memory still holds
   * the registry to them: a second history is refused even if it carries a valid cosignature (a witness that
   * lost its state, or a second witness process under the same key, could have cosigned both).
   */
  @Test
  void withAWitnessOnlyCosignedCheckpointsAreTakenAndASplitViewIsRefusedEvenCosigned() throws Exception {
    Ed25519CosignatureSigner witness = Ed25519CosignatureSigner.generate("localhost/nhi-optout-witness");
    CheckpointMemory memory = new CheckpointMemory(directory.resolve("registry-checkpoint.note"),
        new CheckpointVerifier(ORIGIN, logKey.verifier()).requiringCosignatures(List.of(witness.verifier())));
    grow(log, 10, "event ");
    assertThatThrownBy(() -> memory.advance(signed(log, 10), proofsOf(log))).isInstanceOf(UnverifiedSnapshotException.class)
        .hasMessageContaining("Cannot verify the registry's checkpoint: Cannot verify checkpoint: it is signed by the log but not cosigned by the"
            + " witness localhost/nhi-optout-witness+");
    assertThat(memory.newest()).isEmpty();
    assertThat(memory.advance(cosigned(witness, log, 10), proofsOf(log)).size()).isEqualTo(10);

    MerkleLog other = new MerkleLog(new InMemoryNodeStore());
    grow(other, 8, "shown to someone else ");
    assertThatThrownBy(() -> memory.advance(cosigned(witness, other, 8), proofsOf(other))).isInstanceOf(UnverifiedSnapshotException.class)
        .hasMessage("The registry's latest checkpoint (8 leaves) is older than checkpoint 10, which this warehouse verified before:"
            + " the registry lost signed events or shows another history");
    grow(other, 6, "shown to someone else ");
    assertThatThrownBy(() -> memory.advance(cosigned(witness, other, 14), proofsOf(other))).isInstanceOf(UnverifiedSnapshotException.class)
        .hasMessageStartingWith("The registry's checkpoint 14 is not of the history of checkpoint 10, which this warehouse verified before: ")
        .hasMessageContaining("not a prefix");
    assertThat(memory.newest().orElseThrow().rootHash()).isEqualTo(log.root(10));
    // a remembered checkpoint must be cosigned as well: a memory file swapped for an uncosigned one is refused
    Files.writeString(directory.resolve("registry-checkpoint.note"), signed(log, 10));
    assertThatThrownBy(memory::newest).hasMessageStartingWith("Cannot verify the remembered checkpoint in ");
  }

  private String cosigned(Ed25519CosignatureSigner witness, MerkleLog tree, long size) {
    Checkpoint checkpoint = Checkpoint.of(ORIGIN, new TreeHead(size, tree.root(size)));
    return new CheckpointSigner(logKey).sign(checkpoint).withSignatures(List.of(witness.cosign(checkpoint))).encoded();
  }

  @Test
  void refusesACheckpointOrAMemoryThatTheLogsKeyDidNotSign() throws Exception {
    grow(log, 3, "event ");
    String forged = new CheckpointSigner(Ed25519NoteSigner.generate(ORIGIN)).sign(Checkpoint.of(ORIGIN,
        new TreeHead(3, log.root(3)))).encoded();
    assertThatThrownBy(() -> memory().advance(forged, proofsOf(log))).isInstanceOf(UnverifiedSnapshotException.class)
        .hasMessageStartingWith("Cannot verify the registry's checkpoint: ");

    Files.writeString(directory.resolve("registry-checkpoint.note"), forged);
    assertThatThrownBy(() -> memory().advance(signed(log, 3), proofsOf(log))).isInstanceOf(UnverifiedSnapshotException.class)
        .hasMessageStartingWith("Cannot verify the remembered checkpoint in ");
  }
}
