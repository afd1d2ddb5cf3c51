package optout.registry.filing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import optout.platform.testing.TestDatabases;
import optout.platform.testing.TestFilingKeys;
import optout.platform.testing.TestKeycloak;
import optout.registry.RegistryIT;
import optout.registry.log.Ed25519NoteSigner;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Filing as the consent service does it, and every way a filing is refused with nothing stored. */
class FilingIT extends RegistryIT {

  @Autowired private JdbcTemplate jdbc;

  private long events() {
    return jdbc.queryForObject("select count(*) from registry_event", Long.class);
  }

  @Test
  void theConsentServiceFilesAnOptOutAndAReplayReturnsTheSameFiling() {
    String key = key();
    String body = filing("opt-out-filed", "B120000008", "\"academic-research\", \"commercial-use\"", "counter", ", \"ageBand\": \"40-44\"");
    HttpResponse<String> first = file(key, body);
    assertThat(first.statusCode()).as(first.body()).isEqualTo(201);
    JsonNode filed = json(first);
    assertThat(filed.get("type").asString()).isEqualTo("opt-out-filed");
    assertThat(filed.get("scopes").toString()).isEqualTo("[\"academic-research\",\"commercial-use\"]");
    assertThat(first.headers().firstValue("Location")).hasValue(FilingController.FILINGS + "/" + filed.get("id").asString());
    assertThat(first.body()).doesNotContain("B120000008");
    long stored = events();

    HttpResponse<String> replay = file(key, body);
    assertThat(replay.statusCode()).isEqualTo(200);
    assertThat(replay.headers().firstValue("Idempotency-Replayed")).hasValue("true");
    assertThat(json(replay).get("id")).isEqualTo(filed.get("id"));

    HttpResponse<String> otherBody = file(key,
        filing("opt-out-filed", "B120000008", "\"academic-research\"", "counter", ""));
    assertThat(otherBody.statusCode()).isEqualTo(409);
    assertThat(json(otherBody).get("type").asString()).isEqualTo("urn:nhi-optout:problem:idempotency-conflict");
    assertThat(events()).isEqualTo(stored);

    Long state = jdbc.queryForObject("select count(*) from person_state where opted_out ? 'academic-research' and opted_out ? 'commercial-use'", Long.class);
    assertThat(state).isGreaterThanOrEqualTo(1);
    assertThat(jdbc.queryForObject("select stat_sex || ' ' || stat_county || ' ' || stat_age_band from registry_event where id = ?::uuid",
        String.class, filed.get("id").asString())).isEqualTo("male taichung-city 40-44");
  }

  @Test
  void theConsentServiceFilesWithItsServiceAccountAndWithdrawalsFollowTheState() {
    String person = "F220000004";
    HttpResponse<String> optOut = file(key(),
        filing("opt-out-filed", person, "\"all-secondary-use\"", "online", ""));
    assertThat(optOut.statusCode()).as(optOut.body()).isEqualTo(201);
    assertThat(jdbc.queryForObject("select filed_by from registry_event where id = ?::uuid", String.class,
        json(optOut).get("id").asString())).isEqualTo("consent-service");

    HttpResponse<String> again = file(key(),
        filing("opt-out-filed", person, "\"all-secondary-use\"", "online", ""));
    assertThat(again.statusCode()).isEqualTo(409);
    assertThat(json(again).get("detail").asString()).isEqualTo("The person has already opted out of all-secondary-use: nothing to file");

    HttpResponse<String> wrongWithdrawal = file(key(),
        filing("opt-out-withdrawn", person, "\"academic-research\"", "online", ""));
    assertThat(wrongWithdrawal.statusCode()).isEqualTo(409);
    assertThat(json(wrongWithdrawal).get("detail").asString())
        .isEqualTo("The person has not opted out of academic-research: nothing to withdraw there");

    HttpResponse<String> withdrawal = file(key(),
        filing("opt-out-withdrawn", person, "\"all-secondary-use\"", "online", ""));
    assertThat(withdrawal.statusCode()).as(withdrawal.body()).isEqualTo(201);
  }

