package optout.consent.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import optout.consent.ConsentIT;
import optout.consent.RegistryProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Delivery to the real registry (its jar, as a separate process): while it is stopped the counter keeps
 * filing; once it starts, every filing arrives exactly once, in the order filed.
 */
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class OutboxDeliveryIT extends ConsentIT {

  private static final RegistryProcess registry = RegistryProcess.prepare();

  static {
    deliveryRegistry = registry.baseUri();
  }

  /** A context of its own, started after the registry's address is known; the cached contexts of other tests keep their idle relays. */
  @DynamicPropertySource
  static void ownContext(DynamicPropertyRegistry properties) {
    properties.add("optout.test.context", () -> "outbox-delivery");
    // this context checks the registry's log, with the registry's key pinned (the others have none and idle)
    properties.add("optout.consent.registry-log.verifier-key", () -> registry.logKey().verifierKey());
    properties.add("optout.consent.registry-log.interval", () -> "300ms");
  }

  @Autowired private JdbcTemplate jdbc;

  @AfterAll
  static void stopRegistry() {
    deliveryRegistry = null;
    registry.close();
  }

  @Test
  void filingsMadeWhileTheRegistryIsDownArriveExactlyOnceInOrderWhenItStarts() throws Exception {
    assertThat(registry.running()).isFalse();
    JsonNode optOut = fileAtCounter("opt-out", "C100000003", "[\"academic-research\", \"commercial-use\"]");
    JsonNode other = fileAtCounter("opt-out", "F220000004", "[\"all-secondary-use\"]");
    JsonNode withdrawal = fileAtCounter("withdrawal", "C100000003", "[\"commercial-use\"]");
    List<String> ids = List.of(optOut.get("filingId").asString(), other.get("filingId").asString(), withdrawal.get("filingId").asString());
    // a withdrawal for someone the registry holds no opt-out of: its domain refusal, as the real registry words it
    String nothingToWithdraw = fileAtCounter("withdrawal", "J119400188", "[\"commercial-use\"]").get("filingId").asString();

    // the relay has tried (these or, oldest first, earlier filings of other tests in this database) and failed
    Instant tried = Instant.now().plus(Duration.ofSeconds(10));
    while (jdbc.queryForObject("select count(*) from registry_outbox where status = 'pending' and attempts > 0", Long.class) == 0) {
      assertThat(Instant.now()).as("the relay tries within 10 s").isBefore(tried);
      Thread.sleep(200);
    }
    JsonNode waiting = json(get("/api/v1/filings/" + ids.get(0), token("clerk-demo")));
    assertThat(waiting.get("delivery").get("status").asString()).isEqualTo("pending");
    assertThat(registry.running()).isFalse();
    assertThat(jdbc.queryForObject("select count(*) from registry_outbox where payload_sealed is not null and filing_id in (?, ?, ?)",
        Long.class, ids.toArray())).isEqualTo(3);

    registry.start();
    // oldest first: filings other tests left in this database go before these
    Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
    while (jdbc.queryForObject("select count(*) from registry_outbox where status = 'delivered' and filing_id in (?, ?, ?)",
        Long.class, ids.toArray()) < 3) {
      assertThat(Instant.now()).as("all three delivered within a minute").isBefore(deadline);
      Thread.sleep(250);
    }

    List<RegistryProcess.StoredFiling> stored = registry.filings();
    for (String id : ids) {
      assertThat(registry.filingsWithDocumentReference("consent-filing:" + id)).as(id).isEqualTo(1);
      JsonNode delivered = json(get("/api/v1/filings/" + id, token("clerk-demo")));
      assertThat(delivered.get("delivery").get("registryEventId").asString())
          .isEqualTo(stored.stream().filter(s -> s.documentReference().equals("consent-filing:" + id)).findFirst().orElseThrow().id().toString());
    }
    List<String> ours = ids.stream().map(id -> "consent-filing:" + id).toList();
    List<String> order = stored.stream().map(RegistryProcess.StoredFiling::documentReference).filter(ours::contains).toList();
    assertThat(order).containsExactlyElementsOf(ours);
    assertThat(stored.stream().filter(s -> s.documentReference().equals("consent-filing:" + ids.get(2))).findFirst().orElseThrow().type())
        .isEqualTo("opt-out-withdrawn");
    // the registry knows the clerk who filed all three by one pseudonym, never by their account
    List<RegistryProcess.StoredFiling> delivered = stored.stream().filter(s -> ours.contains(s.documentReference())).toList();
    assertThat(delivered).extracting(RegistryProcess.StoredFiling::filerRole).containsOnly("clerk");
    assertThat(delivered).extracting(RegistryProcess.StoredFiling::filerPseudonym).doesNotContainNull().hasSize(3)
        .allMatch(p -> p.matches("[0-9a-f]{32}")).containsOnly(delivered.get(0).filerPseudonym());
    // the registry's real refusal is recognised as a domain refusal: held for a clerk with its payload, never stored
    Instant heldBy = Instant.now().plus(Duration.ofSeconds(30));
    while (!"held".equals(jdbc.queryForObject("select status from registry_outbox where filing_id = ?", String.class, nothingToWithdraw))) {
      assertThat(Instant.now()).as("the refused withdrawal is held within 30 s").isBefore(heldBy);
      Thread.sleep(200);
    }
    assertThat(jdbc.queryForObject("select held_problem_type from registry_outbox where filing_id = ? and payload_sealed is not null",
        String.class, nothingToWithdraw)).isEqualTo("urn:nhi-optout:problem:filing-refused");
    assertThat(registry.filingsWithDocumentReference("consent-filing:" + nothingToWithdraw)).isZero();
    assertThat(jdbc.queryForObject("select count(*) from consent_alert where kind = 'filing-held' and filing_id = ?", Long.class,
        nothingToWithdraw)).isEqualTo(1);
    // once delivered, the national ID is gone from the outbox
    assertThat(jdbc.queryForObject("select count(*) from registry_outbox where payload_sealed is not null and filing_id in (?, ?, ?)",
        Long.class, ids.toArray())).isZero();

    // the service holds the registry to it: each filing proven in the log, as sealed, under a checkpoint it verified
    Instant provenBy = Instant.now().plus(Duration.ofSeconds(30));
    while (jdbc.queryForObject("select count(*) from filing_log_proof where filing_id in (?, ?, ?)", Long.class, ids.toArray()) < 3) {
      assertThat(Instant.now()).as("all three proven in the registry's log within 30 s").isBefore(provenBy);
      Thread.sleep(200);
    }
    assertThat(jdbc.queryForObject("select count(*) from registry_log_problem", Long.class)).isZero();
    assertThat(jdbc.queryForObject("select count(*) from registry_checkpoint_seen", Long.class)).isPositive();
    String code = jdbc.queryForObject("select receipt_code from filing where filing_id = ?", String.class, ids.get(0));
    JsonNode logged = json(get("/api/v1/verify/" + code, null)).get("registryLog");
    assertThat(logged.get("status").asString()).isEqualTo("logged");
    assertThat(logged.get("treeSize").asLong()).isGreaterThan(logged.get("logIndex").asLong());

    // an insider with the registry's database and log key signs a tree the log does not have as the latest:
    // the service cannot get it proven one history with what it saw, records that, and never remembers it
    long seen = jdbc.queryForObject("select max(tree_size) from registry_checkpoint_seen", Long.class);
    long forged = registry.latestCheckpointSize() + 5;
    registry.forgeLatestCheckpoint(forged, new byte[32]);
    Instant caughtBy = Instant.now().plus(Duration.ofSeconds(30));
    while (jdbc.queryForObject("select count(*) from registry_log_problem", Long.class) == 0) {
      assertThat(Instant.now()).as("the forged checkpoint is caught within 30 s").isBefore(caughtBy);
      Thread.sleep(200);
    }
    assertThat(jdbc.queryForObject("select detail from registry_log_problem order by id limit 1", String.class))
        .contains("checkpoint of " + forged + " leaves").contains("one history");
    assertThat(jdbc.queryForObject("select max(tree_size) from registry_checkpoint_seen", Long.class)).isEqualTo(seen).isLessThan(forged);
    // a filing delivered now is stored, but no receipt of it can lead to a checkpoint this service accepts: never proven
    JsonNode later = fileAtCounter("opt-out", "Q204608133", "[\"academic-research\"]");  // nobody else in these tests: the registry takes it
    String laterId = later.get("filingId").asString();
    Instant storedBy = Instant.now().plus(Duration.ofSeconds(30));
    while (registry.filingsWithDocumentReference("consent-filing:" + laterId) == 0) {
      assertThat(Instant.now()).as("the later filing is delivered within 30 s").isBefore(storedBy);
      Thread.sleep(200);
    }
    Thread.sleep(3_000);  // ten rounds of the monitor
    assertThat(jdbc.queryForObject("select count(*) from filing_log_proof where filing_id = ?", Long.class, laterId)).isZero();
    String laterCode = jdbc.queryForObject("select receipt_code from filing where filing_id = ?", String.class, laterId);
    assertThat(json(get("/api/v1/verify/" + laterCode, null)).get("registryLog").get("status").asString()).isEqualTo("problem");
    // and the finding about the forged checkpoint is kept once, not once per round
    assertThat(jdbc.queryForObject("select count(*) from registry_log_problem", Long.class)).isEqualTo(1);
  }
}
