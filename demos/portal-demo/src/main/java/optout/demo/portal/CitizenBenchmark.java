package optout.demo.portal;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import optout.demo.DemoLogin;
import optout.demo.portal.PortalApi.StepFailed;
import optout.demo.portal.PortalBenchmark.Phase;
import optout.demo.portal.PortalBenchmark.Settings;
import optout.demo.portal.PortalBenchmark.Target;
import optout.pseudonymizer.id.NationalIds;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * {@code ./optout bench portal citizens}: "where my data was used" as a citizen meets it: what the {@code /citizen/} page
 * calls, {@code GET /api/v1/citizen/overview} and then {@code GET /api/v1/citizen/uses}, with as many concurrent citizens
 * as clients, each with a token of their own and a pause between answers ({@code --think-ms}), beside {@code
 * /actuator/health} in the same run. It makes its citizens through Keycloak's
 * admin API (realm role {@code citizen}, a distinct valid {@code national_id}, a random password), signs each in as the
 * page does ({@link DemoLogin}), learns each one's warehouse pseudonym from the registry's {@code GET /api/v1/me/status}
 * with their own token, and adds their rows to the benchmark's usage ledger (filled by {@code ./optout} beforehand with
 * benchmarks/portal-ledger's {@code fill.sql}, read by a portal of the benchmark's own). The citizens are removed
 * afterwards, also when something failed.
 */
final class CitizenBenchmark {

  private static final String REALM = "nhi-optout";
  /** Each citizen's ledger rows: this many extracts of their own among the 10 million rows. */
  private static final int ROWS_PER_CITIZEN = 3;

  private final PortalBenchmark bench;
  private final HttpClient http;
  private final URI portal;
  private final URI pagePortal;
  private final URI issuer;
  private final URI registry;
  private final Ledger ledger;
  private final String admin;
  private final String adminPassword;
  private final int citizens;
  private final PrintStream out;
  private final ObjectMapper json = new ObjectMapper();
  private static final SecureRandom RANDOM = new SecureRandom();
  private final String run = random(4);
  private String adminToken;
  private long adminTokenAt;

  CitizenBenchmark(PortalBenchmark bench, HttpClient http, URI portal, URI pagePortal, URI issuer, URI registry, Ledger ledger, String admin,
      String adminPassword, int citizens, PrintStream out) {
    this.bench = bench;
    this.http = http;
    this.portal = portal;
    this.pagePortal = pagePortal;
    this.issuer = issuer;
    this.registry = registry;
    this.ledger = ledger;
    this.admin = admin;
    this.adminPassword = adminPassword;
    this.citizens = citizens;
    this.out = out;
  }

  static void main(String[] args) {
    Map<String, String> options = new LinkedHashMap<>(Map.of("clients", "200", "seconds", "10", "warm-up", "3", "rounds", "3",
        "think-ms", "1000"));
    Map<String, String> required = new LinkedHashMap<>();
    for (String name : List.of("portal", "page-portal", "issuer", "registry", "postgres", "ledger", "ledger-reader", "fill")) {
      required.put(name, null);
    }
    try {
      for (int i = 0; i < args.length; i += 2) {
        if (args[i].equals("--help")) {
          usage(null);
        }
        if (!args[i].startsWith("--") || i + 1 >= args.length) {
          usage("every option takes a value: " + args[i]);
        }
        String name = args[i].substring(2);
        if (required.containsKey(name)) {
          required.put(name, args[i + 1]);
        } else if (options.containsKey(name)) {
          options.put(name, args[i + 1]);
        } else {
          usage("unknown option --" + name);
        }
      }
      String admin = System.getenv("OPTOUT_KEYCLOAK_ADMIN");
      String adminPassword = System.getenv("OPTOUT_KEYCLOAK_ADMIN_PASSWORD");
      if (required.containsValue(null) || admin == null || adminPassword == null) {
        usage("--portal, --page-portal, --issuer, --registry, --postgres, --ledger, --ledger-reader and --fill are required, and "
            + "OPTOUT_KEYCLOAK_ADMIN(_PASSWORD)");
      }
      if (!required.get("ledger").matches("[a-z_][a-z0-9_]{0,62}") || !required.get("ledger-reader").matches("[a-z_][a-z0-9_]{0,62}")) {
        usage("--ledger and --ledger-reader are plain lower-case PostgreSQL names");
      }
      Settings settings = new Settings(Integer.parseInt(options.get("clients")), Duration.ofSeconds(Long.parseLong(options.get("seconds"))),
          Duration.ofSeconds(Long.parseLong(options.get("warm-up"))), Integer.parseInt(options.get("rounds")), 1,
          Duration.ofMillis(Long.parseLong(options.get("think-ms"))));
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
      URI portal = URI.create(required.get("portal").replaceAll("/+$", ""));
      PortalBenchmark bench = new PortalBenchmark(new PortalApi(portal, URI.create(required.get("issuer")), "unused", http), http, settings,
          System.out);
      new CitizenBenchmark(bench, http, portal, URI.create(required.get("page-portal").replaceAll("/+$", "")), URI.create(required.get("issuer")),
          URI.create(required.get("registry").replaceAll("/+$", "")), new Ledger(required.get("postgres"), required.get("ledger"),
          required.get("ledger-reader"), Path.of(required.get("fill"))), admin, adminPassword, settings.clients(), System.out)
          .run();
    } catch (NumberFormatException e) {
      usage("a number is not a whole number: " + e.getMessage());
    } catch (IllegalArgumentException e) {
      usage(e.getMessage());
    } catch (StepFailed e) {
      System.out.flush();
      System.err.println("error: the citizens benchmark failed: " + e.getMessage());
      System.exit(1);
    }
  }

