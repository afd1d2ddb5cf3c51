package optout.registry.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A closed-loop rate: N threads each repeat one operation as fast as it completes, for a warm-up and
 * then a timed window; the result is operations per second and the latency of each operation. The
 * baselines use it, so that they and the filings are measured the same way.
 */
record Rate(String what, int threads, long operations, double seconds, long[] sortedNanos) {

  /** One thread's operation, with whatever it holds open (a connection). */
  interface Worker extends AutoCloseable {
    void once() throws Exception;

    @Override
    default void close() throws Exception {}
  }

  interface WorkerFactory {
    Worker open(int thread) throws Exception;
  }

  double perSecond() {
    return operations / seconds;
  }

  static Rate measure(String what, int threads, Duration warmup, Duration window, WorkerFactory factory) throws BenchException {
    List<LongList> latencies = new ArrayList<>();
    AtomicReference<Exception> failure = new AtomicReference<>();
    CountDownLatch done = new CountDownLatch(threads);
    long start = System.nanoTime() + warmup.toNanos();
    long end = start + window.toNanos();
    for (int t = 0; t < threads; t++) {
      LongList mine = new LongList();
      latencies.add(mine);
      int thread = t;
      Thread runner = new Thread(() -> {
        try (Worker worker = factory.open(thread)) {
          while (failure.get() == null) {
            long before = System.nanoTime();
            if (before - end >= 0) {
              break;
            }
            worker.once();
            long after = System.nanoTime();
            if (before - start >= 0 && after - end < 0) {
              mine.add(after - before);
            }
          }
        } catch (Exception e) {
          failure.compareAndSet(null, e);
        } finally {
          done.countDown();
        }
      }, "bench-" + what + "-" + t);
      runner.setDaemon(true);
      runner.start();
    }
    try {
      done.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BenchException("Interrupted while measuring " + what, e);
    }
    if (failure.get() != null) {
      throw new BenchException("The baseline '" + what + "' failed: " + failure.get(), failure.get());
    }
    long[] all = latencies.stream().flatMapToLong(l -> Arrays.stream(l.toArray())).sorted().toArray();
    return new Rate(what, threads, all.length, window.toNanos() / 1e9, all);
  }

  /** Nearest-rank percentile of sorted values; -1 if there are none. */
  static long percentile(long[] sorted, double percent) {
    if (sorted.length == 0) {
      return -1;
    }
    int rank = (int) Math.ceil(percent / 100.0 * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }
}
