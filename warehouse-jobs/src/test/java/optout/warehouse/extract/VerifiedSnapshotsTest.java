package optout.warehouse.extract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import optout.registry.log.Checkpoint;
import optout.registry.log.Ed25519CosignatureSigner;
import optout.registry.log.Ed25519NoteSigner;
import optout.registry.log.SignedNote;
import optout.registry.log.Hash;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VerifiedSnapshotsTest {

  private static final List<Long> PSEUDONYMS = List.of(13_000_000_002L, 11_000_000_001L, 17_500_000_000L);

  @Test
  void aSnapshotTheLogSignedBecomesTheExtractsExclusion(@TempDir Path directory) throws Exception {
    RegistrySnapshots.Published published = RegistrySnapshots.publish(directory.resolve("s.parquet"), "academic-research", 77, PSEUDONYMS);
    ExclusionInput exclusion = published.verified();
    assertThat(exclusion.purpose()).isEqualTo("academic-research");
    assertThat(exclusion.checkpointSize()).isEqualTo(77);
    assertThat(exclusion.count()).isEqualTo(3);
    assertThat(exclusion.setSha256()).hasSize(64);
    assertThat(exclusion.checkpointOrigin()).isEqualTo(RegistrySnapshots.ORIGIN);
  }

  /** A fresh registry's answer: nobody opted out as of checkpoint 0, signed like any other snapshot. */
  @Test
  void theEmptySnapshotAtCheckpointZeroBecomesAnExclusionOfNobody(@TempDir Path directory) throws Exception {
    ExclusionInput exclusion = RegistrySnapshots.publish(directory.resolve("academic-research@0.parquet"), "academic-research", 0, List.of())
        .verified();
    assertThat(exclusion.checkpointSize()).isZero();
    assertThat(exclusion.checkpointRootHash()).isEqualTo("47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=");
    assertThat(exclusion.count()).isZero();
    assertThat(exclusion.setSha256()).isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  }

  @Test
  void aCheckpointZeroWithAnotherRootThanTheEmptyTreesIsRefused(@TempDir Path directory) throws Exception {
    Hash forgedRoot = Hash.fromHex("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d");
    RegistrySnapshots.Published forged = RegistrySnapshots.publish(directory.resolve("s.parquet"), "academic-research",
        new Checkpoint(RegistrySnapshots.ORIGIN, 0, forgedRoot, List.of()), List.of());
    assertThatThrownBy(forged::verified).isInstanceOf(VerifiedSnapshots.UnverifiedSnapshotException.class)
        .hasMessage("The exclusion snapshot cannot be trusted: Cannot verify checkpoint: it signs a tree of 0 leaves with the root "
            + forgedRoot.base64() + ", the empty tree's root is 47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=");
  }

  @Test
  void withAWitnessConfiguredOnlyACosignedCheckpointIsTaken(@TempDir Path directory) throws Exception {
    RegistrySnapshots.Published published = RegistrySnapshots.publish(directory.resolve("s.parquet"), "academic-research", 77, PSEUDONYMS);
    Ed25519CosignatureSigner witness = Ed25519CosignatureSigner.generate("localhost/nhi-optout-witness");
    List<String> witnesses = List.of(witness.verifierKey());
    assertThatThrownBy(() -> VerifiedSnapshots.verify(published.parquet(), published.manifest(), published.checkpoint(), RegistrySnapshots.ORIGIN,
        RegistrySnapshots.LOG_KEY.verifierKey(), witnesses)).isInstanceOf(VerifiedSnapshots.UnverifiedSnapshotException.class)
        .hasMessageContaining("it is signed by the log but not cosigned by the witness localhost/nhi-optout-witness+");
    Checkpoint checkpoint = Checkpoint.parse(SignedNote.parse(published.checkpoint()).text());
    String cosigned = SignedNote.parse(published.checkpoint()).withSignatures(List.of(witness.cosign(checkpoint))).encoded();
    assertThat(VerifiedSnapshots.verify(published.parquet(), published.manifest(), cosigned, RegistrySnapshots.ORIGIN,
        RegistrySnapshots.LOG_KEY.verifierKey(), witnesses).checkpointSize()).isEqualTo(77);
  }

  @Test
  void aForgedManifestCheckpointOrFileIsRefused(@TempDir Path directory) throws Exception {
    RegistrySnapshots.Published published = RegistrySnapshots.publish(directory.resolve("s.parquet"), "academic-research", 77, PSEUDONYMS);
    String otherKey = Ed25519NoteSigner.generate(RegistrySnapshots.ORIGIN).verifierKey();
    assertThatThrownBy(() -> VerifiedSnapshots.verify(published.parquet(), published.manifest(), published.checkpoint(), RegistrySnapshots.ORIGIN,
        otherKey)).isInstanceOf(VerifiedSnapshots.UnverifiedSnapshotException.class);
    RegistrySnapshots.Published later = RegistrySnapshots.publish(directory.resolve("t.parquet"), "academic-research", 78, PSEUDONYMS);
    assertThatThrownBy(() -> VerifiedSnapshots.verify(published.parquet(), published.manifest(), later.checkpoint(), RegistrySnapshots.ORIGIN,
        RegistrySnapshots.LOG_KEY.verifierKey())).hasMessageContaining("cannot be trusted");
    RegistrySnapshots.Published fewer = RegistrySnapshots.publish(directory.resolve("u.parquet"), "academic-research", 77, PSEUDONYMS.subList(0, 2));
    Files.copy(fewer.parquet(), published.parquet(), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    assertThatThrownBy(published::verified).hasMessageContaining("cannot be trusted");
    assertThatThrownBy(() -> VerifiedSnapshots.verify(fewer.parquet(), fewer.manifest(), fewer.checkpoint(), "another/origin",
        RegistrySnapshots.LOG_KEY.verifierKey())).isInstanceOf(VerifiedSnapshots.UnverifiedSnapshotException.class);
  }
}
