package optout.registry.bench;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import optout.pseudonymizer.id.NationalIds;
import optout.registry.log.Ed25519NoteSigner;
import optout.registry.sealedfiling.CanonicalFiling;
import optout.registry.sealedfiling.FilingSignatures;

/**
 * The clients: each files opt-outs one after another (a closed loop), each for a person of its own and
 * under an Idempotency-Key of its own. A request that fails for a reason a crash explains (connection
 * refused or reset, a timeout, a 5xx) is sent again, byte for byte, under the same key, until the
 * registry acknowledges it: so a filing that was committed but whose answer was lost comes back as a
 * replay of the stored one, and "every acknowledged filing exactly once" is something the database
 * can be checked for. Any other refusal stops the run: it would be a bug in the benchmark or the
 * platform's configuration, not a figure.
 *
 * <p>Times are nanoseconds relative to the start of the measured phase (negative during warm-up).
 */
final class FilingLoad {

  /** Scope codes of the local catalogue, so that the filings are not all alike. */
  private static final String[] SCOPES = {"academic-research", "government-statistics", "cross-agency-linkage", "commercial-use",
      "all-secondary-use"};
  private static final String[] AGE_BANDS = {"20-24", "35-39", "40-44", "65-69", "90+"};
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
  private static final long FIRST_BACKOFF_NANOS = Duration.ofMillis(20).toNanos();
  private static final long LAST_BACKOFF_NANOS = Duration.ofMillis(250).toNanos();

  /** What one client thread saw; written by that thread only, read after it ended. */
  static final class ClientRecord {
    final LongList ackIndex = new LongList();
    final LongList ackIdHigh = new LongList();
    final LongList ackIdLow = new LongList();
    final LongList ackAt = new LongList();
    final LongList filingNanos = new LongList();
    final LongList attemptStart = new LongList();
    final LongList attemptEnd = new LongList();
    final LongList replayedIndex = new LongList();
    final LongList retriedIndex = new LongList();
    final LongList failureAt = new LongList();
    final LongList unacknowledged = new LongList();
    long connectionRefused;
    long connectionLost;
    long timeouts;
    long serverErrors;
    long unauthorized;
  }

  /** The consent service's filing key stands in for the run: made in memory, its verifier key given to the run's registry. */
  static final Ed25519NoteSigner FILING_KEY = Ed25519NoteSigner.generate("bench/nhi-optout-consent-filing");
  private static final SecureRandom RANDOM = new SecureRandom();

  private final HttpClient http;
  private final URI filings;
  private final TokenSource tokens;
  private final String runId;
  private final String effectiveAt;
  private final long originNanos;
  private final List<ClientRecord> records = new ArrayList<>();
  private final List<Thread> threads = new ArrayList<>();
  private final AtomicLong nextIndex = new AtomicLong();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicReference<String> fatal = new AtomicReference<>();
  private volatile boolean issuing = true;
  private volatile long giveUpAt = Long.MAX_VALUE;

  FilingLoad(HttpClient http, URI registry, TokenSource tokens, String runId, String effectiveAt, long originNanos) {
    this.http = http;
    this.filings = registry.resolve("/api/v1/filings");
    this.tokens = tokens;
    this.runId = runId;
    this.effectiveAt = effectiveAt;
    this.originNanos = originNanos;
  }

  /** Starts the clients; they file until {@link #stopIssuing}, then finish the filing each has in hand. */
  void start(int clients) {
    for (int c = 0; c < clients; c++) {
      ClientRecord record = new ClientRecord();
      records.add(record);
      Thread thread = new Thread(() -> run(record), "bench-client-" + c);
      thread.setDaemon(true);
      threads.add(thread);
      thread.start();
    }
  }

  long now() {
    return System.nanoTime() - originNanos;
  }

  /** No new filings from now on; each client still retries its current one until acknowledged or {@code giveUpAfter}. */
  void stopIssuing(Duration giveUpAfter) {
    giveUpAt = now() + giveUpAfter.toNanos();
    issuing = false;
  }

