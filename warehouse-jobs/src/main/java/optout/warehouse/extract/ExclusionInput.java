package optout.warehouse.extract;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The exclusion set an extract honours: the registry's exclusion snapshot for the extract's purpose
 * as of one log checkpoint (a Parquet file of layer-1 pseudonyms), with what the manifest records of it
 * so that anyone can fetch the same snapshot and recompute the set.
 *
 * @param parquet the snapshot file (column {@code pseudonym}, bigint)
 * @param checkpointOrigin the log's origin line
 * @param checkpointSize the tree size the snapshot was cut at
 * @param checkpointRootHash the root hash at that size (base64, as in checkpoints)
 * @param setSha256 the snapshot's set hash (see the registry's snapshot format)
 * @param count how many pseudonyms it holds
 * @param fileSha256 SHA-256 of the Parquet file
 * @param warehouseKeyVersion the warehouse key version of its pseudonyms, as its signed manifest names it (0:
 *     a format 1 manifest, which does not say; no extract uses such a snapshot)
 */
public record ExclusionInput(Path parquet, String purpose, String checkpointOrigin, long checkpointSize, String checkpointRootHash,
    String setSha256, long count, String fileSha256, int warehouseKeyVersion) {

  public ExclusionInput {
    Objects.requireNonNull(parquet, "the snapshot file");
    Objects.requireNonNull(purpose, "the snapshot's purpose");
    Objects.requireNonNull(checkpointOrigin, "the checkpoint's origin");
    Objects.requireNonNull(checkpointRootHash, "the checkpoint's root hash");
    Objects.requireNonNull(setSha256, "the set hash");
    Objects.requireNonNull(fileSha256, "the file hash");
    if (checkpointSize < 0 || count < 0) {
      throw new IllegalArgumentException("Cannot use the exclusion snapshot: its checkpoint size and count must not be negative");
    }
  }

  /**
   * Refuses to apply this snapshot to data under another warehouse key version: its pseudonyms would match no
   * one there, and every opted-out person would stay in.
   */
  public void requireKeyVersion(int dataKeyVersion) {
    if (warehouseKeyVersion != dataKeyVersion) {
      throw new IllegalStateException("Cannot apply the exclusion snapshot of checkpoint " + checkpointSize + ": its pseudonyms are under"
          + " warehouse key " + (warehouseKeyVersion == 0 ? "an unstated version (a registry from before key versions)" : "version "
          + warehouseKeyVersion) + ", the data under version " + dataKeyVersion + ". After a warehouse key rotation, restart the registry"
          + " (it re-keys its pseudonyms at start) and run ./optout warehouse rekey, then extract again; nothing was written");
    }
  }
}
