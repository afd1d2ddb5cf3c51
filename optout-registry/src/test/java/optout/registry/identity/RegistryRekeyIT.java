package optout.registry.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import optout.platform.testing.PlatformTestEnvironment;
import optout.platform.testing.TestDatabases;
import optout.platform.testing.TestKeycloak;
import optout.platform.testing.TestKeys;
import optout.pseudonymizer.custody.KeyCustodies;
import optout.pseudonymizer.custody.KeyCustody;
import optout.pseudonymizer.custody.Passphrase;
import optout.pseudonymizer.id.PersonId;
import optout.registry.LocalRegistry;
import optout.registry.RegistryApplication;
import optout.registry.audit.RegistryCommands;
import optout.registry.snapshot.Manifest;
import optout.registry.status.StatusQueries;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.boot.Banner;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A warehouse key rotation reaches the registry: opt-outs filed under version 1, the registry restarted with
 * a custody holding versions 1 and 2 re-keys itself before it serves. Then a withdrawal filed under version 2
 * finds the opt-out filed under version 1, the person's status holds both events, every snapshot (the old
 * checkpoint's too) names version 2 and holds version 2 pseudonyms, the auditor's recomputation from the
 * exported log and the re-key mapping agrees, and the audit finds nothing. A custody without the registry's
 * version, or with another key under its number, stops the registry at start; a snapshot under version 1 is
 * still made for projects built before the rotation while the custody holds it; a mapping inserted behind
 * the registry's back is found by the audit and counts nowhere.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RegistryRekeyIT {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final String STAYS = "W110000004";
  private static final String WITHDRAWS = "X110000002";
  private static final String AFTER_ROTATION = "Y110000003";
  private static final String PASSWORD = "rekey-warehouse-passphrase";

  private TestDatabases.TestDatabase database;
  private Path directory;
  private Path keyFile;
  private Path warehouse;
  private Path versionOneOnly;
  private JdbcTemplate owner;
  private LocalRegistry registry;
  private String releaser;
  private long checkpointBefore;

  @BeforeAll
  void optOutsUnderVersionOneThenARotation() throws Exception {
    database = TestDatabases.create(PlatformTestEnvironment.current(), "rekey");
    directory = Files.createTempDirectory("registry-rekey");
    keyFile = directory.resolve("registry-log.key");
    warehouse = directory.resolve("warehouse.bcfks");
    versionOneOnly = directory.resolve("warehouse-v1.bcfks");
    try (KeyCustody ceremony = TestKeys.open()) {
      KeyCustodies.split(ceremony, KeyCustodies.Duty.WAREHOUSE, warehouse, Passphrase.of(PASSWORD.toCharArray()));
    }
    Files.copy(warehouse, versionOneOnly);
    owner = new JdbcTemplate(new org.springframework.jdbc.datasource.DriverManagerDataSource(database.url(), database.user(),
        database.password()));
    releaser = TestKeycloak.get().serviceAccountToken("optout-portal");

    try (LocalRegistry first = start(warehouse)) {
      file(first, "opt-out-filed", STAYS);
      file(first, "opt-out-filed", WITHDRAWS);
      checkpointBefore = awaitEverythingSigned();
      Manifest before = manifest(first, snapshot(first, null));
      assertThat(before.warehouseKeyVersion()).isEqualTo(1);
      assertThat(pseudonymsOf(first, snapshot(first, null))).containsExactlyInAnyOrder(pseudonym(1, STAYS), pseudonym(1, WITHDRAWS));
    }
    try (KeyCustody rotated = KeyCustodies.openBcfks(warehouse, Passphrase.of(PASSWORD.toCharArray()))) {
      assertThat(rotated.createWarehouseKey().version()).isEqualTo(2);
    }
    registry = start(warehouse);
  }

  @AfterAll
  void stop() {
    if (registry != null) {
      registry.close();
    }
  }

  @Test
  @Order(1)
  void theRegistryReKeyedItselfAtStartAndFilesUnderTheNewVersion() throws Exception {
    assertThat(owner.queryForList("select version || ':' || persons from registry_key_version order by version", String.class))
        .containsExactly("1:0", "2:2");
    assertThat(owner.queryForList("select from_version || ':' || from_person || ':' || to_person from person_rekey where to_version = 2",
        String.class)).containsExactlyInAnyOrder("1:" + pseudonym(1, STAYS) + ":" + pseudonym(2, STAYS),
        "1:" + pseudonym(1, WITHDRAWS) + ":" + pseudonym(2, WITHDRAWS));
    assertThat(owner.queryForList("select person from person_state where key_version = 2", Long.class))
        .containsExactlyInAnyOrder(pseudonym(2, STAYS), pseudonym(2, WITHDRAWS));
    assertThat(owner.queryForObject("select count(*) from person_state where key_version <> 2", Integer.class)).isZero();

    // the withdrawal, filed under version 2, finds the opt-out filed under version 1
    file(registry, "opt-out-withdrawn", WITHDRAWS);
    file(registry, "opt-out-filed", AFTER_ROTATION);
    assertThat(owner.queryForList("select person_key_version from registry_event order by seq", Integer.class))
        .containsExactly(1, 1, 2, 2);
    StatusQueries.Status withdrew = registry.bean(StatusQueries.class).now(pseudonym(2, WITHDRAWS));
    assertThat(withdrew.history()).hasSize(2);
    assertThat(withdrew.state().optedOutSince()).isEmpty();
    StatusQueries.Status stays = registry.bean(StatusQueries.class).now(pseudonym(2, STAYS));
    assertThat(stays.state().optedOutSince()).containsOnlyKeys("academic-research");
    // the old pseudonym names nobody any more
    assertThat(registry.bean(StatusQueries.class).now(pseudonym(1, STAYS)).history()).isEmpty();
    // but the citizen's own view still knows it, for the usage-ledger rows made under version 1 (with or without a filing)
    PersonIdentities identities = registry.bean(PersonIdentities.class);
    assertThat(identities.version()).isEqualTo(2);
    assertThat(identities.olderPseudonyms(PersonId.parse(STAYS))).containsExactly(java.util.Map.entry(1, pseudonym(1, STAYS)));
    assertThat(identities.olderPseudonyms(PersonId.parse("Z110000005"))).containsExactly(java.util.Map.entry(1, pseudonym(1, "Z110000005")));
  }

  @Test
  @Order(2)
  void everySnapshotNamesTheNewVersionAndHoldsItsPseudonymsTheOldCheckpointsToo() throws Exception {
    long size = awaitEverythingSigned();
    JsonNode latest = snapshot(registry, size);
    assertThat(manifest(registry, latest).warehouseKeyVersion()).isEqualTo(2);
    assertThat(pseudonymsOf(registry, latest)).containsExactlyInAnyOrder(pseudonym(2, STAYS), pseudonym(2, AFTER_ROTATION));

    JsonNode old = snapshot(registry, checkpointBefore);
    assertThat(manifest(registry, old).warehouseKeyVersion()).isEqualTo(2);
    assertThat(pseudonymsOf(registry, old)).containsExactlyInAnyOrder(pseudonym(2, STAYS), pseudonym(2, WITHDRAWS));

    // a project built before the rotation keeps version 1 tables: the same set under version 1, from the sealed IDs
    // (the person who filed only after the rotation included), while the custody still holds version 1
    HttpResponse<String> older = registry.post("/api/v1/snapshots", releaser,
        "{\"purpose\": \"academic-research\", \"checkpoint\": " + size + ", \"keyVersion\": 1}");
    assertThat(older.statusCode()).as(older.body()).isIn(200, 201);
    JsonNode underOne = JSON.readTree(older.body());
    assertThat(underOne.get("id").asString()).isEqualTo("academic-research@" + size + "~k1");
    assertThat(manifest(registry, underOne).warehouseKeyVersion()).isEqualTo(1);
    assertThat(pseudonymsOf(registry, underOne)).containsExactlyInAnyOrder(pseudonym(1, STAYS), pseudonym(1, AFTER_ROTATION));
    HttpResponse<String> unheld = registry.post("/api/v1/snapshots", releaser, "{\"purpose\": \"academic-research\", \"keyVersion\": 3}");
    assertThat(unheld.statusCode()).as(unheld.body()).isEqualTo(400);
    assertThat(unheld.body()).contains("holds no warehouse key version 3");

    // the bulk check answers in version 2 and refuses pseudonyms said to be under another
    String asked = pseudonym(2, STAYS) + "\n" + pseudonym(2, WITHDRAWS) + "\n";
    HttpResponse<String> checked = registry.post("/api/v1/bulk-check?purpose=academic-research&keyVersion=2", releaser, asked, "text/plain");
    assertThat(checked.statusCode()).as(checked.body()).isEqualTo(200);
    assertThat(checked.body()).isEqualTo(pseudonym(2, WITHDRAWS) + "\n");
    assertThat(checked.headers().firstValue("Warehouse-Key-Version")).contains("2");
    HttpResponse<String> refused = registry.post("/api/v1/bulk-check?purpose=academic-research&keyVersion=1", releaser,
        pseudonym(1, STAYS) + "\n", "text/plain");
    assertThat(refused.statusCode()).as(refused.body()).isEqualTo(409);
    assertThat(refused.body()).contains("under warehouse key version 2, the request's under version 1");
  }

  @Test
  @Order(3)
  void theAuditorRecomputesTheSnapshotsFromTheLogAndTheMappingAndTheAuditFindsNothing() throws Exception {
    long size = awaitEverythingSigned();
    Path export = directory.resolve("export");
    Map<String, String> environment = Map.of("SPRING_DATASOURCE_URL", database.url(), "SPRING_DATASOURCE_USERNAME",
        database.applicationUser(), "SPRING_DATASOURCE_PASSWORD", database.password(), "OPTOUT_REGISTRY_LOG_SIGNING_KEY_FILE",
        keyFile.toString());
    RegistryCommands.Run exported = RegistryCommands.registry(environment, "export-log", "--out", export.toString());
    assertThat(exported.exitCode()).as(exported.out()).isZero();
    assertThat(Files.readAllLines(export.resolve("rekeys.jsonl"))).hasSize(2);
    for (long checkpoint : List.of(checkpointBefore, size)) {
      Path manifest = directory.resolve("manifest-" + checkpoint);
      Files.writeString(manifest, signedManifest(registry, snapshot(registry, checkpoint)), StandardCharsets.UTF_8);
      RegistryCommands.Run recomputed = recompute(export, manifest);
      assertThat(recomputed.out()).as("checkpoint " + checkpoint).startsWith("OK: snapshot academic-research@" + checkpoint)
          .contains("2 pseudonyms under warehouse key version 2");
      assertThat(recomputed.exitCode()).isZero();
    }
    // the auditor-only endpoint answers the same mapping (what the portal's evidence bundle carries), and it recomputes too
    String auditor = TestKeycloak.get().accessToken("auditor-demo");
    String written = Files.readString(export.resolve("rekeys.jsonl"));
    HttpResponse<String> served = registry.get("/api/v1/log/rekeys?toVersion=2", auditor);
    assertThat(served.statusCode()).as(served.body()).isEqualTo(200);
    assertThat(served.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/x-ndjson");
    assertThat(served.body()).isEqualTo(written);
    assertThat(registry.get("/api/v1/log/rekeys", auditor).body()).isEqualTo(written);
    Files.writeString(export.resolve("rekeys.jsonl"), served.body());
    assertThat(recompute(export, directory.resolve("manifest-" + size)).exitCode()).isZero();
    // no other role, no token, and no version a mapping can go into
    assertThat(registry.get("/api/v1/log/rekeys?toVersion=2", releaser).statusCode()).isEqualTo(403);
    assertThat(registry.get("/api/v1/log/rekeys?toVersion=2", TestKeycloak.get().accessToken("citizen-demo")).statusCode()).isEqualTo(403);
    assertThat(registry.get("/api/v1/log/rekeys?toVersion=2", null).statusCode()).isEqualTo(401);
    for (String bad : List.of("1", "0", "-2", "two", "99999999999")) {
      HttpResponse<String> refused = registry.get("/api/v1/log/rekeys?toVersion=" + bad, auditor);
      assertThat(refused.statusCode()).as(bad + ": " + refused.body()).isEqualTo(400);
      assertThat(refused.headers().firstValue("Content-Type").orElseThrow()).as(bad).startsWith("application/problem+json");
    }
    assertThat(registry.get("/api/v1/log/rekeys?toVersion=3", auditor).body()).isEmpty();

    // without the mapping, the events filed under version 1 cannot be placed: said, not guessed
    Files.writeString(export.resolve("rekeys.jsonl"), "");
    Path manifest = directory.resolve("manifest-" + size);
    assertThat(recompute(export, manifest).out()).contains("was filed under warehouse key version 1 and rekeys.jsonl does not map it");

    RegistryCommands.Run audit = RegistryCommands.registry(environment, "audit");
    assertThat(audit.exitCode()).as(audit.out()).isZero();
  }

  @Test
  @Order(4)
  void aMappingInsertedBehindTheRegistrysBackIsFoundAndCountsNowhere() throws Exception {
    long intruder = pseudonym(1, "Z110000005");
    owner.update("insert into person_rekey (to_version, from_version, from_person, to_person, row_mac) values (2, 1, ?, ?, ?)",
        intruder, pseudonym(2, STAYS), new byte[32]);
    assertThat(registry.bean(StatusQueries.class).now(pseudonym(2, STAYS)).history()).hasSize(1);
    RegistryCommands.Run audit = RegistryCommands.registry(Map.of("SPRING_DATASOURCE_URL", database.url(), "SPRING_DATASOURCE_USERNAME",
        database.applicationUser(), "SPRING_DATASOURCE_PASSWORD", database.password(), "OPTOUT_REGISTRY_LOG_SIGNING_KEY_FILE",
        keyFile.toString()), "audit");
    assertThat(audit.out()).contains("INSERTED: a re-key mapping into warehouse key version 2 was not written by the registry");
    assertThat(audit.exitCode()).isNotZero();
  }

  @Test
  @Order(5)
  void aCustodyWithoutTheRegistrysVersionOrWithAnotherKeyUnderItsNumberStopsItAtStart() throws Exception {
    registry.close();
    registry = null;
    assertThat(startFailure(versionOneOnly, PASSWORD)).contains("its pseudonyms are under warehouse key version 2, and its warehouse"
        + " custody holds versions [1]");

    Path stranger = directory.resolve("stranger.bcfks");
    try (KeyCustody other = KeyCustodies.createBcfks(stranger, Passphrase.of(PASSWORD.toCharArray()))) {
      other.createWarehouseKey();
      other.createWarehouseKey();
    }
    assertThat(startFailure(stranger, PASSWORD)).contains("warehouse custody's key version 2 does not give the pseudonyms");
  }

  /** {@code docs/recompute-snapshot.py EXPORT MANIFEST}. */
  private static RegistryCommands.Run recompute(Path export, Path manifest) throws Exception {
    Process python = new ProcessBuilder("python3", "../docs/recompute-snapshot.py", export.toString(), manifest.toString())
        .redirectErrorStream(true).start();
    String out = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!python.waitFor(60, TimeUnit.SECONDS)) {
      python.destroyForcibly();
      throw new AssertionError("the recomputation did not finish within a minute");
    }
    return new RegistryCommands.Run(python.exitValue(), out);
  }

  private LocalRegistry start(Path warehouseKeystore) throws Exception {
    return LocalRegistry.startReplacing(database, keyFile, directory.resolve("snapshots"),
        "--OPTOUT_WAREHOUSE_KEYSTORE=" + warehouseKeystore, "--OPTOUT_WAREHOUSE_KEYSTORE_PASSWORD=" + PASSWORD);
  }

  /** A start that must fail: every message of the failure's causes. */
  private String startFailure(Path warehouseKeystore, String password) throws Exception {
    List<String> arguments = LocalRegistry.argumentsReplacing(database, keyFile, directory.resolve("snapshots"),
        "--OPTOUT_WAREHOUSE_KEYSTORE=" + warehouseKeystore, "--OPTOUT_WAREHOUSE_KEYSTORE_PASSWORD=" + password);
    Throwable thrown = catchThrowable(() -> new SpringApplicationBuilder(RegistryApplication.class).bannerMode(Banner.Mode.OFF)
        .run(arguments.toArray(String[]::new)).close());
    assertThat(thrown).as("the registry must not start").isNotNull();
    StringBuilder messages = new StringBuilder();
    for (Throwable cause = thrown; cause != null; cause = cause.getCause()) {
      messages.append(cause.getMessage()).append('\n');
    }
    return messages.toString();
  }

  /** A person's pseudonym under a warehouse key version of the rotated custody. */
  private long pseudonym(int version, String id) throws Exception {
    try (KeyCustody custody = KeyCustodies.openBcfks(warehouse, Passphrase.of(PASSWORD.toCharArray()))) {
      return custody.warehousePseudonymizer(version).pseudonym(PersonId.parse(id));
    }
  }

  private void file(LocalRegistry to, String type, String id) {
    HttpResponse<String> filed = to.file(type, id, "academic-research");
    assertThat(filed.statusCode()).as(filed.body()).isEqualTo(201);
  }

  private JsonNode snapshot(LocalRegistry from, Long checkpoint) {
    HttpResponse<String> made = from.post("/api/v1/snapshots", releaser, "{\"purpose\": \"academic-research\""
        + (checkpoint == null ? "" : ", \"checkpoint\": " + checkpoint) + "}");
    assertThat(made.statusCode()).as(made.body()).isIn(200, 201);
    return JSON.readTree(made.body());
  }

  private String signedManifest(LocalRegistry from, JsonNode snapshot) {
    return from.get("/api/v1/snapshots/" + snapshot.get("id").asString() + "/manifest", releaser).body();
  }

  private Manifest manifest(LocalRegistry from, JsonNode snapshot) throws Exception {
    return Manifest.parse(signedManifest(from, snapshot).split("\n\n")[0] + "\n");
  }

  private List<Long> pseudonymsOf(LocalRegistry from, JsonNode snapshot) {
    return from.get("/api/v1/snapshots/" + snapshot.get("id").asString() + "/pseudonyms", releaser).body().lines()
        .filter(line -> !line.isBlank()).map(Long::parseLong).toList();
  }

  private long awaitEverythingSigned() throws InterruptedException {
    return LocalRegistry.awaitEverythingSigned(owner);
  }

}
