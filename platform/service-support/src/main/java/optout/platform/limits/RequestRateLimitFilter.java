package optout.platform.limits;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import optout.platform.problem.ProblemResponses;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Keeps public endpoints answering under a flood: a client past its budget, or a request arriving while
 * the prefix's concurrent slots are all taken, gets 429 with {@code Retry-After} and a problem body, before
 * anything reads the body or does work. The per-client buckets live in a bounded cache (clients unseen for
 * ten minutes are forgotten, and at most {@value #MAX_CLIENTS} are remembered), so a flood from many
 * addresses cannot exhaust memory either. Client addresses are never logged.
 */
public final class RequestRateLimitFilter extends OncePerRequestFilter {

  static final int MAX_CLIENTS = 100_000;

  private final Map<String, Limited> limits;
  private final Cache<String, Bucket> buckets = Caffeine.newBuilder()
      .maximumSize(MAX_CLIENTS).expireAfterAccess(Duration.ofMinutes(10)).build();
  private final ProblemResponses problems;

  public RequestRateLimitFilter(RequestRateLimits limits, ProblemResponses problems) {
    Map<String, Limited> byPrefix = new LinkedHashMap<>();
    // longest prefix first, so a narrower budget wins over a wider one
    limits.rateLimits().entrySet().stream()
        .sorted(Comparator.comparingInt((Map.Entry<String, RequestRateLimits.Budget> e) -> e.getKey().length()).reversed())
        .forEach(e -> byPrefix.put(e.getKey(), new Limited(e.getValue(), new Semaphore(e.getValue().concurrent()))));
    this.limits = byPrefix;
    this.problems = problems;
  }

  private record Limited(RequestRateLimits.Budget budget, Semaphore slots) {}

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    Optional<Map.Entry<String, Limited>> match = limits.entrySet().stream()
        .filter(e -> request.getRequestURI().startsWith(e.getKey())).findFirst();
    if (match.isEmpty()) {
      chain.doFilter(request, response);
      return;
    }
    String prefix = match.get().getKey();
    Limited limited = match.get().getValue();
    Bucket bucket = buckets.get(prefix + " " + request.getRemoteAddr(), key -> newBucket(limited.budget()));
    ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
    if (!probe.isConsumed()) {
      refuse(request, response, Math.max(1, TimeUnit.NANOSECONDS.toSeconds(probe.getNanosToWaitForRefill()) + 1),
          "Too many requests from this client; try again later.");
      return;
    }
    if (!limited.slots().tryAcquire()) {
      refuse(request, response, 1, "This service is answering as many of these requests as it can; try again in a moment.");
      return;
    }
    try {
      chain.doFilter(request, response);
    } finally {
      limited.slots().release();
    }
  }

  private static Bucket newBucket(RequestRateLimits.Budget budget) {
    return Bucket.builder()
        .addLimit(Bandwidth.builder().capacity(budget.burst()).refillGreedy(1, budget.refillEvery()).build())
        .build();
  }

  private void refuse(HttpServletRequest request, HttpServletResponse response, long retryAfterSeconds, String detail)
      throws IOException {
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.TOO_MANY_REQUESTS, detail);
    problem.setType(ProblemResponses.type("too-many-requests"));
    problem.setTitle("Too many requests");
    problem.setInstance(URI.create(request.getRequestURI()));
    response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(retryAfterSeconds));
    problems.write(response, ProblemResponses.withRequestId(problem));
  }
}
