package optout.consent.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.stream.Collectors;
import optout.consent.ConsentIT;
import optout.platform.testing.ServiceIntegrationTest;
import optout.platform.testing.TestKeycloak;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A flood on the public receipt check: past a client's budget it gets 429 with Retry-After and a problem
 * body, oversized uploads are refused before they are read, and the service stays healthy and keeps
 * answering within budget. Runs in a context of its own with the budgets of application.yml (the shared
 * test context lifts them, so this class does not extend ConsentIT).
 */
class PublicEndpointFloodIT extends ServiceIntegrationTest {

  private static final String UNKNOWN_CODE = "/api/v1/verify/AAAAAAAAAAAAAAAA";

  private static final JsonMapper JSON = JsonMapper.builder().build();

  @DynamicPropertySource
  static void consent(DynamicPropertyRegistry properties) {
    ConsentIT.register(properties);
  }

  @Test
  void aFloodGets429AndTheServiceStaysHealthy() throws Exception {
    // an upload larger than any sealed form is refused by its declared size, before it is read
    HttpResponse<String> huge = send(HttpRequest.newBuilder(uri(UNKNOWN_CODE + "/document")).header("Content-Type", "application/pdf")
        .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[6 * 1024 * 1024])).build());
    assertThat(huge.statusCode()).as(huge.body()).isEqualTo(413);

    List<Integer> statuses = new ArrayList<>();
    HttpResponse<String> refused = null;
    // three at a time, within the concurrent slots, so that what is turned away is the client's budget
    // (the slots are RequestRateLimitFilterTest's)
    ExecutorService clients = Executors.newFixedThreadPool(3);
    try {
      List<CompletableFuture<HttpResponse<String>>> flood = new ArrayList<>();
      for (int i = 0; i < 120; i++) {
        flood.add(CompletableFuture.supplyAsync(() -> get(UNKNOWN_CODE, null), clients));
      }
      for (CompletableFuture<HttpResponse<String>> answer : flood) {
        HttpResponse<String> response = answer.join();
        statuses.add(response.statusCode());
        if (response.statusCode() == 429) {
          refused = response;
        }
      }
    } finally {
      clients.shutdownNow();
    }
    Map<Integer, Long> counts = statuses.stream().collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    // the burst (and what refilled meanwhile) was answered, as an unknown code; the rest was turned away
    assertThat(counts.get(404)).as(counts.toString()).isBetween(15L, 40L);
    assertThat(counts.get(429)).as(counts.toString()).isGreaterThanOrEqualTo(80L);
    assertThat(counts.keySet()).as(counts.toString()).containsOnly(404, 429);
    assertThat(refused).isNotNull();
    assertThat(refused.headers().firstValue("Retry-After")).hasValueSatisfying(seconds -> assertThat(Long.parseLong(seconds)).isPositive());
    assertThat(refused.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
    JsonNode problem = JSON.readTree(refused.body());
    assertThat(problem.get("type").asString()).endsWith(":too-many-requests");
    assertThat(problem.get("status").asInt()).isEqualTo(429);

    // the service itself is fine, and pages and logged-in work are not budgeted with the public check
    assertThat(get("/actuator/health", null).statusCode()).isEqualTo(200);
    assertThat(get("/api/v1/me/filings", TestKeycloak.get().accessToken("citizen-demo")).statusCode()).isEqualTo(200);

  }
}