  private static void usage(String why) {
    System.err.println("""
        Usage: ./optout bench portal citizens [--clients 200] [--seconds 10] [--warm-up 3] [--rounds 3] [--think-ms 1000]
          With the platform up: makes --clients citizens at Keycloak, fills a usage ledger of 10 million rows plus theirs,
          starts a portal of its own reading it, and measures what the citizen's page calls, GET /api/v1/citizen/overview
          and then GET /api/v1/citizen/uses ("where my data was used"), each client its own citizen pausing --think-ms on
          average after each answer (0: a closed loop, the most the portal answers), beside GET /actuator/health; removes
          the citizens, the portal and the ledger at the end.""");
    if (why != null) {
      System.err.println("error: " + why);
    }
    System.exit(why == null ? 0 : 2);
  }

  void run() {
    out.printf(Locale.ROOT, "Citizens benchmark (run %s): %d citizens at once against %s; this machine: %d cores, Java %s%n", run, citizens, portal,
        Runtime.getRuntime().availableProcessors(), Runtime.version());
    out.print("""
                the citizen's page calls two things. The overview: the portal validates the citizen's JWT; calls the registry's
                  GET /api/v1/me/status with that token (the registry validates it, asks Keycloak's userinfo for the national ID,
                  pseudonymizes, reads the person's events and builds each receipt's inclusion proof); checks the receipts'
                  checkpoint signatures; reads the delivered extracts and the subscription; and remembers the citizen's pseudonyms
                  (optout.portal.citizen.pseudonym-cache). Then "where my data was used" (/api/v1/citizen/uses): the JWT, the
                  remembered pseudonyms, and the usage ledger (person_usage, 10 million rows, the ledger's own pool) with each
                  project's approved title (remembered once approved)""".indent(2));
    String role = adminGet("/roles/citizen");
    List<String> ids = new ArrayList<>();
    try {
      long started = System.nanoTime();
      out.printf(Locale.ROOT, "  filling the usage ledger %s (benchmarks/portal-ledger/fill.sql, 10 million rows)...%n", ledger.database());
      ledger.create();
      out.printf(Locale.ROOT, "  filled in %.0f s%n", seconds(started));
      started = System.nanoTime();
      List<String> passwords = new ArrayList<>();
      for (int i = 0; i < citizens; i++) {
        String password = random(12);
        // a range of IDs no demo person has: the run's own, so a second run makes other persons
        String nationalId = NationalIds.of(10_000_000L + (Long.parseLong(run, 16) % 100_000L) * 2_000 + i);
        ids.add(createCitizen(username(i), nationalId, password, role));
        passwords.add(password);
      }
      out.printf(Locale.ROOT, "  made %d citizens at Keycloak (realm role citizen, a valid national_id each) in %.1f s%n", ids.size(),
          seconds(started));
      started = System.nanoTime();
      List<String> tokens = parallel(citizens, i -> DemoLogin.accessToken(issuer, "optout-web", URI.create(pagePortal + "/citizen/"), username(i),
          passwords.get(i)));
      out.printf(Locale.ROOT, "  signed each in as the page does (authorization code with PKCE) in %.1f s%n", seconds(started));
      started = System.nanoTime();
      List<Long> pseudonyms = parallel(citizens, i -> pseudonym(tokens.get(i)));
      out.printf(Locale.ROOT, "  read each one's pseudonym from the registry's /api/v1/me/status (own token) in %.1f s%n", seconds(started));
      addLedgerRows(pseudonyms);
      // beside the overview, its two outside calls alone with the same tokens: where its time goes
      List<Target> targets = List.of(new Target("health (baseline)", null, "/actuator/health"),
          new Target("citizen overview", null, "/api/v1/citizen/overview", tokens),
          // as the page calls it, after the citizen's overview (each client asks it once before the phase), whose registry
          // answer left their pseudonyms with the portal
          new Target("where data was used", null, "/api/v1/citizen/uses", tokens, "/api/v1/citizen/overview"),
          new Target("registry status", null, registry + "/api/v1/me/status", tokens),
          new Target("keycloak userinfo", null, issuer.toString().replaceAll("/+$", "") + "/protocol/openid-connect/userinfo", tokens));
      out.println("  besides the overview: the registry's GET /api/v1/me/status and Keycloak's userinfo alone, each citizen's own token");
      Map<Target, List<Phase>> phases = bench.measure(targets);
      bench.report(phases);
    } finally {
      removeCitizens(ids);
      ledger.drop(out);
    }
  }

