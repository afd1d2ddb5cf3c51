package optout.registry.audit;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import optout.registry.event.LeafAuthenticator;
import optout.registry.log.CheckpointVerifier;
import optout.registry.log.Ed25519NoteVerifier;
import optout.registry.transparency.RegistryLogKeys;

/**
 * {@code ./optout registry audit|export-log}: plain JDBC against the registry's database, no service
 * needed. Exit codes: 0 clean (or done), 1 the audit found tampering, 2 a wrong command line or no
 * connection.
 *
 * <p>The database comes from SPRING_DATASOURCE_URL, _USERNAME and _PASSWORD (as the service's). The keys:
 * with the registry's key file (OPTOUT_REGISTRY_LOG_SIGNING_KEY_FILE) the audit also checks every row's
 * MAC; an outside auditor gives only {@code --verifier-key}.
 */
public final class RegistryCommand {

  static final String USAGE = """
      Usage:
        registry audit [--verifier-key KEY] [--origin ORIGIN] [--checkpoints DIR]
        registry export-log --out DIR [--verifier-key KEY] [--origin ORIGIN]
      The database: SPRING_DATASOURCE_URL, SPRING_DATASOURCE_USERNAME, SPRING_DATASOURCE_PASSWORD.
      The keys: OPTOUT_REGISTRY_LOG_SIGNING_KEY_FILE (the registry's own; the audit then also checks row MACs),
      or --verifier-key (an outside auditor's: the public key the registry publishes).
      --checkpoints: a directory of signed checkpoints held outside the registry (one a file, e.g. a witness's
      or those a consumer kept); the rows must recompute to each of them too.""";
  static final String DEFAULT_ORIGIN = "localhost/nhi-optout-registry";

  private final Map<String, String> environment;
  private final PrintStream out;
  private final PrintStream err;

  RegistryCommand(Map<String, String> environment, PrintStream out, PrintStream err) {
    this.environment = environment;
    this.out = out;
    this.err = err;
  }

  public static void main(String[] args) {
    System.exit(new RegistryCommand(System.getenv(), System.out, System.err).run(args));
  }

  int run(String[] args) {
    try {
      if (args.length == 0) {
        throw new IllegalArgumentException("a command is missing");
      }
      Map<String, String> options = options(List.of(args).subList(1, args.length));
      String origin = options.getOrDefault("origin", DEFAULT_ORIGIN);
      Optional<RegistryLogKeys> keys = Optional.ofNullable(environment.get("OPTOUT_REGISTRY_LOG_SIGNING_KEY_FILE"))
          .filter(file -> !options.containsKey("verifier-key") && Files.exists(Path.of(file)))
          .map(file -> load(Path.of(file), origin));
      Ed25519NoteVerifier verifier = options.containsKey("verifier-key")
          ? Ed25519NoteVerifier.fromVerifierKey(options.get("verifier-key"))
          : keys.map(RegistryLogKeys::verifier).orElseThrow(() -> new IllegalArgumentException(
              "no key: give --verifier-key, or set OPTOUT_REGISTRY_LOG_SIGNING_KEY_FILE to the registry's key file"));
      try (Connection connection = connect()) {
        switch (args[0]) {
          case "audit" -> {
            allow(options, "verifier-key", "origin", "checkpoints");
            Map<String, String> held = options.containsKey("checkpoints") ? heldCheckpoints(Path.of(options.get("checkpoints"))) : Map.of();
            return audit(connection, new CheckpointVerifier(origin, verifier), keys.map(k -> (LeafAuthenticator) k), held);
          }
          case "export-log" -> {
            allow(options, "out", "verifier-key", "origin");
            if (!options.containsKey("out")) {
              throw new IllegalArgumentException("--out is missing");
            }
            long leaves = new LogExport(connection, verifier, origin).export(Path.of(options.get("out")));
            out.println("exported " + leaves + " leaves and their checkpoints to " + options.get("out") + "; " + LogExport.OPENINGS
                + " there names everyone who filed by warehouse pseudonym: for auditors only (see FORMAT.md)");
            return 0;
          }
          default -> throw new IllegalArgumentException("unknown command: registry " + args[0]);
        }
      }
    } catch (IllegalArgumentException e) {
      err.println("error: " + e.getMessage());
      err.println(USAGE);
      return 2;
    } catch (SQLException | IOException e) {
      err.println("error: " + e.getMessage());
      return 2;
    }
  }

  private int audit(Connection connection, CheckpointVerifier verifier, Optional<LeafAuthenticator> authenticator,
      Map<String, String> held) throws SQLException {
    LogAudit.Report report = new LogAudit(connection, verifier, authenticator).heldElsewhere(held).run();
    out.println("audited " + report.leaves() + " leaves against " + report.checkpoints() + " signed checkpoints"
        + (held.isEmpty() ? "" : " (" + held.size() + " held elsewhere)") + " and "
        + report.persons() + " current states" + (authenticator.isPresent() ? ", row MACs checked" : " (row MACs not checked: no registry key)"));
    if (report.clean()) {
      out.println("OK: the log and the rows agree");
      return 0;
    }
    out.println("FOUND " + report.findings().size() + " problem" + (report.findings().size() == 1 ? "" : "s") + ":");
    report.findings().forEach(finding -> out.println("  " + finding));
    return 1;
  }

  /** Every regular file of the directory, as a signed checkpoint by its file name. */
  private static Map<String, String> heldCheckpoints(Path directory) throws IOException {
    if (!Files.isDirectory(directory)) {
      throw new IllegalArgumentException("--checkpoints " + directory + " is not a directory");
    }
    Map<String, String> notes = new java.util.TreeMap<>();
    try (var files = Files.list(directory)) {
      for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
        if (Files.size(file) > 64 * 1024) {
          throw new IllegalArgumentException(file + " is too large to be a signed checkpoint");
        }
        notes.put(file.toString(), Files.readString(file, java.nio.charset.StandardCharsets.UTF_8));
      }
    }
    if (notes.isEmpty()) {
      throw new IllegalArgumentException("--checkpoints " + directory + " holds no checkpoint");
    }
    return notes;
  }

  private Connection connect() throws SQLException {
    String url = environment.getOrDefault("SPRING_DATASOURCE_URL", "jdbc:postgresql://127.0.0.1:54320/optout_registry");
    String user = environment.getOrDefault("SPRING_DATASOURCE_USERNAME", "optout_registry_app");
    String password = environment.get("SPRING_DATASOURCE_PASSWORD");
    if (password == null) {
      throw new IllegalArgumentException("SPRING_DATASOURCE_PASSWORD is not set");
    }
    return DriverManager.getConnection(url, user, password);
  }

  private static RegistryLogKeys load(Path file, String origin) {
    try {
      return RegistryLogKeys.load(file, origin, false);
    } catch (IOException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  private static Map<String, String> options(List<String> args) {
    Map<String, String> options = new HashMap<>();
    for (int i = 0; i < args.size(); i += 2) {
      String name = args.get(i);
      if (!name.startsWith("--") || i + 1 >= args.size()) {
        throw new IllegalArgumentException("options come as --name value pairs; " + name + " has no value");
      }
      if (options.put(name.substring(2), args.get(i + 1)) != null) {
        throw new IllegalArgumentException(name + " is given twice");
      }
    }
    return options;
  }

  private static void allow(Map<String, String> options, String... allowed) {
    List<String> names = List.of(allowed);
    for (String name : options.keySet()) {
      if (!names.contains(name)) {
        throw new IllegalArgumentException("unknown option --" + name);
      }
    }
  }
}
