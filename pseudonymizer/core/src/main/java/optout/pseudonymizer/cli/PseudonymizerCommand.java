package optout.pseudonymizer.cli;

import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import optout.pseudonymizer.custody.CustodianShare;
import optout.pseudonymizer.custody.KeyCustodies;
import optout.pseudonymizer.custody.KeyCustody;
import optout.pseudonymizer.custody.KeyInfo;
import optout.pseudonymizer.custody.Passphrase;
import optout.pseudonymizer.custody.ReidentificationKeys;
import optout.pseudonymizer.id.PersonId;
import optout.pseudonymizer.id.ProjectId;
import optout.pseudonymizer.pseudonym.ProjectPseudonymizer;
import optout.pseudonymizer.pseudonym.WarehousePseudonymizer;

/**
 * The pseudonymizer's command line, run by {@code ./optout keys ...} and {@code ./optout pseudo ...} ({@code ./optout
 * bench pseudonymizer} is benchmarks/pseudonymizer-bench). Exit codes: 0 done, 1 could not be done (keys, keystore),
 * 2 wrong command line or input.
 */
public final class PseudonymizerCommand {

  static final String USAGE = """
      Usage:
        keys init                          create the key ceremony's keystore (OPTOUT_KEYSTORE), the warehouse
                                           key, the warehouse's token keys and the identity key; on an
                                           existing custody, add whichever is missing
        keys list                          every key and destroyed project: IDs, versions, dates
        keys project-create --project P    create project P's pseudonym and token keys
        keys project-destroy --project P   destroy them for good (crypto-shredding)
        keys rotate-warehouse              add the next warehouse key version (see the README)
        keys rotate-identity               add the next identity key version (see the README)
        pseudo layer1                      person IDs on stdin, one a line -> warehouse pseudonyms
        pseudo layer2 --project P          warehouse pseudonyms on stdin -> project P's pseudonyms
        keys split --duty D --to F         copy one duty's keys (warehouse, release or identity) into a
                                           keystore F of their own, passphrase OPTOUT_SPLIT_KEYSTORE_PASSWORD
                                           (or _FILE), for the one component that needs them; a project
                                           destroyed here is destroyed in F too
        keys custodian-share --file F      a new custodian share file, under OPTOUT_CUSTODIAN_PASSWORD
        keys custodian-show-share --file F the share, for pasting into an approval (yours alone)
        keys reidentification-seal --keys F --share-a FA --share-b FB
                                           seal the reversing keys (warehouse, project pseudonym keys) of
                                           the custody into F under both shares, or add new ones to F;
                                           passphrases: OPTOUT_CUSTODIAN_A_PASSWORD, _B_ (or _FILE), else asked
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
    } catch (GeneralSecurityException e) {
      err.println("error: " + e.getMessage());
      return 1;
    } catch (IOException e) {
      err.println("error: " + describe(e));
      return 1;
    } catch (UncheckedIOException e) {
      err.println("error: " + describe(e.getCause()));
      return 1;
    }
  }

  /** An I/O failure as one line: what failed on which file, never a stack trace. */
  static String describe(IOException e) {
    String reason = e instanceof FileSystemException f && f.getReason() != null ? ": " + f.getReason() : "";
    if (e instanceof NoSuchFileException f) {
      return "no such file: " + f.getFile() + reason;
    }
    if (e instanceof AccessDeniedException f) {
      return "permission denied: " + f.getFile() + reason;
    }
    if (e instanceof FileAlreadyExistsException f) {
      return "exists already: " + f.getFile() + reason;
    }
    if (e instanceof FileSystemException f) {
      return "cannot use " + f.getFile() + reason;
    }
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return "input/output failed: " + message + (e.getCause() != null && e.getCause().getMessage() != null ? " (" + e.getCause().getMessage() + ")" : "");
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
      case "keys split" -> split(options);
      case "keys custodian-share" -> custodianShare(options);
      case "keys custodian-show-share" -> custodianShowShare(options);
      case "keys reidentification-seal" -> reidentificationSeal(options);
      case "pseudo layer1" -> layer1(options);
      case "pseudo layer2" -> layer2(options);
      default -> {
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
      ProjectId warehouseTokens = ProjectId.of(KeyCustodies.WAREHOUSE_TOKENS);
      boolean tokens = keys.stream().anyMatch(k -> k.project().filter(warehouseTokens::equals).isPresent());
      if (warehouse && identity && tokens) {
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
      if (!tokens) { // the warehouse's own hospital tokens: a warehouse-duty key, made here so every split carries it
        custody.createProjectKeys(warehouseTokens).forEach(key -> report(key, "created"));
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
    requireWritten();
    err.println(lines + " pseudonyms (warehouse key version " + warehouse.keyVersion() + ")");
  }

  private void layer2(List<String> options) throws UsageException, GeneralSecurityException, IOException {
    ProjectId project = project(options);
    ProjectPseudonymizer pseudonymizer;
    try (KeyCustody custody = open()) {
      pseudonymizer = custody.projectPseudonymizer(project);
    }
    long lines = PseudonymStream.run(in, out, line -> pseudonymizer.pseudonym(PseudonymStream.parseDecimal(line)));
    requireWritten();
    err.println(lines + " pseudonyms (project " + project + ")");
  }

  private void split(List<String> options) throws UsageException, GeneralSecurityException, IOException {
    String duty = option(options, "--duty");
    Path target = Path.of(option(options, "--to"));
    if (options.size() != 4 || !duty.matches("warehouse|release|identity")) {
      throw new UsageException("Usage: keys split --duty warehouse|release|identity --to FILE");
    }
    KeyCustodies.Duty chosen = KeyCustodies.Duty.valueOf(duty.toUpperCase(java.util.Locale.ROOT));
    try (KeyCustody custody = open()) {
      List<KeyInfo> keys = KeyCustodies.split(custody, chosen, target,
          Passphrase.fromEnvironment(environment, "OPTOUT_SPLIT_KEYSTORE_PASSWORD", "OPTOUT_SPLIT_KEYSTORE_PASSWORD_FILE"));
      err.println("the " + duty + " keystore " + target + " holds " + keys.stream().map(KeyInfo::id).toList());
    }
  }

  private void custodianShare(List<String> options) throws UsageException, GeneralSecurityException, IOException {
    Path file = Path.of(option(options, "--file"));
    try (CustodianShare share = CustodianShare.create(file, custodianPassphrase("OPTOUT_CUSTODIAN", "your"))) {
      err.println("created the custodian share " + file + " (fingerprint " + share.fingerprint().substring(0, 16) + ")");
    }
  }

  private void custodianShowShare(List<String> options) throws UsageException, GeneralSecurityException, IOException {
    Path file = Path.of(option(options, "--file"));
    try (CustodianShare share = CustodianShare.open(file, custodianPassphrase("OPTOUT_CUSTODIAN", "your"))) {
      out.println(share.encoded());
    }
  }

  private void reidentificationSeal(List<String> options) throws UsageException, GeneralSecurityException, IOException {
    Path keys = Path.of(option(options, "--keys"));
    Path fileA = Path.of(option(options, "--share-a"));
    Path fileB = Path.of(option(options, "--share-b"));
    if (options.size() != 6) {
      throw new UsageException("Usage: keys reidentification-seal --keys F --share-a FA --share-b FB, and nothing else");
    }
    try (CustodianShare a = CustodianShare.open(fileA, custodianPassphrase("OPTOUT_CUSTODIAN_A", "custodian A's"));
        CustodianShare b = CustodianShare.open(fileB, custodianPassphrase("OPTOUT_CUSTODIAN_B", "custodian B's"));
        KeyCustody custody = open()) {
      ReidentificationKeys.Description sealed = ReidentificationKeys.seal(keys, a, b, custody);
      err.println("sealed the re-identification keys " + keys + " under both shares: warehouse key versions "
          + sealed.warehouseVersions() + ", projects " + sealed.projects().stream().map(ProjectId::value).toList());
    }
  }

  /** From {@code <prefix>_PASSWORD} or {@code _PASSWORD_FILE}, else asked on the terminal. */
  private Passphrase custodianPassphrase(String prefix, String whose) throws IOException {
    String variable = prefix + "_PASSWORD";
    if (environment.containsKey(variable) || environment.containsKey(variable + "_FILE") || console == null) {
      return Passphrase.fromEnvironment(environment, variable, variable + "_FILE");
    }
    char[] typed = console.readPassword("Passphrase of %s share file: ", whose);
    try {
      return Passphrase.of(typed == null ? new char[0] : typed);
    } finally {
      if (typed != null) {
        Arrays.fill(typed, '\0');
      }
    }
  }

  private static String option(List<String> options, String name) throws UsageException {
    int at = options.indexOf(name);
    if (at < 0 || at + 1 >= options.size() || options.get(at + 1).startsWith("--")) {
      throw new UsageException("Usage: " + name + " FILE is required");
    }
    return options.get(at + 1);
  }

  /** A PrintStream keeps write errors (a closed pipe, a full disk) to itself: ask, so they are not lost. */
  private void requireWritten() throws IOException {
    if (out.checkError()) {
      throw new IOException("cannot write the pseudonyms to standard output");
    }
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
