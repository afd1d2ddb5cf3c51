package optout.portal.statistics;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import optout.portal.PortalIT;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The public statistics through the portal's API without a token: the registry's publication as it served it, the
 * surge notice worked out from it, the newest checkpoint verified under the log's and the witness's keys; a publication
 * with a small cell, or none, is not shown at all; nothing but GET is open.
 */
class PublicStatisticsIT extends PortalIT {

  private static final FakeRegistry REGISTRY = new FakeRegistry();

  @DynamicPropertySource
  static void registry(DynamicPropertyRegistry properties) {
    properties.add("optout.portal.registry-log.url", REGISTRY::url);
    properties.add("optout.portal.registry-log.origin", () -> FakeRegistry.ORIGIN);
    properties.add("optout.portal.registry-log.verifier-key", REGISTRY.logKey::verifierKey);
    properties.add("optout.portal.registry-log.witness-verifier-key", REGISTRY.witnessKey::verifierKey);
  }

  @AfterAll
  static void stop() {
    REGISTRY.close();
  }

  @Test
  void anyoneReadsTheSuppressedStatisticsTheSurgeAndTheWitnessedCheckpoint() {
    HttpResponse<String> answer = get("/api/v1/public/statistics", null);
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    JsonNode view = body(answer);
    assertThat(view.at("/registry/optedOut/total/count").asLong()).isEqualTo(1840);
    assertThat(view.at("/registry/optedOut/byScope/categories/2/suppressed").asBoolean()).isTrue();
    assertThat(view.at("/registry/optedOut/byScope/categories/2/count").isNull()).isTrue();
    assertThat(view.at("/registry/dailyFilings/days").size()).isEqualTo(90);
    assertThat(view.at("/surges").size()).isEqualTo(1);
    assertThat(view.at("/surges/0/day").asString()).isEqualTo("2026-12-06");
    assertThat(view.at("/surges/0/optOutsFiled").asLong()).isEqualTo(45);
    assertThat(view.at("/checkpoint/size").asLong()).isEqualTo(4242);
    assertThat(view.at("/checkpoint/origin").asString()).isEqualTo(FakeRegistry.ORIGIN);
    assertThat(view.at("/checkpoint/registrySignatureVerified").asBoolean()).isTrue();
    assertThat(view.at("/checkpoint/witnessCosignatureVerified").asBoolean()).isTrue();
    assertThat(view.at("/checkpoint/verified").asBoolean()).isTrue();
    assertThat(answer.headers().firstValue("Content-Security-Policy")).isPresent();
    // kept for a minute: a second reader does not reach the registry
    int before = REGISTRY.requests();
    assertThat(get("/api/v1/public/statistics", null).statusCode()).isEqualTo(200);
    assertThat(REGISTRY.requests()).isEqualTo(before);
    // over time: today's publication was recorded (one a day), each one-way table of it
    HttpResponse<String> history = get("/api/v1/public/statistics/history?days=7", null);
    assertThat(history.statusCode()).as(history.body()).isEqualTo(200);
    JsonNode days = body(history);
    assertThat(days.size()).isEqualTo(1);
    assertThat(days.at("/0/day").asString()).isEqualTo("2026-12-06");
    assertThat(days.at("/0/tables/byScope/0/category").asString()).isEqualTo("academic-research");
    assertThat(days.at("/0/tables/byScope/0/count").asLong()).isEqualTo(1210);
    assertThat(days.at("/0/tables/byCounty/2/suppressed").asBoolean()).isTrue();
    assertThat(days.at("/0/tables/bySex").size()).isEqualTo(3);
    assertThat(days.at("/0/tables/byChannel/0/category").asString()).isEqualTo("counter");
    assertThat(days.at("/0/tables/byChannel/1/suppressed").asBoolean()).isTrue();
    for (String bad : new String[] {"0", "367", "-1", "x", "1e2", "99999999999"}) {
      HttpResponse<String> refused = get("/api/v1/public/statistics/history?days=" + bad, null);
      assertThat(refused.statusCode()).as(bad).isEqualTo(400);
      assertThat(body(refused).at("/errors/0/field").asString()).isEqualTo("days");
    }

    // only GET is open
    assertThat(json("POST", "/api/v1/public/statistics", null, "{}").statusCode()).isEqualTo(401);
    assertThat(json("DELETE", "/api/v1/public/statistics", null, null).statusCode()).isEqualTo(401);
  }
}
