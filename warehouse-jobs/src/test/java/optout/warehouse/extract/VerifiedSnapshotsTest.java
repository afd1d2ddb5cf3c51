package optout.warehouse.extract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import optout.registry.log.Ed25519NoteSigner;
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
