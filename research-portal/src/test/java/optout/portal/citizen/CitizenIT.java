package optout.portal.citizen;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import optout.portal.PortalIT;
import optout.portal.RunnerStandIn;
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
 * The citizen's API on the whole portal, real PostgreSQL (as the application role) and Keycloak tokens, with the
 * registry on a loopback port ({@link StubRegistry}: real Merkle receipts, signed and cosigned checkpoints) and the
 * usage ledger's {@code person_usage} beside the portal's tables: a citizen sees their own status, filings, receipts,
 * uses and the releases that left them out, and nothing of another citizen's; refusals; subscriptions whose e-mail
 * reaches a real SMTP server (GreenMail) and names nothing.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CitizenIT extends PortalIT {

  static final String CITIZEN = "citizen-demo";
  static final String OTHER = "citizen-other-test";
  static final long MINE = 31_000_000_001L;
  static final long THEIRS = 31_000_000_002L;
  /** citizen-demo's pseudonym under warehouse key version 1, before the rotation to the registry's version 2. */
  static final long MINE_BEFORE_ROTATION = 31_000_000_003L;
  /** citizen-other-test's pseudonym after the last test rotates their key (version 3). */
  static final long THEIRS_AFTER_ROTATION = 31_000_000_004L;

  private static final StubRegistry REGISTRY = registry();
  private static final RunnerStandIn RUNNER = new RunnerStandIn(PortalIT::testDatabase);
  private static final TsaStandIn TSA = tsa();
  private static final int SMTP_PORT = freePort();
  private static final GreenMail SMTP = startSmtp();
  /** The log index of citizen-demo's opt-out. */
  private static final long OPT_OUT_INDEX;

  static {
    REGISTRY.person(CITIZEN, MINE, Map.of(1, MINE_BEFORE_ROTATION));
    REGISTRY.person(OTHER, THEIRS);
    OPT_OUT_INDEX = REGISTRY.file(MINE, "opt-out-filed", List.of("academic-research", "commercial-use"), false);
    REGISTRY.file(THEIRS, "opt-out-filed", List.of("government-statistics"), false);
    REGISTRY.file(MINE, "opt-out-withdrawn", List.of("commercial-use"), false);
  }

  @DynamicPropertySource
  static void citizen(DynamicPropertyRegistry properties) {
    properties.add("optout.portal.citizen.registry-url", REGISTRY::url);
    properties.add("optout.portal.citizen.watch-interval", () -> "300ms");
    properties.add("optout.portal.citizen.status-client-id", () -> "optout-portal-status");
    properties.add("optout.portal.citizen.status-client-secret", () -> "optout-portal-status-local-demo-secret");
    properties.add("optout.portal.citizen.report.keystore", () -> TSA.keystore.toString());
    properties.add("optout.portal.citizen.report.keystore-password-file", () -> TSA.passwordFile.toString());
    properties.add("optout.portal.citizen.report.tsa-url", TSA::url);
    properties.add("optout.portal.citizen.report.crl-url", TSA::crlUrl);
    properties.add("optout.portal.citizen.report.tsa-root", () -> TSA.pki.rootCertificateFile().toString());
    properties.add("optout.portal.citizen.report.tsa-client-id", () -> "optout-portal");
    properties.add("optout.portal.citizen.report.tsa-client-secret", () -> "optout-portal-local-demo-secret");
    properties.add("optout.portal.registry-log.origin", () -> StubRegistry.ORIGIN);
    properties.add("optout.portal.registry-log.verifier-key", REGISTRY.logKey::verifierKey);
    properties.add("optout.portal.registry-log.witness-verifier-key", REGISTRY.witnessKey::verifierKey);
    properties.add("optout.portal.warehouse-output", () -> RUNNER.output().toString());
    properties.add("optout.portal.manifest-public-key", () -> RUNNER.publicKey().toString());
    properties.add("spring.mail.host", () -> "127.0.0.1");
    properties.add("spring.mail.port", () -> SMTP_PORT);
    properties.add("optout.portal.mail.from", () -> "research-portal@portal.test");
    properties.add("optout.portal.mail.interval", () -> "200ms");
    properties.add("optout.portal.mail.keycloak-client-secret", () -> "optout-portal-mailer-local-demo-secret");
  }

  @Autowired JdbcTemplate jdbc;

  @AfterAll
  static void stop() throws Exception {
    REGISTRY.close();
    SMTP.stop();
    TSA.close();
  }

  @Test
  void aCitizenSeesTheirOwnStatusFilingsUsesAndExclusionsAndNothingOfAnotherCitizens() throws Exception {
    // two releases of academic research: one built before the citizen's opt-out was logged, one after
    String before = release(OPT_OUT_INDEX);
    String after = release(REGISTRY.size());
    String project = jdbc.queryForObject("select project from job where outcome like ?", String.class, "%" + before + "%");
    // the registry's pseudonyms are under key version 2 now: the citizen's rows are theirs under 2 and their
    // version-1 pseudonym's (rows without a version count as 1); the same number under another version is someone else
    ledger(MINE_BEFORE_ROTATION, project, before, 1);
    ledger(MINE_BEFORE_ROTATION, "application-9999", "EX-OLD-LEDGER-" + suffix(), null);
    String current = "EX-CURRENT-VERSION-" + suffix();
    ledger(MINE, project, current, 2);
    String otherVersion = "EX-OTHER-VERSION-" + suffix();
    ledger(MINE, project, otherVersion, 1);
    ledger(MINE_BEFORE_ROTATION, "application-9998", "EX-OTHER-VERSION-2-" + suffix(), 2);
    String theirs = "EX-THEIRS-" + suffix();
    ledger(THEIRS, project, theirs, 2);

    HttpResponse<String> answer = getAs("/api/v1/citizen/overview", CITIZEN);
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    assertThat(answer.headers().firstValue("Cache-Control").orElse("")).contains("no-store");
    JsonNode overview = body(answer);
    assertThat(scopes(overview.get("optedOut"))).contains("academic-research").doesNotContain("commercial-use", "government-statistics");
    JsonNode filings = overview.get("filings");
    assertThat(filings.size()).isGreaterThanOrEqualTo(2);
    JsonNode first = filings.get(0);
    assertThat(first.get("type").asString()).isEqualTo("opt-out-filed");
    assertThat(first.get("logIndex").asLong()).isEqualTo(OPT_OUT_INDEX);
    assertThat(first.at("/receipt/inclusionProof").size()).isGreaterThan(1);
    assertThat(first.at("/receipt/checkpoint").asString()).startsWith(StubRegistry.ORIGIN + "\n");
    assertThat(first.at("/receipt/checkpointCheck/registrySignatureVerified").asBoolean()).isTrue();
    assertThat(first.at("/receipt/checkpointCheck/witnessCosignatureVerified").asBoolean()).isTrue();
    assertThat(first.at("/receipt/personSalt").isMissingNode()).as("the person's salt is not passed on").isTrue();

    assertThat(overview.has("uses")).as("where the data was used is its own call").isFalse();
    HttpResponse<String> usesAnswer = getAs("/api/v1/citizen/uses", CITIZEN);
    assertThat(usesAnswer.statusCode()).as(usesAnswer.body()).isEqualTo(200);
    assertThat(usesAnswer.headers().firstValue("Cache-Control").orElse("")).contains("no-store");
    JsonNode usesView = body(usesAnswer);
    List<String> uses = extractIds(usesView.get("uses"));
    assertThat(uses).contains(before, current).anyMatch(id -> id.startsWith("EX-OLD-LEDGER-")).doesNotContain(otherVersion, theirs, after)
        .noneMatch(id -> id.startsWith("EX-OTHER-VERSION-2-"));
    JsonNode used = find(usesView.get("uses"), before);
    assertThat(used.get("title").asString()).isEqualTo("Diabetes and hypertension outcomes 2022-2023");
    assertThat(used.get("institution").asString()).isEqualTo("National Taiwan University Hospital");
    assertThat(used.get("legalBasis").asString()).startsWith("Personal Data Protection Act");
    assertThat(used.get("purpose").asString()).isEqualTo("academic-research");
    assertThat(used.get("usedOn").asString()).matches("[0-9]{4}-[0-9]{2}-[0-9]{2}");
    assertThat(usesView.get("usageAvailable").asBoolean()).isTrue();

    List<String> excluded = extractIds(overview.get("excludedReleases"));
    assertThat(excluded).contains(after).doesNotContain(before);
    assertThat(overview.get("excludedFrom").asInt()).isEqualTo(excluded.size());
    // a release delivered after this overview counts at the next one (the portal keeps the list of releases only as
    // long as no extract is delivered)
    String later = release(REGISTRY.size());
    JsonNode next = body(getAs("/api/v1/citizen/overview", CITIZEN));
    assertThat(extractIds(next.get("excludedReleases"))).containsAll(excluded).contains(later);
    assertThat(next.get("excludedFrom").asInt()).isEqualTo(excluded.size() + 1);
    assertThat(overview.get("exemptions").get(0).get("legalBasis").asString()).isEqualTo("Communicable Disease Control Act art. 5");
    assertThat(overview.get("onlineFilingUrl").asString()).isEqualTo("http://127.0.0.1:8082/online/");
    // neither pseudonym nor any national ID ever reaches the browser
    for (HttpResponse<String> shown : List.of(answer, usesAnswer)) {
      assertThat(shown.body()).doesNotContain(String.valueOf(MINE), String.valueOf(MINE_BEFORE_ROTATION), String.valueOf(THEIRS), "A123456789");
    }

    // no request names a person: whatever it adds, the caller sees their own
    HttpResponse<String> named = getAs("/api/v1/citizen/uses?pseudonym=" + THEIRS + "&person=" + THEIRS, CITIZEN);
    assertThat(extractIds(body(named).get("uses"))).contains(before).doesNotContain(theirs);

    // the other citizen sees theirs, and nothing of the first one's (their pseudonyms are remembered apart)
    JsonNode other = body(getAs("/api/v1/citizen/overview", OTHER));
    assertThat(extractIds(body(getAs("/api/v1/citizen/uses", OTHER)).get("uses"))).contains(theirs).doesNotContain(before, otherVersion);
    assertThat(scopes(other.get("optedOut"))).contains("government-statistics").doesNotContain("academic-research");
    assertThat(extractIds(other.get("excludedReleases"))).doesNotContain(after);
    assertThat(other.get("filings").findValues("logIndex")).noneMatch(index -> index.asLong() == OPT_OUT_INDEX);
  }

  @Test
  void onlyCitizensAreServedAndARegistryThatFailsIsSaidPlainly() {
    assertThat(getAs("/api/v1/citizen/overview", RESEARCHER).statusCode()).isEqualTo(403);
    assertThat(getAs("/api/v1/citizen/overview", REVIEWER).statusCode()).isEqualTo(403);
    assertThat(getAs("/api/v1/citizen/subscriptions", RESEARCHER).statusCode()).isEqualTo(403);
    assertThat(json("PUT", "/api/v1/citizen/subscriptions", RESEARCHER, "{\"dataUsed\":true,\"statusChanged\":true}").statusCode()).isEqualTo(403);
    assertThat(get("/api/v1/citizen/overview", null).statusCode()).isEqualTo(401);
    assertThat(get("/api/v1/citizen/overview", "not-a-token").statusCode()).isEqualTo(401);

    assertThat(getAs("/api/v1/citizen/uses", RESEARCHER).statusCode()).isEqualTo(403);
    assertThat(get("/api/v1/citizen/uses", null).statusCode()).isEqualTo(401);

    assertThat(getAs("/api/v1/citizen/overview", CITIZEN).statusCode()).isEqualTo(200);
    REGISTRY.down.set(true);
    try {
      // the citizen's pseudonyms, told by the registry a moment ago, are remembered: where their data was used still shows
      HttpResponse<String> remembered = getAs("/api/v1/citizen/uses", CITIZEN);
      assertThat(remembered.statusCode()).as(remembered.body()).isEqualTo(200);
      assertThat(body(remembered).get("usageAvailable").asBoolean()).isTrue();
      HttpResponse<String> down = getAs("/api/v1/citizen/overview", CITIZEN);
      assertThat(down.statusCode()).isEqualTo(502);
      assertThat(down.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
      assertThat(body(down).get("type").asString()).endsWith("registry-unavailable");
      assertThat(json("PUT", "/api/v1/citizen/subscriptions", CITIZEN, "{\"dataUsed\":true,\"statusChanged\":false}").statusCode())
          .isEqualTo(502);
    } finally {
      REGISTRY.down.set(false);
    }

    REGISTRY.unwitnessed.set(true);
    try {
      JsonNode receipt = body(getAs("/api/v1/citizen/overview", CITIZEN)).get("filings").get(0).get("receipt");
      assertThat(receipt.at("/checkpointCheck/registrySignatureVerified").asBoolean()).isTrue();
      assertThat(receipt.at("/checkpointCheck/witnessCosignatureVerified").asBoolean()).isFalse();
      assertThat(receipt.at("/checkpointCheck/problem").asString()).contains("witness");
    } finally {
      REGISTRY.unwitnessed.set(false);
    }
  }

  @Test
  void subscriptionsRefuseBadInputAndTellNewsByEMailThatNamesNothing() throws Exception {
    for (String bad : List.of("{}", "{\"dataUsed\":true}", "{\"dataUsed\":\"yes\",\"statusChanged\":false}", "{\"dataUsed\":true,",
        "[]", "")) {
      HttpResponse<String> refused = json("PUT", "/api/v1/citizen/subscriptions", OTHER, bad);
      assertThat(refused.statusCode()).as(bad).isEqualTo(400);
      assertThat(refused.headers().firstValue("Content-Type").orElse("")).as(bad).startsWith("application/problem+json");
    }
    String subject = subjectOf(OTHER);
    assertThat(jdbc.queryForObject("select count(*) from citizen_subscription where subject = ?", Integer.class, subject)).isZero();
    JsonNode none = body(getAs("/api/v1/citizen/subscriptions", OTHER));
    assertThat(none.get("dataUsed").asBoolean()).isFalse();
    assertThat(none.get("statusChanged").asBoolean()).isFalse();

    HttpResponse<String> subscribed = json("PUT", "/api/v1/citizen/subscriptions", OTHER, "{\"dataUsed\":true,\"statusChanged\":true}");
    assertThat(subscribed.statusCode()).as(subscribed.body()).isEqualTo(200);
    assertThat(body(subscribed).get("dataUsed").asBoolean()).isTrue();
    assertThat(body(subscribed).get("statusWatched").asBoolean()).isTrue();
    Thread.sleep(1_000);
    assertThat(outbox(subject)).as("nothing from before the subscription is told").isEmpty();

    // a new extract used their data: told once, by an e-mail that says only "log in to see"
    String extract = "EX-NEWS-" + suffix();
    ledger(THEIRS, "application-4242", extract, 2);
    ledger(THEIRS, "application-4242", "EX-V1-" + suffix(), 1);  // another key version's pseudonym: someone else
    await(() -> outbox(subject).contains("citizen-data-used"), "the data-used e-mail queued");
    MimeMessage used = await(OTHER + "@demo.invalid", "您的資料使用紀錄有更新 / Your data-use record has news");
    String text = GreenMailUtil.getWholeMessage(used);
    String body = new String(used.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(body).contains("Log in to the research portal to see it.");
    for (String content : List.of(text, body, used.getSubject())) {
      assertThat(content).doesNotContain(extract, "application-4242", "Diabetes", "academic", String.valueOf(THEIRS), subject, "A123456789");
    }
    Thread.sleep(1_000);
    assertThat(outbox(subject)).as("told once").containsExactly("citizen-data-used");

    // their status changed at the registry: told once
    REGISTRY.file(THEIRS, "opt-out-filed", List.of("cross-agency-linkage"), false);
    await(() -> outbox(subject).contains("citizen-status-changed"), "the status-changed e-mail queued");
    MimeMessage changed = await(OTHER + "@demo.invalid", "您的退出狀態有更新 / Your opt-out status has news");
    assertThat(new String(changed.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).contains("Log in to the research portal to see it.");
    assertThat(GreenMailUtil.getWholeMessage(changed)).doesNotContain("cross-agency", String.valueOf(THEIRS), subject);
    Thread.sleep(1_000);
    assertThat(outbox(subject)).containsExactly("citizen-data-used", "citizen-status-changed");

    // unsubscribed: the pseudonym is gone, and news is no longer told
    HttpResponse<String> off = json("PUT", "/api/v1/citizen/subscriptions", OTHER, "{\"dataUsed\":false,\"statusChanged\":false}");
    assertThat(off.statusCode()).isEqualTo(200);
    assertThat(jdbc.queryForObject("select count(*) from citizen_subscription where subject = ?", Integer.class, subject)).isZero();
    ledger(THEIRS, "application-4242", "EX-AFTER-" + suffix(), 1);
    Thread.sleep(1_200);
    assertThat(outbox(subject)).hasSize(2);
  }

  @Test
  @Order(Integer.MAX_VALUE)  // it rotates citizen-other-test's key at the stub registry: the other tests see them unrotated
  void afterAKeyRotationTheWatchTellsNoFalseNewsAndTheSubscriptionFollowsTheCitizensNextVisit() throws Exception {
    String subject = subjectOf(OTHER);
    String beforeRotation = "EX-BEFORE-ROTATION-" + suffix();
    ledger(THEIRS, "application-4242", beforeRotation, 2);
    HttpResponse<String> subscribed = json("PUT", "/api/v1/citizen/subscriptions", OTHER, "{\"dataUsed\":true,\"statusChanged\":true}");
    assertThat(subscribed.statusCode()).as(subscribed.body()).isEqualTo(200);
    int told = outbox(subject).size();
    String watched = "select pseudonym || '/' || key_version from citizen_subscription where subject = ?";
    assertThat(jdbc.queryForObject(watched, String.class, subject)).isEqualTo(THEIRS + "/2");

    REGISTRY.rotate(OTHER, THEIRS_AFTER_ROTATION);
    Thread.sleep(1_500);  // five watch rounds: the kept pseudonym's empty history under the new version is not news
    assertThat(outbox(subject)).as("no false news after the rotation").hasSize(told);

    // the citizen opens their page: the subscription moves to their new pseudonym, and what is there now is not news
    assertThat(getAs("/api/v1/citizen/overview", OTHER).statusCode()).isEqualTo(200);
    assertThat(jdbc.queryForObject(watched, String.class, subject)).isEqualTo(THEIRS_AFTER_ROTATION + "/3");
    Thread.sleep(1_000);
    assertThat(outbox(subject)).hasSize(told);

    // news under the new version is told: a new extract, then a filing
    String extract = "EX-AFTER-ROTATION-" + suffix();
    ledger(THEIRS_AFTER_ROTATION, "application-4242", extract, 3);
    await(() -> outbox(subject).size() == told + 1, "the data-used e-mail after the rotation");
    REGISTRY.file(THEIRS_AFTER_ROTATION, "opt-out-filed", List.of("commercial-use"), false);
    await(() -> outbox(subject).size() == told + 2, "the status-changed e-mail after the rotation");
    assertThat(outbox(subject).subList(told, told + 2)).containsExactly("citizen-data-used", "citizen-status-changed");
    // where their data was used: rows under both versions
    assertThat(extractIds(body(getAs("/api/v1/citizen/uses", OTHER)).get("uses"))).contains(extract, beforeRotation);
    assertThat(json("PUT", "/api/v1/citizen/subscriptions", OTHER, "{\"dataUsed\":false,\"statusChanged\":false}").statusCode()).isEqualTo(200);
  }

  @Test
  void theSealedReportHoldsTheCitizensFactsAndNoOneElsesAndEuDssAcceptsItsSealUntilOneByteChanges() throws Exception {
    String used = release(OPT_OUT_INDEX);
    String excluded = release(REGISTRY.size());
    String project = jdbc.queryForObject("select project from job where outcome like ?", String.class, "%" + used + "%");
    ledger(MINE, project, used, 2);  // MINE is the pseudonym under the registry's current version, 2
    String theirs = "EX-REPORT-THEIRS-" + suffix();
    ledger(THEIRS, project, theirs, 2);
    JsonNode overview = body(getAs("/api/v1/citizen/overview", CITIZEN));
    JsonNode otherOverview = body(getAs("/api/v1/citizen/overview", OTHER));

    HttpResponse<byte[]> answer = send(java.net.http.HttpRequest.newBuilder(uri("/api/v1/citizen/report"))
        .header("Authorization", "Bearer " + token(CITIZEN)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    assertThat(answer.statusCode()).as(new String(answer.body(), StandardCharsets.UTF_8)).isEqualTo(200);
    assertThat(answer.headers().firstValue("Content-Type").orElse("")).startsWith("application/pdf");
    assertThat(answer.headers().firstValue("Cache-Control").orElse("")).contains("no-store");
    assertThat(answer.headers().firstValue("Content-Disposition").orElse("")).isEqualTo("attachment; filename=\"opt-out-report.pdf\"");
    byte[] pdf = answer.body();

    // the seal: PAdES baseline LTA (timestamps, validation data), judged by EU DSS with the demo root as the only anchor
    optout.platform.seal.EuDss.Verdict verdict = optout.platform.seal.EuDss.validate(pdf, TSA.pki.rootCertificate());
    assertThat(verdict.signatures()).as(verdict.toString()).isEqualTo(1);
    assertThat(verdict.format()).as(verdict.toString()).isEqualTo("PAdES-BASELINE-LTA");
    assertThat(verdict.allPassed()).as(verdict.simpleReportXml()).isTrue();
    optout.platform.seal.VerifiedSeal seal = new optout.platform.seal.SealVerifier(List.of(TSA.pki.rootCertificate())).verify(pdf);
    assertThat(seal.signer()).contains("Research Portal Report Seal");
    assertThat(TSA.refused.get()).as("every timestamp asked with the portal's timestamp-client token").isZero();

    // its text: the citizen's facts, and nothing of the other citizen's
    String text;
    try (var document = org.apache.pdfbox.Loader.loadPDF(pdf)) {
      text = new org.apache.pdfbox.text.PDFTextStripper().getText(document);
    }
    String flat = text.replaceAll("\\s+", "");
    assertThat(text).contains("個人資料退出狀態報告", "Opt-out status report", "學術研究", "Where my data was used");
    JsonNode first = overview.at("/filings/0/receipt");
    assertThat(flat).contains(first.get("leafHash").asString().replaceAll("\\s+", ""), "treesize" + first.get("treeSize").asLong(),
        "logindex" + first.get("logIndex").asLong(), used, excluded,
        "Excludedfrom" + overview.get("excludedFrom").asInt() + "release",
        overview.at("/exemptions/0/legalBasis").asString().replaceAll("\\s+", ""));
    assertThat(flat).doesNotContain(theirs, otherOverview.at("/filings/0/receipt/leafHash").asString(), String.valueOf(MINE),
        String.valueOf(THEIRS), "A123456789");

    // one byte changed in the sealed revision: EU DSS and the platform's check refuse it
    byte[] tampered = pdf.clone();
    assertThat(new String(pdf, 0, 7, StandardCharsets.ISO_8859_1)).isEqualTo("%PDF-1.");
    tampered[7] = (byte) (pdf[7] == '4' ? '5' : '4');  // the header's version digit: inside the seal's byte range
    assertThat(optout.platform.seal.EuDss.validate(tampered, TSA.pki.rootCertificate()).indication()).isEqualTo("TOTAL_FAILED");
    org.assertj.core.api.Assertions.assertThatThrownBy(
        () -> new optout.platform.seal.SealVerifier(List.of(TSA.pki.rootCertificate())).verify(tampered))
        .isInstanceOf(optout.platform.seal.InvalidSealException.class);

    // the other citizen's report is theirs; a researcher gets none
    HttpResponse<byte[]> others = send(java.net.http.HttpRequest.newBuilder(uri("/api/v1/citizen/report"))
        .header("Authorization", "Bearer " + token(OTHER)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    assertThat(others.statusCode()).isEqualTo(200);
    try (var document = org.apache.pdfbox.Loader.loadPDF(others.body())) {
      String theirText = new org.apache.pdfbox.text.PDFTextStripper().getText(document).replaceAll("\\s+", "");
      assertThat(theirText).contains(theirs).doesNotContain(used, first.get("leafHash").asString());
    }
    assertThat(getAs("/api/v1/citizen/report", RESEARCHER).statusCode()).isEqualTo(403);
    assertThat(getAs("/api/v1/citizen/report", null).statusCode()).isEqualTo(401);
  }

  // ---- helpers

  /** An approved application whose extract the runner finished at the registry checkpoint of this size; its extract ID. */
  private String release(long checkpointSize) throws Exception {
    String id = submitted(RESEARCHER);
    int version = jdbc.queryForObject("select current_version from application where id = ?::uuid", Integer.class, id);
    HttpResponse<String> approval = json("POST", "/api/v1/reviews/" + id + "/decision", REVIEWER,
        "{\"outcome\": \"approve\", \"version\": " + version + ", \"reason\": \"Minimum necessary.\"}");
    assertThat(approval.statusCode()).as(approval.body()).isEqualTo(200);
    UUID job = jdbc.queryForObject("select id from job where application_id = ?::uuid and kind = 'extract'", UUID.class, id);
    String extractId = "EX-20261206-" + job.toString().substring(0, 8);
    RUNNER.run(job, 100, "succeeded", "{\"kind\":\"extract\",\"extractId\":\"" + extractId + "\",\"registryCheckpoint\":{\"origin\":\""
        + StubRegistry.ORIGIN + "\",\"size\":" + checkpointSize + ",\"rootHash\":\"x\"}}");
    return extractId;
  }

  static void ledger(long person, String project, String extractId, Integer keyVersion) throws Exception {
    LedgerRows.add(testDatabase(), person, project, extractId, keyVersion);
  }

  private List<String> outbox(String subject) {
    return jdbc.queryForList("""
        select n.to_status from email_outbox o join notification n on n.id = o.notification_id
        where o.recipient_subject = ? order by o.created_at""", String.class, subject);
  }

  private static MimeMessage await(String address, String subject) throws Exception {
    long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (System.nanoTime() < end) {
      for (MimeMessage mail : SMTP.getReceivedMessages()) {
        if (subject.equals(mail.getSubject()) && Arrays.stream(mail.getRecipients(Message.RecipientType.TO)).anyMatch(a -> a.toString().equals(address))) {
          return mail;
        }
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no e-mail \"" + subject + "\" to " + address);
  }

  private static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("waited in vain for " + what);
      }
      Thread.sleep(100);
    }
  }

  private String subjectOf(String user) {
    String payload = token(user).split("\\.")[1];
    return JSON.readTree(Base64.getUrlDecoder().decode(payload)).get("sub").asString();
  }

  private static List<String> extractIds(JsonNode array) {
    List<String> ids = new ArrayList<>();
    array.forEach(node -> ids.add(node.get("extractId").asString()));
    return ids;
  }

  private static List<String> scopes(JsonNode array) {
    List<String> codes = new ArrayList<>();
    array.forEach(node -> codes.add(node.get("scope").asString()));
    return codes;
  }

  private static JsonNode find(JsonNode array, String extractId) {
    for (JsonNode node : array) {
      if (node.get("extractId").asString().equals(extractId)) {
        return node;
      }
    }
    throw new AssertionError("no " + extractId);
  }

  private static String suffix() {
    return UUID.randomUUID().toString().substring(0, 8);
  }

  private static StubRegistry registry() {
    try {
      return new StubRegistry();
    } catch (java.io.IOException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private static TsaStandIn tsa() {
    try {
      return new TsaStandIn();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (java.io.IOException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private static GreenMail startSmtp() {
    GreenMail server = new GreenMail(new ServerSetup(SMTP_PORT, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
    server.start();
    return server;
  }
}
