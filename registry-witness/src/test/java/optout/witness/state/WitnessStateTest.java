package optout.witness.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import optout.registry.log.Checkpoint;
import optout.registry.log.SignedNote;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The witness's files: compare-and-swap under races, refusals that change nothing, and a writer killed mid-write. */
class WitnessStateTest {

  private static final String ORIGIN = "test.example/log";

  @TempDir Path directory;

  @Test
  void holdsTheLatestAndAppendsEveryCheckpointToTheHistory() throws Exception {
    WitnessState state = new WitnessState(directory);
    assertThat(state.latest(ORIGIN)).isEmpty();
    state.compareAndSwap(ORIGIN, held -> StateHammer.note(ORIGIN, 3));
    state.compareAndSwap(ORIGIN, held -> StateHammer.note(ORIGIN, held.orElseThrow().checkpoint().size() + 4));
    assertThat(state.latest(ORIGIN).orElseThrow().checkpoint().size()).isEqualTo(7);
    assertThat(state.latestByOriginHash(WitnessState.originHash(ORIGIN)).orElseThrow().note()).isEqualTo(StateHammer.note(ORIGIN, 7));
    assertThat(names(state.history(ORIGIN))).containsExactly("00000000000000000003", "00000000000000000007");
    assertThat(Files.readString(state.history(ORIGIN).resolve("00000000000000000003"))).isEqualTo(StateHammer.note(ORIGIN, 3));
    assertThat(state.latestByOriginHash("../../etc")).isEmpty();
    // the first cosigned note of a size stays in the history, even if that size is held again in another note
    String again = StateHammer.note(ORIGIN, 7).replace("hammer", "hammer2");
    state.compareAndSwap(ORIGIN, held -> again);
    assertThat(state.latest(ORIGIN).orElseThrow().note()).isEqualTo(again);
    assertThat(Files.readString(state.history(ORIGIN).resolve("00000000000000000007"))).isEqualTo(StateHammer.note(ORIGIN, 7));
  }

  @Test
  void aRefusalChangesNothing() throws Exception {
    WitnessState state = new WitnessState(directory);
    state.compareAndSwap(ORIGIN, held -> StateHammer.note(ORIGIN, 3));
    assertThatThrownBy(() -> state.compareAndSwap(ORIGIN, held -> {
      throw new IllegalStateException("refused");
    })).hasMessage("refused");
    assertThatThrownBy(() -> state.compareAndSwap(ORIGIN, held -> StateHammer.note("other.example/log", 9)))
        .hasMessageContaining("Cannot hold a checkpoint of other.example/log for the log test.example/log");
    assertThatThrownBy(() -> state.compareAndSwap(ORIGIN, held -> "not a note\n")).isInstanceOf(IOException.class);
    assertThat(state.latest(ORIGIN).orElseThrow().checkpoint().size()).isEqualTo(3);
    assertThat(names(state.history(ORIGIN))).containsExactly("00000000000000000003");
  }

  /** Many threads and two state objects (as two processes would) all try to advance from size 0: exactly one may. */
  @Test
  void ofRacingSwapsFromTheSameCheckpointExactlyOneWins() throws Exception {
    List<WitnessState> states = List.of(new WitnessState(directory), new WitnessState(directory));
    AtomicInteger won = new AtomicInteger();
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService threads = Executors.newFixedThreadPool(16);
    try {
      List<Future<?>> tries = new java.util.ArrayList<>();
      for (int i = 0; i < 32; i++) {
        WitnessState state = states.get(i % 2);
        long size = 10 + i;
        tries.add(threads.submit(() -> {
          start.await();
          try {
            state.compareAndSwap(ORIGIN, held -> {
              if (held.isPresent()) {
                throw new IllegalStateException("conflict: " + held.get().checkpoint().size());
              }
              return StateHammer.note(ORIGIN, size);
            });
            won.incrementAndGet();
          } catch (IllegalStateException lost) {
            assertThat(lost.getMessage()).startsWith("conflict: ");
          }
          return null;
        }));
      }
      start.countDown();
      for (Future<?> attempt : tries) {
        attempt.get(30, TimeUnit.SECONDS);
      }
    } finally {
      threads.shutdownNow();
    }
    assertThat(won.get()).isEqualTo(1);
    assertThat(names(states.get(0).history(ORIGIN))).hasSize(1);
  }

  /**
   * A witness process killed (SIGKILL) while writing: what is left is the old file or the new one, never a
   * torn one; the history holds only whole notes, at most one behind the latest, and the next swap fills it in.
   */
  @Test
  void aWriterKilledMidWriteLeavesWholeFiles() throws Exception {
    Process hammer = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
        System.getProperty("java.class.path"), StateHammer.class.getName(), directory.toString(), ORIGIN)
        .redirectErrorStream(true).redirectOutput(directory.resolve("hammer.log").toFile()).start();
    WitnessState state = new WitnessState(directory);
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (!Files.isDirectory(state.history(ORIGIN)) || names(state.history(ORIGIN)).size() < 40) {
        assertThat(hammer.isAlive()).as("the hammer runs: " + Files.readString(directory.resolve("hammer.log"))).isTrue();
        assertThat(System.nanoTime()).isLessThan(deadline);
        Thread.sleep(20);
      }
    } finally {
      hammer.destroyForcibly();
      hammer.waitFor(30, TimeUnit.SECONDS);
    }
    Optional<WitnessState.Held> latest = state.latest(ORIGIN);
    long held = latest.orElseThrow().checkpoint().size();
    List<String> history = names(state.history(ORIGIN));
    for (String name : history) {
      Checkpoint checkpoint = Checkpoint.parse(SignedNote.parse(Files.readString(state.history(ORIGIN).resolve(name))).text());
      assertThat(name).isEqualTo(String.format("%020d", checkpoint.size()));
    }
    long newest = Long.parseLong(history.get(history.size() - 1));
    assertThat(held).isBetween(newest, newest + 1);
    state.compareAndSwap(ORIGIN, current -> StateHammer.note(ORIGIN, current.orElseThrow().checkpoint().size() + 1));
    assertThat(names(state.history(ORIGIN))).contains(String.format("%020d", held), String.format("%020d", held + 1));
  }

  private static List<String> names(Path directory) throws IOException {
    try (Stream<Path> files = Files.list(directory)) {
      return files.map(path -> path.getFileName().toString()).sorted().toList();
    }
  }
}
