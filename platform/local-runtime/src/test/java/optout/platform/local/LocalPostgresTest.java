package optout.platform.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalPostgresTest {

  private static final String PASSWORD = "a-test-password-of-some-length";

  @TempDir Path data;

  @Test
  void keepsDataAcrossRestartsAndGivesEachComponentItsOwnRole() throws Exception {
    int port = freePort();
    var options = new LocalPostgresOptions(data, port, List.of("optout_registry", "keycloak"), PASSWORD);

    try (EmbeddedPostgres first = LocalPostgres.start(options);
        Connection connection = connect(port, "optout_registry", PASSWORD);
        Statement statement = connection.createStatement()) {
      statement.execute("create table kept (note text)");
      statement.execute("insert into kept values ('written before the restart')");
    }

    try (EmbeddedPostgres second = LocalPostgres.start(options);
        Connection connection = connect(port, "optout_registry", PASSWORD);
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("select note from kept")) {
      assertThat(rows.next()).isTrue();
      assertThat(rows.getString(1)).isEqualTo("written before the restart");
      assertThat(connect(port, "keycloak", PASSWORD).isValid(2)).isTrue();
      try (ResultSet role = statement.executeQuery("select rolcanlogin, rolsuper from pg_roles where rolname = 'optout_registry_app'")) {
        assertThat(role.next()).as("the application role exists").isTrue();
        assertThat(role.getBoolean(1)).isTrue();
        assertThat(role.getBoolean(2)).isFalse();
      }
      for (String durable : List.of("fsync", "synchronous_commit", "full_page_writes")) {
        try (ResultSet setting = statement.executeQuery("show " + durable)) {
          assertThat(setting.next()).isTrue();
          assertThat(setting.getString(1)).as(durable).isEqualTo("on");
        }
      }
      assertThatThrownBy(() -> connect(port, "optout_registry", "not-the-password"))
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("password authentication failed");
    }
  }

  @Test
  void refusesBadOptionsWithClearMessages() {
    assertThatThrownBy(() -> LocalPostgresOptions.parse(new String[] {"--data", "x"}, PASSWORD))
        .hasMessage("Usage: LocalPostgres --data DIR --port N [--database NAME]...");
    assertThatThrownBy(() -> LocalPostgresOptions.parse(new String[] {"--data", "x", "--port", "http"}, PASSWORD))
        .hasMessage("Cannot use port: not a number: http");
    assertThatThrownBy(() -> LocalPostgresOptions.parse(new String[] {"--data", "x", "--port", "80"}, PASSWORD))
        .hasMessage("Cannot use port: must lie between 1024 and 65535: 80");
    assertThatThrownBy(() -> LocalPostgresOptions.parse(new String[] {"--data"}, PASSWORD))
        .hasMessage("Cannot read --data: a value must follow it");
    assertThatThrownBy(() -> LocalPostgresOptions.parse(new String[] {"--colour", "red"}, PASSWORD))
        .hasMessage("Cannot read option: unknown: --colour");
    assertThatThrownBy(() -> new LocalPostgresOptions(data, 5432, List.of("x; drop table y"), PASSWORD))
        .hasMessageStartingWith("Cannot use database name");
    assertThatThrownBy(() -> new LocalPostgresOptions(data, 5432, List.of("registry"), "short"))
        .hasMessage("Cannot create component roles: set OPTOUT_DB_PASSWORD to a password of at least 12 characters");
  }

  /** A further login role (the warehouse runner's) is named like a database, and needs the password too. */
  @Test
  void readsFurtherRolesAndRefusesBadOnes() {
    var options = LocalPostgresOptions.parse(new String[] {"--data", "x", "--port", "5432", "--database", "research_portal",
        "--role", "research_portal_runner"}, PASSWORD);
    assertThat(options.roles()).containsExactly("research_portal_runner");
    assertThatThrownBy(() -> LocalPostgresOptions.parse(new String[] {"--data", "x", "--port", "5432", "--role", "x; drop role y"}, PASSWORD))
        .hasMessageStartingWith("Cannot use role name");
    assertThatThrownBy(() -> new LocalPostgresOptions(data, 5432, List.of(), List.of("research_portal_runner"), "short"))
        .hasMessage("Cannot create component roles: set OPTOUT_DB_PASSWORD to a password of at least 12 characters");
  }

  private static Connection connect(int port, String role, String password) throws SQLException {
    return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/" + role, role, password);
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
