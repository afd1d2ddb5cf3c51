package optout.demo.portal;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import optout.demo.portal.PortalApi.StepFailed;

/**
 * {@code ./optout bench portal}: the research portal's review queue ({@code GET /api/v1/reviews} as a reviewer), an
 * application ({@code GET /api/v1/applications/{id}} as its researcher) and the researcher's page ({@code GET
 * /research/}, the HTML) under many concurrent clients, side by side with the service's {@code /actuator/health} in
 * the same run: each target in turn, in rounds whose order rotates, every client sending its next request as soon
 * as the last one is answered. Latencies are of answered requests with the expected status; anything else counts
 * as an error. Ratios are against health's figures of the same run.
 *
 * <p>Before measuring it seeds submitted applications (so the queue has something to list) and afterwards
 * withdraws them (so they leave the queue); the portal must be up ({@code ./optout up}).
 */
public final class PortalBenchmark {

  /**
   * A measured endpoint: who calls it (null: nobody signed in) and the path; or, with {@code tokens}, each client its
   * own bearer token (client c sends tokens[c % size]: the citizens target, one citizen per client). {@code primer}: a
   * path each client calls once, unmeasured, before the phase starts (what a page calls before the measured call).
   */
  record Target(String label, String user, String path, List<String> tokens, String primer) {
    Target(String label, String user, String path) {
      this(label, user, path, null, null);
    }

    Target(String label, String user, String path, List<String> tokens) {
      this(label, user, path, tokens, null);
    }
  }

  /** One phase's latencies in microseconds, and the errors. */
  record Phase(long[] micros, long errors, double seconds) {}

  /**
   * {@code think}: each client's pause after an answer, drawn from an exponential distribution with this mean (0: none, a
   * closed loop in which every client always waits, which measures the most the service answers a second).
   */
  record Settings(int clients, Duration measure, Duration warmUp, int rounds, int seed, Duration think) {
    Settings {
      if (clients < 1 || clients > 2000 || rounds < 1 || rounds > 20 || seed < 1 || seed > 500 || measure.isNegative() || measure.isZero()
          || warmUp.isNegative() || think.isNegative() || think.compareTo(Duration.ofMinutes(1)) > 0) {
        throw new IllegalArgumentException("Cannot benchmark: clients 1 to 2000, rounds 1 to 20, seed 1 to 500 applications, "
            + "a positive measuring time, a warm-up of 0 s or more and a think time of 0 to 60 s");
      }
    }

    /** One client's pause after an answer (0 without think time): exponential with mean {@link #think()}, at most 5 means. */
    long pauseMillis() {
      if (think.isZero()) {
        return 0;
      }
      double mean = think.toMillis();
      return (long) Math.min(5 * mean, -mean * Math.log(1 - java.util.concurrent.ThreadLocalRandom.current().nextDouble()));
    }
  }

  private final PortalApi api;
  private final HttpClient http;
  private final Settings settings;
  private final PrintStream out;

  PortalBenchmark(PortalApi api, HttpClient http, Settings settings, PrintStream out) {
    this.api = api;
    this.http = http;
    this.settings = settings;
    this.out = out;
  }

