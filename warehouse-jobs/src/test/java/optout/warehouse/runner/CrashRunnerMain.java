package optout.warehouse.runner;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import optout.warehouse.extract.RegistrySnapshots;

/**
 * The real runner ({@link RunnerMain#run}) in a process of its own, for {@link RunnerCrashIT} to kill: its
 * settings from the environment as in production; only the exclusion snapshots are the test's (the
 * registry's format, signed with a test log key), over the layer-1 pseudonyms in {@code TEST_EXCLUDED}.
 */
public final class CrashRunnerMain {

  private CrashRunnerMain() {}

  public static void main(String[] args) throws Exception {
    List<Long> excluded = Arrays.stream(System.getenv("TEST_EXCLUDED").split(",")).map(Long::valueOf).toList();
    Path snapshots = Files.createTempDirectory("crash-runner-snapshots");
    RunnerMain.run(System.getenv(), purpose ->
        RegistrySnapshots.publish(snapshots.resolve(purpose + "-" + System.nanoTime() + ".parquet"), purpose, 42, excluded).verified());
  }
}
