package optout.registry.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The benchmark registry's witness: the registry-witness boot jar in a JVM of its own, as {@code ./optout up}
 * starts it (same heap), with a fresh state directory and a demo key made at its start, witnessing only
 * the run's log. The registry then submits every checkpoint to it, as on the platform.
 */
final class WitnessProcess {

  static final List<String> HEAP = List.of("-Xms32m", "-Xmx128m");

  private final Path jar;
  private final Path directory;
  private final int port;
  private Process process;

  WitnessProcess(Path jar, Path directory, int port) {
    this.jar = jar;
    this.directory = directory;
    this.port = port;
  }

  /** Starts it witnessing the log of this origin and verifier key; waits until it answers; answers its verifier key. */
  String start(String origin, String logVerifierKey, String java) throws IOException, InterruptedException {
    Files.createDirectories(directory);
    ProcessBuilder builder = new ProcessBuilder(java, HEAP.get(0), HEAP.get(1), "-jar", jar.toString()).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(directory.resolve("witness.log").toFile()));
    builder.environment().keySet().removeIf(name -> name.startsWith("SPRING_") || name.startsWith("SERVER_") || name.startsWith("OPTOUT_"));
    builder.environment().putAll(Map.of(
        "SERVER_PORT", Integer.toString(port),
        "OPTOUT_WITNESS_SIGNING_KEY_FILE", directory.resolve("witness.key").toString(),
        "OPTOUT_WITNESS_CREATE_SIGNING_KEY", "true",
        "OPTOUT_WITNESS_STATE_DIRECTORY", directory.resolve("state").toString(),
        "OPTOUT_WITNESS_LOGS", logVerifierKey + " " + origin));
    process = builder.start();
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    HttpRequest keyRequest = HttpRequest.newBuilder(url().resolve("/verifier-key")).timeout(Duration.ofSeconds(2)).GET().build();
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (System.nanoTime() - deadline < 0) {
      if (!process.isAlive()) {
        throw new IOException("The benchmark's witness exited while starting (exit " + process.exitValue() + "); its log: "
            + directory.resolve("witness.log"));
      }
      try {
        HttpResponse<String> answer = http.send(keyRequest, HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() == 200) {
          return answer.body().strip();
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(100);
    }
    throw new IOException("The benchmark's witness did not answer within 2 minutes; its log: " + directory.resolve("witness.log"));
  }

  URI url() {
    return URI.create("http://127.0.0.1:" + port);
  }

  long pid() {
    return process.pid();
  }

  void stop() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroyForcibly();
      process.waitFor();
    }
  }
}
