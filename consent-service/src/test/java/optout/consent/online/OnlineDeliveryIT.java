package optout.consent.online;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import optout.consent.ConsentIT;
import optout.consent.RegistryProcess;
import optout.consent.TestEvidence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Online filings as the real registry (its jar, as a separate process) receives them: a browser whose
 * clock is fast or set to 2022 files at the server's time, and is delivered; a representative's filing
 * reaches the registry only once a clerk accepts it, signed as filed by the representative's account.
 */
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class OnlineDeliveryIT extends ConsentIT {

  private static final String DRAFTS = "/api/v1/online/drafts";
  private static final RegistryProcess registry = RegistryProcess.prepare();

  static {
    deliveryRegistry = registry.baseUri();
  }

  @DynamicPropertySource
  static void ownContext(DynamicPropertyRegistry properties) {
    properties.add("optout.test.context", () -> "online-delivery");
  }

  @Autowired private JdbcTemplate jdbc;

  @BeforeAll
  static void startRegistry() {
    // another delivery test of this JVM may have cleared it when it finished
    deliveryRegistry = registry.baseUri();
    registry.start();
  }

  @AfterAll
  static void stopRegistry() {
    deliveryRegistry = null;
    registry.close();
  }

  private String draft(String citizen, String body) {
    HttpResponse<String> response = post(DRAFTS, citizen, body);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    return json(response).get("draftId").asString();
  }

  private RegistryProcess.StoredFiling delivered(String filingId) throws InterruptedException {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
    while (!"delivered".equals(jdbc.queryForObject("select status from registry_outbox where filing_id = ?", String.class, filingId))) {
      assertThat(jdbc.queryForObject("select status || ' ' || coalesce(last_error, '') from registry_outbox where filing_id = ?", String.class,
          filingId)).as(filingId).doesNotStartWith("refused");
      assertThat(Instant.now()).as(filingId + " delivered within a minute").isBefore(deadline);
      Thread.sleep(250);
    }
    return registry.filings().stream().filter(s -> s.documentReference().equals("consent-filing:" + filingId)).findFirst().orElseThrow();
  }

  @Test
  void aBrowserClockFastOrIn2022FilesAtTheServersTimeAndTheRegistryTakesIt() throws Exception {
    String citizen = token("citizen-demo");
    String clerk = token("clerk-demo");
    // for children of their own (the citizen's own ID has filings of other tests in this registry), accepted by a clerk
    Map<Instant, String> children = new LinkedHashMap<>();
    children.put(Instant.now().plus(Duration.ofMinutes(5)), "S200777031");
    children.put(Instant.parse("2022-03-01T08:00:00Z"), "T100888047");
    for (Map.Entry<Instant, String> child : children.entrySet()) {
      Instant claimed = child.getKey();
      String id = draft(citizen, """
          {"kind": "opt-out", "scopes": ["academic-research"],
           "representative": {"relation": "parent-of-minor", "evidenceType": "household-registration-transcript", "nationalId": "%s"}}"""
          .formatted(child.getValue()));
      assertThat(put(DRAFTS + "/" + id + "/evidence", citizen, "image/png", TestEvidence.png(595, 842)).statusCode()).isEqualTo(200);
      Instant before = Instant.now();
      HttpResponse<String> signed = post(DRAFTS + "/" + id + "/signature" + shown("opt-out"), citizen,
          BrowserCaptures.claimingStart(BrowserCaptures.finger("signature-a"), claimed));
      assertThat(signed.statusCode()).as(signed.body()).isEqualTo(202);
      String filingId = json(signed).get("filingId").asString();
      assertThat(post("/api/v1/counter/reviews/" + filingId + "/accept", clerk, "").statusCode()).isEqualTo(200);
      JsonNode filing = json(get("/api/v1/filings/" + filingId, citizen));
      Instant signedAt = Instant.parse(filing.get("signedAt").asString());
      assertThat(signedAt).as("claimed " + claimed).isBetween(before.minusSeconds(2), Instant.now().plusSeconds(2));
      // the signature timestamp follows the signing within the sealing's seconds
      assertThat(Instant.parse(filing.get("sealedAt").asString())).isBetween(signedAt.minusSeconds(2), signedAt.plusSeconds(30));
      RegistryProcess.StoredFiling stored = delivered(filing.get("filingId").asString());
      assertThat(Duration.between(stored.effectiveAt(), signedAt).abs()).as("the registry's effective time").isLessThan(Duration.ofMillis(1));
    }
  }

  @Test
  void aRepresentativesFilingReachesTheRegistryOnlyOnceAClerkAcceptsIt() throws Exception {
    String citizen = token("citizen-demo");
    String clerk = token("clerk-demo");
    String opened = draft(citizen, """
        {"kind": "opt-out", "scopes": ["commercial-use"],
         "representative": {"relation": "guardian-of-ward", "evidenceType": "court-ruling", "nationalId": "P110773102"}}""");
    assertThat(put(DRAFTS + "/" + opened + "/evidence", citizen, "application/pdf", TestEvidence.pdf()).statusCode()).isEqualTo(200);
    HttpResponse<String> held = post(DRAFTS + "/" + opened + "/signature" + shown("opt-out"), citizen, BrowserCaptures.finger("signature-c"));
    assertThat(held.statusCode()).as(held.body()).isEqualTo(202);
    String filingId = json(held).get("filingId").asString();

    String other = draft(citizen, """
        {"kind": "opt-out", "scopes": ["commercial-use"],
         "representative": {"relation": "guardian-of-ward", "evidenceType": "court-ruling", "nationalId": "Q200555015"}}""");
    assertThat(put(DRAFTS + "/" + other + "/evidence", citizen, "image/jpeg", TestEvidence.jpeg()).statusCode()).isEqualTo(200);
    String rejectedId = json(post(DRAFTS + "/" + other + "/signature" + shown("opt-out"), citizen, BrowserCaptures.finger("signature-b"))).get("filingId").asString();

    // the relay is working (a filing made after them arrives), and the held ones are not sent
    String plainId = fileAtCounter("opt-out", "U200999057", "[\"government-statistics\"]").get("filingId").asString();
    delivered(plainId);
    assertThat(registry.filingsWithDocumentReference("consent-filing:" + filingId)).isZero();
    assertThat(registry.filingsWithDocumentReference("consent-filing:" + rejectedId)).isZero();

    assertThat(post("/api/v1/counter/reviews/" + rejectedId + "/reject", clerk, "{\"reason\": \"裁定書所載監護人非申請人 The ruling names another guardian\"}")
        .statusCode()).isEqualTo(200);
    assertThat(post("/api/v1/counter/reviews/" + filingId + "/accept", clerk, "").statusCode()).isEqualTo(200);
    RegistryProcess.StoredFiling stored = delivered(filingId);
    assertThat(stored.channel()).isEqualTo("proxy");
    // signed as filed by the representative's account, not by the clerk who reviewed it
    assertThat(stored.filerRole()).isEqualTo("citizen");
    assertThat(registry.filingsWithDocumentReference("consent-filing:" + filingId)).isEqualTo(1);
    assertThat(stored.filerPseudonym()).isNotNull();

    Thread.sleep(1500);
    assertThat(registry.filingsWithDocumentReference("consent-filing:" + rejectedId)).isZero();
    assertThat(jdbc.queryForObject("select count(*) from registry_outbox where filing_id = ?", Long.class, rejectedId)).isZero();
  }
}
