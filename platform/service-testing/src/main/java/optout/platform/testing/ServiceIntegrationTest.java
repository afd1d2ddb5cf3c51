package optout.platform.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A service started whole on a random port, against a fresh database on the run's real PostgreSQL
 * and the run's real Keycloak. Tests talk to it over HTTP, as its clients do.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
public abstract class ServiceIntegrationTest {

  private static TestDatabases.TestDatabase database;
  private static volatile boolean applicationRole;

  @LocalServerPort protected int port;

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @DynamicPropertySource
  static void platform(DynamicPropertyRegistry properties) {
    PlatformTestEnvironment environment = PlatformTestEnvironment.current();
    TestDatabases.TestDatabase db = database(environment);
    properties.add("spring.datasource.url", db::url);
    // read when the context starts, after every @DynamicPropertySource method has run
    properties.add("spring.datasource.username", () -> applicationRole ? db.applicationUser() : db.user());
    properties.add("spring.datasource.password", db::password);
    // Migrations run as the owner; a service that connects as its application role says so itself.
    properties.add("spring.flyway.user", db::user);
    properties.add("spring.flyway.password", db::password);
    properties.add("optout.security.issuer", () -> environment.realmIssuer(TestKeycloak.REALM).toString());
    // Expiry is tested to the second; production allows a little skew.
    properties.add("optout.security.clock-skew", () -> "0s");
  }

  /**
   * For a service that connects as its application role (which owns nothing and has only what its
   * migrations grant): call from the test's own {@code @DynamicPropertySource} method.
   */
  protected static void connectAsApplicationRole() {
    applicationRole = true;
  }

  /** This test JVM's database. */
  protected static TestDatabases.TestDatabase testDatabase() {
    return database(PlatformTestEnvironment.current());
  }

  private static synchronized TestDatabases.TestDatabase database(PlatformTestEnvironment environment) {
    if (database == null) {
      database = TestDatabases.create(environment, "it");
    }
    return database;
  }

  protected URI uri(String path) {
    return URI.create("http://localhost:" + port + path);
  }

  protected HttpResponse<String> get(String path, String bearerToken) {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(20)).GET();
    if (bearerToken != null) {
      request.header("Authorization", "Bearer " + bearerToken);
    }
    return send(request.build());
  }

  protected HttpResponse<String> send(HttpRequest request) {
    return send(request, HttpResponse.BodyHandlers.ofString());
  }

  protected <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> body) {
    try {
      return http.send(request, body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