  @Test
  void concurrentRetriesOfOneFilingAreAnsweredWithTheStoredFilingNeverRefused() throws Exception {
    // The outbox retries the same sealed request when an answer is lost; retries racing the first request
    // must never get the 409 of "already opted out", which the outbox takes as a final refusal
    String token = consentServiceToken();
    int retries = 6;
    ExecutorService pool = Executors.newFixedThreadPool(retries);
    try {
      for (int round = 0; round < 5; round++) {
        String key = key();
        String body = sealed(filing("opt-out-filed", "J120000005", "\"government-statistics\"", "online", ""), key);
        CyclicBarrier start = new CyclicBarrier(retries);
        List<Future<HttpResponse<String>>> answers = new ArrayList<>();
        for (int i = 0; i < retries; i++) {
          answers.add(pool.submit(() -> {
            start.await();
            return post(FilingController.FILINGS, token, key, body);
          }));
        }
        Set<String> ids = new HashSet<>();
        int created = 0;
        for (Future<HttpResponse<String>> answer : answers) {
          HttpResponse<String> response = answer.get(60, TimeUnit.SECONDS);
          assertThat(response.statusCode()).as(response.body()).isIn(200, 201);
          created += response.statusCode() == 201 ? 1 : 0;
          ids.add(json(response).get("id").asString());
        }
        assertThat(created).isEqualTo(1);
        assertThat(ids).hasSize(1);
        assertThat(jdbc.queryForObject("select count(*) from registry_event where idempotency_key = ?", Long.class, key)).isEqualTo(1);
        // withdrawn again, so that the next round files a real opt-out for the same person
        assertThat(file(key(), filing("opt-out-withdrawn", "J120000005", "\"government-statistics\"", "online", "")).statusCode())
            .isEqualTo(201);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aWithdrawalWithoutAnOptOutIsRefusedAndNothingIsStored() {
    long before = events();
    HttpResponse<String> refused = file(key(),
        filing("opt-out-withdrawn", "E230000006", "\"academic-research\"", "counter", ""));
    assertThat(refused.statusCode()).isEqualTo(409);
    JsonNode problem = json(refused);
    assertThat(problem.get("type").asString()).isEqualTo("urn:nhi-optout:problem:filing-refused");
    assertThat(problem.get("detail").asString()).isEqualTo("The person has no opt-out to withdraw");
    assertThat(problem.has("requestId")).isTrue();
    assertThat(events()).isEqualTo(before);
  }

  @Test
  void badInputIsAnsweredClearlyAndNothingIsStored() {
    long before = events();

    HttpResponse<String> unknownScope = file(key(),
        filing("opt-out-filed", "A123456789", "\"academic-research\", \"astrology\"", "counter", ""));
    assertThat(unknownScope.statusCode()).isEqualTo(400);
    assertThat(json(unknownScope).get("type").asString()).isEqualTo("urn:nhi-optout:problem:unknown-scope");
    assertThat(json(unknownScope).get("unknownScopes").toString()).isEqualTo("[\"astrology\"]");

    HttpResponse<String> badChecksum = file(key(),
        filing("opt-out-filed", "A123456788", "\"academic-research\"", "counter", ""));
    assertThat(badChecksum.statusCode()).isEqualTo(400);
    assertThat(json(badChecksum).at("/errors/0/field").asString()).isEqualTo("nationalId");
    assertThat(badChecksum.body()).doesNotContain("A123456788");

    HttpResponse<String> malformed = file(key(), "{\"type\": \"opt-out-filed\", \"nationalId\": ");
    assertThat(malformed.statusCode()).isEqualTo(400);
    assertThat(json(malformed).get("type").asString()).isEqualTo("urn:nhi-optout:problem:malformed-request");

    HttpResponse<String> noScopes = file(key(), filing("opt-out-filed", "A123456789", "", "counter", ""));
    assertThat(noScopes.statusCode()).isEqualTo(400);
    assertThat(json(noScopes).at("/errors/0/field").asString()).isEqualTo("scopes");

    HttpResponse<String> proxyWithout = file(key(),
        filing("opt-out-filed", "A123456789", "\"academic-research\"", "proxy", ""));
    assertThat(proxyWithout.statusCode()).isEqualTo(400);
    assertThat(json(proxyWithout).get("detail").asString()).isEqualTo("A proxy filing must name the proxy's relation and evidence");

    HttpResponse<String> future = file(key(),
        filing("opt-out-filed", "A123456789", "\"academic-research\"", "counter", "").replace("2026-11-20T03:00:00Z", "2099-01-01T00:00:00Z"));
    assertThat(future.statusCode()).isEqualTo(400);
    assertThat(json(future).get("detail").asString()).isEqualTo("effectiveAt lies in the future");

    HttpResponse<String> noKey = file(null, filing("opt-out-filed", "A123456789", "\"academic-research\"", "counter", ""));
    assertThat(noKey.statusCode()).isEqualTo(400);

    HttpResponse<String> oversize = file(key(),
        filing("opt-out-filed", "A123456789", "\"academic-research\"", "counter", ", \"padding\": \"" + "x".repeat(70_000) + "\""));
    assertThat(oversize.statusCode()).isEqualTo(413);
    assertThat(json(oversize).get("type").asString()).isEqualTo("urn:nhi-optout:problem:body-too-large");

    assertThat(events()).isEqualTo(before);
  }

  @Test
  void onlyTheConsentServiceFilesAndNoHumanRoleStoresAnything() {
    long before = events();
    // the attack of issue 13: a clerk withdrawing anyone's opt-out on a form that does not exist
    String body = filing("opt-out-withdrawn", "A123456789", "\"academic-research\"", "counter", "")
        .replaceFirst("consent/[0-9a-f-]+\\.pdf", "no-such-document").replace("ab".repeat(32), "1".repeat(64));
    for (String user : List.of("clerk-demo", "citizen-demo", "researcher-demo", "reviewer-demo", "auditor-demo")) {
      HttpResponse<String> refused = post(FilingController.FILINGS, token(user), key(), body);
      assertThat(refused.statusCode()).as(user).isEqualTo(403);
      assertThat(json(refused).get("type").asString()).as(user).isEqualTo("urn:nhi-optout:problem:access-denied");
    }
    assertThat(post(FilingController.FILINGS, TestKeycloak.get().serviceAccountToken("optout-portal"), key(), body).statusCode())
        .isEqualTo(403);
    assertThat(post(FilingController.FILINGS, null, key(), body).statusCode()).isEqualTo(401);
    assertThat(post(FilingController.FILINGS, "not.a.token", key(), body).statusCode()).isEqualTo(401);
    assertThat(events()).isEqualTo(before);
  }

  /** A filing signed with the test filing key, as the consent service would send it, to tamper with. */
  private static ObjectNode signed(String type, String nationalId, String key) {
    ObjectNode request = (ObjectNode) JSON.readTree(filing(type, nationalId, "\"academic-research\"", "counter", ""));
    return TestFilingKeys.seal(request, key);
  }

  private HttpResponse<String> postAsConsentService(String key, ObjectNode request) {
    return post(FilingController.FILINGS, consentServiceToken(), key, JSON.writeValueAsString(request));
  }

  @Test
  void theConsentServiceWithoutASignatureIsRefusedAndNothingIsStored() {
    long before = events();
    HttpResponse<String> unsigned = post(FilingController.FILINGS, consentServiceToken(), key(),
        filing("opt-out-filed", "K120000006", "\"academic-research\"", "counter", ""));
    assertThat(unsigned.statusCode()).isEqualTo(400);
    assertThat(json(unsigned).get("type").asString()).isEqualTo("urn:nhi-optout:problem:invalid-request");
    List<String> fields = new java.util.ArrayList<>();
    json(unsigned).get("errors").forEach(error -> fields.add(error.get("field").asString()));
    assertThat(fields).containsExactlyInAnyOrder("signature", "personSalt", "filer");

    String key = key();
    for (String malformed : List.of("not signature lines\n", "\u2014 " + TestFilingKeys.KEY_NAME + " AAAA\n")) {
      HttpResponse<String> refused = postAsConsentService(key, signed("opt-out-filed", "K120000006", key).put("signature", malformed));
      assertThat(refused.statusCode()).as(malformed).isEqualTo(400);
      assertThat(json(refused).get("type").asString()).isEqualTo("urn:nhi-optout:problem:malformed-filing-signature");
    }
    assertThat(events()).isEqualTo(before);
  }

  @Test
  void aSignatureByAnUntrustedKeyIsRefusedAndNothingIsStored() {
    long before = events();
    String key = key();
    // the same key name as the trusted one, another key: refused by key ID and signature, not by name
    Ed25519NoteSigner impostor = Ed25519NoteSigner.generate(TestFilingKeys.KEY_NAME);
    ObjectNode request = (ObjectNode) JSON.readTree(filing("opt-out-filed", "K120000006", "\"academic-research\"", "counter", ""));
    HttpResponse<String> refused = postAsConsentService(key,
        TestFilingKeys.seal(request, key, "clerk", TestFilingKeys.TEST_CLERK, impostor));
    assertThat(refused.statusCode()).as(refused.body()).isEqualTo(403);
    assertThat(json(refused).get("type").asString()).isEqualTo("urn:nhi-optout:problem:untrusted-filing-key");
    assertThat(events()).isEqualTo(before);
  }

  @Test
  void aValidSignatureOverAnotherFilingIsRefusedAndNothingIsStored() {
    long before = events();
    String key = key();
    ObjectNode optOut = signed("opt-out-filed", "K120000006", key);
    Map<String, ObjectNode> tampered = new java.util.LinkedHashMap<>();
    tampered.put("an opt-out turned into a withdrawal", optOut.deepCopy().put("type", "opt-out-withdrawn"));
    tampered.put("another person", optOut.deepCopy().put("nationalId", "A123456789"));
    tampered.put("another form", optOut.deepCopy());
    ((ObjectNode) tampered.get("another form").get("document")).put("sha256", "1".repeat(64));
    tampered.put("another scope", optOut.deepCopy());
    tampered.get("another scope").putArray("scopes").add("commercial-use");
    tampered.put("another channel", optOut.deepCopy().put("channel", "online"));
    tampered.put("another effective time", optOut.deepCopy().put("effectiveAt", "2026-11-20T03:00:01Z"));
    tampered.put("another filer", optOut.deepCopy());
    ((ObjectNode) tampered.get("another filer").get("filer")).put("account", "another-clerk");
    tampered.put("another salt", optOut.deepCopy().put("personSalt", "ee".repeat(32)));
    tampered.forEach((what, request) -> {
      HttpResponse<String> refused = postAsConsentService(key, request);
      assertThat(refused.statusCode()).as(what + ": " + refused.body()).isEqualTo(422);
      assertThat(json(refused).get("type").asString()).isEqualTo("urn:nhi-optout:problem:filing-signature-mismatch");
    });
    HttpResponse<String> otherKey = postAsConsentService(key(), optOut);
    assertThat(otherKey.statusCode()).as("signed under another idempotency key").isEqualTo(422);
    assertThat(events()).isEqualTo(before);

    HttpResponse<String> asSigned = postAsConsentService(key, optOut);
    assertThat(asSigned.statusCode()).as(asSigned.body()).isIn(201, 409);
  }

  @Test
  void aCorrectlySignedWithdrawalIsFiled() {
    String person = "L120000006";
    HttpResponse<String> optOut = file(key(), filing("opt-out-filed", person, "\"academic-research\"", "counter", ""));
    assertThat(optOut.statusCode()).as(optOut.body()).isIn(201, 409);
    String key = key();
    HttpResponse<String> withdrawal = postAsConsentService(key, signed("opt-out-withdrawn", person, key));
    assertThat(withdrawal.statusCode()).as(withdrawal.body()).isEqualTo(201);
    assertThat(json(withdrawal).get("type").asString()).isEqualTo("opt-out-withdrawn");
  }

  /** Files a signed filing by a clerk account and answers its leaf, once the sequencer has logged it. */
  private String fileAndReadLeaf(String type, String scopes, String form, String clerkAccount) throws InterruptedException {
    String key = key();
    ObjectNode request = (ObjectNode) JSON.readTree(filing(type, "M120000007", scopes, "counter", ""));
    ((ObjectNode) request.get("document")).put("sha256", form);
    HttpResponse<String> filed = postAsConsentService(key,
        TestFilingKeys.seal(request, key, "clerk", clerkAccount, TestFilingKeys.signer()));
    assertThat(filed.statusCode()).as(filed.body()).isEqualTo(201);
    String id = json(filed).get("id").asString();
    for (int i = 0; i < 200; i++) {
      JsonNode view = json(get(FilingController.FILINGS + "/" + id, token("auditor-demo")));
      if (!view.get("logIndex").isNull()) {
        JsonNode leaves = json(get("/api/v1/log/leaves?start=" + view.get("logIndex").asLong() + "&count=1", token("auditor-demo")));
        String leaf = new String(java.util.Base64.getDecoder().decode(leaves.at("/0/leaf").asString()), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(leaf).contains("id " + id + "\n");
        return leaf;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("not logged within 10 s");
  }

  private static String filerLine(String leaf) {
    return leaf.lines().filter(line -> line.startsWith("filer ")).findFirst().orElseThrow();
  }

  @Test
  void theLeafBindsTheFilerByPseudonymAndTheFormByHash() throws Exception {
    String clerkA = "clerk-a-" + UUID.randomUUID();
    String clerkB = "clerk-b-" + UUID.randomUUID();
    String formA1 = "a1".repeat(32);
    String formA2 = "a2".repeat(32);
    String formB = "b0".repeat(32);
    String first = fileAndReadLeaf("opt-out-filed", "\"academic-research\"", formA1, clerkA);
    String second = fileAndReadLeaf("opt-out-filed", "\"commercial-use\"", formA2, clerkA);
    String third = fileAndReadLeaf("opt-out-withdrawn", "\"academic-research\", \"commercial-use\"", formB, clerkB);

    for (String leaf : List.of(first, second, third)) {
      assertThat(leaf).startsWith("nhi-optout-registry-event/2\n").matches("(?s).*\nfiler clerk [0-9a-f]{32}\n$")
          .doesNotContain(clerkA, clerkB, "M120000007");
    }
    assertThat(first).contains("\ndocument " + formA1 + "\n");
    assertThat(second).contains("\ndocument " + formA2 + "\n");
    assertThat(third).contains("\ndocument " + formB + "\n");
    assertThat(filerLine(second)).as("the same clerk, the same pseudonym").isEqualTo(filerLine(first));
    assertThat(filerLine(third)).as("another clerk, another pseudonym").isNotEqualTo(filerLine(first));

    // the database keeps the pseudonym too, and the account nowhere
    assertThat(jdbc.queryForObject("select count(*) from registry_event where filer_pseudonym = ?", Long.class,
        filerLine(first).substring("filer clerk ".length()))).isEqualTo(2);
    assertThat(jdbc.queryForObject("select count(*) from registry_event e where e::text like ?", Long.class, "%" + clerkA + "%"))
        .isZero();
  }

  @Test
  void onlyTheConsentServiceAndAuditorsReadAFiling() {
    // access is decided before the lookup: a filing that does not exist tells the allowed (404) from the refused (403)
    String path = FilingController.FILINGS + "/" + UUID.randomUUID();
    assertThat(get(path, consentServiceToken()).statusCode()).isEqualTo(404);
    assertThat(get(path, token("auditor-demo")).statusCode()).isEqualTo(404);
    assertThat(get(path, token("clerk-demo")).statusCode()).isEqualTo(403);
    assertThat(get(path, token("citizen-demo")).statusCode()).isEqualTo(403);
  }

  @Test
  void theFilingServiceGetsALogReceiptThatProvesItsFilingAsSealedAndNoPersonSalt() throws Exception {
    String form = "c3".repeat(32);
    String leaf = fileAndReadLeaf("opt-out-filed", "\"government-statistics\"", form, "clerk-r-" + UUID.randomUUID());
    String id = leaf.lines().filter(line -> line.startsWith("id ")).findFirst().orElseThrow().substring(3);
    String path = FilingController.FILINGS + "/" + id + "/log-receipt";
    JsonNode receipt = null;
    for (int i = 0; i < 200 && receipt == null; i++) {  // logged; now a published checkpoint must cover it
      HttpResponse<String> answer = get(path, consentServiceToken());
      if (answer.statusCode() == 200) {
        receipt = json(answer);
      } else {
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(404);
        assertThat(json(answer).get("type").asString()).endsWith("not-yet-logged");
        Thread.sleep(50);
      }
    }
    assertThat(receipt).as("a checkpoint covers the filing within 10 s").isNotNull();
    assertThat(receipt.has("personSalt")).isFalse();
    assertThat(new String(java.util.Base64.getDecoder().decode(receipt.get("leaf").asString()), java.nio.charset.StandardCharsets.UTF_8))
        .isEqualTo(leaf).contains("\ndocument " + form + "\n");
    optout.registry.log.Checkpoint checkpoint = optout.registry.log.Checkpoint.parse(
        optout.registry.log.SignedNote.parse(receipt.get("checkpoint").asString()).text());
    assertThat(checkpoint.size()).isEqualTo(receipt.get("treeSize").asLong());
    List<optout.registry.log.Hash> proof = new java.util.ArrayList<>();
    receipt.get("inclusionProof").forEach(node -> proof.add(optout.registry.log.Hash.fromBase64(node.asString())));
    optout.registry.log.ProofVerifier.verifyInclusion(optout.registry.log.MerkleHashing.leafHash(leaf.getBytes(java.nio.charset.StandardCharsets.UTF_8)),
        receipt.get("logIndex").asLong(), checkpoint.size(), proof, checkpoint.rootHash());

    // the same access as the filing itself: decided before the lookup
    String unknown = FilingController.FILINGS + "/" + UUID.randomUUID() + "/log-receipt";
    assertThat(get(unknown, consentServiceToken()).statusCode()).isEqualTo(404);
    assertThat(get(unknown, token("auditor-demo")).statusCode()).isEqualTo(404);
    assertThat(get(path, token("clerk-demo")).statusCode()).isEqualTo(403);
    assertThat(get(path, token("citizen-demo")).statusCode()).isEqualTo(403);
    assertThat(get(path, null).statusCode()).isEqualTo(401);
  }

  @Test
  void theApplicationRoleCannotChangeEventsAndTheOwnerIsStoppedByTriggers() throws SQLException {
    file(key(), filing("opt-out-filed", "H120000004", "\"academic-research\"", "counter", ""));
    TestDatabases.TestDatabase db = testDatabase();
    try (Connection app = DriverManager.getConnection(db.url(), db.applicationUser(), db.password())) {
      assertThatThrownBy(() -> app.createStatement().executeUpdate("update registry_event set scopes = '{commercial-use}'"))
          .hasMessageContaining("permission denied");
      assertThatThrownBy(() -> app.createStatement().executeUpdate("delete from registry_event"))
          .hasMessageContaining("permission denied");
      assertThatThrownBy(() -> app.createStatement().executeUpdate("delete from log_node"))
          .hasMessageContaining("permission denied");
    }
    try (Connection owner = DriverManager.getConnection(db.url(), db.user(), db.password())) {
      assertThatThrownBy(() -> owner.createStatement().executeUpdate("update registry_event set scopes = '{commercial-use}'"))
          .hasMessageContaining("append-only");
      assertThatThrownBy(() -> owner.createStatement().executeUpdate("truncate registry_event cascade"))
          .hasMessageContaining("append-only");
    }
  }
}
