package optout.trustcentre;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import optout.platform.testing.ServiceIntegrationTest;
import optout.platform.testing.TestKeycloak;
import optout.pseudonymizer.custody.CustodianShare;
import optout.pseudonymizer.custody.KeyCustodies;
import optout.pseudonymizer.custody.KeyCustody;
import optout.pseudonymizer.custody.Passphrase;
import optout.pseudonymizer.custody.ReidentificationKeys;
import optout.pseudonymizer.id.PersonId;
import optout.pseudonymizer.id.ProjectId;
import optout.pseudonymizer.pseudonym.NotAPseudonymException;
import optout.pseudonymizer.pseudonym.ProjectPseudonymizer;
import optout.pseudonymizer.pseudonym.WarehousePseudonymizer;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Item 3 of issue 15, end to end through the public interfaces: the warehouse ingests a first delivery
 * under warehouse key v1 and releases project A's extract, the key is rotated and the warehouse re-keyed, a
 * second delivery (the first one's people and as many more) is ingested under v2 and project B's extract released (warehouse-jobs' {@code RotationScenario}, in a JVM
 * of its own: Spark never shares a class path with Spring). Then the trust centre re-identifies rows of
 * both projects, with two custodians' shares, under the version each extract's signed manifest records:
 * every answer is the person the synthetic generator made, or the request is refused, never another person.
 * Before the versions were recorded, the trust centre reversed layer 1 with the newest key, and project A's
 * pseudonyms came back as valid but wrong people (shown here too).
 */
class KeyRotationIT extends ServiceIntegrationTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final String PROJECT_A = "rotation-project-a";
  private static final String PROJECT_B = "rotation-project-b";
  private static final String WAREHOUSE_PASSPHRASE = "rotation-warehouse-passphrase";
  private static final String RELEASE_PASSPHRASE = "rotation-release-passphrase";
  /** Spark on Java 17 opens these JDK internals (as warehouse-jobs' pom and ./optout warehouse pass them). */
  private static final List<String> SPARK_OPENS = List.of("java.lang", "java.lang.invoke", "java.lang.reflect", "java.io", "java.net",
      "java.nio", "java.util", "java.util.concurrent", "java.util.concurrent.atomic", "sun.nio.ch", "sun.nio.cs", "sun.security.action",
      "sun.util.calendar");

  private static Path work;
  private static Path warehouseKeystore;
  private static Path releaseKeystore;
  private static String shareA;
  private static String shareB;

  @DynamicPropertySource
  static void afterTheWarehouseRan(DynamicPropertyRegistry properties) throws Exception {
    runTheWarehouse();
    properties.add("optout.trust-centre.reidentification-keys", () -> work.resolve("reidentification.bcfks").toString());
    properties.add("optout.trust-centre.extract-manifest-public-key", () -> work.resolve("keys/extract-manifest.key.pub").toString());
    connectAsApplicationRole();
  }

  /** The warehouse's keys and run, then the custodians' ceremony that seals both warehouse versions and both projects. */
  private static synchronized void runTheWarehouse() throws Exception {
    if (work != null) {
      return;
    }
    Path directory = Files.createTempDirectory("key-rotation");
    Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(directory), "delete-key-rotation"));
    // the warehouse jobs' two custodies, as the ceremony splits them: warehouse (ingest, re-keying), release (extracts)
    warehouseKeystore = directory.resolve("warehouse.bcfks");
    releaseKeystore = directory.resolve("release.bcfks");
    try (KeyCustody warehouse = KeyCustodies.createBcfks(warehouseKeystore, passphrase(WAREHOUSE_PASSPHRASE));
        KeyCustody release = KeyCustodies.createBcfks(releaseKeystore, passphrase(RELEASE_PASSPHRASE))) {
      warehouse.createWarehouseKey();
      release.createProjectKeys(ProjectId.of(PROJECT_A));
      release.createProjectKeys(ProjectId.of(PROJECT_B));
    }

    Path jobs = Path.of(System.getProperty("user.dir")).resolve("../../warehouse-jobs").normalize();
    assertThat(jobs.resolve("target/lib")).as("warehouse-jobs is built first (its pom is a test dependency of the trust centre)").isDirectory();
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g"));
    SPARK_OPENS.forEach(pkg -> command.add("--add-opens=java.base/" + pkg + "=ALL-UNNAMED"));
    command.addAll(List.of("-Djdk.reflect.useDirectMethodHandle=false", "-Dio.netty.tryReflectionSetAccessible=true", "-cp",
        String.join(File.pathSeparator, jobs.resolve("target/test-classes").toString(), jobs.resolve("target/classes").toString(),
            jobs.resolve("target/lib/*").toString()),
        "optout.warehouse.rotation.RotationScenario", directory.toString(), PROJECT_A, PROJECT_B));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(directory.resolve("warehouse.log").toFile());
    builder.environment().put(KeyCustodies.Duty.WAREHOUSE.keystoreVariable(), warehouseKeystore.toString());
    builder.environment().put(KeyCustodies.Duty.WAREHOUSE.passphraseVariable(), WAREHOUSE_PASSPHRASE);
    builder.environment().put(KeyCustodies.Duty.RELEASE.keystoreVariable(), releaseKeystore.toString());
    builder.environment().put(KeyCustodies.Duty.RELEASE.passphraseVariable(), RELEASE_PASSPHRASE);
    Process process = builder.start();
    boolean ended = process.waitFor(10, TimeUnit.MINUTES);
    if (!ended) {
      process.destroyForcibly();
    }
    if (!ended || process.exitValue() != 0) {
      List<String> log = Files.readAllLines(directory.resolve("warehouse.log"));
      throw new AssertionError("The warehouse's run failed; its log ends:\n" + String.join("\n", log.subList(Math.max(0, log.size() - 60), log.size())));
    }

    try (KeyCustody warehouse = KeyCustodies.openBcfks(warehouseKeystore, passphrase(WAREHOUSE_PASSPHRASE));
        KeyCustody release = KeyCustodies.openBcfks(releaseKeystore, passphrase(RELEASE_PASSPHRASE));
        CustodianShare a = CustodianShare.create(directory.resolve("a.share"), passphrase("rotation-custodian-a"));
        CustodianShare b = CustodianShare.create(directory.resolve("b.share"), passphrase("rotation-custodian-b"))) {
      ReidentificationKeys.Description sealed = ReidentificationKeys.seal(directory.resolve("reidentification.bcfks"), a, b, warehouse, release);
      assertThat(sealed.warehouseVersions()).containsExactly(1, 2);
      shareA = a.encoded();
      shareB = b.encoded();
    }
    work = directory;
  }

  private static void delete(Path root) {
    try (var walk = Files.walk(root)) {
      walk.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (java.io.IOException e) {
      // a temporary directory: the system clears it eventually
    }
  }

  private static Passphrase passphrase(String value) {
    return Passphrase.of(value.toCharArray());
  }

  /** What a researcher of the project holds: its person pseudonyms and its extract's signed manifest. */
  private record Project(String name, List<Long> pseudonyms, String manifest, String signature) {
    static Project of(String name) throws Exception {
      List<Long> pseudonyms = Files.readAllLines(work.resolve(name + ".pseudonyms")).stream().map(Long::valueOf).toList();
      return new Project(name, pseudonyms, Files.readString(work.resolve(name + ".manifest.json"), StandardCharsets.UTF_8),
          Files.readString(work.resolve(name + ".manifest.json.sig"), StandardCharsets.US_ASCII).strip());
    }

    int warehouseKeyVersion() {
      return JSON.readTree(manifest).at("/keys/warehouseKeyVersion").asInt();
    }
  }

  /**
   * The truth: each person of a raw delivery (the generator's national IDs), carried forward through the
   * keys the extract should have used, by the project pseudonym it gives.
   */
  private static Map<Long, String> truth(int delivery, int warehouseVersion, String project) throws Exception {
    Map<Long, String> truth = new HashMap<>();
    try (KeyCustody keys = KeyCustodies.openBcfks(warehouseKeystore, passphrase(WAREHOUSE_PASSPHRASE));
        KeyCustody releaseKeys = KeyCustodies.openBcfks(releaseKeystore, passphrase(RELEASE_PASSPHRASE))) {
      WarehousePseudonymizer layer1 = keys.warehousePseudonymizer(warehouseVersion);
      ProjectPseudonymizer layer2 = releaseKeys.projectPseudonymizer(ProjectId.of(project));
      try (var parts = Files.list(work.resolve("raw-" + delivery + "/ID"))) {
        for (Path part : parts.filter(p -> p.getFileName().toString().startsWith("part-")).toList()) {
          List<String> lines = Files.readAllLines(part, StandardCharsets.UTF_8);
          for (String line : lines.subList(1, lines.size())) {
            String id = line.substring(0, line.indexOf(','));
            truth.put(layer2.pseudonym(layer1.pseudonym(PersonId.parse(id))), id);
          }
        }
      }
    }
    return truth;
  }

  private static String token(String user) {
    return TestKeycloak.get().accessToken(user);
  }

  private HttpResponse<String> post(String path, String user, String body, String idempotencyKey) {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + token(user))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
    if (idempotencyKey != null) {
      request.header("Idempotency-Key", idempotencyKey);
    }
    return send(request.build());
  }

  private HttpResponse<String> file(String project, int namedVersion, Project manifestOf, List<Long> pseudonyms) {
    String body = "{\"project\": \"" + project + "\", \"warehouseKeyVersion\": " + namedVersion + ", \"extractManifest\": "
        + JSON.writeValueAsString(manifestOf.manifest()) + ", \"manifestSignature\": \"" + manifestOf.signature() + "\", \"pseudonyms\": "
        + pseudonyms + ", \"legalBasis\": \"Medical Care Act art. 70\", \"reason\": \"key rotation test\"}";
    return post("/api/v1/reidentifications", "reviewer-demo", body, "rotation-" + UUID.randomUUID());
  }

  /** Files, has both custodians approve with their shares, and resolves: the people, by pseudonym. */
  private Map<Long, String> reidentify(Project project, List<Long> pseudonyms) {
    HttpResponse<String> filed = file(project.name(), project.warehouseKeyVersion(), project, pseudonyms);
    assertThat(filed.statusCode()).as(filed.body()).isEqualTo(201);
    JsonNode request = JSON.readTree(filed.body());
    String id = request.get("id").asString();
    assertThat(request.get("warehouseKeyVersion").asInt()).isEqualTo(project.warehouseKeyVersion());
    assertThat(post("/api/v1/reidentifications/" + id + "/approvals", "custodian-a", "{\"share\": \"" + shareA + "\"}", null).statusCode())
        .isEqualTo(200);
    assertThat(post("/api/v1/reidentifications/" + id + "/approvals", "custodian-b", "{\"share\": \"" + shareB + "\"}", null).statusCode())
        .isEqualTo(200);
    HttpResponse<String> resolved = post("/api/v1/reidentifications/" + id + "/resolution", "reviewer-demo",
        "{\"releaseSecret\": \"" + request.get("releaseSecret").asString() + "\"}", null);
    assertThat(resolved.statusCode()).as(resolved.body()).isEqualTo(200);
    Map<Long, String> people = new HashMap<>();
    JSON.readTree(resolved.body()).get("results").valueStream()
        .forEach(r -> people.put(r.get("pseudonym").asLong(), r.path("personId").isString() ? r.get("personId").asString() : null));
    return people;
  }

  private static String rule(HttpResponse<String> response) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(409);
    return JSON.readTree(response.body()).get("rule").asString();
  }

  @Test
  void rowsOfBothProjectsAreReidentifiedAsTheRightPeopleUnderTheVersionTheirManifestsRecord() throws Exception {
    Project a = Project.of(PROJECT_A);
    Project b = Project.of(PROJECT_B);
    assertThat(a.warehouseKeyVersion()).as("project A was built before the rotation").isEqualTo(1);
    assertThat(b.warehouseKeyVersion()).as("project B after it").isEqualTo(2);
    Map<Long, String> truthA = truth(1, 1, PROJECT_A);
    Map<Long, String> truthB = truth(2, 2, PROJECT_B);
    assertThat(a.pseudonyms()).hasSizeGreaterThan(50);
    assertThat(b.pseudonyms()).hasSizeGreaterThan(50);
    assertThat(truthA.keySet()).as("project A's people are the first delivery's, under v1").containsAll(a.pseudonyms());
    assertThat(truthB.keySet()).as("project B's people are the second delivery's, under v2").containsAll(b.pseudonyms());
    java.util.Set<String> firstDelivery = new java.util.HashSet<>(truthA.values());
    List<Long> bOfFirst = b.pseudonyms().stream().filter(p -> firstDelivery.contains(truthB.get(p))).toList();
    List<Long> bOfSecondOnly = b.pseudonyms().stream().filter(p -> !firstDelivery.contains(truthB.get(p))).toList();
    assertThat(bOfFirst).as("project B has people of the first delivery").hasSizeGreaterThan(20);
    assertThat(bOfSecondOnly).as("and people only the second delivery brought").hasSizeGreaterThan(20);

    // the danger, measured: reversed under the newest key (as before), project A's pseudonyms give valid but wrong people
    long wrong = 0;
    try (KeyCustody keys = KeyCustodies.openBcfks(warehouseKeystore, passphrase(WAREHOUSE_PASSPHRASE));
        KeyCustody releaseKeys = KeyCustodies.openBcfks(releaseKeystore, passphrase(RELEASE_PASSPHRASE))) {
      ProjectPseudonymizer layer2 = releaseKeys.projectPseudonymizer(ProjectId.of(PROJECT_A));
      WarehousePseudonymizer newest = keys.warehousePseudonymizer();
      assertThat(newest.keyVersion()).isEqualTo(2);
      for (long pseudonym : a.pseudonyms()) {
        try {
          PersonId person = newest.reveal(layer2.layer1(pseudonym));
          assertThat(person.unmaskedValue()).isNotEqualTo(truthA.get(pseudonym));
          wrong++;
        } catch (NotAPseudonymException madeByNoOne) {
          // recognised: no harm
        }
      }
    }
    assertThat(wrong).as("some of %d pseudonyms reverse to another, valid national ID under the wrong key", a.pseudonyms().size()).isPositive();

    // through the trust centre: every answer the generator's person
    List<Long> sampleA = a.pseudonyms().subList(0, 40);
    List<Long> sampleB = new ArrayList<>(bOfFirst.subList(0, 20));
    sampleB.addAll(bOfSecondOnly.subList(0, 20));
    Map<Long, String> answersA = reidentify(a, sampleA);
    Map<Long, String> answersB = reidentify(b, sampleB);
    assertThat(answersA).hasSize(40).allSatisfy((pseudonym, person) -> assertThat(person).as("project A").isEqualTo(truthA.get(pseudonym)));
    assertThat(answersB).hasSize(40).allSatisfy((pseudonym, person) -> assertThat(person).as("project B").isEqualTo(truthB.get(pseudonym)));

    // one person in both projects, under two warehouse key versions: the same national ID both ways
    Map<String, Long> inB = new HashMap<>();
    truthB.forEach((pseudonym, id) -> inB.put(id, pseudonym));
    java.util.Set<Long> ofB = new java.util.HashSet<>(b.pseudonyms());
    List<Long> both = a.pseudonyms().stream().filter(p -> ofB.contains(inB.get(truthA.get(p)))).limit(10).toList();
    assertThat(both).as("people in both projects").hasSize(10);
    List<Long> bothInB = both.stream().map(p -> inB.get(truthA.get(p))).toList();
    Map<Long, String> againA = reidentify(a, both);
    Map<Long, String> againB = reidentify(b, bothInB);
    for (int i = 0; i < both.size(); i++) {
      assertThat(againA.get(both.get(i))).isEqualTo(againB.get(bothInB.get(i))).isEqualTo(truthA.get(both.get(i)));
    }
  }

  @Test
  void aRequestNamingTheWrongVersionOrAnotherProjectsManifestIsRefusedNotAnsweredWrongly() throws Exception {
    Project a = Project.of(PROJECT_A);
    Project b = Project.of(PROJECT_B);
    List<Long> sample = a.pseudonyms().subList(0, 10);
    assertThat(rule(file(PROJECT_A, 2, a, sample))).as("project A's manifest says v1").isEqualTo("WAREHOUSE_KEY_VERSION_MISMATCH");
    assertThat(rule(file(PROJECT_A, 2, b, sample))).as("project B's manifest, for project A's pseudonyms").isEqualTo("MANIFEST_OF_ANOTHER_PROJECT");
    assertThat(rule(file(PROJECT_A, 3, a, sample))).isEqualTo("WAREHOUSE_KEY_VERSION_MISMATCH");
    HttpResponse<String> noVersion = post("/api/v1/reidentifications", "reviewer-demo", "{\"project\": \"" + PROJECT_A
        + "\", \"extractManifest\": " + JSON.writeValueAsString(a.manifest()) + ", \"manifestSignature\": \"" + a.signature()
        + "\", \"pseudonyms\": " + sample + ", \"legalBasis\": \"b\", \"reason\": \"r\"}", "rotation-" + UUID.randomUUID());
    assertThat(noVersion.statusCode()).as(noVersion.body()).isEqualTo(400);

    List<String> notes = JSON.readTree(get("/api/v1/audit-events?limit=1000", token("auditor-demo")).body()).valueStream()
        .filter(e -> e.get("project").asString().equals(PROJECT_A) && e.get("type").asString().equals("REFUSED"))
        .map(e -> e.get("note").asString()).toList();
    assertThat(notes).as("every refused attempt is audited").hasSizeGreaterThanOrEqualTo(3)
        .anyMatch(note -> note.contains("another warehouse key version than the extract's signed manifest"))
        .anyMatch(note -> note.contains("of another project"));
  }
}