  /** Waits for every client; answers false if some are still at it after {@code limit}. */
  boolean await(Duration limit) throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    for (Thread thread : threads) {
      long left = deadline - System.nanoTime();
      if (left > 0) {
        thread.join(Math.max(1, left / 1_000_000));
      }
    }
    return threads.stream().noneMatch(Thread::isAlive);
  }

  int inFlight() {
    return inFlight.get();
  }

  String fatal() {
    return fatal.get();
  }

  List<ClientRecord> records() {
    return records;
  }

  long issued() {
    return nextIndex.get();
  }

  String key(long index) {
    return "bench-" + runId + "-" + index;
  }

  private void run(ClientRecord record) {
    try {
      while (fatal.get() == null && issuing) {
        file(nextIndex.getAndIncrement(), record);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      fatal.compareAndSet(null, "A client failed: " + e);
    }
  }

  private void file(long index, ClientRecord record) throws InterruptedException {
    String key = key(index);
    HttpRequest.BodyPublisher body = HttpRequest.BodyPublishers.ofString(body(index), StandardCharsets.UTF_8);
    long first = now();
    long backoff = FIRST_BACKOFF_NANOS;
    int unauthorized = 0;
    for (int attempt = 0; ; attempt++) {
      if (fatal.get() != null) {
        return;
      }
      if (attempt > 0 && now() > giveUpAt) {
        record.unacknowledged.add(index);
        return;
      }
      String token;
      try {
        token = tokens.get();
      } catch (IOException e) {
        fatal.compareAndSet(null, e.getMessage());
        return;
      }
      HttpRequest request = HttpRequest.newBuilder(filings).timeout(REQUEST_TIMEOUT)
          .header("Authorization", "Bearer " + token).header("Idempotency-Key", key)
          .header("Content-Type", "application/json").POST(body).build();
      long start = now();
      HttpResponse<String> response;
      inFlight.incrementAndGet();
      try {
        response = http.send(request, HttpResponse.BodyHandlers.ofString());
      } catch (IOException e) {
        record.failureAt.add(now());
        if (e instanceof ConnectException) {
          record.connectionRefused++;
        } else if (e instanceof HttpTimeoutException) {
          record.timeouts++;
        } else {
          record.connectionLost++;
        }
        Thread.sleep(backoff / 1_000_000, (int) (backoff % 1_000_000));
        backoff = Math.min(LAST_BACKOFF_NANOS, backoff * 2);
        continue;
      } finally {
        inFlight.decrementAndGet();
      }
      long end = now();
      int status = response.statusCode();
      if (status == 200 || status == 201) {
        UUID id = eventId(response.body());
        record.attemptStart.add(start);
        record.attemptEnd.add(end);
        record.ackIndex.add(index);
        record.ackIdHigh.add(id.getMostSignificantBits());
        record.ackIdLow.add(id.getLeastSignificantBits());
        record.ackAt.add(end);
        record.filingNanos.add(end - first);
        if (status == 200) {
          record.replayedIndex.add(index);
        }
        if (attempt > 0) {
          record.retriedIndex.add(index);
        }
        return;
      }
      record.failureAt.add(end);
      if (status == 401 && ++unauthorized <= 3) {
        record.unauthorized++;
        try {
          tokens.rejected(token);
        } catch (IOException e) {
          fatal.compareAndSet(null, e.getMessage());
          return;
        }
        continue;
      }
      if (status >= 500 || status == 429) {
        record.serverErrors++;
        Thread.sleep(backoff / 1_000_000, (int) (backoff % 1_000_000));
        backoff = Math.min(LAST_BACKOFF_NANOS, backoff * 2);
        continue;
      }
      fatal.compareAndSet(null, "The registry refused a filing: HTTP " + status + " " + problemType(response.body())
          + (status == 403 ? ". The consent service's service account lacks the realm role filing-service: a realm from an"
              + " older ./optout up lacks it; ./optout up adds what platform/keycloak/nhi-optout-realm.json has and the realm lacks" : ""));
      return;
    }
  }

  /** The filing of {@code index}: the same bytes on every attempt, so a retry is the same request. */
  /**
   * A filing as the consent service sends it, signed with the run's stand-in filing key ({@link
   * #FILING_KEY}, which the benchmark's registry trusts), by a citizen account of the run.
   */
  String body(long index) {
    String reference = "bench/" + runId + "/" + index;
    String nationalId = NationalIds.of(index);
    String scope = SCOPES[(int) (index % SCOPES.length)];
    byte[] salt = new byte[CanonicalFiling.SALT_BYTES];
    RANDOM.nextBytes(salt);
    String filer = "bench-citizen-" + (index % 1000);
    String signature = FilingSignatures.sign(new CanonicalFiling(key(index), "opt-out-filed",
        CanonicalFiling.personCommitment(salt, nationalId), new TreeSet<>(List.of(scope)), "online", Optional.empty(),
        Instant.parse(effectiveAt), sha256(reference), "citizen", filer), FILING_KEY);
    return "{\"type\":\"opt-out-filed\",\"nationalId\":\"" + nationalId + "\",\"scopes\":[\""
        + scope + "\"],\"channel\":\"online\",\"document\":{\"reference\":\"" + reference
        + "\",\"sha256\":\"" + sha256(reference) + "\"},\"effectiveAt\":\"" + effectiveAt + "\",\"ageBand\":\""
        + AGE_BANDS[(int) (index / 7 % AGE_BANDS.length)] + "\",\"personSalt\":\"" + HexFormat.of().formatHex(salt)
        + "\",\"filer\":{\"role\":\"citizen\",\"account\":\"" + filer + "\"},\"signature\":\""
        + signature.replace("\n", "\\n") + "\"}";
  }

  private static UUID eventId(String body) {
    int at = body.indexOf("\"id\":\"");
    if (at < 0) {
      throw new IllegalStateException("an acknowledgement without the event's id");
    }
    return UUID.fromString(body.substring(at + 6, at + 6 + 36));
  }

  /** A problem's type only: its detail could in principle echo input, and input here is a national ID. */
  private static String problemType(String body) {
    int at = body.indexOf("\"type\":\"");
    if (at < 0) {
      return "(no problem type)";
    }
    int end = body.indexOf('"', at + 8);
    return end < 0 ? "(no problem type)" : body.substring(at + 8, end);
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java has SHA-256", e);
    }
  }
}
