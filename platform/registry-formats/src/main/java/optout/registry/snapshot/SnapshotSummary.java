package optout.registry.snapshot;

import java.util.Objects;
import optout.registry.log.Hash;

/**
 * What identifies a snapshot's contents: how many pseudonyms, the set hash (independent of the
 * Parquet encoding, see {@link ExclusionSnapshot#setHash}) and the SHA-256 of the file's bytes.
 * The manifest signs all three.
 *
 * @param count the number of pseudonyms
 * @param setSha256 SHA-256 over the sorted pseudonyms, 8 bytes big-endian each
 * @param fileSha256 SHA-256 over the Parquet file's bytes
 */
public record SnapshotSummary(long count, Hash setSha256, Hash fileSha256) {

  public SnapshotSummary {
    if (count < 0) {
      throw new IllegalArgumentException("Cannot make a snapshot summary: the count " + count + " is negative");
    }
    Objects.requireNonNull(setSha256, "Cannot make a snapshot summary: the set hash is missing");
    Objects.requireNonNull(fileSha256, "Cannot make a snapshot summary: the file hash is missing");
  }
}
