package optout.portal.statistics;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.LocalDate;
import optout.portal.PortalIT;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A registry publication with a small cell is not shown at all (the portal's own last check), and neither is a registry
 * that does not answer: both are a 503 problem that repeats nothing of the publication. A portal of its own (nothing kept).
 */
class PublicStatisticsRefusalIT extends PortalIT {

  private static final FakeRegistry REGISTRY = new FakeRegistry();

  @DynamicPropertySource
  static void registry(DynamicPropertyRegistry properties) {
    properties.add("optout.portal.registry-log.url", REGISTRY::url);
    properties.add("optout.portal.registry-log.origin", () -> FakeRegistry.ORIGIN);
  }

  @AfterAll
  static void stop() {
    REGISTRY.close();
  }

  @Test
  void aSmallCellOrNoPublicationIsNeverShown() {
    REGISTRY.serve(FakeRegistry.publication(LocalDate.of(2026, 12, 6), true));
    HttpResponse<String> small = get("/api/v1/public/statistics", null);
    assertThat(small.statusCode()).as(small.body()).isEqualTo(503);
    assertThat(small.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
    assertThat(small.body()).contains("statistics-unavailable").doesNotContain("lienchiang").doesNotContain("\"count\"");

    REGISTRY.serve("{\"optedOut\": [1, 2], \"threshold\": 10}");
    assertThat(get("/api/v1/public/statistics", null).statusCode()).isEqualTo(503);
    REGISTRY.serve("not json at all");
    assertThat(get("/api/v1/public/statistics", null).statusCode()).isEqualTo(503);
    REGISTRY.serve(null);
    assertThat(get("/api/v1/public/statistics", null).statusCode()).isEqualTo(503);

    // once the registry serves a good publication again, it is shown (with its checkpoint not verified: no keys here)
    REGISTRY.serve(FakeRegistry.publication(LocalDate.of(2026, 12, 6), false));
    HttpResponse<String> good = get("/api/v1/public/statistics", null);
    assertThat(good.statusCode()).as(good.body()).isEqualTo(200);
    assertThat(body(good).at("/checkpoint/verified").asBoolean()).isFalse();
    assertThat(body(good).at("/checkpoint/problem").asString()).contains("No registry log key");
  }
}