  public static void main(String[] args) {
    if (args.length > 0 && args[0].equals("citizens")) {
      CitizenBenchmark.main(Arrays.copyOfRange(args, 1, args.length));
      return;
    }
    Map<String, String> options = new LinkedHashMap<>(Map.of("clients", "200", "seconds", "10", "warm-up", "3", "rounds", "2",
        "seed", "40", "think-ms", "0"));
    String portal = null;
    String issuer = null;
    try {
      for (int i = 0; i < args.length; i += 2) {
        if (args[i].equals("--help")) {
          usage(null);
        }
        if (!args[i].startsWith("--") || i + 1 >= args.length) {
          usage("every option takes a value: " + args[i]);
        }
        String name = args[i].substring(2);
        switch (name) {
          case "portal" -> portal = args[i + 1];
          case "issuer" -> issuer = args[i + 1];
          default -> {
            if (!options.containsKey(name)) {
              usage("unknown option --" + name);
            }
            options.put(name, args[i + 1]);
          }
        }
      }
      String password = System.getenv("OPTOUT_DEMO_PASSWORD");
      if (portal == null || issuer == null || password == null || password.isEmpty()) {
        usage("--portal and --issuer are required, and OPTOUT_DEMO_PASSWORD");
      }
      Settings settings = new Settings(Integer.parseInt(options.get("clients")), Duration.ofSeconds(Long.parseLong(options.get("seconds"))),
          Duration.ofSeconds(Long.parseLong(options.get("warm-up"))), Integer.parseInt(options.get("rounds")),
          Integer.parseInt(options.get("seed")), Duration.ofMillis(Long.parseLong(options.get("think-ms"))));
      // HTTP/1.1 as the pages' browsers reach a local Tomcat; a connection per client at most
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
      new PortalBenchmark(new PortalApi(URI.create(portal), URI.create(issuer), password, http), http, settings, System.out).run();
    } catch (NumberFormatException e) {
      usage("a number is not a whole number: " + e.getMessage());
    } catch (IllegalArgumentException e) {
      usage(e.getMessage());
    } catch (StepFailed e) {
      System.out.flush();
      System.err.println("error: the portal benchmark failed: " + e.getMessage());
      System.exit(1);
    }
  }

  private static void usage(String why) {
    System.err.println("""
        Usage: ./optout bench portal [--clients 200] [--seconds 10] [--warm-up 3] [--rounds 2] [--seed 40] [--think-ms 0]
          With the platform up: seeds --seed submitted applications, then measures GET /actuator/health (the baseline),
          GET /api/v1/reviews (reviewer-demo's queue), GET /api/v1/applications/{id} (researcher-demo's) and GET /research/
          (the page's HTML) with --clients concurrent clients, each target for --seconds after --warm-up, in --rounds
          rounds of rotating order (--think-ms: each client's mean pause after an answer; 0: none); prints p50, p90, p99, max, throughput and errors per target and the ratios to health;
          withdraws the seeded applications at the end.""");
    if (why != null) {
      System.err.println("error: " + why);
    }
    System.exit(why == null ? 0 : 2);
  }

  void run() {
    out.printf(Locale.ROOT, "Portal benchmark: %d clients, %d round(s) of %d s per target after %d s warm-up, against %s%n", settings.clients(),
        settings.rounds(), settings.measure().toSeconds(), settings.warmUp().toSeconds(), api.portal());
    out.printf(Locale.ROOT, "  this machine: %d cores, Java %s; the benchmark's clients share it with the platform%n",
        Runtime.getRuntime().availableProcessors(), Runtime.version());
    List<String> seeded = seed();
    try {
      int queue = api.get(PortalDemo.REVIEWER, "/api/v1/reviews").json().size();
      out.printf(Locale.ROOT, "  seeded %d submitted applications; the review queue lists %d%n", seeded.size(), queue);
      List<Target> targets = List.of(
          new Target("health (baseline)", null, "/actuator/health"),
          new Target("review queue", PortalDemo.REVIEWER, "/api/v1/reviews"),
          new Target("application", PortalDemo.RESEARCHER, "/api/v1/applications/" + seeded.get(0)),
          new Target("/research/ page", null, "/research/"));
      report(measure(targets));
    } finally {
      withdraw(seeded);
    }
  }

  /** Each target under load in turn, {@link Settings#rounds()} rounds in rotating order, printing each round. */
  Map<Target, List<Phase>> measure(List<Target> targets) {
    Map<Target, List<Phase>> phases = new LinkedHashMap<>();
    targets.forEach(t -> phases.put(t, new ArrayList<>()));
    for (int round = 0; round < settings.rounds(); round++) {
      for (int k = 0; k < targets.size(); k++) {
        Target target = targets.get((k + round) % targets.size());
        if (!settings.warmUp().isZero()) {
          load(target, settings.warmUp());
        }
        Phase phase = load(target, settings.measure());
        phases.get(target).add(phase);
        out.printf(Locale.ROOT, "  round %d %-20s %8d answered, p99 %8.1f ms, %d errors%n", round + 1, target.label(), phase.micros().length,
            percentile(phase.micros(), 0.99) / 1000.0, phase.errors());
      }
    }
    return phases;
  }

