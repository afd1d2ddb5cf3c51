package optout.registry.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/**
 * "Bulk check of 1,000,000 pseudonyms: under 10 s." The benchmark calls {@link #run} after its checks,
 * on the idle registry that holds every filing of the run; the time is the whole exchange, upload and
 * answer included, and the answer is checked against the run's filings.
 */
final class BulkCheckPhase {

  static final String PATH = "/api/v1/bulk-check";
  static final int PSEUDONYMS = 1_000_000;
  static final Duration TARGET = Duration.ofSeconds(10);

  /** What the phase found: a time for PSEUDONYMS pseudonyms, or why there is none. */
  record Result(Optional<Duration> elapsed, String note) {}

  private final HttpClient http;
  private final URI registry;

  BulkCheckPhase(HttpClient http, URI registry) {
    this.http = http;
    this.registry = registry;
  }

  Result run(TokenSource releaser, long[] optedOut) throws InterruptedException {
    try {
      if (!endpointExists()) {
        return new Result(Optional.empty(), "skipped: POST " + PATH + " is not in the registry's OpenAPI document");
      }
      return measure(releaser, optedOut);
    } catch (IOException e) {
      return new Result(Optional.empty(), "not measured: " + e.getMessage());
    }
  }

  /** The registry's own OpenAPI document names every endpoint it serves (a 403 for an unknown path would not tell). */
  boolean endpointExists() throws IOException, InterruptedException {
    HttpResponse<String> api = http.send(HttpRequest.newBuilder(registry.resolve("/v3/api-docs")).timeout(Duration.ofSeconds(10)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    return api.statusCode() == 200 && api.body().contains("\"" + PATH + "\"");
  }

  /**
   * Sends {@link #PSEUDONYMS} pseudonyms in one call, as a data releaser (the portal's service account),
   * for academic research: persons of the run excluded from it (opted out of it or of all secondary
   * use; up to a tenth of the call) and made-up others,
   * shuffled; times the whole exchange and checks that the answer is exactly the others, in order.
   */
  Result measure(TokenSource releaser, long[] excludedFromResearch) throws IOException, InterruptedException {
    java.util.Random random = new java.util.Random(19794);
    java.util.Set<Long> excluded = new java.util.HashSet<>();
    for (long pseudonym : excludedFromResearch) {
      excluded.add(pseudonym);
    }
    long[] asked = new long[PSEUDONYMS];
    int fromRun = Math.min(excludedFromResearch.length, PSEUDONYMS / 10);
    for (int i = 0; i < PSEUDONYMS; i++) {
      long pseudonym;
      if (i < fromRun) {
        pseudonym = excludedFromResearch[i];
      } else {
        do {
          pseudonym = 10_000_000_000L + (long) (random.nextDouble() * 9_999_999_999L);
        } while (excluded.contains(pseudonym));
      }
      asked[i] = pseudonym;
    }
    for (int i = asked.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      long swap = asked[i];
      asked[i] = asked[j];
      asked[j] = swap;
    }
    StringBuilder body = new StringBuilder(PSEUDONYMS * 12);
    StringBuilder expected = new StringBuilder(PSEUDONYMS * 12);
    for (long pseudonym : asked) {
      body.append(pseudonym).append('\n');
      if (!excluded.contains(pseudonym)) {
        expected.append(pseudonym).append('\n');
      }
    }
    String token = releaser.get();
    long started = System.nanoTime();
    HttpResponse<String> answer = http.send(HttpRequest.newBuilder(registry.resolve(PATH + "?purpose=academic-research"))
        .timeout(Duration.ofMinutes(2)).header("Authorization", "Bearer " + token).header("Content-Type", "text/plain")
        .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
    Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
    if (answer.statusCode() != 200) {
      return new Result(Optional.empty(), "not measured: the bulk check answered " + answer.statusCode());
    }
    if (!answer.body().contentEquals(expected)) {
      return new Result(Optional.empty(), "WRONG ANSWER: the bulk check did not return exactly the pseudonyms that may be used");
    }
    return new Result(Optional.of(elapsed), String.format(java.util.Locale.ROOT, "%,d asked, %,d of the run's opted-out among them,"
        + " %,d returned: exactly those not opted out", PSEUDONYMS, fromRun, PSEUDONYMS - fromRun));
  }
}
