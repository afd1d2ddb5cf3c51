package optout.pseudonymizer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import optout.pseudonymizer.custody.KeyCustodies;
import optout.pseudonymizer.custody.KeyCustody;
import optout.pseudonymizer.custody.KeyInfo;
import optout.pseudonymizer.custody.Passphrase;
import optout.pseudonymizer.id.PersonId;
import optout.pseudonymizer.id.ProjectId;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PseudonymizerCommandTest {

  @TempDir Path directory;
  private Map<String, String> environment;

  record Result(int exitCode, String out, String err) {
    List<String> lines() {
      return out.isEmpty() ? List.of() : List.of(out.split("\n"));
    }
  }

  private Result run(String input, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = new PseudonymizerCommand(environment, new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)),
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), null).run(args);
    return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @BeforeEach
  void keystore() {
    environment = Map.of("OPTOUT_KEYSTORE", directory.resolve("keys.bcfks").toString(),
        "OPTOUT_KEYSTORE_PASSWORD", "a test passphrase");
    assertThat(run("", "keys", "init").exitCode()).isZero();
    assertThat(run("", "keys", "project-create", "--project", "diabetes-2026").exitCode()).isZero();
    assertThat(run("", "keys", "project-create", "--project", "cancer-2026").exitCode()).isZero();
  }

  private static String ids(int count, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    Set<Long> codes = new HashSet<>();
    while (codes.size() < count) {
      codes.add(random.nextLong(PersonId.CODE_COUNT));
    }
    return codes.stream().map(code -> PersonId.fromCode(code).unmaskedValue()).collect(Collectors.joining("\n", "", "\n"));
  }

  @Test
  void layerOneGivesOneDistinctStablePseudonymPerLine() {
    String input = ids(100_000, 1);
    Result first = run(input, "pseudo", "layer1");
    assertThat(first.exitCode()).isZero();
    assertThat(first.lines()).hasSize(100_000).doesNotHaveDuplicates().allMatch(l -> l.matches("1\\d{10}"));
    assertThat(run(input, "pseudo", "layer1").out()).isEqualTo(first.out());
    assertThat(first.err()).contains("100000 pseudonyms (warehouse key version 1)");
  }

  @Test
  void layerTwoDiffersBetweenProjects() {
    String layer1 = run(ids(10_000, 2), "pseudo", "layer1").out();
    List<String> diabetes = run(layer1, "pseudo", "layer2", "--project", "diabetes-2026").lines();
    List<String> cancer = run(layer1, "pseudo", "layer2", "--project", "cancer-2026").lines();
    assertThat(diabetes).hasSize(10_000).doesNotHaveDuplicates().allMatch(l -> l.matches("2\\d{10}"));
    assertThat(IntStream.range(0, diabetes.size()).filter(i -> diabetes.get(i).equals(cancer.get(i)))).isEmpty();
  }

  @Test
  void anInvalidLineStopsEverythingWithItsNumberAndNothingOnStdout() {
    String input = "A123456789\nF234567898\nA123456788\nA800000014\n";
    Result result = run(input, "pseudo", "layer1");
    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.out()).isEmpty();
    assertThat(result.err()).isEqualTo("error: line 3: Not a valid person identifier: the check digit (the last character) does not match: a character was probably mistyped\n")
        .doesNotContain("A123456788");

    Result layer2 = run("13997691646\n\n", "pseudo", "layer2", "--project", "diabetes-2026");
    assertThat(layer2.exitCode()).isEqualTo(2);
    assertThat(layer2.out()).isEmpty();
    assertThat(layer2.err()).contains("line 2: not a pseudonym");

    Result wrongLayer = run("28937349656\n", "pseudo", "layer2", "--project", "diabetes-2026");
    assertThat(wrongLayer.exitCode()).isEqualTo(2);
    assertThat(wrongLayer.err()).contains("line 1: Not a warehouse (layer-1) pseudonym");
  }

  @Test
  void afterDestructionTheProjectsPseudonymsCannotBeMade() {
    String layer1 = run("A123456789\n", "pseudo", "layer1").out();
    assertThat(run(layer1, "pseudo", "layer2", "--project", "diabetes-2026").exitCode()).isZero();
    Result destroyed = run("", "keys", "project-destroy", "--project", "diabetes-2026");
    assertThat(destroyed.exitCode()).isZero();
    assertThat(destroyed.err()).startsWith("destroyed destroyed.diabetes-2026");

    Result refused = run(layer1, "pseudo", "layer2", "--project", "diabetes-2026");
    assertThat(refused.exitCode()).isEqualTo(1);
    assertThat(refused.out()).isEmpty();
    assertThat(refused.err()).contains("Project diabetes-2026 has no keys: they were destroyed at");
    assertThat(run(layer1, "pseudo", "layer2", "--project", "cancer-2026").exitCode()).isZero();
    assertThat(run("", "keys", "list").out()).contains("destroyed.diabetes-2026", "DESTROYED_PROJECT")
        .doesNotContain("project.diabetes-2026.pseudonym");
  }

  @Test
  void initCreatesTheWarehouseAndIdentityKeysAndAfterwardsHasNothingToDo() {
    environment = Map.of("OPTOUT_KEYSTORE", directory.resolve("fresh/keys.bcfks").toString(), "OPTOUT_KEYSTORE_PASSWORD", "a test passphrase");
    Result init = run("", "keys", "init");
    assertThat(init.exitCode()).isZero();
    assertThat(init.err().lines()).hasSize(4);
    assertThat(init.err().lines().toList().get(0)).startsWith("created warehouse.v1 (WAREHOUSE_PSEUDONYM) at ");
    assertThat(init.err().lines().toList().get(1)).startsWith("created identity.v1 (SEALED_PERSON_ID) at ");
    assertThat(init.err().lines().toList().subList(2, 4)).as("the warehouse's own token keys, a warehouse-duty key")
        .anyMatch(line -> line.startsWith("created project.nhi-warehouse.token (PROJECT_TOKEN)"));
    assertThat(run("", "keys", "list").out()).contains("identity.v1", "SEALED_PERSON_ID", "warehouse.v1");

    Result again = run("", "keys", "init");
    assertThat(again.exitCode()).isZero();
    assertThat(again.err()).isEqualTo("The key custody (KeyCustody[BcfksFileStorage]) is initialised already: nothing to do\n");
    assertThat(run("", "keys", "list").out().lines().filter(l -> l.startsWith("identity.") || l.startsWith("warehouse."))).hasSize(2);
  }

  /** A keystore made by `keys init` before the identity key existed, as earlier `./optout up` runs left it. */
  @Test
  void initUpgradesAKeystoreFromBeforeTheIdentityKeyAndChangesNothingElse() throws Exception {
    Path keystore = directory.resolve("old/pseudonymizer.bcfks");
    try (KeyCustody old = KeyCustodies.createBcfks(keystore, Passphrase.of("an old passphrase".toCharArray()))) {
      old.createWarehouseKey();
      old.createProjectKeys(ProjectId.of("diabetes-2026"));
    }
    environment = Map.of("OPTOUT_KEYSTORE", keystore.toString(), "OPTOUT_KEYSTORE_PASSWORD", "an old passphrase");
    String ids = ids(1000, 3);
    String layer1Before = run(ids, "pseudo", "layer1").out();
    String layer2Before = run(layer1Before, "pseudo", "layer2", "--project", "diabetes-2026").out();

    Result upgrade = run("", "keys", "init");
    assertThat(upgrade.exitCode()).isZero();
    assertThat(upgrade.err()).startsWith("upgraded the key custody (KeyCustody[BcfksFileStorage]), which had no identity key: "
        + "created identity.v1 (SEALED_PERSON_ID) at ").doesNotContain("warehouse.v");
    assertThat(run(ids, "pseudo", "layer1").out()).isEqualTo(layer1Before);
    assertThat(run(layer1Before, "pseudo", "layer2", "--project", "diabetes-2026").out()).isEqualTo(layer2Before);
    assertThat(run("", "keys", "init").err()).contains("nothing to do");

    try (KeyCustody custody = KeyCustodies.openBcfks(keystore, Passphrase.of("an old passphrase".toCharArray()))) {
      assertThat(custody.keys()).extracting(KeyInfo::id)
          .containsExactly("identity.v1", "project.diabetes-2026.pseudonym", "project.diabetes-2026.token",
              "project.nhi-warehouse.pseudonym", "project.nhi-warehouse.token", "warehouse.v1");
      PersonId person = PersonId.parse(ids.lines().findFirst().orElseThrow());
      long layer1 = Long.parseLong(layer1Before.lines().findFirst().orElseThrow());
      assertThat(custody.identitySealer().open(custody.identitySealer().seal(person, layer1), layer1)).isEqualTo(person);
    }
  }

  @Test
  void rotateIdentityAddsTheNextVersion() {
    Result rotated = run("", "keys", "rotate-identity");
    assertThat(rotated.exitCode()).isZero();
    assertThat(rotated.err()).startsWith("created identity.v2 (SEALED_PERSON_ID) at ");
    assertThat(run("", "keys", "list").out()).contains("identity.v1", "identity.v2");
    assertThat(run("", "keys", "rotate-identity", "--now").exitCode()).isEqualTo(2);
  }

  @Test
  void refusesWrongCommandLinesAndMissingConfiguration() {
    assertThat(run("", "pseudo", "layer3").exitCode()).isEqualTo(2);
    assertThat(run("", "pseudo", "layer3").err()).contains("unknown command: pseudo layer3", "Usage:");
    assertThat(run("", "pseudo", "layer2").err()).contains("--project P is required");
    assertThat(run("", "pseudo", "layer2", "--project", "Not Valid").err())
        .contains("Cannot use project ID: use 3 to 63 lower-case letters");

    environment = Map.of("OPTOUT_KEYSTORE", environment.get("OPTOUT_KEYSTORE"));
    Result noPassphrase = run("", "keys", "list");
    assertThat(noPassphrase.exitCode()).isEqualTo(2);
    assertThat(noPassphrase.err()).contains("Cannot open the keystore: set OPTOUT_KEYSTORE_PASSWORD");
    environment = Map.of("OPTOUT_KEYSTORE", environment.get("OPTOUT_KEYSTORE"), "OPTOUT_KEYSTORE_PASSWORD", "not the passphrase");
    assertThat(run("", "keys", "list").err()).contains("wrong passphrase");
    environment = Map.of();
    assertThat(run("", "keys", "list").err()).contains("Cannot find the keystore: set OPTOUT_KEYSTORE");
  }

  @Test
  void anInputOutputErrorIsOneClearLineNotAStackTrace() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    java.io.InputStream failing = new java.io.InputStream() {
      @Override
      public int read() throws java.io.IOException {
        throw new java.io.IOException("Input/output error");
      }
    };
    int code = new PseudonymizerCommand(environment, failing, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), null).run(new String[] {"pseudo", "layer1"});
    assertThat(code).isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("error: input/output failed: Input/output error\n");
    assertThat(out.size()).isZero();

    environment = Map.of("OPTOUT_KEYSTORE", directory.resolve("missing/keys.bcfks").toString(), "OPTOUT_KEYSTORE_PASSWORD", "a test passphrase");
    Result missing = run("", "keys", "list");
    assertThat(missing.exitCode()).isEqualTo(1);
    assertThat(missing.err()).startsWith("error: no such file: ").contains("keys.bcfks").doesNotContain("\tat ", "Exception");
    environment = Map.of("OPTOUT_KEYSTORE", directory.toString(), "OPTOUT_KEYSTORE_PASSWORD", "a test passphrase");
    Result directoryInstead = run("", "keys", "list");
    assertThat(directoryInstead.exitCode()).isEqualTo(1);
    assertThat(directoryInstead.err()).doesNotContain("\tat ", "Exception").hasLineCount(1);
  }

  @Test
  void custodiansMakeTheirSharesAndSealTheReversingKeysTogether() {
    Map<String, String> custody = environment;
    environment = Map.of("OPTOUT_CUSTODIAN_PASSWORD", "custodian a passphrase");
    assertThat(run("", "keys", "custodian-share", "--file", directory.resolve("a.share").toString()).exitCode()).isZero();
    environment = Map.of("OPTOUT_CUSTODIAN_PASSWORD", "custodian b passphrase");
    assertThat(run("", "keys", "custodian-share", "--file", directory.resolve("b.share").toString()).exitCode()).isZero();
    Result shown = run("", "keys", "custodian-show-share", "--file", directory.resolve("b.share").toString());
    assertThat(shown.out().strip()).matches("[A-Za-z0-9_-]{43}");
    environment = new java.util.HashMap<>(custody);
    environment.put("OPTOUT_CUSTODIAN_A_PASSWORD", "custodian a passphrase");
    environment.put("OPTOUT_CUSTODIAN_B_PASSWORD", "custodian a passphrase");
    String[] seal = {"keys", "reidentification-seal", "--keys", directory.resolve("reid.bcfks").toString(),
        "--share-a", directory.resolve("a.share").toString(), "--share-b", directory.resolve("b.share").toString()};
    Result wrong = run("", seal);
    assertThat(wrong.exitCode()).as("B's passphrase is B's").isEqualTo(1);
    environment.put("OPTOUT_CUSTODIAN_B_PASSWORD", "custodian b passphrase");
    Result sealed = run("", seal);
    assertThat(sealed.exitCode()).as(sealed.err()).isZero();
    assertThat(sealed.err()).contains("projects [cancer-2026, diabetes-2026]", "warehouse key versions [1]");
    assertThat(run("", seal).exitCode()).as("sealing again adds what is new").isZero();
  }

  @Test
  void eachDutysKeysGoIntoAKeystoreOfTheirOwn() throws Exception {
    Map<String, String> full = environment;
    environment = new java.util.HashMap<>(full);
    environment.put("OPTOUT_SPLIT_KEYSTORE_PASSWORD", "warehouse duty passphrase");
    Path warehouse = directory.resolve("warehouse.bcfks");
    Result split = run("", "keys", "split", "--duty", "warehouse", "--to", warehouse.toString());
    assertThat(split.exitCode()).as(split.err()).isZero();
    assertThat(split.err()).contains("[project.nhi-warehouse.pseudonym, project.nhi-warehouse.token, warehouse.v1]");
    assertThat(run("", "keys", "rotate-warehouse").exitCode()).isZero();
    assertThat(run("", "keys", "split", "--duty", "warehouse", "--to", warehouse.toString()).err()).as("a new version is added")
        .contains("warehouse.v1, warehouse.v2]");
    environment.put("OPTOUT_SPLIT_KEYSTORE_PASSWORD", "release duty passphrase");
    assertThat(run("", "keys", "split", "--duty", "release", "--to", directory.resolve("release.bcfks").toString()).err())
        .contains("project.cancer-2026.pseudonym", "project.diabetes-2026.token").doesNotContain("warehouse", "identity");
    assertThat(run("", "keys", "split", "--duty", "everything", "--to", directory.resolve("x.bcfks").toString()).exitCode()).isEqualTo(2);

    try (KeyCustody custody = KeyCustodies.openBcfks(warehouse, Passphrase.of("warehouse duty passphrase".toCharArray()))) {
      assertThat(custody.warehousePseudonymizer().keyVersion()).isEqualTo(2);
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> custody.projectPseudonymizer(ProjectId.of("cancer-2026")))
          .hasMessageContaining("has no keys");
      org.assertj.core.api.Assertions.assertThatThrownBy(custody::identitySealer).hasMessageContaining("no identity key");
    }
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> KeyCustodies.openBcfks(warehouse, Passphrase.of("a test passphrase".toCharArray())))
        .as("its own passphrase, not the full keystore's").hasMessageContaining("wrong passphrase");
  }
}
