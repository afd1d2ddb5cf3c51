package optout.registry.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The benchmark's own registry: the boot jar in a JVM of its own, started as {@code ./optout up} starts
 * the registry (same heap), on a port of its own, against the run's database. {@link #kill} is SIGKILL
 * ({@code kill -9}) to that JVM: no shutdown hook, no graceful shutdown, open transactions cut off.
 */
final class RegistryProcess {

  private final List<String> command;
  private final Map<String, String> environment;
  private final Path log;
  private final URI readiness;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(1)).build();
  private Process process;

  RegistryProcess(List<String> command, Map<String, String> environment, Path log, int port) {
    this.command = List.copyOf(command);
    this.environment = Map.copyOf(environment);
    this.log = log;
    this.readiness = URI.create("http://127.0.0.1:" + port + "/actuator/health/readiness");
  }

  synchronized void start() throws IOException {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    // what the caller's shell exported for another registry must not reach this one
    builder.environment().keySet().removeIf(name -> name.startsWith("SPRING_") || name.startsWith("SERVER_")
        || name.startsWith("OPTOUT_REGISTRY_") || name.startsWith("OPTOUT_SECURITY_"));
    builder.environment().putAll(environment);
    process = builder.start();
  }

  synchronized long pid() {
    return process.pid();
  }

  synchronized boolean alive() {
    return process != null && process.isAlive();
  }

  /** Waits until the registry reports ready; fails at once if it exits, naming its log. */
  void awaitReady(Duration limit) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    HttpRequest probe = HttpRequest.newBuilder(readiness).timeout(Duration.ofSeconds(2)).GET().build();
    while (System.nanoTime() - deadline < 0) {
      if (!alive()) {
        throw new IOException("The benchmark's registry exited while starting (exit " + process.exitValue() + "); its log: " + log);
      }
      try {
        if (http.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(50);
    }
    throw new IOException("The benchmark's registry did not become ready within " + limit.toSeconds() + " s; its log: " + log);
  }

  /** SIGKILL, and waits until the process is gone (its port and its database sessions with it). */
  synchronized void kill() throws InterruptedException {
    // On Linux, Process.destroyForcibly() is kill(pid, SIGKILL): the same as kill -9.
    process.destroyForcibly();
    process.waitFor();
  }

  /** A graceful stop (SIGTERM), forced after 30 s. */
  synchronized void stop() throws InterruptedException {
    if (process == null || !process.isAlive()) {
      return;
    }
    process.destroy();
    if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor();
    }
  }

  Path log() {
    return log;
  }
}
