package optout.portal.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.List;
import optout.platform.testing.TestKeycloak;
import optout.platform.web.SecurityHeadersFilter;
import optout.portal.citizen.LedgerRows;
import optout.portal.citizen.StubRegistry;
import optout.portal.citizen.TsaStandIn;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.DisabledIfEnvironmentVariable;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The citizen's page in headless Chromium through Keycloak's real login: two filings whose receipts lead to a
 * checkpoint the registry signed and the witness cosigned; the page's own JavaScript recomputes each Merkle
 * path with WebCrypto and says "verified" for the intact one and "not verified" for the one whose proof has one
 * byte changed; the extract that used the citizen's data is listed; a subscription is saved. Photographed
 * (target/screenshots/citizen) and checked with axe-core as every page is.
 */
@Timeout(180)
@DisabledIfEnvironmentVariable(named = "OPTOUT_SKIP_BROWSER_TESTS", matches = "true",
    disabledReason = "OPTOUT_SKIP_BROWSER_TESTS=true: the headless Chromium tests of the pages are skipped")
class CitizenBrowserIT extends PortalBrowser {

  private static final long MINE = 32_000_000_001L;
  private static final StubRegistry REGISTRY = registry();
  private static final TsaStandIn TSA = tsa();

  private static TsaStandIn tsa() {
    try {
      return new TsaStandIn();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static {
    REGISTRY.person("citizen-demo", MINE);
    REGISTRY.file(MINE, "opt-out-filed", List.of("academic-research"), false);
    REGISTRY.others(5);
    // the newest filing's proof arrives with one byte changed: its path no longer leads to the checkpoint
    REGISTRY.file(MINE, "opt-out-withdrawn", List.of("academic-research"), true);
  }

  @DynamicPropertySource
  static void citizen(DynamicPropertyRegistry properties) {
    properties.add("optout.portal.citizen.registry-url", REGISTRY::url);
    properties.add("optout.portal.registry-log.origin", () -> StubRegistry.ORIGIN);
    properties.add("optout.portal.citizen.report.keystore", () -> TSA.keystore.toString());
    properties.add("optout.portal.citizen.report.keystore-password-file", () -> TSA.passwordFile.toString());
    properties.add("optout.portal.citizen.report.tsa-url", TSA::url);
    properties.add("optout.portal.citizen.report.crl-url", TSA::crlUrl);
    properties.add("optout.portal.citizen.report.tsa-root", () -> TSA.pki.rootCertificateFile().toString());
    properties.add("optout.portal.citizen.report.tsa-client-id", () -> "optout-portal");
    properties.add("optout.portal.citizen.report.tsa-client-secret", () -> "optout-portal-local-demo-secret");
    properties.add("optout.portal.registry-log.verifier-key", REGISTRY.logKey::verifierKey);
    properties.add("optout.portal.registry-log.witness-verifier-key", REGISTRY.witnessKey::verifierKey);
  }

  CitizenBrowserIT() {
    super("citizen");
  }

  @AfterAll
  static void stopRegistry() throws Exception {
    REGISTRY.close();
    TSA.close();
  }

  @Test
  void theCitizensPageIsServedWithStrictHeaders() {
    HttpResponse<String> html = get("/citizen/", null);
    assertThat(html.statusCode()).isEqualTo(200);
    String policy = html.headers().firstValue("Content-Security-Policy").orElseThrow();
    assertThat(policy).contains("default-src 'self'", "script-src 'self'", "connect-src 'self' " + SecurityHeadersFilter.origin(TestKeycloak.get().issuer()),
        "require-trusted-types-for 'script'", "trusted-types 'none'").doesNotContain("unsafe");
    assertThat(html.body()).contains("<html lang=\"zh-TW\">").doesNotContain("<script>", "style=", "onclick", "http://", "https://");
    for (String script : List.of("/assets/citizen.js", "/assets/inclusion.js")) {
      HttpResponse<String> file = get(script, null);
      assertThat(file.statusCode()).as(script).isEqualTo(200);
      assertThat(file.headers().firstValue("Content-Type").orElseThrow()).as(script).startsWith("text/javascript");
    }
  }

  @Test
  void theBrowserVerifiesTheIntactProofAndNotTheTamperedOneAndShowsWhereTheDataWasUsed() throws Exception {
    LedgerRows.add(testDatabase(), MINE, "application-77", "EX-20261206-c1712345", StubRegistry.KEY_VERSION);
    browser();
    open("/citizen/");
    check("signed-out");
    signIn("citizen-demo", "/citizen/");
    waitFor("document.documentElement.dataset.proofsChecked === 'true'", java.time.Duration.ofSeconds(20), "the proofs checked");
    check("overview");

    assertThat(((Number) evaluate("document.querySelectorAll('#filings tbody tr').length")).intValue()).isEqualTo(2);
    // newest first: the tampered withdrawal, then the intact opt-out
    assertThat(attribute("#filings tbody tr:nth-child(1) [data-proof]", "data-proof")).isEqualTo("not-verified");
    assertThat(text("#filings tbody tr:nth-child(1) [data-proof]")).contains("未驗證", "Not verified", "does not lead to the checkpoint");
    assertThat(attribute("#filings tbody tr:nth-child(2) [data-proof]", "data-proof")).isEqualTo("verified");
    assertThat(text("#filings tbody tr:nth-child(2) [data-proof]")).contains("已驗證", "Verified");
    assertThat(text("#uses tbody")).contains("EX-20261206-c1712345", "application-77");
    assertThat(text("#exemptions")).contains("Communicable Disease Control Act art. 5");

    tap("#sub-data-used");
    tap("#subscriptions button[type='submit']");
    waitFor("document.getElementById('subscriptions-saved').textContent.includes('Saved')", java.time.Duration.ofSeconds(10), "saved");
    assertThat(jdbc.queryForObject("select count(*) from citizen_subscription where pseudonym = ? and data_used and not status_changed", Integer.class, MINE))
        .isEqualTo(1);
    check("subscribed");

    // the sealed report, as the page hands it to the browser (a blob behind a temporary link), caught before it is saved
    evaluate("window.__saved = []; window.__names = []; URL.createObjectURL = (blob) => { window.__saved.push(blob); return 'blob:saved'; };"
        + " HTMLAnchorElement.prototype.click = function () { window.__names.push(this.download); }; true");
    tap("#download-report");
    waitFor("window.__saved.length === 1", java.time.Duration.ofSeconds(30), "the report downloaded");
    assertThat((String) evaluate("window.__saved[0].type")).isEqualTo("application/pdf");
    assertThat((String) evaluate("window.__saved[0].slice(0, 5).text()")).isEqualTo("%PDF-");
    assertThat((String) evaluate("window.__names[0]")).isEqualTo("opt-out-report.pdf");
    assertThat(text("#page-alert")).isEmpty();

    // a phone's width (360 px): no sideways scrolling, neither the page nor any table's box; each table is one block
    // per row, each cell under its column's name
    chromium.call("Emulation.setDeviceMetricsOverride", java.util.Map.of("width", 360, "height", 780, "deviceScaleFactor", 1, "mobile", true));
    Thread.sleep(300);
    assertThat(((Number) evaluate("window.innerWidth")).intValue()).isEqualTo(360);
    assertThat(((Number) evaluate("document.documentElement.scrollWidth")).intValue()).as("the page's width").isLessThanOrEqualTo(360);
    assertThat(((Number) evaluate("[...document.querySelectorAll('#view-citizen .table-wrap')]"
        + ".filter(w => w.scrollWidth > w.clientWidth + 1).length")).intValue()).as("tables wider than their box").isZero();
    assertThat(((Number) evaluate("document.querySelectorAll('#view-citizen table:not(.stack)').length")).intValue()).isZero();
    assertThat(evaluate("getComputedStyle(document.querySelector('#uses tbody tr')).display")).isEqualTo("block");
    assertThat(evaluate("getComputedStyle(document.querySelector('#uses thead')).clipPath")).isNotEqualTo("none");
    assertThat(((Number) evaluate("document.querySelector('#uses caption').getBoundingClientRect().width")).intValue())
        .as("the caption spans the table's width").isGreaterThan(250);
    assertThat(evaluate("getComputedStyle(document.querySelector('#uses tbody td:last-child'), '::before').content"))
        .isEqualTo("\"釋出編號 Extract ID\"");
    assertThat(text("#uses tbody")).contains("EX-20261206-c1712345");
    check("phone");

    // at a desktop's width the same tables are tables again
    chromium.call("Emulation.setDeviceMetricsOverride", java.util.Map.of("width", 1280, "height", 900, "deviceScaleFactor", 1, "mobile", false));
    Thread.sleep(300);
    assertThat(evaluate("getComputedStyle(document.querySelector('#uses tbody tr')).display")).isEqualTo("table-row");
  }

  @Test
  void anAccountWithoutTheCitizenRoleIsToldSoAndSeesNothing() throws Exception {
    browser();
    open("/citizen/");
    signIn("researcher-demo", "/citizen/");
    assertThat(visible("#wrong-role")).isTrue();
    assertThat(visible("#view-citizen")).isFalse();
    check("wrong-role");
  }

  private static StubRegistry registry() {
    try {
      return new StubRegistry();
    } catch (java.io.IOException e) {
      throw new ExceptionInInitializerError(e);
    }
  }
}
