package optout.platform.testing;

import java.net.URI;
import java.util.Map;

/**
 * Where the real PostgreSQL and Keycloak of this test run are. {@code ./optout test} starts both once
 * for the whole run and passes their addresses in these environment variables; run the tests that
 * way (or set the variables to servers of your own).
 */
public record PlatformTestEnvironment(
    URI keycloakUrl, String keycloakAdmin, String keycloakAdminPassword, String postgresAdminUrl, String postgresAdminUser) {

  public static final String KEYCLOAK_URL = "OPTOUT_TEST_KEYCLOAK_URL";
  public static final String KEYCLOAK_ADMIN = "OPTOUT_TEST_KEYCLOAK_ADMIN";
  public static final String KEYCLOAK_ADMIN_PASSWORD = "OPTOUT_TEST_KEYCLOAK_ADMIN_PASSWORD";
  public static final String POSTGRES_ADMIN_URL = "OPTOUT_TEST_PG_ADMIN_URL";
  public static final String POSTGRES_ADMIN_USER = "OPTOUT_TEST_PG_ADMIN_USER";

  private static volatile PlatformTestEnvironment current;

  public static PlatformTestEnvironment current() {
    PlatformTestEnvironment environment = current;
    if (environment == null) {
      environment = fromVariables(System.getenv());
      current = environment;
    }
    return environment;
  }

  static PlatformTestEnvironment fromVariables(Map<String, String> variables) {
    return new PlatformTestEnvironment(
        URI.create(required(variables, KEYCLOAK_URL).replaceAll("/+$", "")),
        required(variables, KEYCLOAK_ADMIN),
        required(variables, KEYCLOAK_ADMIN_PASSWORD),
        required(variables, POSTGRES_ADMIN_URL),
        variables.getOrDefault(POSTGRES_ADMIN_USER, "postgres"));
  }

  private static String required(Map<String, String> variables, String name) {
    String value = variables.get(name);
    if (value == null || value.isBlank()) {
      throw new IllegalStateException("Cannot run integration tests: " + name + " is not set. Run them with"
          + " `./optout test`, which starts the test PostgreSQL and Keycloak once and sets it.");
    }
    return value;
  }

  public URI realmIssuer(String realm) {
    return URI.create(keycloakUrl + "/realms/" + realm);
  }
}
