package optout.portal.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.UUID;
import optout.portal.RunnerStandIn;
import optout.portal.statistics.FakeRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import optout.platform.testing.browser.Chromium;
import tools.jackson.databind.node.ObjectNode;

/**
 * The public register and the public statistics in headless Chromium without signing in, at a phone's width (390 px)
 * and a tablet's: a delivered project found and filtered, the statistics drawn with suppressed cells in words, the surge
 * notice and the verified checkpoint; every page photographed (target/screenshots/public), checked with axe-core, and
 * shown to load nothing from anywhere but the portal.
 */
class PublicPagesBrowserIT extends PortalBrowser {

  private static final RunnerStandIn RUNNER = new RunnerStandIn(optout.portal.PortalIT::testDatabase);
  private static final FakeRegistry REGISTRY = new FakeRegistry();
  private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
  private static final int PHONE = 390;

  PublicPagesBrowserIT() {
    super("public");
  }

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

  /** An approved project whose extract the runner delivered (2,345 persons): its ID. */
  private String deliveredProject(String organisation) throws Exception {
    ObjectNode form = (ObjectNode) JSON.readTree(COMPLETE);
    form.put("institution", organisation);
    form.put("title", "Heart failure after influenza " + RUN);
    String id = draft(RESEARCHER, form.toString());
    assertThat(uploadEthics(id, RESEARCHER, pdf(1), "application/pdf").statusCode()).isEqualTo(200);
    assertThat(json("POST", "/api/v1/applications/" + id + "/submit", RESEARCHER, null).statusCode()).isEqualTo(200);
    HttpResponse<String> approved = json("POST", "/api/v1/reviews/" + id + "/decision", REVIEWER,
        "{\"outcome\": \"approve\", \"version\": 1, \"reason\": \"Minimum necessary.\"}");
    assertThat(approved.statusCode()).as(approved.body()).isEqualTo(200);
    RUNNER.run(latestJob(id, "extract"), 100, "succeeded", """
        {"kind":"extract","extractId":"EX-PUBLIC-%s","manifestSha256":"%s","tables":{"enrollment":2345},
         "persons":{"inCohort":2400,"excluded":55,"included":2345},
         "registryCheckpoint":{"origin":"registry.test/nhi-optout","size":4242,"rootHash":"cm9vdA=="}}""".formatted(RUN, "d".repeat(64)));
    return "application-" + body(approved).at("/application/number").asLong();
  }

  /** Every resource the page loaded came from the portal itself. */
  @SuppressWarnings("unchecked")
  private void onlyThePortalWasAsked(String page) throws Exception {
    List<Object> elsewhere = (List<Object>) evaluate("performance.getEntriesByType('resource').map(e => e.name)"
        + ".filter(name => !name.startsWith(location.origin + '/'))");
    assertThat(elsewhere).as("requests of " + page + " to anyone but the portal").isEmpty();
  }

  @Test
  void anyoneReadsTheRegisterAndTheStatisticsOnAPhoneWithoutSigningIn() throws Exception {
    String organisation = "Public Pages Hospital " + RUN;
    String project = deliveredProject(organisation);

    browser(PHONE, 844);
    open("/register/");
    String article = "#projects article[data-project='" + project + "']";
    assertThat(exists(article)).isTrue();
    assertThat(text(article + " h3")).isEqualTo("Heart failure after influenza " + RUN);
    assertThat(text(article)).contains(organisation).contains("1,000 to 9,999 persons").contains("EX-PUBLIC-" + RUN)
        .contains("Yes: everyone who opted out of this purpose was left out")
        // the exact count, as a number of its own (a random run tag or a hash may hold the digits "2345")
        .doesNotContainPattern("(?<![0-9A-Za-z])2,?345(?![0-9A-Za-z])");
    assertThat(exists("[data-action='sign-in']")).isFalse();
    check("register");
    onlyThePortalWasAsked("/register/");

    type("#filter-organisation", organisation);
    tap("#filters button[type='submit']");
    waitFor("document.querySelectorAll('#projects article').length === 1 && document.querySelector(" + js(article) + ") !== null",
        Chromium.STEP, "the filtered register");
    assertThat(text("#count")).contains("1 project");
    assertThat(attribute("#download-csv", "href")).startsWith("/api/v1/register.csv?organisation=");
    check("register-filtered");

    type("#filter-q", "no project has these words " + RUN);
    tap("#filters button[type='submit']");
    waitFor("document.querySelectorAll('#projects article').length === 0", Chromium.STEP, "the empty register");
    assertThat(text("#projects")).contains("No project matches these filters.");
    check("register-nothing-matches");

    open("/statistics/");
    assertThat(text("#total")).contains("1,840");
    assertThat(exists("#chart-scope svg.chart rect.chart-bar")).isTrue();
    assertThat(text("#chart-scope tr[data-category='cross-agency-linkage'][data-suppressed='true'] td")).contains("suppressed");
    assertThat(text("#chart-county tr[data-category='lienchiang-county'] td")).contains("suppressed");
    assertThat(text("#chart-channel tr[data-category='counter'] td")).contains("1,100");
    assertThat(text("#chart-channel tr[data-category='proxy'][data-suppressed='true'] td")).contains("suppressed");
    assertThat(exists("#series svg.chart rect")).isTrue();
    assertThat(exists("#surges [data-surges='1']")).isTrue();
    assertThat(text("#surges")).contains("2026-12-06").contains("45 opt-outs filed");
    assertThat(attribute("#checkpoint", "data-verified")).isEqualTo("true");
    assertThat(text("#checkpoint")).contains("4242").contains("Registry signature and witness cosignature verified");
    assertThat(text("#how-heading")).contains("How to opt out");
    // over time: the day's publication, by purpose; then by county (a wide table that scrolls inside its own region)
    assertThat(text("#history table[data-table='byScope'] tr[data-day='2026-12-06']")).contains("1,210");
    evaluate("(() => { const s = document.getElementById('history-table'); s.value = 'byCounty';"
        + " s.dispatchEvent(new Event('change', {bubbles: true})); return true; })()");
    waitFor("document.querySelector(\"#history table[data-table='byCounty']\") !== null", Chromium.STEP, "the history by county");
    check("statistics");
    onlyThePortalWasAsked("/statistics/");

    // a tablet at a counter
    browser();
    open("/statistics/");
    check("statistics-tablet");
    open("/register/");
    check("register-tablet");
  }
}
