package optout.warehouse.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The client takes a snapshot's ID and checkpoint only in the registry's own forms: they name files
 * here and the checkpoint to fetch. A fake registry on loopback answers; the real one is in the ITs.
 */
class RegistrySnapshotClientTest {

  @TempDir
  Path directory;

  private HttpServer server;
  private final AtomicReference<String> snapshotAnswer = new AtomicReference<>();

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/token", exchange -> answer(exchange, 200, "{\"access_token\":\"token\"}"));
    server.createContext("/api/v1/snapshots", exchange -> {
      if (exchange.getRequestMethod().equals("POST")) {
        answer(exchange, 201, snapshotAnswer.get());
      } else {
        answer(exchange, 404, "{}");
      }
    });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  @Test
  void takesTheEmptyTreesCheckpointAsASize() {
    snapshotAnswer.set("{\"id\":\"academic-research@0\",\"checkpoint\":0}");

    // past the answer's checks: the download of the file named by the ID is what fails here
    assertThatThrownBy(() -> client().latest("academic-research", directory))
        .isInstanceOf(IOException.class).hasMessage("Cannot download exclusion snapshot academic-research@0: HTTP 404");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "{\"id\":\"academic-research@0\"}",
      "{\"id\":\"academic-research@3\",\"checkpoint\":\"3\"}",
      "{\"id\":\"academic-research@3\",\"checkpoint\":3.5}",
      "{\"id\":\"academic-research@3\",\"checkpoint\":-3}",
      "{\"id\":\"academic-research@3\",\"checkpoint\":4}",
      "{\"id\":\"../../etc/academic-research@3\",\"checkpoint\":3}",
      "{\"id\":\"academic-research@03\",\"checkpoint\":3}",
      "{\"checkpoint\":3}",
      "[]"})
  void refusesAnAnswerThatNamesNoSnapshotAtACheckpoint(String answer) throws IOException {
    snapshotAnswer.set(answer);

    assertThatThrownBy(() -> client().latest("academic-research", directory))
        .isInstanceOf(IOException.class).hasMessage("The registry's answer names no snapshot of academic-research at a checkpoint: " + answer);
    try (var written = Files.list(directory)) {
      assertThat(written).isEmpty();
    }
  }

  private RegistrySnapshotClient client() {
    URI base = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    return new RegistrySnapshotClient(new RegistrySnapshotClient.Settings(base, base.resolve("/token"), "optout-portal", "secret",
        "localhost/nhi-optout-registry", null, null));
  }

  private static void answer(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }
}
