package optout.registry.audit;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** {@code ./optout registry ...} and {@code docs/verify-registry-log.py} for tests outside this package. */
public final class RegistryCommands {

  /** A command's exit code and what it printed (standard output and error together). */
  public record Run(int exitCode, String out) {}

  private RegistryCommands() {}

  /** Runs {@code registry ARGS} with exactly these environment variables. */
  public static Run registry(Map<String, String> environment, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
    int code = new RegistryCommand(environment, print, print).run(args);
    return new Run(code, out.toString(StandardCharsets.UTF_8));
  }

  /** Runs the independent Python verifier on an export. */
  public static Run verifyExport(Path export) throws Exception {
    Process python = new ProcessBuilder("python3", Path.of("../docs/verify-registry-log.py").toString(), export.toString())
        .redirectErrorStream(true).start();
    String out = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!python.waitFor(60, TimeUnit.SECONDS)) {
      python.destroyForcibly();
      throw new AssertionError("the verifier did not finish within a minute");
    }
    return new Run(python.exitValue(), out);
  }
}
