package optout.platform.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.servlet.FilterChain;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import optout.platform.problem.ProblemResponses;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Budgets per client and slots per prefix, through the filter as a servlet container calls it. */
class RequestRateLimitFilterTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private final AtomicInteger served = new AtomicInteger();
  private final FilterChain count = (request, response) -> served.incrementAndGet();

  private static RequestRateLimitFilter filter(Map<String, RequestRateLimits.Budget> budgets) {
    return new RequestRateLimitFilter(new RequestRateLimits(budgets), new ProblemResponses(JSON));
  }

  private static MockHttpServletRequest request(String path, String client) {
    MockHttpServletRequest request = new MockHttpServletRequest("GET", path);
    request.setRemoteAddr(client);
    return request;
  }

  private MockHttpServletResponse call(RequestRateLimitFilter filter, String path, String client) throws Exception {
    MockHttpServletResponse response = new MockHttpServletResponse();
    filter.doFilter(request(path, client), response, count);
    return response;
  }

  @Test
  void aClientPastItsBurstGets429WithRetryAfterAndAProblemOthersAreNotAffected() throws Exception {
    RequestRateLimitFilter filter = filter(Map.of("/api/v1/verify/", new RequestRateLimits.Budget(6, 3, 10)));
    for (int i = 0; i < 3; i++) {
      assertThat(call(filter, "/api/v1/verify/CODE", "203.0.113.7").getStatus()).isEqualTo(200);
    }
    MockHttpServletResponse refused = call(filter, "/api/v1/verify/CODE/document", "203.0.113.7");
    assertThat(refused.getStatus()).isEqualTo(429);
    // one request per 10 s refills: the client is told to wait about that long
    assertThat(Long.parseLong(refused.getHeader("Retry-After"))).isBetween(1L, 11L);
    assertThat(refused.getContentType()).startsWith("application/problem+json");
    JsonNode problem = JSON.readTree(refused.getContentAsString());
    assertThat(problem.get("type").asString()).endsWith(":too-many-requests");
    assertThat(problem.get("status").asInt()).isEqualTo(429);
    assertThat(refused.getContentAsString()).doesNotContain("203.0.113.7");
    assertThat(served).hasValue(3);

    // another client, and paths without a budget, are untouched
    assertThat(call(filter, "/api/v1/verify/CODE", "198.51.100.2").getStatus()).isEqualTo(200);
    assertThat(call(filter, "/api/v1/me/filings", "203.0.113.7").getStatus()).isEqualTo(200);
    assertThat(served).hasValue(5);
  }

  @Test
  void theLongestPrefixDecidesAndEachPrefixHasItsOwnBudget() throws Exception {
    RequestRateLimitFilter filter = filter(Map.of(
        "/api/", new RequestRateLimits.Budget(600, 100, 10),
        "/api/v1/verify/", new RequestRateLimits.Budget(6, 1, 10)));
    assertThat(call(filter, "/api/v1/verify/A", "203.0.113.7").getStatus()).isEqualTo(200);
    assertThat(call(filter, "/api/v1/verify/B", "203.0.113.7").getStatus()).isEqualTo(429);
    assertThat(call(filter, "/api/v1/other", "203.0.113.7").getStatus()).isEqualTo(200);
  }

  @Test
  void whenTheSlotsAreTakenFurtherRequestsGet429UntilOneEnds() throws Exception {
    RequestRateLimitFilter filter = filter(Map.of("/tsa", new RequestRateLimits.Budget(6000, 1000, 2)));
    CountDownLatch inside = new CountDownLatch(2);
    CountDownLatch release = new CountDownLatch(1);
    FilterChain slow = (request, response) -> {
      inside.countDown();
      try {
        release.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    };
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Future<?> first = pool.submit(() -> {
        filter.doFilter(request("/tsa", "198.51.100.1"), new MockHttpServletResponse(), slow);
        return null;
      });
      Future<?> second = pool.submit(() -> {
        filter.doFilter(request("/tsa", "198.51.100.2"), new MockHttpServletResponse(), slow);
        return null;
      });
      assertThat(inside.await(10, TimeUnit.SECONDS)).isTrue();
      MockHttpServletResponse third = call(filter, "/tsa", "198.51.100.3");
      assertThat(third.getStatus()).isEqualTo(429);
      assertThat(third.getHeader("Retry-After")).isEqualTo("1");
      release.countDown();
      first.get(10, TimeUnit.SECONDS);
      second.get(10, TimeUnit.SECONDS);
      // the slots are given back, also by requests that ended
      assertThat(call(filter, "/tsa", "198.51.100.3").getStatus()).isEqualTo(200);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aSlotIsGivenBackWhenTheRequestFails() throws Exception {
    RequestRateLimitFilter filter = filter(Map.of("/tsa", new RequestRateLimits.Budget(6000, 1000, 1)));
    FilterChain failing = (request, response) -> {
      throw new IllegalStateException("boom");
    };
    assertThatThrownBy(() -> filter.doFilter(request("/tsa", "198.51.100.1"), new MockHttpServletResponse(), failing))
        .hasMessage("boom");
    assertThat(call(filter, "/tsa", "198.51.100.1").getStatus()).isEqualTo(200);
  }

  @Test
  void budgetsAreCheckedWhenConfigured() {
    assertThatThrownBy(() -> new RequestRateLimits.Budget(0, 1, 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new RequestRateLimits.Budget(1, 0, 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new RequestRateLimits.Budget(1, 1, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new RequestRateLimits(Map.of("api", new RequestRateLimits.Budget(1, 1, 1))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must start with /");
  }
}
