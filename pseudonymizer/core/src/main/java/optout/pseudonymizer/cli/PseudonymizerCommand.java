package optout.pseudonymizer.cli;

import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import optout.pseudonymizer.custody.KeyCustodies;
import optout.pseudonymizer.custody.KeyCustody;
import optout.pseudonymizer.custody.KeyInfo;
import optout.pseudonymizer.custody.Passphrase;
import optout.pseudonymizer.id.PersonId;
import optout.pseudonymizer.id.ProjectId;
import optout.pseudonymizer.pseudonym.ProjectPseudonymizer;
import optout.pseudonymizer.pseudonym.WarehousePseudonymizer;

/**
 * The pseudonymizer's command line, run by {@code ./optout keys ...}, {@code ./optout pseudo ...} and
 * {@code ./optout bench pseudonymizer}. Exit codes: 0 done, 1 could not be done (keys, keystore),
 * 2 wrong command line or input.
 */
public final class PseudonymizerCommand {

  static final String USAGE = """
      Usage:
        keys init                          create the keystore (OPTOUT_KEYSTORE), the warehouse key and the
                                           identity key; on an existing custody, add whichever is missing
        keys list                          every key and destroyed project: IDs, versions, dates
        keys project-create --project P    create project P's pseudonym and token keys
        keys project-destroy --project P   destroy them for good (crypto-shredding)
        keys rotate-warehouse              add the next warehouse key version (see the README)
        keys rotate-identity               add the next identity key version (see the README)
        pseudo layer1                      person IDs on stdin, one a line -> warehouse pseudonyms
        pseudo layer2 --project P          warehouse pseudonyms on stdin -> project P's pseudonyms
        bench [--seconds N]                pseudonyms per second, against Bouncy Castle and HMAC
      The keystore passphrase comes from OPTOUT_KEYSTORE_PASSWORD or OPTOUT_KEYSTORE_PASSWORD_FILE.
      With OPTOUT_PKCS11_CONFIG set, the keys live on that PKCS#11 token instead, and the same
      variables give its PIN.""";
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'Asia/Taipei'").withZone(ZoneId.of("Asia/Taipei"));

  private final Map<String, String> environment;
  private final InputStream in;
  private final PrintStream out;
  private final PrintStream err;
  private final Console console;

  PseudonymizerCommand(Map<String, String> environment, InputStream in, PrintStream out, PrintStream err, Console console) {
    this.environment = environment;
    this.in = in;
    this.out = out;
    this.err = err;
    this.console = console;
  }

  public static void main(String[] args) {
    System.exit(new PseudonymizerCommand(System.getenv(), System.in, System.out, System.err, System.console()).run(args));
  }

  int run(String[] args) {
    try {
      execute(List.of(args));
      return 0;
    } catch (UsageException e) {
      err.println("error: " + e.getMessage());
      if (e.getMessage().startsWith("Usage") || e.getMessage().startsWith("unknown")) {
        err.println(USAGE);
      }
      return 2;
    } catch (IllegalArgumentException e) {
      err.println("error: " + e.getMessage());
      return 2;
    } catch (GeneralSecurityException | IOException e) {
      err.println("error: " + e.getMessage());
      return 1;
    }
  }

  private void execute(List<String> args) throws UsageException, GeneralSecurityException, IOException {
    String command = args.size() >= 2 ? args.get(0) + " " + args.get(1) : String.join(" ", args);
    List<String> options = args.size() >= 2 ? args.subList(2, args.size()) : List.of();
    switch (command) {
      case "keys init" -> keysInit(options);
      case "keys list" -> keysList(options);
      case "keys project-create" -> projectCreate(options);
      case "keys project-destroy" -> projectDestroy(options);
      case "keys rotate-warehouse" -> rotateWarehouse(options);
      case "keys rotate-identity" -> rotateIdentity(options);
      case "pseudo layer1" -> layer1(options);
      case "pseudo layer2" -> layer2(options);
      default -> {
        if (!args.isEmpty() && args.get(0).equals("bench")) {
          PseudonymizerBenchmark.run(args.subList(1, args.size()), out);
          return;
        }
        throw new UsageException(args.isEmpty() ? "Usage: a command is missing" : "unknown command: " + String.join(" ", args));
      }
    }
  }

