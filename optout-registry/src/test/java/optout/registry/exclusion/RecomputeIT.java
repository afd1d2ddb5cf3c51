package optout.registry.exclusion;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import optout.platform.testing.PlatformTestEnvironment;
import optout.platform.testing.TestDatabases;
import optout.platform.testing.TestKeycloak;
import optout.platform.testing.TestKeys;
import optout.pseudonymizer.custody.KeyCustody;
import optout.pseudonymizer.id.PersonId;
import optout.registry.LocalRegistry;
import optout.registry.audit.RegistryCommands;
import optout.registry.event.EventLeaf;
import optout.registry.log.Ed25519NoteSigner;
import optout.registry.snapshot.ExclusionSnapshot;
import optout.registry.snapshot.Manifest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * An auditor recomputes signed exclusion snapshots from the exported log and its openings with
 * {@code docs/recompute-snapshot.py} (Python's standard library and openssl, none of our code): a true
 * snapshot recomputes, one that leaves a person out or holds one too many is caught by name, a wrong
 * opening is caught, and a change of the scope rules after a checkpoint changes neither the served nor
 * the recomputed snapshot there. On a database of its own, so that the log holds only what this test did
 * and the rules change touches no other test.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RecomputeIT {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final String ORIGIN = "localhost/nhi-optout-registry";
  private static final String ACADEMIC = "W110000004";
  private static final String ALL_USES = "W210000006";
  private static final String COMMERCIAL = "X110000002";
  private static final String WITHDREW = "X210000004";
  private static final String NEVER_FILED = "Y110000003";
  /** The scopes of application.yml with all-secondary-use no longer covering the others. */
  private static final String[] NARROWER_RULES = scopes(false);

  @TempDir Path directory;

  private TestDatabases.TestDatabase database;
  private Path keyFile;
  private LocalRegistry registry;
  private JdbcTemplate jdbc;
  private final Map<String, Long> pseudonyms = new HashMap<>();
  private String releaser;
  private JsonNode academic;

  @BeforeAll
  void aRegistryWithOptOutsAndAnExemptionGrant() throws Exception {
    database = TestDatabases.create(PlatformTestEnvironment.current(), "recompute");
    keyFile = Files.createTempDirectory("recompute-registry-key").resolve("registry-log.key");
    registry = LocalRegistry.start(database, keyFile, keyFile.getParent().resolve("snapshots"));
    jdbc = new JdbcTemplate(new org.springframework.jdbc.datasource.DriverManagerDataSource(database.url(), database.user(),
        database.password()));
    try (KeyCustody custody = TestKeys.open()) {
      for (String id : List.of(ACADEMIC, ALL_USES, COMMERCIAL, WITHDREW, NEVER_FILED)) {
        pseudonyms.put(id, custody.warehousePseudonymizer().pseudonym(PersonId.parse(id)));
      }
    }
    file("opt-out-filed", ACADEMIC, "academic-research");
    file("opt-out-filed", ALL_USES, "all-secondary-use");
    file("opt-out-filed", COMMERCIAL, "commercial-use");
    file("opt-out-filed", WITHDREW, "academic-research");
    file("opt-out-withdrawn", WITHDREW, "academic-research");
    HttpResponse<String> granted = registry.post("/api/v1/exemptions/communicable-disease-control/grants", token("auditor-demo"),
        "{\"grantee\": \"optout-portal\", \"approvalReference\": \"RecomputeIT: approval letter 1\"}");
    assertThat(granted.statusCode()).as(granted.body()).isEqualTo(201);
    awaitEverythingSigned();
    releaser = TestKeycloak.get().serviceAccountToken("optout-portal");
    academic = snapshot(registry, "academic-research", null);
  }

  @AfterAll
  void stop() {
    if (registry != null) {
      registry.close();
    }
  }

  private static String[] scopes(boolean allCoversAll) {
    String[][] scopes = {{"academic-research", "HRESCH"}, {"government-statistics", "PUBHLTH"}, {"cross-agency-linkage", ""},
        {"commercial-use", "HMARKT"}, {"all-secondary-use", ""}};
    List<String> arguments = new java.util.ArrayList<>();
    for (int i = 0; i < scopes.length; i++) {
      String prefix = "--optout.registry.scopes[" + i + "].";
      arguments.addAll(List.of(prefix + "code=" + scopes[i][0], prefix + "zh=" + scopes[i][0], prefix + "en=" + scopes[i][0],
          prefix + "fhir-purpose=" + scopes[i][1], prefix + "covers-all=" + (allCoversAll && i == scopes.length - 1)));
    }
    return arguments.toArray(String[]::new);
  }

  private void file(String type, String id, String scope) {
    HttpResponse<String> filed = registry.file(type, id, scope);
    assertThat(filed.statusCode()).as(filed.body()).isEqualTo(201);
  }

  private static String token(String user) {
    return TestKeycloak.get().accessToken(user);
  }

  private long awaitEverythingSigned() throws InterruptedException {
    return LocalRegistry.awaitEverythingSigned(jdbc);
  }

  private JsonNode snapshot(LocalRegistry from, String purpose, Long checkpoint) {
    HttpResponse<String> made = from.post("/api/v1/snapshots", releaser, "{\"purpose\": \"" + purpose + "\""
        + (checkpoint == null ? "" : ", \"checkpoint\": " + checkpoint) + "}");
    assertThat(made.statusCode()).as(made.body()).isIn(200, 201);
    return JSON.readTree(made.body());
  }

  /** The snapshot's signed manifest and its pseudonyms as the registry serves them, in files. */
  private Path[] fetched(LocalRegistry from, JsonNode snapshot, String name) throws Exception {
    String id = snapshot.get("id").asString();
    Path manifest = directory.resolve(name + ".manifest");
    Files.writeString(manifest, from.get("/api/v1/snapshots/" + id + "/manifest", releaser).body(), StandardCharsets.UTF_8);
    HttpResponse<String> values = from.get("/api/v1/snapshots/" + id + "/pseudonyms", releaser);
    assertThat(values.statusCode()).isEqualTo(200);
    Path list = directory.resolve(name + ".pseudonyms");
    Files.writeString(list, values.body(), StandardCharsets.US_ASCII);
    return new Path[] {manifest, list};
  }

  private Path export(String name) {
    Path export = directory.resolve(name);
    RegistryCommands.Run exported = RegistryCommands.registry(Map.of("SPRING_DATASOURCE_URL", database.url(),
        "SPRING_DATASOURCE_USERNAME", database.applicationUser(), "SPRING_DATASOURCE_PASSWORD", database.password(),
        "OPTOUT_REGISTRY_LOG_SIGNING_KEY_FILE", keyFile.toString()), "export-log", "--out", export.toString());
    assertThat(exported.exitCode()).as(exported.out()).isZero();
    return export;
  }

  /** {@code docs/recompute-snapshot.py EXPORT MANIFEST --pseudonyms LIST}. */
  private static RegistryCommands.Run recompute(Path export, Path manifest, Path list) throws Exception {
    Process python = new ProcessBuilder("python3", "../docs/recompute-snapshot.py", export.toString(), manifest.toString(),
        "--pseudonyms", list.toString()).redirectErrorStream(true).start();
    String out = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!python.waitFor(60, TimeUnit.SECONDS)) {
      python.destroyForcibly();
      throw new AssertionError("the recomputation did not finish within a minute");
    }
    return new RegistryCommands.Run(python.exitValue(), out);
  }

  private List<Long> values(Path list) throws Exception {
    return Files.readAllLines(list).stream().map(Long::parseLong).toList();
  }

  /** A manifest over other values, signed with the log's own key: only the log can show it is not the log's set. */
  private Path[] forged(Path[] served, LongStream values, String name) throws Exception {
    Manifest manifest = Manifest.parse(Files.readString(served[0]).split("\n\n")[0] + "\n");
    long[] forged = values.toArray();
    Path list = directory.resolve(name + ".pseudonyms");
    Files.writeString(list, LongStream.of(forged).mapToObj(v -> v + "\n").collect(java.util.stream.Collectors.joining()));
    Path file = directory.resolve(name + ".manifest");
    Files.writeString(file, new Manifest(manifest.description(), forged.length, ExclusionSnapshot.setHash(LongStream.of(forged)),
        manifest.fileSha256(), manifest.created(), manifest.warehouseKeyVersion()).sign(Ed25519NoteSigner.fromSignerKey(Files.readString(keyFile).strip())));
    return new Path[] {file, list};
  }

  @Test
  @Order(1)
  void aTrueSnapshotRecomputesFromTheExportedLogAndItsOpenings() throws Exception {
    long size = academic.get("checkpoint").asLong();
    Path[] served = fetched(registry, academic, "academic");
    assertThat(values(served[1])).containsExactly(LongStream.of(pseudonyms.get(ACADEMIC), pseudonyms.get(ALL_USES)).sorted().boxed()
        .toArray(Long[]::new));
    Path export = export("export");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(export.resolve("openings.jsonl")))).isEqualTo("rw-------");
    assertThat(Files.readString(export.resolve("FORMAT.md"))).contains("openings.jsonl", "sensitive", "nhi-optout-registry-scope-rules/1");

    RegistryCommands.Run recomputed = recompute(export, served[0], served[1]);
    assertThat(recomputed.out()).isEqualTo("OK: snapshot academic-research@" + size + " recomputed from " + size
        + " leaves: 2 pseudonyms under warehouse key version 1, the signed set-sha256 matches\n");
    assertThat(recomputed.exitCode()).isZero();

    JsonNode mandated = json(registry.post("/api/v1/snapshots", releaser,
        "{\"purpose\": \"government-statistics\", \"exemption\": \"communicable-disease-control\"}"));
    Path[] exempt = fetched(registry, mandated, "mandated");
    RegistryCommands.Run exemptRecomputed = recompute(export, exempt[0], exempt[1]);
    assertThat(exemptRecomputed.out()).isEqualTo("exemption communicable-disease-control was granted at checkpoint " + size
        + " to: optout-portal\nOK: snapshot government-statistics+communicable-disease-control@" + size + " recomputed from " + size
        + " leaves: 0 pseudonyms under warehouse key version 1, the signed set-sha256 matches\n");
  }

  @Test
  @Order(2)
  void aSignedSnapshotThatLeavesSomeoneOutOrHoldsSomeoneTooManyIsCaughtByName() throws Exception {
    Path[] served = fetched(registry, academic, "academic");
    Path export = export("export-forged");
    long left = pseudonyms.get(ALL_USES);
    Path[] missing = forged(served, values(served[1]).stream().mapToLong(Long::longValue).filter(v -> v != left), "missing");
    RegistryCommands.Run caught = recompute(export, missing[0], missing[1]);
    assertThat(caught.out()).contains("the snapshot academic-research@" + academic.get("checkpoint").asLong() + " is not the log's")
        .contains("missing from the snapshot: " + left + "\n").doesNotContain("without reason").endsWith("NOT VERIFIED\n");
    assertThat(caught.exitCode()).isEqualTo(1);

    long extra = pseudonyms.get(NEVER_FILED);
    Path[] tooMany = forged(served, LongStream.concat(values(served[1]).stream().mapToLong(Long::longValue), LongStream.of(extra)).sorted(),
        "too-many");
    RegistryCommands.Run extraCaught = recompute(export, tooMany[0], tooMany[1]);
    assertThat(extraCaught.out()).contains("in the snapshot without reason: " + extra + "\n").doesNotContain("missing from");
    assertThat(extraCaught.exitCode()).isEqualTo(1);

    // the set changed without the log's key: the manifest's signature gives it away
    Path unsigned = directory.resolve("unsigned.manifest");
    String text = Files.readString(served[0]);
    String setHash = text.lines().filter(l -> l.startsWith("set-sha256 ")).findFirst().orElseThrow();
    Files.writeString(unsigned, text.replace(setHash, "set-sha256 " + "0".repeat(64)));
    RegistryCommands.Run tampered = recompute(export, unsigned, served[1]);
    assertThat(tampered.out()).isEqualTo("the manifest's signature does not verify with the log's key\nNOT VERIFIED\n");
    assertThat(tampered.exitCode()).isEqualTo(1);
  }

  @Test
  @Order(3)
  void aWrongOpeningIsCaught() throws Exception {
    Path[] served = fetched(registry, academic, "academic");
    Path export = export("export-opening");
    List<String> openings = Files.readAllLines(export.resolve("openings.jsonl"));
    int victim = -1;
    for (int i = 0; i < openings.size(); i++) {
      if (JSON.readTree(openings.get(i)).get("person").asLong() == pseudonyms.get(ALL_USES)) {
        victim = i;
      }
    }
    JsonNode opening = JSON.readTree(openings.get(victim));
    long index = opening.get("index").asLong();
    String leaf = new String(java.util.Base64.getDecoder().decode(Files.readAllLines(export.resolve("leaves")).get((int) index)),
        StandardCharsets.UTF_8);
    assertThat(leaf).contains("person " + HexFormat.of().formatHex(EventLeaf.personCommitment(
        HexFormat.of().parseHex(opening.get("salt").asString()), pseudonyms.get(ALL_USES))));

    // someone else's pseudonym behind the leaf: the recomputation would leave the real person out
    List<String> swapped = new java.util.ArrayList<>(openings);
    swapped.set(victim, openings.get(victim).replace(Long.toString(pseudonyms.get(ALL_USES)), Long.toString(pseudonyms.get(NEVER_FILED))));
    Files.write(export.resolve("openings.jsonl"), swapped);
    RegistryCommands.Run caught = recompute(export, served[0], served[1]);
    assertThat(caught.out()).isEqualTo("the opening of leaf " + index + " does not open its person commitment\n"
        + "NOT VERIFIED: 1 opening problem(s); the set cannot be recomputed\n");
    assertThat(caught.exitCode()).isEqualTo(1);

    List<String> withoutOne = new java.util.ArrayList<>(openings);
    withoutOne.remove(victim);
    Files.write(export.resolve("openings.jsonl"), withoutOne);
    assertThat(recompute(export, served[0], served[1]).out()).startsWith("event leaf " + index + " has no opening\n");
  }

  @Test
  @Order(4)
  void onlyAuditorsReadTheOpenings() {
    String path = "/api/v1/log/openings?start=0&count=1000";
    assertThat(registry.get(path, null).statusCode()).isEqualTo(401);
    for (String user : List.of("citizen-demo", "clerk-demo", "researcher-demo", "reviewer-demo", "custodian-a")) {
      assertThat(registry.get(path, token(user)).statusCode()).as(user).isEqualTo(403);
    }
    assertThat(registry.get(path, releaser).statusCode()).isEqualTo(403);
    assertThat(registry.get(path, TestKeycloak.get().serviceAccountToken("optout-consent")).statusCode()).isEqualTo(403);

    HttpResponse<String> audited = registry.get(path, token("auditor-demo"));
    assertThat(audited.statusCode()).isEqualTo(200);
    JsonNode openings = json(audited);
    assertThat(openings.size()).isEqualTo(5);
    JsonNode leaves = json(registry.get("/api/v1/log/leaves?start=0&count=1000", token("auditor-demo")));
    for (JsonNode opening : openings) {
      String leaf = new String(java.util.Base64.getDecoder().decode(leaves.get(opening.get("index").asInt()).get("leaf").asString()),
          StandardCharsets.UTF_8);
      assertThat(leaf).contains("person " + HexFormat.of().formatHex(EventLeaf.personCommitment(
          HexFormat.of().parseHex(opening.get("salt").asString()), opening.get("person").asLong())));
    }
    // the leaves hold the records too, in their places: the rules first, the grant last
    assertThat(leaves.size()).isEqualTo(7);
    assertThat(new String(java.util.Base64.getDecoder().decode(leaves.get(0).get("leaf").asString()), StandardCharsets.UTF_8))
        .startsWith("nhi-optout-registry-scope-rules/1\nscope academic-research excluded-by academic-research,all-secondary-use\n");
    assertThat(new String(java.util.Base64.getDecoder().decode(leaves.get(6).get("leaf").asString()), StandardCharsets.UTF_8))
        .startsWith("nhi-optout-registry-exemption-decision/1\nexemption communicable-disease-control\ngrantee optout-portal\naction grant\n");
  }

  @Test
  @Order(5)
  void aRulesChangeAfterACheckpointChangesNeitherTheServedNorTheRecomputedSnapshotThere() throws Exception {
    long before = academic.get("checkpoint").asLong();
    long after;
    JsonNode old;
    JsonNode now;
    JsonNode nowByTheFirst;
    // A second process with the narrower rules, and snapshots of its own: it computes, it finds nothing made
    try (LocalRegistry narrower = LocalRegistry.start(database, keyFile, directory.resolve("narrower-snapshots"), NARROWER_RULES)) {
      after = awaitEverythingSigned();
      assertThat(after).isEqualTo(before + 1);
      old = snapshot(narrower, "academic-research", before);
      now = snapshot(narrower, "academic-research", null);
      nowByTheFirst = snapshot(registry, "academic-research", null);
      assertThat(old.get("count").asLong()).isEqualTo(2);
      assertThat(old.get("setSha256")).isEqualTo(academic.get("setSha256"));
      assertThat(now.get("checkpoint").asLong()).isEqualTo(after);
      assertThat(now.get("count").asLong()).as("all-secondary-use no longer covers academic research").isEqualTo(1);
      // the first process, configured with the wider rules, computes with the rules logged since: the narrower ones
      assertThat(nowByTheFirst.get("setSha256")).isEqualTo(now.get("setSha256"));

      Path export = export("export-after-change");
      Path[] atBefore = fetched(narrower, old, "old");
      Path[] atAfter = fetched(narrower, now, "now");
      assertThat(values(atBefore[1])).contains(pseudonyms.get(ALL_USES));
      assertThat(values(atAfter[1])).containsExactly(pseudonyms.get(ACADEMIC));
      assertThat(recompute(export, atBefore[0], atBefore[1]).out()).startsWith("OK: snapshot academic-research@" + before
          + " recomputed from " + before + " leaves: 2 pseudonyms");
      assertThat(recompute(export, atAfter[0], atAfter[1]).out()).startsWith("OK: snapshot academic-research@" + after
          + " recomputed from " + after + " leaves: 1 pseudonyms");
      // the old snapshot as first served still recomputes against the later export
      assertThat(recompute(export, fetched(registry, academic, "academic")[0], fetched(registry, academic, "academic")[1]).exitCode()).isZero();
    }
    // a restart with the same rules logs nothing
    try (LocalRegistry again = LocalRegistry.start(database, keyFile, directory.resolve("again-snapshots"), NARROWER_RULES)) {
      Thread.sleep(300);
      assertThat(awaitEverythingSigned()).isEqualTo(after);
    }
  }

  @Test
  @Order(6)
  void aRecordTheRegistryDidNotWriteIsNeverLoggedAndAnEditedOneIsReported() throws Exception {
    long size = awaitEverythingSigned();
    String everything = "nhi-optout-registry-scope-rules/1\nscope academic-research excluded-by academic-research,commercial-use\n";
    asSuperuser("insert into log_record (kind, leaf, recorded_at, row_mac) values ('scope-rules', convert_to('" + everything.replace("\n", "' || chr(10) || '")
        + "', 'UTF8'), now(), decode(repeat('00', 32), 'hex'))");
    long forged = jdbc.queryForObject("select max(seq) from log_record", Long.class);
    Thread.sleep(500);  // the sequencers run several times meanwhile
    assertThat(jdbc.queryForObject("select count(*) from log_leaf where record_seq = ?", Long.class, forged)).isZero();
    assertThat(jdbc.queryForObject("select count(*) from registry_alert where kind = 'unauthenticated-record' and (detail ->> 'seq')::bigint = ?",
        Long.class, forged)).isEqualTo(1);
    assertThat(jdbc.queryForObject("select max(tree_size) from log_checkpoint", Long.class)).isEqualTo(size);
    Map<String, String> environment = Map.of("SPRING_DATASOURCE_URL", database.url(), "SPRING_DATASOURCE_USERNAME", database.applicationUser(),
        "SPRING_DATASOURCE_PASSWORD", database.password(), "OPTOUT_REGISTRY_LOG_SIGNING_KEY_FILE", keyFile.toString());
    RegistryCommands.Run audit = RegistryCommands.registry(environment, "audit");
    assertThat(audit.out()).contains("INSERTED: record " + forged + " was not written by the registry and is not in the log");
    assertThat(audit.exitCode()).isEqualTo(1);

    // the rules of leaf 0 changed afterwards: the signed roots give it away
    asSuperuser("update log_record set leaf = convert_to(replace(convert_from(leaf, 'UTF8'), 'academic-research,all-secondary-use',"
        + " 'academic-research'), 'UTF8') where seq = (select record_seq from log_leaf where log_index = 0)");
    RegistryCommands.Run edited = RegistryCommands.registry(environment, "audit");
    assertThat(edited.out()).contains("EDITED: the record row of leaf 0 was changed after it was logged", "TREE_MISMATCH: the rows up to leaf 0");
    assertThat(edited.exitCode()).isEqualTo(1);
  }

  private void asSuperuser(String sql) throws Exception {
    try (java.sql.Connection superuser = java.sql.DriverManager.getConnection(database.url(),
        PlatformTestEnvironment.current().postgresAdminUser(), "");
        java.sql.Statement statement = superuser.createStatement()) {
      statement.execute("set session_replication_role = replica");  // the append-only triggers off: only a superuser may
      statement.execute(sql);
    }
  }

  private static JsonNode json(HttpResponse<String> response) {
    return JSON.readTree(response.body());
  }
}
