package optout.registry;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import optout.platform.testing.PlatformTestEnvironment;
import optout.platform.testing.TestDatabases;
import optout.platform.testing.TestFilingKeys;
import optout.platform.testing.TestKeycloak;
import optout.platform.testing.TestKeys;
import org.springframework.boot.Banner;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A registry process of a test's own, on a database of its own: for tests that need a log nobody else
 * writes to, or a second process with another configuration on the same database. Speaks HTTP to it.
 */
public final class LocalRegistry implements AutoCloseable {

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final ConfigurableApplicationContext context;

  private LocalRegistry(ConfigurableApplicationContext context) {
    this.context = context;
  }

  /** Starts a registry with the test keys, its log key in {@code keyFile}, and these further {@code --name=value} arguments. */
  public static LocalRegistry start(TestDatabases.TestDatabase database, Path keyFile, Path snapshots, String... more) throws Exception {
    List<String> arguments = new ArrayList<>(arguments(database, keyFile, snapshots));
    arguments.addAll(List.of(more));
    return new LocalRegistry(new SpringApplicationBuilder(RegistryApplication.class).bannerMode(Banner.Mode.OFF)
        .run(arguments.toArray(String[]::new)));
  }

  /** Starts a registry as {@link #start}, these {@code --name=value} arguments in place of the same names'. */
  public static LocalRegistry startReplacing(TestDatabases.TestDatabase database, Path keyFile, Path snapshots, String... replacing)
      throws Exception {
    return new LocalRegistry(new SpringApplicationBuilder(RegistryApplication.class).bannerMode(Banner.Mode.OFF)
        .run(argumentsReplacing(database, keyFile, snapshots, replacing).toArray(String[]::new)));
  }

  /**
   * The arguments of {@link #arguments}, these {@code --name=value} ones in place of the same names' (Spring would
   * join two values of one name with a comma); {@code --name=} drops the name.
   */
  public static List<String> argumentsReplacing(TestDatabases.TestDatabase database, Path keyFile, Path snapshots, String... replacing)
      throws Exception {
    List<String> arguments = new ArrayList<>(arguments(database, keyFile, snapshots));
    for (String argument : replacing) {
      String name = argument.substring(0, argument.indexOf('=') + 1);
      arguments.removeIf(existing -> existing.startsWith(name));
      if (!argument.endsWith("=")) {
        arguments.add(argument);
      }
    }
    return arguments;
  }

  /**
   * The arguments of a test's own registry: its database, real Keycloak, the test keys, its log key in
   * {@code keyFile} (made if missing), and a quick sequencer.
   */
  public static List<String> arguments(TestDatabases.TestDatabase database, Path keyFile, Path snapshots) throws Exception {
    PlatformTestEnvironment environment = PlatformTestEnvironment.current();
    List<String> arguments = new java.util.ArrayList<>(List.of(
        "--server.port=0",
        "--spring.datasource.url=" + database.url(),
        "--spring.datasource.username=" + database.applicationUser(),
        "--spring.datasource.password=" + database.password(),
        "--spring.flyway.user=" + database.user(),
        "--spring.flyway.password=" + database.password(),
        "--optout.security.issuer=" + environment.realmIssuer(TestKeycloak.REALM),
        "--optout.registry.log.signing-key-file=" + keyFile,
        "--optout.registry.log.create-signing-key=true",
        "--optout.registry.filing.verifier-keys=" + TestFilingKeys.verifierKey(),
        "--optout.registry.snapshots.directory=" + snapshots,
        "--optout.registry.log.sequence-interval=50ms",
        "--optout.registry.log.checkpoint-interval=100ms"));
    TestKeys.registryEnvironment().forEach((name, value) -> arguments.add("--" + name + "=" + value));
    return arguments;
  }

  /**
   * Waits until every event and record in the database is logged and the latest checkpoint covers every leaf;
   * answers that checkpoint's size.
   */
  public static long awaitEverythingSigned(org.springframework.jdbc.core.JdbcTemplate database) throws InterruptedException {
    for (int i = 0; i < 200; i++) {
      Long waiting = database.queryForObject("""
          select (select count(*) from registry_event e where not exists (select 1 from log_leaf l where l.event_seq = e.seq))
               + (select count(*) from log_record r where not exists (select 1 from log_leaf l where l.record_seq = r.seq))
               + (select count(*) from log_leaf) - (select coalesce(max(tree_size), 0) from log_checkpoint)""", Long.class);
      if (waiting == 0) {
        return database.queryForObject("select max(tree_size) from log_checkpoint", Long.class);
      }
      Thread.sleep(50);
    }
    throw new AssertionError("the log did not sign every event and record within 10 s");
  }

  public <T> T bean(Class<T> type) {
    return context.getBean(type);
  }

  public HttpResponse<String> get(String path, String token) {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30)).GET();
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return send(request.build());
  }

  public HttpResponse<String> post(String path, String token, String body) {
    return post(path, token, body, "application/json");
  }

  public HttpResponse<String> post(String path, String token, String body, String contentType) {
    return send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + token)
        .header("Content-Type", contentType).header("Idempotency-Key", "it-" + UUID.randomUUID())
        .POST(HttpRequest.BodyPublishers.ofString(body)).build());
  }

  /** Files as the consent service does: its service account, the filing sealed with the test filing key. */
  public HttpResponse<String> file(String type, String nationalId, String scope) {
    String key = "it-" + UUID.randomUUID();
    String body = """
        {"type": "%s", "nationalId": "%s", "scopes": ["%s"], "channel": "counter",
         "document": {"reference": "consent/%s.pdf", "sha256": "%s"}, "effectiveAt": "2026-11-20T03:00:00Z"}"""
        .formatted(type, nationalId, scope, UUID.randomUUID(), "ab".repeat(32));
    String sealed = RegistryIT.JSON.writeValueAsString(TestFilingKeys.seal(
        (tools.jackson.databind.node.ObjectNode) RegistryIT.JSON.readTree(body), key));
    return send(HttpRequest.newBuilder(uri("/api/v1/filings")).timeout(Duration.ofSeconds(30))
        .header("Authorization", "Bearer " + TestKeycloak.get().serviceAccountToken("optout-consent"))
        .header("Content-Type", "application/json").header("Idempotency-Key", key)
        .POST(HttpRequest.BodyPublishers.ofString(sealed)).build());
  }

  private static HttpResponse<String> send(HttpRequest request) {
    try {
      return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  public URI uri(String path) {
    return URI.create("http://localhost:" + ((WebServerApplicationContext) context).getWebServer().getPort() + path);
  }

  @Override
  public void close() {
    context.close();
  }
}