  private static String random(int bytes) {
    byte[] value = new byte[bytes];
    RANDOM.nextBytes(value);
    return HexFormat.of().formatHex(value);
  }

  private String username(int i) {
    return "bench-citizen-" + i + "-" + run;
  }

  private String createCitizen(String username, String nationalId, String password, String role) {
    String user = """
        {"username": "%s", "enabled": true, "email": "%s@bench.invalid", "emailVerified": true, "firstName": "Bench", "lastName": "Citizen",
         "attributes": {"national_id": ["%s"]}, "credentials": [{"type": "password", "value": "%s", "temporary": false}]}"""
        .formatted(username, username, nationalId, password);
    HttpResponse<String> created = admin("POST", "/users", user);
    String location = created.headers().firstValue("Location").orElse("");
    if (created.statusCode() != 201 || location.isEmpty()) {
      throw new StepFailed("Keycloak did not create a citizen (HTTP " + created.statusCode() + ")");
    }
    String id = location.substring(location.lastIndexOf('/') + 1);
    HttpResponse<String> mapped = admin("POST", "/users/" + id + "/role-mappings/realm", "[" + role + "]");
    if (mapped.statusCode() != 204) {
      throw new StepFailed("Keycloak did not give a citizen the realm role citizen (HTTP " + mapped.statusCode() + ")");
    }
    return id;
  }

  private void removeCitizens(List<String> ids) {
    int removed = 0;
    for (String id : ids) {
      try {
        if (admin("DELETE", "/users/" + id, null).statusCode() == 204) {
          removed++;
        }
      } catch (StepFailed e) {
        // counted below
      }
    }
    out.printf(Locale.ROOT, "  removed %d of the %d citizens made at Keycloak%n", removed, ids.size());
  }

  private long pseudonym(String token) throws IOException, InterruptedException {
    HttpResponse<String> status = http.send(HttpRequest.newBuilder(URI.create(registry + "/api/v1/me/status")).timeout(Duration.ofSeconds(60))
        .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString());
    JsonNode pseudonym = status.statusCode() == 200 ? json.readTree(status.body()).path("pseudonym") : null;
    if (pseudonym == null || !pseudonym.isNumber()) {
      throw new IOException("the registry did not answer a citizen's status with a pseudonym (HTTP " + status.statusCode() + ")");
    }
    return pseudonym.asLong();
  }

  private void addLedgerRows(List<Long> pseudonyms) {
    try (Connection ledger = this.ledger.connect();
        PreparedStatement insert = ledger.prepareStatement("insert into person_usage (person, project, extract_id, purpose, used_on, "
            + "warehouse_key_version) values (?, ?, ?, 'academic-research', ?, 1) on conflict do nothing")) {
      for (long pseudonym : pseudonyms) {
        for (int e = 1; e <= ROWS_PER_CITIZEN; e++) {
          insert.setLong(1, pseudonym);
          insert.setString(2, "PRJ-BENCH-" + e);
          insert.setString(3, "EX-BENCH-CITIZEN-" + e);
          insert.setObject(4, LocalDate.of(2026, 1, 1).plusDays(e));
          insert.addBatch();
        }
      }
      insert.executeBatch();
      try (var count = ledger.createStatement().executeQuery("select count(*) from person_usage")) {
        count.next();
        out.printf(Locale.ROOT, "  usage ledger: %,d rows, %d of them the citizens' own (%d each)%n", count.getLong(1),
            pseudonyms.size() * ROWS_PER_CITIZEN, ROWS_PER_CITIZEN);
      }
    } catch (SQLException e) {
      throw new StepFailed("could not add the citizens' rows to the benchmark's usage ledger: " + e.getMessage());
    }
  }

