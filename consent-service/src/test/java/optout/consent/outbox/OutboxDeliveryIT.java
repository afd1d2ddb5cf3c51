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
import tools.jackson.databind.JsonNode;

/**
 * Delivery to the real registry (its jar, as a separate process): while it is stopped the counter keeps
 * filing; once it starts, every filing arrives exactly once, in the order filed.
 */
class OutboxDeliveryIT extends ConsentIT {

  private static final RegistryProcess registry = RegistryProcess.prepare();

  static {
    registryUrl = () -> registry.baseUri().toString();
  }

  @Autowired private JdbcTemplate jdbc;

  @AfterAll
  static void stopRegistry() {
    registry.close();
  }

  @Test
  void filingsMadeWhileTheRegistryIsDownArriveExactlyOnceInOrderWhenItStarts() throws Exception {
    assertThat(registry.running()).isFalse();
    JsonNode optOut = fileAtCounter("opt-out", "C100000003", "[\"academic-research\", \"commercial-use\"]");
    JsonNode other = fileAtCounter("opt-out", "F220000004", "[\"all-secondary-use\"]");
    JsonNode withdrawal = fileAtCounter("withdrawal", "C100000003", "[\"commercial-use\"]");
    List<String> ids = List.of(optOut.get("filingId").asString(), other.get("filingId").asString(), withdrawal.get("filingId").asString());

    Thread.sleep(1500);
    JsonNode waiting = json(get("/api/v1/filings/" + ids.get(0), token("clerk-demo")));
    assertThat(waiting.get("delivery").get("status").asString()).isEqualTo("pending");
    assertThat(waiting.get("delivery").get("attempts").asInt()).isPositive();
    assertThat(waiting.get("delivery").get("detail").asString()).contains("cannot reach the registry");
    assertThat(jdbc.queryForObject("select count(*) from registry_outbox where payload_sealed is not null and filing_id in (?, ?, ?)",
        Long.class, ids.toArray())).isEqualTo(3);

    registry.start();
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
    List<String> order = stored.stream().map(RegistryProcess.StoredFiling::documentReference).filter(r -> r.startsWith("consent-filing:")).toList();
    assertThat(order).containsExactly(ids.stream().map(id -> "consent-filing:" + id).toArray(String[]::new));
    assertThat(stored.stream().filter(s -> s.documentReference().equals("consent-filing:" + ids.get(2))).findFirst().orElseThrow().type())
        .isEqualTo("opt-out-withdrawn");
    // once delivered, the national ID is gone from the outbox
    assertThat(jdbc.queryForObject("select count(*) from registry_outbox where payload_sealed is not null and filing_id in (?, ?, ?)",
        Long.class, ids.toArray())).isZero();
  }
}
