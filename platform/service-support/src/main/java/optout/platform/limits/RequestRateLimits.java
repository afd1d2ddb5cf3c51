package optout.platform.limits;

import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code optout.http.rate-limits}: budgets for endpoints anyone may call, by path prefix. Each client (its
 * address as the servlet container sees it; behind a reverse proxy, configure the container to take the
 * client's address from the proxy's header) gets {@code burst} requests at once, refilled at {@code
 * perMinute}; and at most {@code concurrent} requests under the prefix run at the same time, whoever sends
 * them. Paths without a budget are not limited here (they need a login).
 */
@ConfigurationProperties("optout.http")
public record RequestRateLimits(Map<String, Budget> rateLimits) {

  public RequestRateLimits {
    rateLimits = rateLimits == null ? Map.of() : Map.copyOf(rateLimits);
    rateLimits.forEach((prefix, budget) -> {
      if (prefix == null || !prefix.startsWith("/")) {
        throw new IllegalArgumentException("optout.http.rate-limits: a path prefix must start with /, not " + prefix);
      }
    });
  }

  /**
   * @param perMinute requests a client may make per minute, on average
   * @param burst requests a client may make at once
   * @param concurrent requests under the prefix that may run at once, from all clients together
   */
  public record Budget(int perMinute, int burst, int concurrent) {
    public Budget {
      if (perMinute < 1 || burst < 1 || concurrent < 1) {
        throw new IllegalArgumentException("optout.http.rate-limits: per-minute, burst and concurrent must each be at least 1");
      }
    }

    Duration refillEvery() {
      return Duration.ofNanos(Duration.ofMinutes(1).toNanos() / perMinute);
    }
  }
}
