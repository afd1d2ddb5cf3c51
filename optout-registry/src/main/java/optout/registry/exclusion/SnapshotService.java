package optout.registry.exclusion;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.Arrays;
import java.util.Optional;
import optout.registry.log.Checkpoint;
import optout.registry.log.CheckpointVerifier;
import optout.registry.log.NoteException;
import optout.registry.snapshot.ExclusionSnapshot;
import optout.registry.snapshot.Manifest;
import optout.registry.snapshot.ManifestException;
import optout.registry.snapshot.SnapshotDescription;
import optout.registry.snapshot.SnapshotSummary;
import optout.registry.transparency.CheckpointStore;
import optout.registry.transparency.PublishedCheckpoints;
import optout.registry.transparency.LogProperties;
import optout.registry.transparency.RegistryLogKeys;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;

/**
 * Makes exclusion snapshots into a directory ({@code optout.registry.snapshots.directory}): for each
 * (purpose, exemption, checkpoint) a Parquet file and its manifest signed with the log's key, named by
 * their ID. Making one twice finds the first, unless the registry has re-keyed since: a manifest names the
 * warehouse key version of its pseudonyms, always the registry's current one.
 */
@Service
class SnapshotService {

  /** purpose[+exemption]@tree size; size 0 is the empty tree's checkpoint, signed at the registry's first start. */
  static final String ID_PATTERN = "[a-z][a-z0-9-]{0,63}(\\+[a-z][a-z0-9-]{0,63})?@(0|[1-9][0-9]{0,18})(~k[1-9][0-9]{0,8})?";

  record Made(String id, Manifest manifest, String signedManifest, boolean created) {}

  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(SnapshotService.class);

  private final ExclusionSets exclusions;
  private final CheckpointStore checkpoints;
  private final PublishedCheckpoints published;
  private final RegistryLogKeys keys;
  private final LogProperties logProperties;
  private final Path directory;
  private final Clock clock;

  SnapshotService(ExclusionSets exclusions, CheckpointStore checkpoints, PublishedCheckpoints published, RegistryLogKeys keys, LogProperties log,
      @Value("${optout.registry.snapshots.directory:${java.io.tmpdir}/optout-registry-snapshots}") Path directory, Clock clock) {
    this.exclusions = exclusions;
    this.checkpoints = checkpoints;
    this.published = published;
    this.keys = keys;
    this.logProperties = log;
    this.directory = directory;
    this.clock = clock;
  }

  synchronized Made make(String purpose, Optional<String> exemption, Optional<Long> treeSize) throws IOException {
    return make(purpose, exemption, treeSize, Optional.empty());
  }

  /**
   * As above, the pseudonyms under warehouse key {@code keyVersion} (default: the registry's current one); an
   * older version's snapshot (for a project built before a rotation) has the ID suffix {@code ~k<version>}.
   */
  synchronized Made make(String purpose, Optional<String> exemption, Optional<Long> treeSize, Optional<Integer> keyVersion)
      throws IOException {
    CheckpointStore.StoredCheckpoint stored = treeSize.map(size -> checkpoints.bySize(size)
            .orElseThrow(() -> new IllegalArgumentException("No checkpoint was signed at tree size " + size)))
        // "the latest" is the newest one consumers can verify: with a witness, the newest it cosigned
        .orElseGet(() -> published.latest().orElseThrow(() -> new IllegalArgumentException(published.witnessed()
            ? "The witness has cosigned no checkpoint of the log yet" : "The log has no checkpoint yet")));
    Checkpoint checkpoint;
    try {
      checkpoint = new CheckpointVerifier(logProperties.origin(), keys.verifier()).verify(stored.signedNote());
    } catch (NoteException e) {
      throw new IllegalStateException("A stored checkpoint does not verify: run ./optout registry audit", e);
    }
    int version = keyVersion.orElse(exclusions.keyVersion());
    String id = purpose + exemption.map(e -> "+" + e).orElse("") + "@" + checkpoint.size()
        + (version == exclusions.keyVersion() ? "" : "~k" + version);
    Path parquet = parquetFile(id);
    Path manifestFile = manifestFile(id);
    if (Files.isRegularFile(manifestFile) && Files.isRegularFile(parquet)) {
      String signed = Files.readString(manifestFile, StandardCharsets.UTF_8);
      try {
        Manifest manifest = Manifest.verify(signed, keys.verifier());
        manifest.requireCheckpoint(checkpoint);
        manifest.requireWarehouseKeyVersion(version);
        ExclusionSnapshot.verify(parquet, manifest);
        return new Made(id, manifest, signed, false);
      } catch (ManifestException | IOException e) {
        // made under another key or key version, or changed on disk: the log below the checkpoint decides, so make it again
        log.warn("The stored snapshot {} does not verify ({}); making it again", id, e.getMessage());
      }
    }
    long[] excluded = exclusions.excluded(purpose, exemption, checkpoint.size(), version);
    SnapshotDescription description = new SnapshotDescription(purpose, exemption, checkpoint);
    Files.createDirectories(directory);
    Files.deleteIfExists(parquet);
    SnapshotSummary summary = ExclusionSnapshot.write(parquet, description, Arrays.stream(excluded));
    Manifest manifest = Manifest.of(description, summary, version, clock.instant());
    String signed = manifest.sign(keys.signer());
    Path partial = Files.createTempFile(directory, ".manifest-", ".partial");
    Files.writeString(partial, signed, StandardCharsets.UTF_8);
    Files.move(partial, manifestFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    return new Made(id, manifest, signed, true);
  }

  Path parquetFile(String id) {
    return directory.resolve(id + ".parquet");
  }

  Path manifestFile(String id) {
    return directory.resolve(id + ".manifest");
  }
}
