package optout.platform.local;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The command line of {@link LocalPostgres}: {@code --data DIR --port N [--database NAME]... [--role NAME]...},
 * and the password of the component roles from the environment variable {@value #PASSWORD_VARIABLE}. A
 * {@code --role} is a further login role with no database of its own, which a component's migrations grant
 * something to (the warehouse runner's role in the portal's database).
 */
record LocalPostgresOptions(Path dataDirectory, int port, List<String> databases, List<String> roles, String password) {

  LocalPostgresOptions(Path dataDirectory, int port, List<String> databases, String password) {
    this(dataDirectory, port, databases, List.of(), password);
  }

  static final String PASSWORD_VARIABLE = "OPTOUT_DB_PASSWORD";
  /** Database and role names become SQL identifiers: keep them plain. */
  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,62}");

  LocalPostgresOptions {
    if (port < 1024 || port > 65535) {
      throw new IllegalArgumentException("Cannot use port: must lie between 1024 and 65535: " + port);
    }
    for (String role : roles) {
      if (!NAME.matcher(role).matches()) {
        throw new IllegalArgumentException("Cannot use role name: use lower-case letters, digits and _ (at most 63): " + role);
      }
    }
    for (String database : databases) {
      if (!NAME.matcher(database).matches()) {
        throw new IllegalArgumentException(
            "Cannot use database name: use lower-case letters, digits and _ (at most 63): " + database);
      }
    }
    if ((!databases.isEmpty() || !roles.isEmpty()) && (password == null || password.length() < 12)) {
      throw new IllegalArgumentException(
          "Cannot create component roles: set " + PASSWORD_VARIABLE + " to a password of at least 12 characters");
    }
    databases = List.copyOf(databases);
    roles = List.copyOf(roles);
  }

  static LocalPostgresOptions parse(String[] args, String password) {
    Path data = null;
    Integer port = null;
    List<String> databases = new ArrayList<>();
    List<String> roles = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      String option = args[i];
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException("Cannot read " + option + ": a value must follow it");
      }
      String value = args[++i];
      switch (option) {
        case "--data" -> data = Path.of(value).toAbsolutePath();
        case "--port" -> port = parsePort(value);
        case "--database" -> databases.add(value);
        case "--role" -> roles.add(value);
        default -> throw new IllegalArgumentException("Cannot read option: unknown: " + option);
      }
    }
    if (data == null || port == null) {
      throw new IllegalArgumentException("Usage: LocalPostgres --data DIR --port N [--database NAME]...");
    }
    return new LocalPostgresOptions(data, port, databases, roles, password);
  }

  private static int parsePort(String value) {
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("Cannot use port: not a number: " + value, e);
    }
  }
}
