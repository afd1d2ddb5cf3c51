package optout.portal.oversight;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The trust centre's re-identification audit events as it serves them to auditors ({@code GET /api/v1/audit-events},
 * {@code /verification}), on a loopback port; {@code down} makes it answer 503. Remembers the Authorization headers.
 */
public final class TrustCentreStandIn {

  final List<String> authorizations = new CopyOnWriteArrayList<>();
  volatile boolean down;
  private final HttpServer server;

  public TrustCentreStandIn() {
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    server.createContext("/api/v1/audit-events", this::handle);
    server.start();
  }

  public URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  public void stop() {
    server.stop(0);
  }

  private void handle(HttpExchange exchange) throws IOException {
    String authorization = exchange.getRequestHeaders().getFirst("Authorization");
    String body;
    int status = 200;
    if (down) {
      status = 503;
      body = "{\"status\":503}";
    } else if (authorization == null) {
      status = 401;
      body = "{\"status\":401}";
    } else {
      authorizations.add(authorization);
      body = exchange.getRequestURI().getPath().endsWith("/verification")
          ? "{\"valid\":true,\"events\":2,\"head\":\"" + "ef".repeat(32) + "\",\"brokenAt\":null,\"problem\":null,\"unchainedEarlierEvents\":0}"
          : "[{\"type\":\"REQUESTED\",\"request\":\"0b0c8a4e-1111-4a5e-9c3e-2b9f0d3c4a11\",\"actor\":\"reviewer-subject-1\",\"project\":\"application-9\","
            + "\"pseudonymCount\":2,\"at\":\"2026-12-06T01:00:00Z\",\"note\":null},"
            + "{\"type\":\"APPROVED\",\"request\":\"0b0c8a4e-1111-4a5e-9c3e-2b9f0d3c4a11\",\"actor\":\"custodian-subject-a\",\"project\":\"application-9\","
            + "\"pseudonymCount\":2,\"at\":\"2026-12-06T02:00:00Z\",\"note\":null}]";
    }
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", status == 200 ? "application/json" : "application/problem+json");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }
}