  /** The benchmark's own usage ledger: a database on the platform's PostgreSQL, as its local superuser. */
  record Ledger(String server, String database, String reader, Path fill) {

    Connection connect() throws SQLException {
      return DriverManager.getConnection(server + database + "?user=postgres");
    }

    void create() {
      try (Connection postgres = DriverManager.getConnection(server + "postgres?user=postgres"); Statement statement = postgres.createStatement()) {
        statement.execute("create database " + database);
        statement.execute("grant connect on database " + database + " to " + reader);
      } catch (SQLException e) {
        throw new StepFailed("could not create the benchmark's ledger database: " + e.getMessage());
      }
      try (Connection ledger = connect(); Statement statement = ledger.createStatement()) {
        String script = Files.readString(fill).lines().filter(line -> !line.startsWith("--")).collect(Collectors.joining("\n"));
        for (String sql : script.split(";\\s*\n")) {
          if (!sql.isBlank()) {
            statement.execute(sql);
          }
        }
        statement.execute("grant select on person_usage to " + reader);
        // the fill's gigabyte of dirty pages written out now, not by a checkpoint in the middle of the measurement
        statement.execute("checkpoint");
      } catch (SQLException | IOException e) {
        throw new StepFailed("could not fill the benchmark's ledger: " + e.getMessage());
      }
    }

    void drop(PrintStream out) {
      try (Connection postgres = DriverManager.getConnection(server + "postgres?user=postgres"); Statement statement = postgres.createStatement()) {
        statement.execute("drop database if exists " + database + " with (force)");
        out.printf(Locale.ROOT, "  dropped the ledger database %s%n", database);
      } catch (SQLException e) {
        out.println("  (could not drop the ledger database " + database + ": " + e.getMessage() + ")");
      }
    }
  }

  interface Call<T> {
    T call(int index) throws IOException, InterruptedException;
  }

  /** One call per index, eight at a time, in index order. */
  private static <T> List<T> parallel(int count, Call<T> call) {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<T>> futures = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        int index = i;
        futures.add(pool.submit(() -> call.call(index)));
      }
      List<T> results = new ArrayList<>();
      for (Future<T> future : futures) {
        results.add(future.get());
      }
      return Collections.unmodifiableList(results);
    } catch (ExecutionException e) {
      throw new StepFailed(e.getCause().getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StepFailed("interrupted");
    } finally {
      pool.shutdownNow();
    }
  }

  private String adminGet(String path) {
    HttpResponse<String> response = admin("GET", path, null);
    if (response.statusCode() != 200) {
      throw new StepFailed("Keycloak's admin API answered " + response.statusCode() + " for " + path);
    }
    return response.body();
  }

  /** A call to the realm's admin API, with an admin token (master realm, admin-cli) taken anew after 30 s (they live 60 s). */
  private HttpResponse<String> admin(String method, String path, String body) {
    String base = issuer.toString().replaceAll("/realms/.*$", "");
    try {
      if (adminToken == null || System.nanoTime() - adminTokenAt > 30_000_000_000L) {
        HttpResponse<String> token = http.send(HttpRequest.newBuilder(URI.create(base + "/realms/master/protocol/openid-connect/token"))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString("grant_type=password&client_id=admin-cli&username=" + encode(admin) + "&password="
                + encode(adminPassword))).build(), HttpResponse.BodyHandlers.ofString());
        if (token.statusCode() != 200) {
          throw new StepFailed("Keycloak did not sign the admin in (HTTP " + token.statusCode() + ")");
        }
        adminToken = json.readTree(token.body()).path("access_token").asString();
        adminTokenAt = System.nanoTime();
      }
      String access = adminToken;
      HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + "/admin/realms/" + REALM + path)).timeout(Duration.ofSeconds(30))
          .header("Authorization", "Bearer " + access);
      if (body == null) {
        request.method(method, HttpRequest.BodyPublishers.noBody());
      } else {
        request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
      }
      return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new StepFailed("Keycloak's admin API: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StepFailed("interrupted");
    }
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  private static double seconds(long since) {
    return (System.nanoTime() - since) / 1e9;
  }
}