  private List<String> seed() {
    List<String> ids = new ArrayList<>();
    byte[] pdf = PortalDemo.ethicsApproval(0);
    for (int i = 0; i < settings.seed(); i++) {
      String id = api.postJson(PortalDemo.RESEARCHER, "/api/v1/applications", PortalDemo.APPLICATION, "portal-bench-" + UUID.randomUUID(), 201)
          .json().get("id").asString();
      ids.add(id);
      api.call(PortalDemo.RESEARCHER, "PUT", "/api/v1/applications/" + id + "/ethics-approval", "application/pdf", pdf, null, 200);
      api.postJson(PortalDemo.RESEARCHER, "/api/v1/applications/" + id + "/submit", null, null, 200);
    }
    return ids;
  }

  private void withdraw(List<String> ids) {
    int withdrawn = 0;
    for (String id : ids) {
      try {
        api.postJson(PortalDemo.RESEARCHER, "/api/v1/applications/" + id + "/withdraw", "{\"reason\": \"Benchmark load, not a real application.\"}",
            null, 200);
        withdrawn++;
      } catch (StepFailed e) {
        out.println("  (could not withdraw a seeded application: " + e.getMessage() + ")");
      }
    }
    out.printf(Locale.ROOT, "  withdrew the %d seeded applications (they leave the queue)%n", withdrawn);
  }

