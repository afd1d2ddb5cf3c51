package optout.trustcentre;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.UUID;
import optout.platform.testing.ServiceIntegrationTest;
import optout.platform.testing.TamperedTokens;
import optout.platform.testing.TestKeycloak;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import optout.pseudonymizer.custody.CustodianShare;
import optout.pseudonymizer.custody.KeyCustody;
import optout.pseudonymizer.custody.ReidentificationKeys;
import optout.pseudonymizer.reidentify.RequestSeal;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import optout.pseudonymizer.id.PersonId;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The trust centre as its users meet it: real tokens of the demo users, real keys in separate custodies,
 * two custodians' shares, a real database that the service reaches only as its application role.
 */
class ReidentificationIT extends ServiceIntegrationTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final PersonId DEMO_CITIZEN = PersonId.parse("A123456789");

  @DynamicPropertySource
  static void keys(DynamicPropertyRegistry properties) throws Exception {
    CustodyFixture.register(properties);
    connectAsApplicationRole();
  }

  @Autowired private JdbcTemplate jdbc;
  @Autowired private org.springframework.context.ApplicationContext context;

  /** The database's owner, as an attacker or an administrator with full access would use it. */
  private static JdbcTemplate owner() {
    var db = testDatabase();
    return new JdbcTemplate(new DriverManagerDataSource(db.url(), db.user(), db.password()));
  }

  private static String token(String user) {
    return TestKeycloak.get().accessToken(user);
  }

  private static String subject(String user) {
    return TamperedTokens.claims(token(user)).get("sub").asString();
  }

  private HttpResponse<String> post(String path, String user, String body, String idempotencyKey) {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri(path))
        .header("Authorization", "Bearer " + token(user))
        .header("Content-Type", "application/json")
        .POST(body.isEmpty() ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (idempotencyKey != null) {
      request.header("Idempotency-Key", idempotencyKey);
    }
    return send(request.build());
  }

  private static JsonNode json(HttpResponse<String> response) {
    return JSON.readTree(response.body());
  }

  private static String share(String encoded) {
    return "{\"share\": \"" + encoded + "\"}";
  }

  private static String release(String secret) {
    return "{\"releaseSecret\": \"" + secret + "\"}";
  }

  private static String randomShare() {
    byte[] bytes = new byte[32];
    new SecureRandom().nextBytes(bytes);
    return CustodianShare.of(bytes).encoded();
  }

  private static String rule(HttpResponse<String> response) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(409);
    return json(response).get("rule").asString();
  }

  /** Files a request for the demo citizen (or another person) and returns its ID and release secret. */
  private String[] file(PersonId person) throws Exception {
    String body = """
        {"project": "nhird-2026-0042", %s, "pseudonyms": [%d], "legalBasis": "Medical Care Act art. 70",
         "reason": "suspected adverse drug reaction to report to the treating physician"}"""
        .formatted(CustodyFixture.get().extractFields(), CustodyFixture.get().projectPseudonymOf(person));
    HttpResponse<String> filed = post("/api/v1/reidentifications", "reviewer-demo", body, "case-" + UUID.randomUUID());
    assertThat(filed.statusCode()).as(filed.body()).isEqualTo(201);
    return new String[] {json(filed).get("id").asString(), json(filed).get("releaseSecret").asString()};
  }

  /** Nothing the trust centre is given makes or reverses a pseudonym: no keystore, only the sealed keys. */
  @Test
  void theTrustCentreHoldsNoKeyOfItsOwn() throws Exception {
    assertThat(context.getBeansOfType(KeyCustody.class)).isEmpty();
    assertThat(context.getEnvironment().getProperty("OPTOUT_KEYSTORE")).isNull();
    for (var duty : optout.pseudonymizer.custody.KeyCustodies.Duty.values()) {
      assertThat(context.getEnvironment().getProperty(duty.keystoreVariable())).isNull();
    }
    // the citizen's own pseudonym is the registry's to answer (GET /api/v1/me/status), not a key holder's here
    assertThat(get("/api/v1/citizens/me/pseudonym", token("citizen-demo")).statusCode()).isNotEqualTo(200);
  }

  @Test
  void twoCustodiansSharesAndTheRequestersSecretReleaseThePersonOnce() throws Exception {
    CustodyFixture custodies = CustodyFixture.get();
    long pseudonym = custodies.projectPseudonymOf(DEMO_CITIZEN);
    String key = "case-" + UUID.randomUUID();
    String body = """
        {"project": "nhird-2026-0042", %s, "pseudonyms": [%d], "legalBasis": "Medical Care Act art. 70",
         "reason": "suspected adverse drug reaction to report to the treating physician"}""".formatted(custodies.extractFields(), pseudonym);

    HttpResponse<String> filed = post("/api/v1/reidentifications", "reviewer-demo", body, key);
    assertThat(filed.statusCode()).as(filed.body()).isEqualTo(201);
    String id = json(filed).get("id").asString();
    String secret = json(filed).get("releaseSecret").asString();
    assertThat(filed.headers().firstValue("Location")).hasValue("/api/v1/reidentifications/" + id);
    assertThat(filed.headers().firstValue("Cache-Control")).hasValueSatisfying(v -> assertThat(v).contains("no-store"));
    assertThat(json(filed).get("status").asString()).isEqualTo("AWAITING_APPROVAL");

    HttpResponse<String> replay = post("/api/v1/reidentifications", "reviewer-demo", body, key);
    assertThat(replay.statusCode()).isEqualTo(200);
    assertThat(json(replay).get("id").asString()).isEqualTo(id);
    assertThat(json(replay).has("releaseSecret")).as("the secret is shown once, and never stored").isFalse();
    assertThat(get("/api/v1/reidentifications/" + id, token("auditor-demo")).body()).doesNotContain(secret);
    HttpResponse<String> reused = post("/api/v1/reidentifications", "reviewer-demo", body.replace("art. 70", "art. 71"), key);
    assertThat(reused.statusCode()).isEqualTo(409);
    assertThat(json(reused).get("type").asString()).isEqualTo("urn:nhi-optout:problem:idempotency-key-reused");

    String approvals = "/api/v1/reidentifications/" + id + "/approvals";
    String resolution = "/api/v1/reidentifications/" + id + "/resolution";
    assertThat(post(approvals, "reviewer-demo", share(custodies.shareOfA()), null).statusCode()).as("reviewers cannot approve").isEqualTo(403);
    assertThat(rule(post(resolution, "reviewer-demo", release(secret), null))).as("not approved yet").isEqualTo("NOT_APPROVED");
    assertThat(rule(post(approvals, "custodian-a", share(randomShare()), null))).as("not a share of these keys").isEqualTo("SHARE_NOT_ACCEPTED");
    assertThat(rule(post(approvals, "custodian-a", "", null))).as("a click is not an approval").isEqualTo("SHARE_NOT_ACCEPTED");
    assertThat(rule(post(approvals, "custodian-a", share("not base64!"), null))).isEqualTo("SHARE_NOT_ACCEPTED");
    assertThat(json(post(approvals, "custodian-a", share(custodies.shareOfA()), null)).get("status").asString()).isEqualTo("AWAITING_APPROVAL");
    assertThat(rule(post(approvals, "custodian-a", share(custodies.shareOfB()), null))).isEqualTo("ALREADY_APPROVED_BY_CUSTODIAN");
    assertThat(rule(post(approvals, "custodian-b", share(custodies.shareOfA()), null)))
        .as("custodian A's share, handed to B, does not count twice").isEqualTo("SHARE_GIVEN_ALREADY");
    assertThat(json(post(approvals, "custodian-b", share(custodies.shareOfB()), null)).get("status").asString()).isEqualTo("APPROVED");
    assertThat(post(resolution, "custodian-a", release(secret), null).statusCode()).as("custodians do not receive results").isEqualTo(403);

    assertThat(rule(post(resolution, "reviewer-demo", "", null))).isEqualTo("KEYS_DO_NOT_OPEN");
    assertThat(rule(post(resolution, "reviewer-demo", release(randomShare()), null))).isEqualTo("KEYS_DO_NOT_OPEN");
    HttpResponse<String> resolved = post(resolution, "reviewer-demo", release(secret), null);
    assertThat(resolved.statusCode()).as(resolved.body()).isEqualTo(200);
    assertThat(resolved.headers().firstValue("Cache-Control")).hasValueSatisfying(v -> assertThat(v).contains("no-store"));
    assertThat(json(resolved).at("/results/0/pseudonym").asLong()).isEqualTo(pseudonym);
    assertThat(json(resolved).at("/results/0/personId").asString()).isEqualTo(DEMO_CITIZEN.unmaskedValue());
    assertThat(rule(post(resolution, "reviewer-demo", release(secret), null))).isEqualTo("ALREADY_RESOLVED");
    assertThat(jdbc.queryForObject("select count(*) from reidentification_approval where request_id = ?::uuid and sealed_share is not null",
        Long.class, id)).as("a closed request's sealed shares are erased").isZero();
    assertThat(jdbc.queryForObject("select sealed_private_key is null from reidentification_request where id = ?::uuid", Boolean.class, id)).isTrue();

    HttpResponse<String> events = get("/api/v1/audit-events?request=" + id, token("auditor-demo"));
    assertThat(events.statusCode()).isEqualTo(200);
    List<String> steps = JSON.readTree(events.body()).valueStream().map(e -> e.get("type").asString() + " " + e.get("actor").asString()).toList();
    String reviewer = subject("reviewer-demo");
    String custodianA = subject("custodian-a");
    String custodianB = subject("custodian-b");
    // the reviewer's approval and custodian A's resolution were refused by role (403): audited too
    assertThat(steps).containsExactly(
        "REQUESTED " + reviewer, "REFUSED " + reviewer, "REFUSED " + reviewer,
        "REFUSED " + custodianA, "REFUSED " + custodianA, "REFUSED " + custodianA, "APPROVED " + custodianA, "REFUSED " + custodianA,
        "REFUSED " + custodianB, "APPROVED " + custodianB, "REFUSED " + custodianA,
        "REFUSED " + reviewer, "REFUSED " + reviewer, "RESOLVED " + reviewer, "REFUSED " + reviewer);
    assertThat(events.body()).doesNotContain(Long.toString(pseudonym)).doesNotContain(DEMO_CITIZEN.unmaskedValue())
        .doesNotContain(custodies.shareOfA()).doesNotContain(custodies.shareOfB()).doesNotContain(secret);
    assertThat(get("/api/v1/audit-events", token("reviewer-demo")).statusCode()).isEqualTo(403);
  }

  /**
   * Custodian A with everything the trust centre has (its configuration: its keystore and passphrase, the
   * sealed keys and their description; its whole database, as the owner) and A's own share.
   */
  @Test
  void oneCustodianAloneCannotRevealAnythingEvenWithTheTrustCentresDatabaseAndConfiguration() throws Exception {
    CustodyFixture custodies = CustodyFixture.get();
    PersonId person = PersonId.parse("B120000008");
    String[] request = file(person);
    String id = request[0];
    assertThat(json(post("/api/v1/reidentifications/" + id + "/approvals", "custodian-a", share(custodies.shareOfA()), null))
        .get("status").asString()).isEqualTo("AWAITING_APPROVAL");
    // Alone, A cannot bring the request further through the service:
    assertThat(rule(post("/api/v1/reidentifications/" + id + "/approvals", "custodian-a", share(custodies.shareOfA()), null)))
        .isEqualTo("ALREADY_APPROVED_BY_CUSTODIAN");
    assertThat(rule(post("/api/v1/reidentifications/" + id + "/resolution", "reviewer-demo", release(request[1]), null)))
        .isEqualTo("NOT_APPROVED");

    CustodianShare a = CustodianShare.decode(custodies.shareOfA());
    // The configuration: no keystore of its own (theTrustCentreHoldsNoKeyOfItsOwn), and the sealed keys need both shares.
    assertThatThrownBy(() -> ReidentificationKeys.open(custodies.reidentificationKeys, a, a)).isInstanceOf(GeneralSecurityException.class);
    assertThatThrownBy(() -> ReidentificationKeys.open(custodies.reidentificationKeys, a, CustodianShare.decode(randomShare())))
        .isInstanceOf(GeneralSecurityException.class);
    // Nor does a forged description help: the keystore's passphrase is derived from both shares themselves.
    String description = Files.readString(custodies.reidentificationKeys.resolveSibling("reidentification.bcfks.custodians"));
    CustodianShare forged = CustodianShare.decode(randomShare());
    java.nio.file.Path copy = Files.createTempDirectory("forged").resolve("reidentification.bcfks");
    Files.copy(custodies.reidentificationKeys, copy);
    Files.writeString(copy.resolveSibling("reidentification.bcfks.custodians"),
        description.replaceAll("share\\.2=[0-9a-f]+", "share.2=" + forged.fingerprint()));
    assertThatThrownBy(() -> ReidentificationKeys.open(copy, a, forged)).isInstanceOf(GeneralSecurityException.class);

    // The database: B's share is in no table, and what is sealed there does not open without the requester's secret.
    Map<String, Object> row = owner().queryForMap("select request_public_key, sealed_private_key from reidentification_request where id = ?::uuid", id);
    String everything = owner().queryForObject("""
        select coalesce((select string_agg(r::text, ' ') from reidentification_request r), '')
            || coalesce((select string_agg(p::text, ' ') from reidentification_approval p), '')
            || coalesce((select string_agg(e::text, ' ') from audit_event e), '')""", String.class);
    try (CustodianShare b = CustodianShare.decode(custodies.shareOfB())) {
      assertThat(everything).doesNotContain(HexFormat.of().formatHex(b.copyOfBytes())).doesNotContain(b.encoded());
    }
    List<byte[]> sealedShares = owner().query("select sealed_share from reidentification_approval where request_id = ?::uuid",
        (rs, n) -> rs.getBytes(1), id);
    assertThat(sealedShares).hasSize(1);
    assertThatThrownBy(() -> RequestSeal.openShares((byte[]) row.get("sealed_private_key"), randomShare(), UUID.fromString(id),
        sealedShares, new byte[32])).isInstanceOf(GeneralSecurityException.class);
    assertThat(everything).doesNotContain(person.unmaskedValue());
  }

  @Test
  void anApprovalCoversTheRequestAsApprovedNotOneChangedInTheDatabaseAfterwards() throws Exception {
    CustodyFixture custodies = CustodyFixture.get();
    String[] request = file(PersonId.parse("C120000009"));
    String id = request[0];
    post("/api/v1/reidentifications/" + id + "/approvals", "custodian-a", share(custodies.shareOfA()), null);
    post("/api/v1/reidentifications/" + id + "/approvals", "custodian-b", share(custodies.shareOfB()), null);
    long other = custodies.projectPseudonymOf(DEMO_CITIZEN);
    owner().update("update reidentification_request set pseudonyms = array[?]::bigint[] where id = ?::uuid", other, id);
    assertThat(rule(post("/api/v1/reidentifications/" + id + "/resolution", "reviewer-demo", release(request[1]), null)))
        .isEqualTo("KEYS_DO_NOT_OPEN");
    String events = get("/api/v1/audit-events?request=" + id, token("auditor-demo")).body();
    assertThat(events).contains("do not open the re-identification keys");
  }

  @Test
  void theAuditorFindsAChangedOrDeletedEventInTheChain() throws Exception {
    file(PersonId.parse("D120000000"));
    file(PersonId.parse("E120000001"));
    String verification = "/api/v1/audit-events/verification";
    assertThat(get(verification, token("reviewer-demo")).statusCode()).isEqualTo(403);
    JsonNode valid = json(get(verification, token("auditor-demo")));
    assertThat(valid.get("valid").asBoolean()).as(valid.toString()).isTrue();
    long events = valid.get("events").asLong();
    assertThat(events).isGreaterThanOrEqualTo(2);

    JdbcTemplate owner = owner();
    long middle = (events + 1) / 2;
    Map<String, Object> original = owner.queryForMap("select * from audit_event where chain_sequence = ?", middle);
    owner.execute("alter table audit_event disable trigger audit_event_no_update_or_delete");
    try {
      owner.update("update audit_event set note = 'nothing happened' where chain_sequence = ?", middle);
      JsonNode changed = json(get(verification, token("auditor-demo")));
      assertThat(changed.get("valid").asBoolean()).isFalse();
      assertThat(changed.get("brokenAt").asLong()).isEqualTo(middle);
      owner.update("update audit_event set note = ? where chain_sequence = ?", original.get("note"), middle);
      assertThat(json(get(verification, token("auditor-demo"))).get("valid").asBoolean()).isTrue();

      owner.update("delete from audit_event where chain_sequence = ?", middle);
      JsonNode deleted = json(get(verification, token("auditor-demo")));
      assertThat(deleted.get("valid").asBoolean()).isFalse();
      assertThat(deleted.get("brokenAt").asLong()).as("the event after the gap").isEqualTo(middle + 1);
    } finally {
      owner.update("""
          insert into audit_event (id, type, request_id, actor, project, pseudonym_count, at, note, chain_sequence, chain_hash)
          select ?, ?, ?::uuid, ?, ?, ?, ?, ?, ?, ? where not exists (select 1 from audit_event where id = ?)""",
          original.get("id"), original.get("type"), original.get("request_id").toString(), original.get("actor"), original.get("project"),
          original.get("pseudonym_count"), original.get("at"), original.get("note"), original.get("chain_sequence"),
          original.get("chain_hash"), original.get("id"));
      owner.execute("alter table audit_event enable trigger audit_event_no_update_or_delete");
    }
    assertThat(json(get(verification, token("auditor-demo"))).get("valid").asBoolean()).isTrue();
  }

  @Test
  void requestsAreValidatedAndNeedAnIdempotencyKeyAndAProjectWithKeys() throws Exception {
    long pseudonym = CustodyFixture.get().projectPseudonymOf(DEMO_CITIZEN);
    String body = """
        {"project": "%s", %s, "pseudonyms": [%d], "legalBasis": "basis", "reason": "reason"}""";
    String extract = CustodyFixture.get().extractFields();
    HttpResponse<String> noKey = post("/api/v1/reidentifications", "reviewer-demo", body.formatted("nhird-2026-0042", extract, pseudonym), null);
    assertThat(noKey.statusCode()).isEqualTo(400);
    HttpResponse<String> noProject = post("/api/v1/reidentifications", "reviewer-demo", body.formatted("no-such-project", extract, pseudonym),
        "case-0000001");
    assertThat(noProject.statusCode()).isEqualTo(409);
    assertThat(json(noProject).get("type").asString()).isEqualTo("urn:nhi-optout:problem:key-unavailable");
    HttpResponse<String> layer1 = post("/api/v1/reidentifications", "reviewer-demo", body.formatted("nhird-2026-0042", extract, 12345678901L),
        "case-0000002");
    assertThat(layer1.statusCode()).isEqualTo(400);
    assertThat(json(layer1).get("detail").asString()).contains("every pseudonym must be a project (layer-2) pseudonym");
    HttpResponse<String> empty = post("/api/v1/reidentifications", "reviewer-demo",
        "{\"project\": \"nhird-2026-0042\", \"pseudonyms\": [], \"legalBasis\": \"\", \"reason\": \"r\"}", "case-0000003");
    assertThat(empty.statusCode()).isEqualTo(400);
    assertThat(json(empty).get("errors").toString()).contains("pseudonyms", "legalBasis", "warehouseKeyVersion", "extractManifest",
        "manifestSignature");
    assertThat(get("/api/v1/reidentifications/" + UUID.randomUUID(), token("auditor-demo")).statusCode()).isEqualTo(404);
  }

  /**
   * The warehouse key version comes from the extract's signed manifest: a version the requester merely
   * claims, a manifest the warehouse did not sign, one of another project, or a version the sealed keys do
   * not hold, is refused before anyone approves, and audited.
   */
  @Test
  void theWarehouseKeyVersionIsTheSignedManifestsAndOneTheKeysHold() throws Exception {
    CustodyFixture custodies = CustodyFixture.get();
    long pseudonym = custodies.projectPseudonymOf(DEMO_CITIZEN);
    String body = """
        {"project": "nhird-2026-0042", %s, "pseudonyms": [%d], "legalBasis": "basis", "reason": "version checks"}""";
    String v1 = CustodyFixture.manifest("nhird-2026-0042", 1);
    String reviewer = subject("reviewer-demo");
    long before = JSON.readTree(get("/api/v1/audit-events?limit=1000", token("auditor-demo")).body()).size();

    assertThat(rule(post("/api/v1/reidentifications", "reviewer-demo", body.formatted(custodies.extractFields(v1, 2), pseudonym),
        "version-case-1"))).as("the manifest says v1").isEqualTo("WAREHOUSE_KEY_VERSION_MISMATCH");
    String v2 = CustodyFixture.manifest("nhird-2026-0042", 2);
    assertThat(rule(post("/api/v1/reidentifications", "reviewer-demo", body.formatted(custodies.extractFields(v2, 2), pseudonym),
        "version-case-2"))).as("the sealed keys hold v1 only").isEqualTo("WAREHOUSE_KEY_VERSION_UNKNOWN");
    String otherProject = CustodyFixture.manifest("another-project", 1);
    assertThat(rule(post("/api/v1/reidentifications", "reviewer-demo", body.formatted(custodies.extractFields(otherProject, 1), pseudonym),
        "version-case-3"))).isEqualTo("MANIFEST_OF_ANOTHER_PROJECT");
    String forged = custodies.extractFields(v1, 1).replace("\\\"warehouseKeyVersion\\\":1", "\\\"warehouseKeyVersion\\\":2")
        .replace("\"warehouseKeyVersion\": 1", "\"warehouseKeyVersion\": 2");
    assertThat(forged).contains("warehouseKeyVersion\\\":2");
    assertThat(rule(post("/api/v1/reidentifications", "reviewer-demo", body.formatted(forged, pseudonym), "version-case-4")))
        .as("a manifest changed after signing").isEqualTo("MANIFEST_NOT_AUTHENTIC");
    String unsigned = custodies.extractFields(v1, 1).replaceAll("\"manifestSignature\": \"[^\"]+\"", "\"manifestSignature\": \"AAAA\"");
    assertThat(rule(post("/api/v1/reidentifications", "reviewer-demo", body.formatted(unsigned, pseudonym), "version-case-5")))
        .isEqualTo("MANIFEST_NOT_AUTHENTIC");
    String oldFormat = v1.replace("extract-manifest/2", "extract-manifest/1");
    assertThat(rule(post("/api/v1/reidentifications", "reviewer-demo", body.formatted(custodies.extractFields(oldFormat, 1), pseudonym),
        "version-case-6"))).as("a manifest from before versions were recorded").isEqualTo("MANIFEST_NOT_AUTHENTIC");

    JsonNode events = JSON.readTree(get("/api/v1/audit-events?limit=1000&after=0", token("auditor-demo")).body());
    List<String> refusals = events.valueStream().skip(before).filter(e -> e.get("type").asString().equals("REFUSED"))
        .filter(e -> e.get("actor").asString().equals(reviewer)).map(e -> e.get("note").asString()).toList();
    assertThat(refusals).contains(
        optout.pseudonymizer.reidentify.ReidentificationRefusedException.Rule.WAREHOUSE_KEY_VERSION_MISMATCH.explanation(),
        optout.pseudonymizer.reidentify.ReidentificationRefusedException.Rule.WAREHOUSE_KEY_VERSION_UNKNOWN.explanation(),
        optout.pseudonymizer.reidentify.ReidentificationRefusedException.Rule.MANIFEST_OF_ANOTHER_PROJECT.explanation(),
        optout.pseudonymizer.reidentify.ReidentificationRefusedException.Rule.MANIFEST_NOT_AUTHENTIC.explanation());
    assertThat(json(get("/api/v1/audit-events/verification", token("auditor-demo"))).get("valid").asBoolean()).isTrue();

    HttpResponse<String> filed = post("/api/v1/reidentifications", "reviewer-demo", body.formatted(custodies.extractFields(), pseudonym),
        "version-case-7");
    assertThat(filed.statusCode()).as(filed.body()).isEqualTo(201);
    JsonNode shown = json(get("/api/v1/reidentifications/" + json(filed).get("id").asString(), token("custodian-a")));
    assertThat(shown.get("warehouseKeyVersion").asInt()).as("the custodians see what they approve").isEqualTo(1);
    assertThat(shown.get("extractId").asString()).startsWith("EX-20261206-");
  }

  @Test
  void theServicesRoleCannotAlterTheAuditTrailAndEvenTheOwnerMeetsTheTrigger() throws Exception {
    UUID request = UUID.randomUUID();
    String filed = file(PersonId.parse("F120000002"))[0];
    post("/api/v1/reidentifications/" + filed + "/approvals", "custodian-a", share(CustodyFixture.get().shareOfA()), null);
    assertThatThrownBy(() -> jdbc.update("update audit_event set note = 'edited'")).rootCause().hasMessageContaining("permission denied");
    assertThatThrownBy(() -> jdbc.update("delete from audit_event")).rootCause().hasMessageContaining("permission denied");
    assertThatThrownBy(() -> jdbc.execute("truncate audit_event")).rootCause().hasMessageContaining("permission denied");
    assertThatThrownBy(() -> jdbc.execute("alter table audit_event disable trigger all")).rootCause().hasMessageContaining("must be owner");
    assertThatThrownBy(() -> jdbc.execute("drop trigger audit_event_no_update_or_delete on audit_event")).rootCause().hasMessageContaining("must be owner");
    assertThatThrownBy(() -> jdbc.update("insert into audit_event (type, request_id, actor, project, pseudonym_count, at, note) values ('REQUESTED', ?, 'x', 'p', 1, now(), 'n')",
        request)).as("an event outside the chain").rootCause().hasMessageContaining("audit_event_chained");
    assertThatThrownBy(() -> jdbc.update("update reidentification_approval set sealed_share = '\\x00'::bytea")).as("a seal is only ever erased")
        .rootCause().hasMessageContaining("can only be erased");
    JdbcTemplate owner = owner();
    assertThatThrownBy(() -> owner.update("update audit_event set note = 'edited'")).rootCause().hasMessageContaining("audit events are append-only");
    assertThatThrownBy(() -> owner.update("delete from audit_event")).rootCause().hasMessageContaining("audit events are append-only");
  }

  /** Attempts refused before any rule ran are in the audit chain too: a caller without the role, an unknown request. */
  @Test
  void refusedAccessAndUnknownRequestsAreAuditedInTheChain() throws Exception {
    String[] request = file(PersonId.parse("D120000000"));
    String id = request[0];
    HttpResponse<String> byClerk = post("/api/v1/reidentifications/" + id + "/approvals", "clerk-demo", share(CustodyFixture.get().shareOfA()), null);
    assertThat(byClerk.statusCode()).isEqualTo(403);
    UUID unknown = UUID.randomUUID();
    HttpResponse<String> missing = post("/api/v1/reidentifications/" + unknown + "/approvals", "custodian-a", share(CustodyFixture.get().shareOfA()), null);
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(get("/api/v1/reidentifications/" + unknown, token("custodian-b")).statusCode()).isEqualTo(404);

    String refusedAccess = get("/api/v1/audit-events?request=" + id, token("auditor-demo")).body();
    assertThat(refusedAccess).contains("access refused: POST /api/v1/reidentifications/{id}/approvals is not allowed for the caller's roles");
    String unknownEvents = get("/api/v1/audit-events?request=" + unknown, token("auditor-demo")).body();
    assertThat(unknownEvents).contains("no such request for the caller: approval", "no such request for the caller: reading the request");
    HttpResponse<String> chain = get("/api/v1/audit-events/verification", token("auditor-demo"));
    assertThat(json(chain).get("valid").asBoolean()).as(chain.body()).isTrue();
  }
}
