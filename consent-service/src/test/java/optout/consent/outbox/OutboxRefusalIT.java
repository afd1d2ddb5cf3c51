package optout.consent.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import optout.consent.ConsentIT;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The relay against a stand-in registry that answers 403, 404, 400, 409, 500 and an unreadable 201 for
 * a while, then correctly, and refuses some filings for a domain reason: every filing is delivered
 * exactly once, in order, or held for a clerk with its payload; a person's later filing waits behind a
 * held one; the clerks' queue resolves held filings (clerks only).
 */
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class OutboxRefusalIT extends ConsentIT {

  private static final StandIn registry = StandIn.start();

  static {
    deliveryRegistry = registry.uri();
  }

  @DynamicPropertySource
  static void ownContext(DynamicPropertyRegistry properties) {
    properties.add("optout.test.context", () -> "outbox-refusal");
    properties.add("optout.consent.registry.max-backoff", () -> "1s");
    properties.add("optout.consent.registry.stuck-alert-after", () -> "2s");
  }

  @Autowired private JdbcTemplate jdbc;

  @AfterAll
  static void stop() {
    deliveryRegistry = null;
    registry.server.stop(0);
  }

  @Test
  void faultsAreRetriedInOrderAndDomainRefusalsAreHeldForAClerk() throws Exception {
    String a1 = fileAtCounter("opt-out", "K157000030", "[\"academic-research\", \"commercial-use\"]").get("filingId").asString();
    String b1 = fileAtCounter("opt-out", "L158240618", "[\"academic-research\"]").get("filingId").asString();
    String b2 = fileAtCounter("withdrawal", "L158240618", "[\"academic-research\"]").get("filingId").asString();
    String a2 = fileAtCounter("withdrawal", "K157000030", "[\"commercial-use\"]").get("filingId").asString();
    String c1 = fileAtCounter("opt-out", "M266836630", "[\"all-secondary-use\"]").get("filingId").asString();
    String d1 = fileAtCounter("opt-out", "N103124474", "[\"commercial-use\"]").get("filingId").asString();
    List<String> ours = List.of(a1, b1, b2, a2, c1, d1);
    registry.refuse.addAll(List.of(b1, d1));

    // the stand-in answers every kind of fault; nothing is dropped, nothing held, every payload kept
    waitUntil("every fault answered at least once", Duration.ofSeconds(60), () -> registry.faultsAnswered.size() == Fault.values().length);
    assertThat(count("select count(*) from registry_outbox where status = 'pending' and payload_sealed is not null and filing_id in (?, ?, ?, ?, ?, ?)",
        ours.toArray())).isEqualTo(6);
    assertThat(count("select count(*) from registry_outbox where status in ('held', 'refused') and filing_id in (?, ?, ?, ?, ?, ?)",
        ours.toArray())).isZero();
    assertThat(count("select count(*) from consent_alert where kind = 'outbox-stuck'")).as("a stuck queue raises an alert").isPositive();
    assertThat(json(get("/api/v1/filings/" + a1, token("clerk-demo"))).get("delivery").get("status").asString()).isEqualTo("pending");

    registry.healthy = true;
    waitUntil("a1, a2, c1 delivered and b1, d1 held", Duration.ofSeconds(60), () ->
        count("select count(*) from registry_outbox where status = 'delivered' and filing_id in (?, ?, ?)", a1, a2, c1) == 3
            && count("select count(*) from registry_outbox where status = 'held' and filing_id in (?, ?)", b1, d1) == 2);
    Thread.sleep(2_000);  // ten more rounds: b2 still waits behind b1, held
    assertThat(registry.delivered(ours)).containsExactly(a1, a2, c1);
    assertThat(status(b2)).isEqualTo("pending");
    assertThat(registry.posts.getOrDefault(b2, new AtomicInteger()).get()).as("b2 never posted while b1 is held").isZero();
    // held: payload kept, the registry's reason and problem type recorded, an alert raised, shown with the filing
    assertThat(count("select count(*) from registry_outbox where payload_sealed is not null and filing_id in (?, ?)", b1, d1)).isEqualTo(2);
    assertThat(count("select count(*) from consent_alert where kind = 'filing-held' and filing_id in (?, ?)", b1, d1)).isEqualTo(2);
    JsonNode heldView = json(get("/api/v1/filings/" + b1, token("clerk-demo"))).get("delivery");
    assertThat(heldView.get("status").asString()).isEqualTo("held");
    assertThat(heldView.get("detail").asString()).contains("filing-refused").contains("already opted out");

    // the queue: clerks only
    assertThat(get(HeldFilingsController.HELD, null).statusCode()).isEqualTo(401);
    assertThat(get(HeldFilingsController.HELD, token("citizen-demo")).statusCode()).isEqualTo(403);
    assertThat(get(HeldFilingsController.HELD, token("auditor-demo")).statusCode()).isEqualTo(403);
    assertThat(post(HeldFilingsController.HELD + "/" + d1 + "/resolution", token("citizen-demo"),
        "{\"action\": \"close\", \"reason\": \"x\"}").statusCode()).isEqualTo(403);
    HttpResponse<String> listed = get(HeldFilingsController.HELD, token("clerk-demo"));
    assertThat(listed.statusCode()).isEqualTo(200);
    assertThat(listed.body()).doesNotContain("L158240618").doesNotContain("N103124474");
    List<JsonNode> held = elements(json(listed));
    assertThat(held).extracting(h -> h.get("filingId").asString()).containsSubsequence(b1, d1);
    JsonNode first = held.stream().filter(h -> h.get("filingId").asString().equals(b1)).findFirst().orElseThrow();
    assertThat(first.get("maskedNationalId").asString()).isEqualTo("L******618");
    assertThat(first.get("problemType").asString()).isEqualTo("urn:nhi-optout:problem:filing-refused");

    // bad resolutions are refused as problems, and change nothing
    String clerk = token("clerk-demo");
    for (String bad : List.of("{\"action\": \"delete\", \"reason\": \"x\"}", "{\"action\": \"close\", \"reason\": \"  \"}",
        "{\"action\": \"close\"}", "{\"reason\": \"x\"}", "{\"action\": \"close\", \"reason\": \"" + "x".repeat(501) + "\"}", "not json")) {
      HttpResponse<String> refused = post(HeldFilingsController.HELD + "/" + d1 + "/resolution", clerk, bad);
      assertThat(refused.statusCode()).as(bad).isEqualTo(400);
      assertThat(refused.headers().firstValue("Content-Type").orElse("")).contains("application/problem+json");
    }
    assertThat(post(HeldFilingsController.HELD + "/" + a1 + "/resolution", clerk, "{\"action\": \"retry\", \"reason\": \"x\"}").statusCode())
        .as("a delivered filing is not held").isEqualTo(404);
    assertThat(post(HeldFilingsController.HELD + "/no-such-filing/resolution", clerk, "{\"action\": \"retry\", \"reason\": \"x\"}").statusCode())
        .isEqualTo(404);
    assertThat(status(d1)).isEqualTo("held");
    assertThat(count("select count(*) from outbox_resolution where filing_id in (?, ?)", b1, d1)).isZero();

    // close d1: refused for good with the reason the citizen is told; the payload (their ID) is dropped
    HttpResponse<String> closed = post(HeldFilingsController.HELD + "/" + d1 + "/resolution", clerk,
        "{\"action\": \"close\", \"reason\": \"您已選擇退出，無需再次申請 / You have already opted out.\"}");
    assertThat(closed.statusCode()).isEqualTo(200);
    assertThat(json(closed).get("status").asString()).isEqualTo("refused");
    JsonNode closedView = json(get("/api/v1/filings/" + d1, token("clerk-demo"))).get("delivery");
    assertThat(closedView.get("status").asString()).isEqualTo("refused");
    assertThat(closedView.get("detail").asString()).isEqualTo("您已選擇退出，無需再次申請 / You have already opted out.");
    assertThat(count("select count(*) from registry_outbox where payload_sealed is null and filing_id = ?", d1)).isEqualTo(1);
    assertThat(post(HeldFilingsController.HELD + "/" + d1 + "/resolution", clerk, "{\"action\": \"retry\", \"reason\": \"again\"}").statusCode())
        .as("resolved once only").isEqualTo(404);

    // retry b1 once the registry would take it: b1 then b2, in that order, each once
    registry.refuse.remove(b1);
    assertThat(post(HeldFilingsController.HELD + "/" + b1 + "/resolution", clerk,
        "{\"action\": \"retry\", \"reason\": \"registry record corrected\"}").statusCode()).isEqualTo(200);
    waitUntil("b1 and b2 delivered", Duration.ofSeconds(30),
        () -> count("select count(*) from registry_outbox where status = 'delivered' and filing_id in (?, ?)", b1, b2) == 2);
    assertThat(registry.delivered(ours)).containsExactly(a1, a2, c1, b1, b2);
    for (String id : List.of(a1, a2, c1, b1, b2)) {
      assertThat(registry.stored.get(id)).as(id).isNotNull();
      assertThat(json(get("/api/v1/filings/" + id, token("clerk-demo"))).get("delivery").get("registryEventId").asString())
          .isEqualTo(registry.stored.get(id).toString());
    }
    assertThat(registry.stored).doesNotContainKey(d1);
    // every resolution recorded with the clerk and the time
    List<Map<String, Object>> resolutions = jdbc.queryForList(
        "select filing_id, action, reason, clerk_subject, resolved_at from outbox_resolution where filing_id in (?, ?) order by id", d1, b1);
    assertThat(resolutions).extracting(r -> r.get("filing_id") + " " + r.get("action")).containsExactly(d1 + " close", b1 + " retry");
    assertThat(resolutions).allSatisfy(r -> {
      assertThat((String) r.get("clerk_subject")).isNotBlank();
      assertThat(r.get("resolved_at")).isNotNull();
    });
    assertThat(elements(json(get(HeldFilingsController.HELD, clerk)))).extracting(h -> h.get("filingId").asString())
        .doesNotContain(b1, d1);
  }

  private static List<JsonNode> elements(JsonNode array) {
    List<JsonNode> elements = new ArrayList<>();
    array.forEach(elements::add);
    return elements;
  }

  private long count(String sql, Object... args) {
    Long n = jdbc.queryForObject(sql, Long.class, args);
    return n == null ? 0 : n;
  }

  private String status(String filingId) {
    return jdbc.queryForObject("select status from registry_outbox where filing_id = ?", String.class, filingId);
  }

  private static void waitUntil(String what, Duration within, BooleanSupplier done) throws InterruptedException {
    Instant deadline = Instant.now().plus(within);
    while (!done.getAsBoolean()) {
      assertThat(Instant.now()).as(what + " within " + within.toSeconds() + " s").isBefore(deadline);
      Thread.sleep(200);
    }
  }

  /** The faults the stand-in answers in turn while it is not healthy. */
  enum Fault { FORBIDDEN, NOT_FOUND, BAD_REQUEST, CONFLICT, SERVER_ERROR, UNREADABLE_CREATED }

  /** A stand-in for the registry's filing endpoint, keeping what it stored and in which order. */
  static final class StandIn {
    final HttpServer server;
    final Set<String> refuse = ConcurrentHashMap.newKeySet();
    final Set<Fault> faultsAnswered = ConcurrentHashMap.newKeySet();
    final Map<String, UUID> stored = Collections.synchronizedMap(new LinkedHashMap<>());
    final Map<String, AtomicInteger> posts = new ConcurrentHashMap<>();
    final AtomicInteger faults = new AtomicInteger();
    volatile boolean healthy;

    private StandIn(HttpServer server) {
      this.server = server;
    }

    static StandIn start() {
      try {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        StandIn standIn = new StandIn(server);
        server.createContext("/api/v1/filings", standIn::handle);
        server.start();
        return standIn;
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }

    URI uri() {
      return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** The filings stored, in the order stored, of those given. */
    List<String> delivered(List<String> ids) {
      synchronized (stored) {
        return stored.keySet().stream().filter(ids::contains).toList();
      }
    }

    private synchronized void handle(HttpExchange exchange) throws IOException {
      exchange.getRequestBody().readAllBytes();
      String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
      posts.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
      if (!healthy) {
        Fault fault = Fault.values()[faults.getAndIncrement() % Fault.values().length];
        faultsAnswered.add(fault);
        switch (fault) {
          case FORBIDDEN -> answer(exchange, 403, "application/problem+json", problem("forbidden", 403, "Access denied"));
          case NOT_FOUND -> answer(exchange, 404, "text/html", "<html><body>404 Not Found (proxy)</body></html>");
          case BAD_REQUEST -> answer(exchange, 400, "application/problem+json", problem("malformed-request", 400, "Bad body"));
          case CONFLICT -> answer(exchange, 409, "application/json", "{\"error\": \"conflict\"}");
          case SERVER_ERROR -> answer(exchange, 500, "text/plain", "boom");
          // stored, but the answer is lost to garbage: the retry must be a replay, not a second filing
          case UNREADABLE_CREATED -> {
            stored.computeIfAbsent(key, k -> UUID.randomUUID());
            answer(exchange, 201, "application/json", "{\"id\": \"not-a-uu");
          }
        }
        return;
      }
      if (refuse.contains(key)) {
        answer(exchange, 409, "application/problem+json",
            problem("filing-refused", 409, "The person has already opted out of academic-research: nothing to file"));
        return;
      }
      UUID existing = stored.get(key);
      if (existing != null) {
        answer(exchange, 200, "application/json", "{\"id\": \"" + existing + "\"}");
        return;
      }
      UUID id = UUID.randomUUID();
      stored.put(key, id);
      answer(exchange, 201, "application/json", "{\"id\": \"" + id + "\"}");
    }

    private static String problem(String type, int status, String detail) {
      return "{\"type\": \"urn:nhi-optout:problem:" + type + "\", \"status\": " + status + ", \"title\": \"t\", \"detail\": \"" + detail + "\"}";
    }

    private static void answer(HttpExchange exchange, int status, String type, String body) throws IOException {
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", type);
      exchange.sendResponseHeaders(status, bytes.length);
      try (var out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }
}
