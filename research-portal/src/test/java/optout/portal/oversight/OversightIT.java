package optout.portal.oversight;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import optout.portal.PortalIT;
import optout.portal.RunnerStandIn;
import optout.registry.log.Hash;
import optout.registry.log.ProofVerifier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The oversight console's API (issue 17, item 5) on the whole portal with real tokens: the search over the
 * portal's own tables, a registry (log leaves, alerts) and a trust centre (re-identification audit chain) served
 * on loopback ports as stand-ins, with the auditor's own token relayed; filters, CSV export, refusals; the
 * checkpoint history with cosignatures and consistency proofs; and the evidence bundle of a delivered extract,
 * which the independent verifier inside it accepts offline, and rejects after one byte is changed; last (it changes
 * the stand-in registry), the bundle of an extract made after a warehouse key rotation, over a log of more than
 * 2,000 leaves: the whole log and the re-key mapping are in it, and it recomputes offline.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OversightIT extends PortalIT {

  private static final String AUDITOR = "auditor-demo";
  private static final String CITIZEN = "citizen-demo";
  private static final RunnerStandIn RUNNER = new RunnerStandIn(PortalIT::testDatabase);
  private static final RegistryStandIn REGISTRY = new RegistryStandIn().rules()
      .event("opt-out-filed", 10_000_000_001L).event("opt-out-filed", 10_000_000_002L).event("opt-out-filed", 10_000_000_003L)
      .event("opt-out-withdrawn", 10_000_000_002L);
  private static final long EXTRACT_CHECKPOINT = REGISTRY.checkpoint();
  private static final long LATEST_CHECKPOINT = REGISTRY.event("opt-out-filed", 10_000_000_004L).event("opt-out-filed", 10_000_000_005L)
      .checkpoint();
  private static final TrustCentreStandIn TRUST_CENTRE = new TrustCentreStandIn();

  @DynamicPropertySource
  static void services(DynamicPropertyRegistry properties) {
    properties.add("optout.portal.warehouse-output", () -> RUNNER.output().toString());
    properties.add("optout.portal.manifest-public-key", () -> RUNNER.publicKey().toString());
    properties.add("optout.portal.registry-log.url", () -> REGISTRY.url().toString());
    properties.add("optout.portal.registry-log.origin", () -> RegistryStandIn.ORIGIN);
    properties.add("optout.portal.registry-log.verifier-key", REGISTRY.logKey::verifierKey);
    properties.add("optout.portal.registry-log.witness-verifier-key", REGISTRY.witnessKey::verifierKey);
    properties.add("optout.portal.oversight.trust-centre-url", () -> TRUST_CENTRE.url().toString());
  }

  @AfterAll
  static void stopStandIns() {
    REGISTRY.stop();
    TRUST_CENTRE.stop();
  }

  @Autowired JdbcTemplate jdbc;

  @Test
  void anAuditorSearchesEveryServicesEventsAndFiltersThem() {
    REGISTRY.authorizations.clear();
    TRUST_CENTRE.authorizations.clear();
    String id = submitted(RESEARCHER);
    long number = jdbc.queryForObject("select number from application where id = ?::uuid", Long.class, id);

    JsonNode all = body(ok(getAs("/api/v1/oversight/events", AUDITOR)));
    assertThat(all.at("/sources").findValuesAsString("status")).containsOnly("ok");
    assertThat(all.at("/sources").findValuesAsString("service")).containsExactly("optout-registry", "research-portal", "trust-centre");
    assertThat(all.at("/sources/2/detail").asString()).contains("hash chain valid");
    Set<String> kinds = new HashSet<>(all.at("/events").findValuesAsString("kind"));
    assertThat(kinds).contains("application", "filing", "scope-rules", "surge-alert", "reidentification");
    assertThat(all.at("/events").findValuesAsString("reference")).contains("application-" + number, "leaf 1");
    // the auditor's own token went to the registry and the trust centre, in the header, never in a URL
    String bearer = "Bearer " + token(AUDITOR);
    assertThat(REGISTRY.authorizations).isNotEmpty().allMatch(bearer::equals);
    assertThat(TRUST_CENTRE.authorizations).isNotEmpty().allMatch(bearer::equals);
    assertThat(REGISTRY.queries).noneMatch(q -> q.contains(token(AUDITOR)));
    // nothing names a person: the leaves' person commitments are not shown
    assertThat(all.toString()).doesNotContain("person ").doesNotContain("10000000001");

    JsonNode portalOnly = body(ok(getAs("/api/v1/oversight/events?service=research-portal&kind=application&q=application-" + number, AUDITOR)));
    assertThat(portalOnly.at("/events").findValuesAsString("service")).isNotEmpty().containsOnly("research-portal");
    // every event holds the words (the run's database may hold other classes' applications, e.g. application-1 and -12)
    assertThat(portalOnly.at("/events").findValuesAsString("reference")).contains("application-" + number)
        .allMatch(reference -> reference.contains("application-" + number));
    assertThat(portalOnly.at("/events").findValuesAsString("summary")).anyMatch(s -> s.contains("-> submitted"));
    assertThat(portalOnly.at("/sources").findValuesAsString("service")).containsExactly("research-portal");

    JsonNode filings = body(ok(getAs("/api/v1/oversight/events?kind=filing&q=withdrawn", AUDITOR)));
    assertThat(filings.at("/events")).hasSize(1);
    assertThat(filings.at("/events/0/summary").asString()).startsWith("opt-out-withdrawn academic-research via counter");

    JsonNode future = body(ok(getAs("/api/v1/oversight/events?from=" + Instant.now().plusSeconds(3600), AUDITOR)));
    assertThat(future.at("/events")).isEmpty();
    JsonNode past = body(ok(getAs("/api/v1/oversight/events?service=registry&to=2026-12-05T04:00:00Z".replace("registry", "optout-registry"),
        AUDITOR)));
    assertThat(past.at("/events").findValuesAsString("kind")).containsExactly("surge-alert");

    JsonNode limited = body(ok(getAs("/api/v1/oversight/events?limit=2", AUDITOR)));
    assertThat(limited.at("/events")).hasSize(2);
    assertThat(limited.at("/truncated").asBoolean()).isTrue();
  }

  @Test
  void theSearchExportsCsvThatASpreadsheetCannotRun() {
    submitted(RESEARCHER);
    HttpResponse<String> csv = ok(getAs("/api/v1/oversight/events.csv?service=optout-registry", AUDITOR));
    assertThat(csv.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/csv");
    assertThat(csv.headers().firstValue("Content-Disposition").orElseThrow()).contains("attachment");
    assertThat(csv.headers().firstValue("Audit-Sources").orElseThrow()).isEqualTo("optout-registry=ok");
    List<String> lines = csv.body().lines().toList();
    assertThat(lines.get(0)).isEqualTo("at,service,kind,actor,reference,summary");
    assertThat(lines).anyMatch(line -> line.contains(",optout-registry,surge-alert,,alert 7,\"opt-out-surge {"));
    assertThat(lines).hasSize(1 + 1 + 7);  // the header, the alert and the log's seven leaves
  }

  @Test
  void onlyAuditorsSearchAndBadQueriesAreRefused() {
    for (String path : List.of("/api/v1/oversight/events", "/api/v1/oversight/events.csv", "/api/v1/oversight/checkpoints",
        "/api/v1/oversight/log/consistency?from=1&to=2", "/api/v1/oversight/projects/application-1/evidence-bundle")) {
      assertThat(getAs(path, null).statusCode()).as(path).isEqualTo(401);
      for (String user : List.of(RESEARCHER, REVIEWER, CITIZEN)) {
        assertThat(getAs(path, user).statusCode()).as(path + " as " + user).isEqualTo(403);
      }
    }
    for (String query : List.of("kind=unknown", "kind=FILING", "service=warehouse", "service=../etc", "limit=0", "limit=5001", "limit=many",
        "from=yesterday", "from=2026-12-06T00:00:00Z&to=2026-12-05T00:00:00Z", "q=" + "x".repeat(101))) {
      HttpResponse<String> refused = getAs("/api/v1/oversight/events?" + query, AUDITOR);
      assertThat(refused.statusCode()).as(query).isEqualTo(400);
      assertThat(refused.headers().firstValue("Content-Type").orElseThrow()).as(query).startsWith("application/problem+json");
    }
    assertThat(getAs("/api/v1/oversight/log/consistency?from=3&to=2", AUDITOR).statusCode()).isEqualTo(400);
    assertThat(getAs("/api/v1/oversight/log/consistency?from=-1&to=2", AUDITOR).statusCode()).isEqualTo(400);
    assertThat(getAs("/api/v1/oversight/projects/application-0/evidence-bundle", AUDITOR).statusCode()).isEqualTo(400);
    assertThat(getAs("/api/v1/oversight/projects/someone/evidence-bundle", AUDITOR).statusCode()).isEqualTo(400);
    assertThat(getAs("/api/v1/oversight/projects/application-999999/evidence-bundle", AUDITOR).statusCode()).isEqualTo(404);
  }

  @Test
  void aServiceThatCannotAnswerIsReportedNotHidden() {
    TRUST_CENTRE.down = true;
    try {
      JsonNode result = body(ok(getAs("/api/v1/oversight/events", AUDITOR)));
      JsonNode trustCentre = result.at("/sources/2");
      assertThat(trustCentre.path("service").asString()).isEqualTo("trust-centre");
      assertThat(trustCentre.path("status").asString()).isEqualTo("unavailable");
      assertThat(trustCentre.path("problem").asString()).isEqualTo("http-503");
      assertThat(result.at("/events").findValuesAsString("service")).doesNotContain("trust-centre").contains("optout-registry");
    } finally {
      TRUST_CENTRE.down = false;
    }
  }

  @Test
  void theCheckpointHistoryIsVerifiedAndConsistent() throws Exception {
    String project = delivered();
    JsonNode history = body(ok(getAs("/api/v1/oversight/checkpoints", AUDITOR)));
    // (the run's database may hold other test classes' deliveries and propagations, naming checkpoints this registry never
    // signed: those are listed with their problem, never as verified)
    JsonNode older = null;
    JsonNode newer = null;
    for (JsonNode entry : history) {
      if (entry.path("size").asLong() == EXTRACT_CHECKPOINT) {
        older = entry;
      } else if (entry.path("size").asLong() == LATEST_CHECKPOINT) {
        newer = entry;
      } else {
        assertThat(entry.path("logSignatureVerified").asBoolean()).as(entry.toString()).isFalse();
        assertThat(entry.path("problem").asString("")).as(entry.toString()).isNotEmpty();
      }
    }
    assertThat(older).isNotNull();
    assertThat(newer).isNotNull();
    assertThat(older.path("seenIn").toString()).contains(project);
    assertThat(newer.path("seenIn").toString()).contains("the registry's latest");
    for (JsonNode entry : List.of(older, newer)) {
      assertThat(entry.path("logSignatureVerified").asBoolean()).isTrue();
      assertThat(entry.path("witnessCosignatureVerified").asBoolean()).isTrue();
      assertThat(entry.path("cosigners").toString()).contains(RegistryStandIn.ORIGIN, "witness.test");
      assertThat(entry.path("problem").isNull()).isTrue();
    }
    // the relayed proof verifies between the two roots (the page does the same in JavaScript)
    JsonNode proof = body(ok(getAs("/api/v1/oversight/log/consistency?from=" + EXTRACT_CHECKPOINT + "&to=" + LATEST_CHECKPOINT, AUDITOR)));
    List<Hash> path = new ArrayList<>();
    proof.path("path").forEach(h -> path.add(Hash.fromBase64(h.asString())));
    ProofVerifier.verifyConsistency(EXTRACT_CHECKPOINT, LATEST_CHECKPOINT, path, Hash.fromBase64(older.path("rootHash").asString()),
        Hash.fromBase64(newer.path("rootHash").asString()));
    assertThat(getAs("/api/v1/oversight/log/consistency?from=1&to=" + (LATEST_CHECKPOINT + 5), AUDITOR).statusCode()).isEqualTo(502);
  }

  @Test
  void anEvidenceBundleVerifiesOfflineAndNotAfterOneByteIsChanged() throws Exception {
    String project = delivered();
    HttpResponse<byte[]> answer = download("/api/v1/oversight/projects/" + project + "/evidence-bundle", AUDITOR);
    assertThat(answer.statusCode()).as(new String(answer.body(), StandardCharsets.UTF_8)).isEqualTo(200);
    assertThat(answer.headers().firstValue("Content-Type").orElseThrow()).isEqualTo("application/zip");
    String sha256 = answer.headers().firstValue("X-Content-SHA256").orElseThrow();
    Path work = Files.createTempDirectory("evidence");
    Path zip = Files.write(work.resolve("bundle.zip"), answer.body());
    Path unpacked = unzip(answer.body(), work.resolve("unpacked"));
    assertThat(unpacked.resolve("verify/verify-evidence-bundle.py")).exists();
    assertThat(unpacked.resolve("verify/verify-registry-log.py")).exists();
    assertThat(unpacked.resolve("verify/recompute-snapshot.py")).exists();
    assertThat(Files.readAllLines(unpacked.resolve("log/leaves"))).hasSize((int) EXTRACT_CHECKPOINT);
    assertThat(unpacked.resolve("log/checkpoints/" + EXTRACT_CHECKPOINT)).exists();
    assertThat(Files.readString(unpacked.resolve("snapshot/pseudonyms.txt"))).isEqualTo("10000000001\n10000000003\n");

    Path verifier = unpacked.resolve("verify/verify-evidence-bundle.py");
    Verified good = verify(verifier, zip.toString());
    assertThat(good.exit()).as(good.output()).isZero();
    assertThat(good.output()).contains("OK: the extract, its exclusion snapshot and the registry log up to its checkpoint verify");

    // the taking out is itself an audit event
    JsonNode exports = body(ok(getAs("/api/v1/oversight/events?kind=evidence-export", AUDITOR)));
    assertThat(exports.at("/events/0/reference").asString()).isEqualTo(project);
    assertThat(exports.at("/events/0/summary").asString()).contains(sha256);

    // one byte changed anywhere the verifiers look: rejected
    for (String file : List.of("extract/manifest.json", "log/leaves", "snapshot/pseudonyms.txt", "snapshot/manifest", "log/openings.jsonl",
        "log/checkpoints/" + EXTRACT_CHECKPOINT)) {
      Path copy = unzip(answer.body(), work.resolve("tampered-" + file.replace('/', '-')));
      byte[] bytes = Files.readAllBytes(copy.resolve(file));
      int at = changeableByte(bytes);
      bytes[at] = (byte) (Character.isDigit(bytes[at]) ? (bytes[at] == '9' ? '8' : bytes[at] + 1) : (bytes[at] == 'A' ? 'B' : 'A'));
      Files.write(copy.resolve(file), bytes);
      Verified tampered = verify(verifier, copy.toString());
      assertThat(tampered.exit()).as(file + ": " + tampered.output()).isEqualTo(1);
      assertThat(tampered.output()).as(file).contains("NOT VERIFIED");
    }
    // and a bundle for someone else's eyes only: a researcher or reviewer gets none
    assertThat(download("/api/v1/oversight/projects/" + project + "/evidence-bundle", RESEARCHER).statusCode()).isEqualTo(403);
    assertThat(download("/api/v1/oversight/projects/" + project + "/evidence-bundle", REVIEWER).statusCode()).isEqualTo(403);
  }

  @Test
  @Order(Integer.MAX_VALUE)  // last: it rotates the stand-in's key and grows its log past what the other tests count on
  void aBundleAfterAKeyRotationHoldsTheWholeLogAndTheReKeyMappingAndRecomputesOffline() throws Exception {
    REGISTRY.rotate();
    int added = 2_100;
    for (int i = 0; i < added; i++) {
      REGISTRY.event("opt-out-filed", 20_000_000_000L + i);
    }
    REGISTRY.event("opt-out-withdrawn", RegistryStandIn.rekeyed(10_000_000_001L));  // filed under version 1, withdrawn under 2
    long rotated = REGISTRY.checkpoint();
    assertThat(rotated).isGreaterThan(2_000 + LATEST_CHECKPOINT);
    String project = delivered(rotated);
    REGISTRY.queries.clear();

    HttpResponse<byte[]> answer = download("/api/v1/oversight/projects/" + project + "/evidence-bundle", AUDITOR);
    assertThat(answer.statusCode()).as(new String(answer.body(), StandardCharsets.UTF_8)).isEqualTo(200);
    Path work = Files.createTempDirectory("evidence-rotated");
    Path zip = Files.write(work.resolve("bundle.zip"), answer.body());
    Path unpacked = unzip(answer.body(), work.resolve("unpacked"));
    // the whole log up to the extract's checkpoint, not the newest 2,000 leaves; every event leaf opened
    assertThat(Files.readAllLines(unpacked.resolve("log/leaves"))).hasSize((int) rotated);
    assertThat(Files.readAllLines(unpacked.resolve("log/openings.jsonl"))).hasSize((int) rotated - 1);
    // the mapping into the extract's version, asked for that version with the auditor's token (never in the URL)
    List<String> rekeys = Files.readAllLines(unpacked.resolve("log/rekeys.jsonl"));
    assertThat(rekeys).hasSize(5).allMatch(line -> line.contains("\"fromVersion\": 1") && line.contains("\"toVersion\": 2"));
    assertThat(REGISTRY.queries).contains("toVersion=2").noneMatch(q -> q.contains("token") || q.contains("eyJ"));
    List<String> pseudonyms = Files.readAllLines(unpacked.resolve("snapshot/pseudonyms.txt"));
    assertThat(pseudonyms).hasSize(3 + added)  // persons 3, 4 and 5 re-keyed, and the new ones
        .contains(Long.toString(RegistryStandIn.rekeyed(10_000_000_003L)), Long.toString(RegistryStandIn.rekeyed(10_000_000_005L)), "20000000000")
        .doesNotContain(Long.toString(RegistryStandIn.rekeyed(10_000_000_001L)), Long.toString(RegistryStandIn.rekeyed(10_000_000_002L)),
            "10000000003");

    Path verifier = unpacked.resolve("verify/verify-evidence-bundle.py");
    Verified good = verify(verifier, zip.toString());
    assertThat(good.exit()).as(good.output()).isZero();
    assertThat(good.output()).contains("OK: the extract, its exclusion snapshot and the registry log up to its checkpoint verify");

    // without the mapping the events filed under version 1 cannot be placed: said, not guessed
    Files.delete(unpacked.resolve("log/rekeys.jsonl"));
    Verified unmapped = verify(verifier, unpacked.toString());
    assertThat(unmapped.exit()).as(unmapped.output()).isEqualTo(1);
    assertThat(unmapped.output()).contains("rekeys.jsonl does not map it");
  }

  /** A byte in the middle of the file that is a letter or digit (so the file still parses, and only its meaning changes). */
  private static int changeableByte(byte[] bytes) {
    for (int i = bytes.length / 2; i < bytes.length; i++) {
      if (Character.isLetterOrDigit(bytes[i])) {
        return i;
      }
    }
    throw new AssertionError("no letter or digit to change");
  }

  record Verified(int exit, String output) {}

  private Verified verify(Path verifier, String bundle) throws Exception {
    Process process = new ProcessBuilder("python3", verifier.toString(), bundle, "--witness-key", REGISTRY.witnessKey.verifierKey())
        .redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Verified(process.exitValue(), output);
  }

  private static Path unzip(byte[] zip, Path into) throws Exception {
    Files.createDirectories(into);
    try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
      for (ZipEntry entry; (entry = in.getNextEntry()) != null; ) {
        Path target = into.resolve(entry.getName()).normalize();
        assertThat(target.startsWith(into)).as(entry.getName()).isTrue();
        Files.createDirectories(target.getParent());
        Files.write(target, in.readAllBytes());
      }
    }
    return into;
  }

  private HttpResponse<byte[]> download(String path, String user) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(60))
        .header("Authorization", "Bearer " + token(user)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private static HttpResponse<String> ok(HttpResponse<String> response) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return response;
  }

  /** An approved application whose extract the runner delivered against the registry's first checkpoint; its project. */
  private String delivered() throws Exception {
    return delivered(EXTRACT_CHECKPOINT);
  }

  /** An approved application whose extract the runner delivered against this checkpoint of the registry; its project. */
  private String delivered(long checkpoint) throws Exception {
    String id = submitted(RESEARCHER);
    int version = jdbc.queryForObject("select current_version from application where id = ?::uuid", Integer.class, id);
    assertThat(json("POST", "/api/v1/reviews/" + id + "/decision", REVIEWER,
        "{\"outcome\": \"approve\", \"version\": " + version + ", \"reason\": \"Minimum necessary.\"}").statusCode()).isEqualTo(200);
    UUID extract = jdbc.queryForObject("select id from job where application_id = ?::uuid and kind = 'extract'", UUID.class, id);
    String project = jdbc.queryForObject("select project from job where id = ?", String.class, extract);
    String extractId = "EX-20261206-" + extract.toString().substring(0, 8);
    String manifest = REGISTRY.extractManifest(extractId, checkpoint);
    RUNNER.releaseExtract(extract, project, extractId, manifest, "{\"personsBefore\":60,\"dimensions\":[]}", "{\"enrollment\":58}");
    return project;
  }
}