  /**
   * Creates the keystore if there is none, then whichever of the warehouse and identity keys is
   * missing. It is idempotent, so that custodies initialised before the identity key existed are
   * upgraded by running it again (and {@code ./optout up} can run it on every start): existing keys
   * are never replaced, and a complete custody is left as it is, with exit code 0.
   */
  private void keysInit(List<String> options) throws UsageException, GeneralSecurityException, IOException {
    noOptions(options);
    boolean existing = KeyCustodies.usesPkcs11(environment) || Files.exists(KeyCustodies.keystorePath(environment));
    try (KeyCustody custody = existing
        ? open()
        : KeyCustodies.createBcfks(KeyCustodies.keystorePath(environment), Passphrase.fromEnvironment(environment))) {
      List<KeyInfo> keys = custody.keys();
      boolean warehouse = keys.stream().anyMatch(k -> k.purpose() == KeyInfo.Purpose.WAREHOUSE_PSEUDONYM);
      boolean identity = keys.stream().anyMatch(k -> k.purpose() == KeyInfo.Purpose.SEALED_PERSON_ID);
      if (warehouse && identity) {
        err.println("The key custody (" + custody + ") is initialised already: nothing to do");
        return;
      }
      if (!warehouse) {
        report(custody.createWarehouseKey(), "created");
      }
      if (!identity) {
        report(custody.createIdentityKey(), warehouse
            ? "upgraded the key custody (" + custody + "), which had no identity key: created"
            : "created");
      }
    }
  }

  private void keysList(List<String> options) throws UsageException, GeneralSecurityException, IOException {
    noOptions(options);
    try (KeyCustody custody = open()) {
      out.printf("%-44s %-20s %-18s %7s  %s%n", "KEY", "PURPOSE", "PROJECT", "VERSION", "CREATED (DESTROYED)");
      for (KeyInfo key : custody.keys()) {
        out.printf("%-44s %-20s %-18s %7s  %s%n", key.id(), key.purpose(),
            key.project().map(ProjectId::value).orElse("-"), key.version() == 0 ? "-" : key.version(), key.at().map(TIME::format).orElse("-"));
      }
    }
  }

  private void projectCreate(List<String> options) throws UsageException, GeneralSecurityException, IOException {
    ProjectId project = project(options);
    try (KeyCustody custody = open()) {
      for (KeyInfo key : custody.createProjectKeys(project)) {
        report(key, "created");
      }
    }
  }

  private void projectDestroy(List<String> options) throws UsageException, GeneralSecurityException, IOException {
    ProjectId project = project(options);
    if (console != null) {
      String typed = console.readLine("Destroying the keys of %s cannot be undone. Type the project ID to go on: ", project);
      if (!project.value().equals(typed == null ? "" : typed.strip())) {
        throw new UsageException("not confirmed: nothing was destroyed");
      }
    }
    try (KeyCustody custody = open()) {
      report(custody.destroyProjectKeys(project), "destroyed");
    }
  }

  private void rotateWarehouse(List<String> options) throws UsageException, GeneralSecurityException, IOException {
    noOptions(options);
    try (KeyCustody custody = open()) {
      report(custody.createWarehouseKey(), "created");
    }
  }

  private void rotateIdentity(List<String> options) throws UsageException, GeneralSecurityException, IOException {
    noOptions(options);
    try (KeyCustody custody = open()) {
      report(custody.createIdentityKey(), "created");
    }
  }

  private void layer1(List<String> options) throws UsageException, GeneralSecurityException, IOException {
    noOptions(options);
    WarehousePseudonymizer warehouse;
    try (KeyCustody custody = open()) {
      warehouse = custody.warehousePseudonymizer();
    }
    long lines = PseudonymStream.run(in, out, line -> warehouse.pseudonym(PersonId.parse(line)));
    err.println(lines + " pseudonyms (warehouse key version " + warehouse.keyVersion() + ")");
  }

  private void layer2(List<String> options) throws UsageException, GeneralSecurityException, IOException {
    ProjectId project = project(options);
    ProjectPseudonymizer pseudonymizer;
    try (KeyCustody custody = open()) {
      pseudonymizer = custody.projectPseudonymizer(project);
    }
    long lines = PseudonymStream.run(in, out, line -> pseudonymizer.pseudonym(PseudonymStream.parseDecimal(line)));
    err.println(lines + " pseudonyms (project " + project + ")");
  }

  private KeyCustody open() throws GeneralSecurityException, IOException {
    return KeyCustodies.openFromEnvironment(environment);
  }

  private void report(KeyInfo key, String what) {
    err.println(what + " " + key.id() + " (" + key.purpose() + ")" + key.at().map(at -> " at " + TIME.format(at)).orElse(""));
  }

  private static ProjectId project(List<String> options) throws UsageException {
    if (options.size() != 2 || !options.get(0).equals("--project")) {
      throw new UsageException("Usage: --project P is required, and nothing else");
    }
    return ProjectId.of(options.get(1));
  }

  private static void noOptions(List<String> options) throws UsageException {
    if (!options.isEmpty()) {
      throw new UsageException("Usage: this command takes no options, got " + Arrays.toString(options.toArray()));
    }
  }
}
