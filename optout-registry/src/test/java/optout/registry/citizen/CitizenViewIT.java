package optout.registry.citizen;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import optout.registry.RegistryIT;
import optout.registry.log.Checkpoint;
import optout.registry.log.CheckpointVerifier;
import optout.registry.log.Ed25519NoteVerifier;
import optout.registry.log.Hash;
import optout.registry.log.MerkleHashing;
import optout.registry.log.ProofVerifier;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/**
 * The citizen-demo user (national ID A123456789 on record in Keycloak) sees their own opt-out with a
 * receipt that verifies against the public log with nothing but the verifier key.
 */
class CitizenViewIT extends RegistryIT {

  @Autowired private JdbcTemplate jdbc;

  private JsonNode awaitReceipt(String eventId) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (System.nanoTime() < deadline) {
      HttpResponse<String> mine = get(CitizenController.MINE, token("citizen-demo"));
      assertThat(mine.statusCode()).as(mine.body()).isEqualTo(200);
      for (JsonNode entry : json(mine).get("history")) {
        if (entry.get("eventId").asString().equals(eventId) && !entry.get("receipt").isNull()) {
          return entry.get("receipt");
        }
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no receipt within 20 s");
  }

  @Test
  void aCitizenSeesTheirOptOutWithAReceiptThatAnyoneCanVerify() throws Exception {
    HttpResponse<String> filed = file(key(),
        filing("opt-out-filed", "A123456789", "\"academic-research\"", "counter", ""));
    assertThat(filed.statusCode()).as(filed.body()).isIn(201, 409);
    String eventId = filed.statusCode() == 201 ? json(filed).get("id").asString()
        : json(get(CitizenController.MINE, token("citizen-demo"))).at("/history/0/eventId").asString();

    JsonNode status = json(get(CitizenController.MINE, token("citizen-demo")));
    assertThat(status.at("/optedOut/0/scope").asString()).isEqualTo("academic-research");
    assertThat(status.at("/optedOut/0/traditionalChinese").asString()).isEqualTo("學術研究");
    assertThat(status.get("exemptions").size()).isPositive();
    assertThat(status.at("/exemptions/0/legalBasis").asString()).isNotBlank();
    assertThat(status.toString()).doesNotContain("A123456789");

    JsonNode receipt = awaitReceipt(eventId);
    // everything below uses only the receipt, the public verifier key and the published algorithms
    String verifierKey = get("/api/v1/log/verifier-key", null).body().strip();
    Checkpoint checkpoint = new CheckpointVerifier("localhost/nhi-optout-registry", Ed25519NoteVerifier.fromVerifierKey(verifierKey))
        .verify(receipt.get("checkpoint").asString());
    assertThat(checkpoint.size()).isEqualTo(receipt.get("treeSize").asLong());
    byte[] leaf = Base64.getDecoder().decode(receipt.get("leaf").asString());
    List<Hash> path = new ArrayList<>();
    receipt.get("inclusionProof").forEach(h -> path.add(Hash.fromBase64(h.asString())));
    ProofVerifier.verifyInclusion(MerkleHashing.leafHash(leaf), receipt.get("logIndex").asLong(), checkpoint.size(), path,
        checkpoint.rootHash());

    // the leaf names the citizen only as a commitment that their salt and pseudonym open
    String leafText = new String(leaf, StandardCharsets.UTF_8);
    assertThat(leafText).contains("id " + eventId + "\n", "type opt-out-filed\n", "scopes academic-research\n");
    byte[] salt = HexFormat.of().parseHex(receipt.get("personSalt").asString());
    long pseudonym = status.get("pseudonym").asLong();
    // one warehouse key version so far: no older pseudonym to name
    assertThat(status.get("keyVersion").asInt()).isEqualTo(1);
    assertThat(status.get("olderPseudonyms").size()).isZero();
    MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
    sha256.update("nhi-optout-person/1".getBytes(StandardCharsets.US_ASCII));
    sha256.update((byte) 0);
    sha256.update(salt);
    sha256.update(ByteBuffer.allocate(8).putLong(pseudonym).array());
    assertThat(leafText).contains("person " + HexFormat.of().formatHex(sha256.digest()) + "\n");
    assertThat(leafText).doesNotContain(Long.toString(pseudonym));
  }

  @Test
  void statusAsOfAnInstantAndACheckpoint() throws Exception {
    String person = "C100000003";
    HttpResponse<String> filed = file(key(),
        filing("opt-out-filed", person, "\"commercial-use\"", "counter", ""));
    assertThat(filed.statusCode()).as(filed.body()).isEqualTo(201);
    String eventId = json(filed).get("id").asString();
    long logIndex = -1;
    for (int i = 0; i < 200 && logIndex < 0; i++) {
      JsonNode view = json(get("/api/v1/filings/" + eventId, token("auditor-demo")));
      logIndex = view.get("logIndex").isNull() ? -1 : view.get("logIndex").asLong();
      Thread.sleep(50);
    }
    assertThat(logIndex).isNotNegative();
    HttpResponse<String> byAuditor = get("/api/v1/log/leaves?start=" + logIndex + "&count=1", token("auditor-demo"));
    assertThat(byAuditor.statusCode()).isEqualTo(200);
    String leaf = new String(Base64.getDecoder().decode(json(byAuditor).at("/0/leaf").asString()), StandardCharsets.UTF_8);
    assertThat(leaf).contains("id " + eventId);
    assertThat(get("/api/v1/log/leaves?start=0", token("citizen-demo")).statusCode()).isEqualTo(403);

    // the pseudonym, as the auditor knows it from the warehouse side
    long pseudonym;
    try (var custody = optout.platform.testing.TestKeys.open()) {
      pseudonym = custody.warehousePseudonymizer().pseudonym(optout.pseudonymizer.id.PersonId.parse(person));
    }
    String auditor = token("auditor-demo");
    assertThat(json(get("/api/v1/persons/" + pseudonym + "/status", auditor)).at("/optedOut/0/scope").asString()).isEqualTo("commercial-use");
    assertThat(json(get("/api/v1/persons/" + pseudonym + "/status?at=2026-11-19T00:00:00Z", auditor)).get("optedOut").size()).isZero();
    if (logIndex > 0) {  // a tree that ends just before the filing does not hold it
      assertThat(json(get("/api/v1/persons/" + pseudonym + "/status?checkpoint=" + logIndex, auditor)).get("optedOut").size()).isZero();
    }
    assertThat(json(get("/api/v1/persons/" + pseudonym + "/status?checkpoint=" + (logIndex + 1), auditor)).get("optedOut").size()).isEqualTo(1);
    assertThat(get("/api/v1/persons/" + pseudonym + "/status", token("clerk-demo")).statusCode()).isEqualTo(403);
    assertThat(get("/api/v1/persons/" + pseudonym + "/status?at=2026-11-19T00:00:00Z&checkpoint=3", auditor).statusCode()).isEqualTo(400);
  }

  /** The portal's status watch (realm role {@code status-reader}) reads a status by pseudonym and reaches nothing else. */
  @Test
  void theStatusReaderReadsAStatusByPseudonymAndNothingElse() throws Exception {
    String person = "F100000006";
    HttpResponse<String> filed = file(key(), filing("opt-out-filed", person, "\"government-statistics\"", "counter", ""));
    assertThat(filed.statusCode()).as(filed.body()).isEqualTo(201);
    String eventId = json(filed).get("id").asString();
    long pseudonym;
    try (var custody = optout.platform.testing.TestKeys.open()) {
      pseudonym = custody.warehousePseudonymizer().pseudonym(optout.pseudonymizer.id.PersonId.parse(person));
    }
    String watcher = optout.platform.testing.TestKeycloak.get().serviceAccountToken("optout-portal-status");

    HttpResponse<String> status = get("/api/v1/persons/" + pseudonym + "/status", watcher);
    assertThat(status.statusCode()).as(status.body()).isEqualTo(200);
    assertThat(json(status).at("/optedOut/0/scope").asString()).isEqualTo("government-statistics");
    assertThat(json(status).at("/history/0/eventId").asString()).isEqualTo(eventId);
    assertThat(status.body()).doesNotContain(person);

    for (String path : List.of(CitizenController.MINE, "/api/v1/me/consent", "/api/v1/persons/" + pseudonym + "/consent",
        "/api/v1/filings/" + eventId, "/api/v1/filings/" + eventId + "/log-receipt", "/api/v1/log/leaves?start=0",
        "/api/v1/log/inclusion?index=0&size=1", "/api/v1/log/openings", "/api/v1/alerts", "/api/v1/snapshots/1/manifest", "/api/v1/snapshots/1/pseudonyms",
        "/api/v1/session")) {
      assertThat(get(path, watcher).statusCode()).as(path).isEqualTo(403);
    }
    for (String path : List.of("/api/v1/filings", "/api/v1/snapshots", "/api/v1/bulk-check",
        "/api/v1/exemptions/research-mandated/grants", "/api/v1/exemptions/research-mandated/revocations")) {
      assertThat(post(path, watcher, key(), "{}").statusCode()).as(path).isEqualTo(403);
    }
  }

  @Test
  void aWithdrawalInsertedBehindTheRegistrysBackChangesNoView() throws Exception {
    String person = "L120000015";
    HttpResponse<String> filed = file(key(), filing("opt-out-filed", person, "\"cross-agency-linkage\"", "online", ""));
    assertThat(filed.statusCode()).as(filed.body()).isEqualTo(201);
    String eventId = json(filed).get("id").asString();
    long pseudonym;
    try (var custody = optout.platform.testing.TestKeys.open()) {
      pseudonym = custody.warehousePseudonymizer().pseudonym(optout.pseudonymizer.id.PersonId.parse(person));
    }
    // an insider with the database copies the row as a withdrawal; it cannot compute the registry's row MAC
    asSuperuser("""
        insert into registry_event (id, type, person, person_salt, person_id_sealed, scopes, channel, document_reference,
          document_sha256, effective_at, recorded_at, filed_by, filed_by_subject, idempotency_key, request_sha256, row_mac,
          stat_sex, stat_county, stat_age_band)
        select gen_random_uuid(), 'opt-out-withdrawn', person, person_salt, person_id_sealed, scopes, channel, document_reference,
          document_sha256, effective_at + interval '1 hour', recorded_at + interval '1 hour', filed_by, filed_by_subject,
          'forged-' || idempotency_key, request_sha256, row_mac, stat_sex, stat_county, stat_age_band
        from registry_event where id = '%s'""".formatted(eventId));

    String auditor = token("auditor-demo");
    long logged = -1;
    for (int i = 0; i < 200 && logged < 0; i++) {
      JsonNode view = json(get("/api/v1/filings/" + eventId, auditor));
      logged = view.get("logIndex").isNull() ? -1 : view.get("logIndex").asLong();
      Thread.sleep(50);
    }
    assertThat(logged).isNotNegative();
    long treeSize = logged + 1;
    for (int i = 0; i < 200 && get("/api/v1/log/checkpoints/" + treeSize, null).statusCode() != 200; i++) {
      Thread.sleep(50);
    }
    for (String asOf : new String[] {"", "?at=2026-11-21T00:00:00Z", "?checkpoint=" + treeSize}) {
      JsonNode status = json(get("/api/v1/persons/" + pseudonym + "/status" + asOf, auditor));
      assertThat(status.at("/optedOut/0/scope").asString()).as(asOf).isEqualTo("cross-agency-linkage");
      assertThat(status.get("history").size()).as(asOf).isEqualTo(1);
      assertThat(status.at("/history/0/eventId").asString()).isEqualTo(eventId);
      assertThat(status.at("/history/0/logIndex").asLong()).isEqualTo(logged);
    }
    HttpResponse<String> fhir = get("/api/v1/persons/" + pseudonym + "/consent", auditor);
    assertThat(fhir.statusCode()).as(fhir.body()).isEqualTo(200);
    assertThat(json(fhir).get("status").asString()).isEqualTo("active");

    // the test JVM's registry database is shared: once the sequencer has refused the row, take it and its alert away
    long forged = jdbc.queryForObject("select seq from registry_event where idempotency_key like 'forged-%' order by seq desc limit 1", Long.class);
    String alerted = "select count(*) from registry_alert where kind = 'unauthenticated-event' and (detail ->> 'seq')::bigint = " + forged;
    for (int i = 0; i < 200 && jdbc.queryForObject(alerted, Long.class) == 0; i++) {
      Thread.sleep(50);
    }
    assertThat(jdbc.queryForObject(alerted, Long.class)).isEqualTo(1);
    asSuperuser("delete from registry_alert where kind = 'unauthenticated-event' and (detail ->> 'seq')::bigint = " + forged,
        "delete from registry_event where seq = " + forged);
  }

  @Test
  void checkpointsAndConsistencyProofsArePublic() throws Exception {
    file(key(), filing("opt-out-filed", "D200000006", "\"cross-agency-linkage\"", "counter", ""));
    Thread.sleep(400);
    String verifierKey = get("/api/v1/log/verifier-key", null).body().strip();
    CheckpointVerifier verifier = new CheckpointVerifier("localhost/nhi-optout-registry", Ed25519NoteVerifier.fromVerifierKey(verifierKey));
    Checkpoint first = verifier.verify(get("/api/v1/log/checkpoint", null).body());
    file(key(), filing("opt-out-filed", "D200000006", "\"commercial-use\"", "counter", ""));
    Checkpoint second = first;
    for (int i = 0; i < 200 && second.size() == first.size(); i++) {
      Thread.sleep(50);
      second = verifier.verify(get("/api/v1/log/checkpoint", null).body());
    }
    assertThat(second.size()).isGreaterThan(first.size());
    JsonNode proof = json(get("/api/v1/log/consistency?from=" + first.size() + "&to=" + second.size(), null));
    List<Hash> path = new ArrayList<>();
    proof.get("path").forEach(h -> path.add(Hash.fromBase64(h.asString())));
    ProofVerifier.verifyConsistency(first.size(), second.size(), path, first.rootHash(), second.rootHash());
    assertThat(get("/api/v1/log/checkpoints/" + first.size(), null).body()).isEqualTo(get("/api/v1/log/checkpoints/" + first.size(), null).body());
    assertThat(get("/api/v1/log/consistency?from=5&to=4", null).statusCode()).isEqualTo(400);
    assertThat(get("/api/v1/log/checkpoints/999999999", null).statusCode()).isEqualTo(404);
  }
}
