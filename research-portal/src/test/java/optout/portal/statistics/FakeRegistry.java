package optout.portal.statistics;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.LocalDate;
import java.util.List;
import optout.registry.log.Checkpoint;
import optout.registry.log.CheckpointSigner;
import optout.registry.log.Ed25519CosignatureSigner;
import optout.registry.log.Ed25519NoteSigner;
import optout.registry.log.Hash;

/**
 * The registry's public API as the portal reads it, on a loopback port: its statistics publication ({@code GET
 * /api/v1/statistics}, in the registry's shape) and its newest checkpoint ({@code GET /api/v1/log/checkpoint}), signed by a
 * log key and cosigned by a witness key of the test's. What it serves can be changed by the test.
 */
public final class FakeRegistry implements AutoCloseable {

  public static final String ORIGIN = "registry.test/nhi-optout";
  public final Ed25519NoteSigner logKey = Ed25519NoteSigner.generate(ORIGIN);
  public final Ed25519CosignatureSigner witnessKey = Ed25519CosignatureSigner.generate("witness.test");
  private final HttpServer server;
  private volatile String statistics;
  private volatile String checkpoint;
  private volatile int requests;

  public FakeRegistry() {
    statistics = publication(LocalDate.of(2026, 12, 6), false);
    byte[] root = new byte[32];
    new SecureRandom().nextBytes(root);
    Checkpoint tree = new Checkpoint(ORIGIN, 4_242, Hash.of(root), List.of());
    checkpoint = new CheckpointSigner(logKey).sign(tree).withSignatures(List.of(witnessKey.cosign(tree))).encoded();
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    server.createContext("/api/v1/statistics", exchange -> {
      requests++;
      byte[] body = statistics == null ? "{}".getBytes(StandardCharsets.UTF_8) : statistics.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(statistics == null ? 503 : 200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.createContext("/api/v1/log/checkpoint", exchange -> {
      byte[] body = checkpoint.getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
  }

  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** The next statistics answer (null: the registry answers 503). */
  public void serve(String publication) {
    this.statistics = publication;
  }

  public int requests() {
    return requests;
  }

  /**
   * A publication in the registry's shape, 90 days to {@code to} with a surge on the last day (45 opt-outs, 20 on the same
   * weekday before); with {@code smallCell}, Lienchiang County shows 3 people.
   */
  public static String publication(LocalDate to, boolean smallCell) {
    StringBuilder days = new StringBuilder();
    for (int i = 89; i >= 0; i--) {
      LocalDate day = to.minusDays(i);
      String filed = i == 0 ? "{\"count\":45,\"suppressed\":false}" : i % 7 == 3 ? "{\"count\":null,\"suppressed\":true}"
          : "{\"count\":20,\"suppressed\":false}";
      days.append(days.isEmpty() ? "" : ",").append("{\"day\":\"").append(day).append("\",\"optOutsFiled\":").append(filed)
          .append(",\"withdrawals\":{\"count\":0,\"suppressed\":false}}");
    }
    String lienchiang = smallCell ? "{\"category\":\"lienchiang-county\",\"count\":3,\"suppressed\":false}"
        : "{\"category\":\"lienchiang-county\",\"count\":null,\"suppressed\":true}";
    return """
        {"asOf":"2026-12-06T15:00:00Z","nextUpdate":"2026-12-06T15:05:00Z","timeZone":"Asia/Taipei","threshold":10,
         "note":"Counts of people.",
         "optedOut":{"total":{"count":1840,"suppressed":false},
          "byScope":{"dimension":"scope","overlapping":true,"categories":[
            {"category":"academic-research","count":1210,"suppressed":false},{"category":"government-statistics","count":640,"suppressed":false},
            {"category":"cross-agency-linkage","count":null,"suppressed":true},{"category":"commercial-use","count":0,"suppressed":false},
            {"category":"covers-all","count":null,"suppressed":true}],"total":{"count":1840,"suppressed":false}},
          "byChannel":{"dimension":"channel","overlapping":false,"categories":[
            {"category":"counter","count":1100,"suppressed":false},{"category":"online","count":null,"suppressed":true},
            {"category":"proxy","count":null,"suppressed":true}],"total":{"count":1840,"suppressed":false}},
          "byCounty":{"dimension":"county","overlapping":false,"categories":[
            {"category":"taipei-city","count":900,"suppressed":false},{"category":"kaohsiung-city","count":930,"suppressed":false},
            LIENCHIANG,{"category":"unknown","count":null,"suppressed":true}],"total":{"count":1840,"suppressed":false}},
          "bySex":{"dimension":"sex","overlapping":false,"categories":[
            {"category":"female","count":1000,"suppressed":false},{"category":"male","count":840,"suppressed":false},
            {"category":"unknown","count":0,"suppressed":false}],"total":{"count":1840,"suppressed":false}},
          "byAgeBand":{"dimension":"age-band","overlapping":false,"categories":[
            {"category":"20-24","count":400,"suppressed":false},{"category":"25-29","count":1440,"suppressed":false},
            {"category":"90+","count":0,"suppressed":false}],"total":{"count":1840,"suppressed":false}},
          "countyBySex":null,"ageBandBySex":null},
         "dailyFilings":{"from":"FROM","to":"TO","days":[DAYS],
           "optOutsFiledTotal":{"count":1500,"suppressed":false},"withdrawalsTotal":{"count":0,"suppressed":false}}}"""
        .replace("LIENCHIANG", lienchiang).replace("FROM", to.minusDays(89).toString()).replace("TO", to.toString())
        .replace("DAYS", days.toString());
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