  /** The target under load from every client for this long. */
  private Phase load(Target target, Duration length) {
    String token = target.user() == null ? null : api.token(target.user());
    // a path on the portal, or a whole address (the citizens benchmark's registry and Keycloak targets)
    URI uri = target.path().startsWith("http") ? URI.create(target.path()) : URI.create(api.portal() + target.path());
    HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).GET();
    if (token != null) {
      builder.header("Authorization", "Bearer " + token);
    }
    HttpRequest shared = builder.build();
    long[][] perClient = new long[settings.clients()][];
    int[] counts = new int[settings.clients()];
    AtomicLong errors = new AtomicLong();
    Map<String, Long> errorKinds = new ConcurrentSkipListMap<>();
    CountDownLatch ready = new CountDownLatch(settings.clients());
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    long[] window = new long[2];
    for (int c = 0; c < settings.clients(); c++) {
      int client = c;
      HttpRequest request = target.tokens() == null ? shared
          : HttpRequest.newBuilder(shared.uri()).timeout(Duration.ofSeconds(30)).GET()
              .header("Authorization", "Bearer " + target.tokens().get(c % target.tokens().size())).build();
      HttpRequest primer = null;
      if (target.primer() != null) {
        HttpRequest.Builder primed = HttpRequest.newBuilder(URI.create(api.portal() + target.primer())).timeout(Duration.ofSeconds(60)).GET();
        request.headers().firstValue("Authorization").ifPresent(value -> primed.header("Authorization", value));
        primer = primed.build();
      }
      HttpRequest primerRequest = primer;
      Thread thread = new Thread(() -> {
        long[] micros = new long[1024];
        int n = 0;
        if (primerRequest != null) {
          try {
            int status = http.send(primerRequest, HttpResponse.BodyHandlers.discarding()).statusCode();
            if (status != 200) {
              errors.incrementAndGet();
              errorKinds.merge("primer HTTP " + status, 1L, Long::sum);
            }
          } catch (IOException e) {
            errors.incrementAndGet();
            errorKinds.merge("primer " + e.getClass().getSimpleName(), 1L, Long::sum);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
        ready.countDown();
        try {
          go.await();
        } catch (InterruptedException e) {
          return;
        }
        long end = window[1];
        while (System.nanoTime() < end) {
          long start = System.nanoTime();
          try {
            HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
            long took = (System.nanoTime() - start) / 1000;
            if (response.statusCode() != 200) {
              errors.incrementAndGet();
              errorKinds.merge("HTTP " + response.statusCode(), 1L, Long::sum);
            } else {
              if (n == micros.length) {
                micros = Arrays.copyOf(micros, n * 2);
              }
              micros[n++] = took;
            }
          } catch (IOException e) {
            errors.incrementAndGet();
            errorKinds.merge(e.getClass().getSimpleName(), 1L, Long::sum);
          } catch (InterruptedException e) {
            break;
          }
          long pause = Math.min(settings.pauseMillis(), (end - System.nanoTime()) / 1_000_000);
          if (pause > 0) {
            try {
              Thread.sleep(pause);
            } catch (InterruptedException e) {
              break;
            }
          }
        }
        perClient[client] = micros;
        counts[client] = n;
      }, "bench-client-" + c);
      thread.setDaemon(true);
      threads.add(thread);
      thread.start();
    }
    try {
      ready.await();
      window[0] = System.nanoTime();
      window[1] = window[0] + length.toNanos();
      go.countDown();
      for (Thread thread : threads) {
        thread.join();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StepFailed("interrupted");
    }
    double seconds = (System.nanoTime() - window[0]) / 1e9;
    int total = Arrays.stream(counts).sum();
    long[] all = new long[total];
    int at = 0;
    for (int c = 0; c < settings.clients(); c++) {
      System.arraycopy(perClient[c], 0, all, at, counts[c]);
      at += counts[c];
    }
    Arrays.sort(all);
    if (!errorKinds.isEmpty()) {
      out.printf(Locale.ROOT, "    %s: errors %s%n", target.label(), errorKinds);
    }
    return new Phase(all, errors.get(), seconds);
  }

  void report(Map<Target, List<Phase>> phases) {
    Map<Target, Phase> merged = new LinkedHashMap<>();
    phases.forEach((target, list) -> merged.put(target, merge(list)));
    Phase baseline = merged.values().iterator().next();
    double baseP50 = percentile(baseline.micros(), 0.50);
    double baseP99 = percentile(baseline.micros(), 0.99);
    double baseRate = baseline.micros().length / baseline.seconds();
    out.printf(Locale.ROOT, "%nAll rounds together, %d concurrent clients%s:%n", settings.clients(), settings.think().isZero()
        ? " (closed loop: each sends its next request as soon as it has an answer)"
        : String.format(Locale.ROOT, " (each pauses %.1f s on average after an answer, exponentially distributed)", settings.think().toMillis() / 1000.0));
    out.printf(Locale.ROOT, "  %-20s %9s %8s %8s %8s %8s %7s %8s %8s %8s%n", "target", "answered", "req/s", "p50 ms", "p90 ms", "p99 ms", "max ms",
        "errors", "p50 x", "p99 x");
    for (Map.Entry<Target, Phase> entry : merged.entrySet()) {
      Phase phase = entry.getValue();
      long[] micros = phase.micros();
      double rate = micros.length / phase.seconds();
      out.printf(Locale.ROOT, "  %-20s %9d %8.0f %8.1f %8.1f %8.1f %7.0f %8d %8.2f %8.2f%n", entry.getKey().label(), micros.length, rate,
          percentile(micros, 0.50) / 1000.0, percentile(micros, 0.90) / 1000.0, percentile(micros, 0.99) / 1000.0,
          micros.length == 0 ? 0 : micros[micros.length - 1] / 1000.0, phase.errors(), percentile(micros, 0.50) / baseP50,
          percentile(micros, 0.99) / baseP99);
    }
    out.printf(Locale.ROOT, "  ratios (x) against health's p50 %.1f ms and p99 %.1f ms in the same run; health answered %.0f req/s%n", baseP50 / 1000.0,
        baseP99 / 1000.0, baseRate);
    long errors = merged.values().stream().mapToLong(Phase::errors).sum();
    if (errors > 0) {
      throw new StepFailed(errors + " requests failed or answered other than 200 under load");
    }
  }

  private static Phase merge(List<Phase> phases) {
    long[] all = phases.stream().flatMapToLong(p -> Arrays.stream(p.micros())).sorted().toArray();
    return new Phase(all, phases.stream().mapToLong(Phase::errors).sum(), phases.stream().mapToDouble(Phase::seconds).sum());
  }

  /** The nearest-rank percentile of sorted values (0 for none). */
  static double percentile(long[] sorted, double quantile) {
    if (sorted.length == 0) {
      return 0;
    }
    int rank = (int) Math.ceil(quantile * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }
}
