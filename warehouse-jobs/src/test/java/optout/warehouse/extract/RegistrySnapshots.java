package optout.warehouse.extract;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import optout.registry.log.Checkpoint;
import optout.registry.log.Ed25519NoteSigner;
import optout.registry.log.Hash;
import optout.registry.log.MerkleHashing;
import optout.registry.log.SignedNote;
import optout.registry.snapshot.ExclusionSnapshot;
import optout.registry.snapshot.Manifest;
import optout.registry.snapshot.SnapshotDescription;
import optout.registry.snapshot.SnapshotSummary;

/**
 * Exclusion snapshots as the registry makes them (its own writer and manifest, from registry-formats),
 * signed with a test log key: what an extract receives, without running the registry.
 */
public final class RegistrySnapshots {

  public static final String ORIGIN = "localhost/nhi-optout-registry";
  public static final Ed25519NoteSigner LOG_KEY = Ed25519NoteSigner.generate(ORIGIN);

  /** The files of one snapshot: the Parquet file, the signed manifest, the signed checkpoint. */
  public record Published(Path parquet, String manifest, String checkpoint) {

    public ExclusionInput verified() throws Exception {
      return VerifiedSnapshots.verify(parquet, manifest, checkpoint, ORIGIN, LOG_KEY.verifierKey());
    }
  }

  private RegistrySnapshots() {}

  /**
   * A snapshot of {@code purpose} at a checkpoint of {@code size} over these layer-1 pseudonyms (any order).
   * Size 0 is the registry's first checkpoint, with the empty tree's root; other sizes get a stand-in root.
   */
  public static Published publish(Path parquet, String purpose, long size, List<Long> pseudonyms) throws Exception {
    return publish(parquet, purpose, size, pseudonyms, 1);
  }

  /** As above, its pseudonyms under warehouse key {@code keyVersion}. */
  public static Published publish(Path parquet, String purpose, long size, List<Long> pseudonyms, int keyVersion) throws Exception {
    Hash root = size == 0 ? MerkleHashing.emptyRoot() : Hash.of(java.security.MessageDigest.getInstance("SHA-256")
        .digest(("root " + size).getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
    return publish(parquet, purpose, new Checkpoint(ORIGIN, size, root, List.of()), pseudonyms, keyVersion);
  }

  /** A snapshot of {@code purpose} at exactly this checkpoint, both signed with the test log key, under warehouse key version 1. */
  public static Published publish(Path parquet, String purpose, Checkpoint checkpoint, List<Long> pseudonyms) throws Exception {
    return publish(parquet, purpose, checkpoint, pseudonyms, 1);
  }

  /** As above, its pseudonyms under warehouse key {@code keyVersion}. */
  public static Published publish(Path parquet, String purpose, Checkpoint checkpoint, List<Long> pseudonyms, int keyVersion)
      throws Exception {
    SnapshotDescription description = SnapshotDescription.of(purpose, checkpoint);
    SnapshotSummary summary = ExclusionSnapshot.write(parquet, description, pseudonyms.stream().mapToLong(Long::longValue).sorted().distinct());
    String manifest = Manifest.of(description, summary, keyVersion, Instant.parse("2026-11-25T02:00:00Z")).sign(LOG_KEY);
    return new Published(parquet, manifest, SignedNote.sign(checkpoint.text(), LOG_KEY).encoded());
  }

}
