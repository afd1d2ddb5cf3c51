package optout.registry.snapshot;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;
import optout.registry.log.Checkpoint;
import optout.registry.log.Hash;
import optout.registry.log.MerkleHashing;

/** Test data: a checkpoint, descriptions and pseudonym sequences. */
final class Snapshots {

  static final Checkpoint CHECKPOINT = new Checkpoint("nhi.gov.tw/optout-registry", 1234,
      Hash.fromHex("6f1ed002ab5595859014ebf0951522d9a21e5b2a7c1c0e9f2b6a0d5c4e3f2a10"), List.of());
  static final SnapshotDescription ACADEMIC = SnapshotDescription.of("academic-research", CHECKPOINT);
  /** The registry's first checkpoint: the empty tree. */
  static final Checkpoint EMPTY_TREE = new Checkpoint("nhi.gov.tw/optout-registry", 0, MerkleHashing.emptyRoot(), List.of());

  private Snapshots() {}

  /**
   * {@code count} ascending distinct layer-1 pseudonyms, spread over the whole range with random
   * gaps, computed lazily so that no test holds them all.
   */
  static LongStream pseudonyms(long count, long seed) {
    // Three quarters of the range on average, so that random gaps never run past its end.
    long meanGap = (ExclusionSnapshot.MAX_PSEUDONYM - ExclusionSnapshot.MIN_PSEUDONYM) / Math.max(count, 1) * 3 / 4;
    Random random = new Random(seed);
    long[] next = {ExclusionSnapshot.MIN_PSEUDONYM};
    return LongStream.generate(() -> {
      long value = next[0];
      next[0] += 1 + (long) (random.nextDouble() * (2 * meanGap - 2));
      return value;
    }).limit(count);
  }

  /** The set hash computed the plain way, independently of the package's hasher. */
  static Hash independentSetHash(long[] values) throws Exception {
    ByteBuffer bytes = ByteBuffer.allocate(values.length * Long.BYTES);
    for (long value : values) {
      bytes.putLong(value);
    }
    return Hash.of(MessageDigest.getInstance("SHA-256").digest(bytes.array()));
  }
}
