package optout.registry.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A tree of 1,000,000 leaves: appends stay cheap, and every root and proof reads O(log n) nodes in
 * one store call. The read bound is 2·log2(n): a proof has at most log2(n) complete siblings, plus
 * the complete subtrees of one right-edge sibling, again at most log2(n).
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class MerkleLogScaleTest {

  private static final int SIZE = 1_000_000;
  private static final int BATCH = 10_000;
  private static final double LOG2_SIZE = Math.log(SIZE) / Math.log(2);
  private static final long READ_BOUND = (long) Math.ceil(2 * LOG2_SIZE);

  private static CountingNodeStore store;
  private static MerkleLog log;
  private static List<Hash> leaves;
  private static long appendMillis;
  private static long appendReadCalls;
  private static long maxFrontierRead;

  @BeforeAll
  static void appendAMillionLeaves() {
    SplittableRandom random = new SplittableRandom(1_000_000);
    leaves = new ArrayList<>(SIZE);
    byte[] bytes = new byte[Hash.LENGTH];
    for (int i = 0; i < SIZE; i++) {
      random.nextBytes(bytes);
      leaves.add(Hash.of(bytes)); // stands for a leaf hash; hashing entries first would only add time
    }
    store = new CountingNodeStore(new InMemoryNodeStore());
    log = new MerkleLog(store);
    long start = System.nanoTime();
    for (int from = 0; from < SIZE; from += BATCH) {
      store.reset();
      log.appendAll(leaves.subList(from, from + BATCH));
      appendReadCalls += store.readCalls();
      maxFrontierRead = Math.max(maxFrontierRead, store.nodesRead());
    }
    appendMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    System.out.printf("MerkleLogScaleTest: appended %,d leaves in %,d ms%n", SIZE, appendMillis);
  }

  @Test
  void appendsReadOnlyTheFrontierOncePerBatch() {
    assertThat(log.size()).isEqualTo(SIZE);
    assertThat(appendReadCalls).isLessThanOrEqualTo(SIZE / BATCH); // the first append reads nothing
    assertThat(maxFrontierRead).isLessThanOrEqualTo((long) Math.ceil(LOG2_SIZE));
  }

  @Test
  void theRootMatchesAnIndependentRecomputation() {
    RootAccumulator accumulator = new RootAccumulator();
    leaves.forEach(accumulator::add);
    store.reset();
    assertThat(log.root(SIZE)).isEqualTo(accumulator.root());
    assertThat(store.readCalls()).isEqualTo(1);
    assertThat(store.nodesRead()).isEqualTo(Long.bitCount(SIZE));
  }

  @Test
  void inclusionProofsReadLogarithmicallyManyNodes() throws ProofException {
    SplittableRandom random = new SplittableRandom(7);
    long[] sizes = {SIZE, SIZE - 1, (1 << 19) + 1, 999_983, (1 << 19) - 1};
    long worst = 0;
    for (long size : sizes) {
      Hash root = log.root(size);
      for (int i = 0; i < 200; i++) {
        long index = i == 0 ? size - 1 : i == 1 ? 0 : random.nextLong(size);
        store.reset();
        InclusionProof proof = log.inclusionProof(index, size);
        assertThat(store.readCalls()).isEqualTo(1);
        assertThat(store.nodesRead()).as("leaf %d of %d", index, size).isLessThanOrEqualTo(READ_BOUND);
        worst = Math.max(worst, store.nodesRead());
        ProofVerifier.verifyInclusion(leaves.get((int) index), proof, root);
      }
    }
    System.out.printf("MerkleLogScaleTest: inclusion proofs read at most %d nodes (bound %d)%n", worst, READ_BOUND);
  }

  @Test
  void consistencyProofsReadLogarithmicallyManyNodes() throws ProofException {
    SplittableRandom random = new SplittableRandom(11);
    long worst = 0;
    for (int i = 0; i < 300; i++) {
      long size2 = i < 100 ? SIZE : 2 + random.nextLong(SIZE - 1);
      long size1 = 1 + random.nextLong(size2 - 1);
      store.reset();
      ConsistencyProof proof = log.consistencyProof(size1, size2);
      assertThat(store.readCalls()).isEqualTo(1);
      assertThat(store.nodesRead()).as("%d to %d", size1, size2).isLessThanOrEqualTo(READ_BOUND);
      worst = Math.max(worst, store.nodesRead());
      ProofVerifier.verifyConsistency(proof, log.root(size1), log.root(size2));
    }
    assertThat(worst).isGreaterThan(0);
    System.out.printf("MerkleLogScaleTest: consistency proofs read at most %d nodes (bound %d)%n", worst, READ_BOUND);
  }
}
