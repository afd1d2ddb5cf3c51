package optout.consent.web;

import optout.platform.web.SecurityHeadersFilter;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import optout.consent.ConsentIT;
import optout.platform.testing.TestKeycloak;
import optout.platform.testing.browser.Axe;
import optout.platform.testing.browser.Chromium;
import optout.platform.testing.browser.Page;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.DisabledIfEnvironmentVariable;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/**
 * The pages in headless Chromium against the whole service, the run's real Keycloak (its own login
 * page) and PostgreSQL: a clerk files at the counter with the virtual pad, a citizen files online
 * signing with synthesised pen input, and the receipt is verified on the public page. Screenshots go
 * to target/screenshots.
 */
@Timeout(240)
@DisabledIfEnvironmentVariable(named = "OPTOUT_SKIP_BROWSER_TESTS", matches = "true",
    disabledReason = "OPTOUT_SKIP_BROWSER_TESTS=true: the headless Chromium tests of the pages are skipped")
class PagesBrowserIT extends ConsentIT {

  /** The realm's optout-web client allows only the fixed local ports; this test-only client any localhost port. */
  private static final String TEST_WEB_CLIENT = "it-web";
  private static final Path SCREENSHOTS = Path.of("target", "screenshots");
  /** A capture on the virtual pad takes as long as the recorded handwriting; sealing adds a timestamp. */
  private static final Duration FLOW = Duration.ofSeconds(90);
  /** Counts the page's API calls, so a test can tell that nothing was sent. */
  private static final String REQUEST_RECORDER = "window.__sent = []; const originalFetch = window.fetch;"
      + " window.fetch = (resource, init) => { window.__sent.push((init && init.method || 'GET') + ' ' + String(resource));"
      + " return originalFetch(resource, init); }; true";

  private static Path executable;
  private static Axe axe;

  private Chromium chromium;
  private Page page;
  private Path downloads;
  @Autowired private JdbcTemplate jdbc;

  @BeforeAll
  static void browserAndClients() throws Exception {
    executable = Chromium.executable();
    if (executable == null) {
      fail("The browser tests need headless Chromium, and /usr/bin/chromium is missing: install Debian's chromium package"
          + " (apt-get install chromium; CI installs it), or set OPTOUT_SKIP_BROWSER_TESTS=true to skip these tests");
    }
    // Adds the test clients, it-web among them, to the running realm.
    TestKeycloak.get();
    Files.createDirectories(SCREENSHOTS);
    axe = Axe.load();
  }

  /** A fresh browser per test: no Keycloak session and no tokens carry over from another user. */
  @BeforeEach
  void browser() throws Exception {
    chromium = Chromium.launch(executable, 820, 1180);
    downloads = Files.createTempDirectory("pages-downloads");
    chromium.callBrowser("Browser.setDownloadBehavior", Map.of("behavior", "allow", "downloadPath", downloads.toString()));
    page = new Page(chromium);
  }

  @AfterEach
  void closeBrowser(TestInfo test) throws IOException {
    if (chromium != null) {
      try {
        // How the page looked at the end, also (above all) when the test failed.
        screenshot("last-" + test.getTestMethod().map(method -> method.getName()).orElse("test") + ".png");
      } catch (Exception e) {
        // The browser may be gone already; the test's own failure says more.
      }
      chromium.close();
    }
    if (downloads != null) {
      try (Stream<Path> files = Files.list(downloads)) {
        for (Path file : files.toList()) {
          Files.deleteIfExists(file);
        }
      }
      Files.deleteIfExists(downloads);
    }
  }

  @Test
  void pagesConfigurationAndTheComponentAreServedToAnyoneWithStrictHeaders() {
    HttpResponse<String> counter = get("/counter/", null);
    assertThat(counter.statusCode()).isEqualTo(200);
    assertThat(counter.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
    String policy = counter.headers().firstValue("Content-Security-Policy").orElseThrow();
    String keycloak = SecurityHeadersFilter.origin(TestKeycloak.get().issuer());
    assertThat(policy).contains("default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data: blob:",
        "connect-src 'self' " + keycloak, "frame-ancestors 'none'", "require-trusted-types-for 'script'").doesNotContain("unsafe");
    assertThat(counter.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
    assertThat(counter.headers().firstValue("Referrer-Policy")).contains("no-referrer");
    assertThat(counter.body()).contains("<html lang=\"zh-TW\">").doesNotContain("<script>", "style=", "onclick");

    HttpResponse<String> redirect = send(HttpRequest.newBuilder(uri("/online")).GET().build());
    assertThat(redirect.statusCode()).isEqualTo(302);
    assertThat(redirect.headers().firstValue("Location").orElseThrow()).endsWith("/online/");
    assertThat(get("/verify/ABCDEFGHIJKLMNOP", null).body()).contains("id=\"code-form\"");

    HttpResponse<String> script = get(WebController.PEN_CAPTURE, null);
    assertThat(script.statusCode()).isEqualTo(200);
    assertThat(script.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/javascript");
    assertThat(script.body()).contains("export class PenCapture");

    // The scripts and stylesheet every service with pages shares: served once from service-support, to anyone.
    for (String asset : List.of("/platform/auth.js", "/platform/api.js", "/platform/ui.js", "/platform/app.css", "/assets/consent.css")) {
      HttpResponse<String> file = get(asset, null);
      assertThat(file.statusCode()).as(asset).isEqualTo(200);
      assertThat(file.headers().firstValue("Content-Type").orElseThrow()).as(asset).startsWith(asset.endsWith(".css") ? "text/css" : "text/javascript");
      assertThat(file.headers().firstValue("Content-Security-Policy")).as(asset).isPresent();
    }
    assertThat(get("/assets/ui.js", null).statusCode()).as("no copy of the shared scripts").isEqualTo(404);

    HttpResponse<String> config = get(WebController.WEB_CONFIG, null);
    assertThat(config.statusCode()).isEqualTo(200);
    JsonNode web = json(config);
    assertThat(web.get("clientId").asString()).isEqualTo(TEST_WEB_CLIENT);
    assertThat(web.get("issuer").asString()).isEqualTo(TestKeycloak.get().issuer().toString());
    List<String> scopes = new ArrayList<>();
    web.at("/forms/opt-out/scopes").forEach(scope -> scopes.add(scope.get("code").asString()));
    assertThat(scopes).containsExactly("academic-research", "government-statistics", "cross-agency-linkage", "commercial-use",
        "all-secondary-use");
    assertThat(web.at("/forms/withdrawal/coversAll").asString()).isEqualTo("all-secondary-use");
    assertThat(web.at("/forms/opt-out/scopes/0/zh").asString()).isEqualTo("學術研究");

    // The API behind the pages stays closed.
    assertThat(get("/api/v1/counter/filings", null).statusCode()).isEqualTo(401);
  }

  @Test
  void aClerkFilesAnOptOutOnTheVirtualPadAndTheReceiptVerifies() throws Exception {
    page.open(uri("/counter/"));
    assertThat(page.visible("#signed-out")).isTrue();
    screenshot("counter-1-signed-out.png");
    page.signIn("#signed-out [data-action='sign-in']", "clerk-demo", TestKeycloak.DEMO_PASSWORD, uri(""), "/counter/");
    assertThat(page.visible("#filing")).isTrue();
    assertThat(page.text("#session-status")).contains("已登入");
    assertThat(chromium.evaluate("document.getElementById('recording-field').hidden")).as("the virtual pad offers its recordings")
        .isEqualTo(false);
    recordRequests();

    // A mistyped ID: the check digit is wrong. The page says so beside the field and sends nothing.
    page.tap("#kind-opt-out");
    page.type("#national-id", "A123456788");
    page.tap("#identity-nhi-card");
    page.tap("#scope-academic-research");
    page.tap("#create-draft");
    assertThat(page.text("#national-id-error")).contains("檢查碼不正確", "check digit is wrong");
    assertThat(page.attribute("#national-id", "aria-invalid")).isEqualTo("true");
    assertThat(chromium.evaluate("document.activeElement.id")).isEqualTo("national-id");
    assertThat(page.text("#form-alert")).contains("請修正標示的欄位");
    screenshot("counter-2-checksum.png");
    assertThat(sentTo("/api/v1/counter/drafts")).isEmpty();

    // No scope chosen.
    page.type("#national-id", "A123456789");
    page.tap("#scope-academic-research");
    page.tap("#create-draft");
    assertThat(page.text("#national-id-error")).isEmpty();
    assertThat(page.text("#scope-error")).contains("請至少選擇一項範圍", "Choose at least one scope");
    // "All secondary use" with another scope.
    page.tap("#scope-academic-research");
    page.tap("#scope-all-secondary-use");
    page.tap("#create-draft");
    assertThat(page.text("#scope-error")).contains("請單獨勾選", "choose it alone");
    screenshot("counter-3-scopes.png");
    assertThat(sentTo("/api/v1/counter/drafts")).isEmpty();

    page.tap("#scope-all-secondary-use");
    page.tap("#scope-commercial-use");
    page.tap("#create-draft");
    page.waitFor("!document.getElementById('signing').hidden", FLOW, "the signing step");
    assertThat(sentTo("/api/v1/counter/drafts")).hasSize(1);
    assertThat(page.text("#draft-facts")).contains("A******789", "學術研究", "商業利用").doesNotContain("A123456789");

    // The virtual citizen writes too little: the quality gate's reasons, zh-TW first, and no accepting.
    page.choose("#recording", "too-short");
    page.tap("#capture");
    page.waitFor("!document.getElementById('capture-result').hidden", FLOW, "the first capture");
    assertThat(page.visible("#capture-refused")).as(page.text("#quality")).isTrue();
    assertThat(chromium.evaluate("document.querySelectorAll('#quality ul.issues li').length")).isNotEqualTo(0L);
    assertThat(chromium.evaluate("document.querySelector('#quality ul.issues li span').getAttribute('lang')")).isNull();
    assertThat(chromium.evaluate("document.querySelector('#quality ul.issues li span[lang=en]') !== null")).isEqualTo(true);
    assertThat(chromium.evaluate("document.getElementById('accept').disabled")).isEqualTo(true);
    screenshot("counter-4-refused.png");

    page.choose("#recording", "signature-a");
    page.tap("#ask-again");
    page.waitFor("document.getElementById('capture-accepted') !== null", FLOW, "an accepted capture");
    page.waitFor("document.getElementById('signature-preview').complete && document.getElementById('signature-preview').naturalWidth > 0",
        Chromium.STEP, "the signature preview");
    assertThat(chromium.evaluate("document.getElementById('accept').disabled")).isEqualTo(false);
    screenshot("counter-5-signed.png");

    page.tap("#accept");
    page.waitFor("document.getElementById('result-filing-id') !== null", FLOW, "the filing result");
    String filingId = page.text("#result-filing-id");
    String receiptCode = page.text("#result-receipt-code");
    assertThat(filingId).isNotBlank();
    assertThat(receiptCode).matches("[A-Z2-7-]{16,24}");
    assertThat(page.text("#result-body")).contains("A******789", "學術研究", "商業利用").doesNotContain("A123456789");
    screenshot("counter-6-result.png");

    page.tap("#result-body a[data-document='form']");
    Path form = downloaded(filingId + ".pdf");
    page.tap("#result-body a[data-document='receipt']");
    downloaded(filingId + "-receipt.pdf");
    page.waitFor("document.querySelector('#filings-list tr[data-filing-id=\"" + filingId + "\"]') !== null", Chromium.STEP,
        "the filing in the clerk's list");
    screenshot("counter-7-list.png");
    assertNoViolations();

    // The public page: what the receipt states, and the downloaded form checked against the archive.
    page.open(uri("/verify/" + receiptCode));
    assertThat(page.text("#verified-filing-id")).isEqualTo(filingId);
    assertThat(page.text("#receipt-facts")).contains("學術研究", "商業利用");
    page.chooseFile("#document", form);
    page.tap("#check-document");
    page.waitFor("document.getElementById('document-matches') !== null", FLOW, "the document check");
    assertThat(page.attribute("#document-matches", "data-matches")).isEqualTo("true");
    assertThat(chromium.evaluate("document.querySelector('[data-seal-valid]').dataset.sealValid")).isEqualTo("true");
    screenshot("verify-1-matches.png");
    assertNoViolations();

    page.open(uri("/verify/"));
    page.type("#code", "AAAA-BBBB-CCCC-DDDD");
    page.tap("#check-code");
    page.waitFor("document.getElementById('code-error').textContent !== ''", Chromium.STEP, "the unknown code's message");
    assertThat(page.text("#code-error")).contains("查無此驗證碼");
    screenshot("verify-2-unknown.png");
    assertNoViolations();
  }

  @Test
  void aCitizenFilesOnlineSigningWithAPen() throws Exception {
    page.open(uri("/online/"));
    page.signIn("#signed-out [data-action='sign-in']", "citizen-demo", TestKeycloak.DEMO_PASSWORD, uri(""), "/online/");
    assertThat(page.visible("#filing")).isTrue();
    recordRequests();

    // No scope chosen.
    page.tap("#kind-opt-out");
    page.tap("#create-draft");
    assertThat(page.text("#scope-error")).contains("請至少選擇一項範圍", "Choose at least one scope");
    // Filing for someone else whose ID is mistyped.
    page.tap("#scope-government-statistics");
    page.tap("#for-someone-else");
    page.type("#their-national-id", "A12345678");
    page.tap("#create-draft");
    assertThat(page.text("#their-national-id-error")).contains("1 個英文字母加 9 個數字");
    page.type("#their-national-id", "A123456788");
    page.tap("#create-draft");
    assertThat(page.text("#their-national-id-error")).contains("檢查碼不正確", "check digit is wrong");
    assertThat(page.text("#relation-error")).contains("請選擇一項");
    assertThat(page.text("#evidence-file-error")).contains("請附上證明文件");
    screenshot("online-1-checks.png");
    assertThat(sentTo("/api/v1/online/drafts")).isEmpty();

    // The service has the last word: filing "for someone else" under one's own ID passes the page's checks and is
    // refused, and its field error appears beside the field.
    page.type("#their-national-id", "A123456789");
    page.choose("#relation", "parent-of-minor");
    page.choose("#evidence-type", "household-registration-transcript");
    page.chooseFile("#evidence-file", evidenceScan());
    page.tap("#create-draft");
    page.waitFor("document.getElementById('their-national-id-error').textContent !== ''", Chromium.STEP, "the service's refusal");
    assertThat(page.text("#their-national-id-error")).contains("someone else");
    assertThat(page.attribute("#their-national-id", "aria-invalid")).isEqualTo("true");
    assertThat(sentTo("/api/v1/online/drafts")).hasSize(1);
    screenshot("online-2-refused-by-service.png");

    // For themself after all.
    page.tap("#for-someone-else");
    page.tap("#create-draft");
    page.waitFor("!document.getElementById('signing').hidden", FLOW, "the signing step");
    assertThat(page.text("#draft-facts")).contains("A******789", "政府統計及政策研擬");
    // The declaration and the privacy notice come before the signature, word for word as the form prints them.
    assertThat(page.text("#declaration-text")).contains("本人依憲法法庭111年憲判字第13號判決", "I request that the National Health Insurance");
    assertThat(page.text("#privacy-text")).contains("個人資料蒐集告知", "Privacy notice");
    assertThat(page.text("#declaration-template")).contains("opt-out").contains("SHA-256");

    page.tap("#submit-signature");
    assertThat(page.text("#declaration-read-error")).contains("請先閱讀聲明");
    assertThat(sentTo("/signature")).isEmpty();
    page.tap("#declaration-read");
    page.tap("#submit-signature");
    assertThat(page.text("#signature-error")).contains("請先簽名");
    assertThat(sentTo("/signature")).isEmpty();

    // A tap is no signature: the service refuses it with the quality gate's reasons.
    Map<String, Object> surface = surface();
    Pen tapOnly = new Pen();
    tapOnly.stroke(List.of(new double[] {at(surface, "left", 0.5), at(surface, "top", 0.5)}));
    tapOnly.dispatch();
    page.tap("#submit-signature");
    page.waitFor("document.getElementById('signature-refused') !== null", FLOW, "the quality refusal");
    assertThat(chromium.evaluate("document.querySelectorAll('#signature-refused ul.issues li').length")).isNotEqualTo(0L);
    screenshot("online-3-signature-refused.png");

    page.tap("#clear-signature");
    assertThat(chromium.evaluate("document.getElementById('signature-refused') === null")).isEqualTo(true);
    Pen pen = new Pen();
    // Where the surface is now: tapping the buttons scrolled the page.
    signature(pen, surface());
    pen.dispatch();
    page.waitFor("document.getElementById('stroke-status').textContent.startsWith('已簽 3 筆')", Chromium.STEP, "three strokes");
    screenshot("online-4-signed.png");

    page.tap("#submit-signature");
    page.waitFor("document.getElementById('result-filing-id') !== null", FLOW, "the filing result");
    String filingId = page.text("#result-filing-id");
    assertThat(page.text("#result-body")).contains("線上", "政府統計及政策研擬");
    screenshot("online-5-result.png");
    page.tap("#result-body a[data-document='form']");
    downloaded(filingId + ".pdf");
    page.waitFor("document.querySelector('#filings-list tr[data-filing-id=\"" + filingId + "\"]') !== null", Chromium.STEP,
        "the filing in the citizen's list");
    screenshot("online-6-list.png");
    assertNoViolations();

    // Signing out ends the session here and at Keycloak, and comes back to the page.
    page.tap("#sign-out");
    page.waitFor("location.pathname === '/online/' && " + Page.READY + " && !document.getElementById('signed-out').hidden", Page.LOGIN,
        "the page after signing out");
    assertThat(chromium.evaluate("sessionStorage.length")).isEqualTo(0L);
    assertNoViolations();
  }

  /** A scan of a page (595×842 pixels) as the representative's evidence. */
  private Path evidenceScan() throws IOException {
    return Files.write(downloads.resolve("evidence.png"), optout.consent.TestEvidence.png(595, 842));
  }

  @Test
  void aRepresentativesOnlineFilingWaitsForAClerkWhoChecksTheEvidence() throws Exception {
    page.open(uri("/online/"));
    page.signIn("#signed-out [data-action='sign-in']", "citizen-demo", TestKeycloak.DEMO_PASSWORD, uri(""), "/online/");
    page.tap("#kind-opt-out");
    page.tap("#scope-government-statistics");
    page.tap("#for-someone-else");
    page.type("#their-national-id", "R100666021");
    page.choose("#relation", "parent-of-minor");
    page.choose("#evidence-type", "household-registration-transcript");
    page.chooseFile("#evidence-file", evidenceScan());
    page.tap("#create-draft");
    page.waitFor("!document.getElementById('signing').hidden", FLOW, "the signing step");
    // a representative reads the declaration made on someone else's behalf
    assertThat(page.text("#declaration-text")).contains("代當事人請求", "on the person's behalf");
    page.tap("#declaration-read");
    Pen pen = new Pen();
    signature(pen, surface());
    pen.dispatch();
    page.waitFor("document.getElementById('stroke-status').textContent.startsWith('已簽 3 筆')", Chromium.STEP, "three strokes");
    page.tap("#submit-signature");
    page.waitFor("document.getElementById('result-filing-id') !== null", FLOW, "the request's result");
    String filingId = page.text("#result-filing-id");
    // taken, not counted: the representative is told it waits for a clerk, and gets no form or receipt yet
    assertThat(page.text("#result-body")).contains("承辦人員審核", "R******021", "A******789").doesNotContain("R100666021");
    assertThat(chromium.evaluate("document.querySelector('#result-body a[data-document]') === null")).isEqualTo(true);
    assertThat(chromium.evaluate("document.querySelector('#result-body [data-delivery=\"held-for-review\"]') !== null")).isEqualTo(true);
    screenshot("review-1-online-held.png");
    assertNoViolations();
    page.tap("#sign-out");
    page.waitFor("location.pathname === '/online/' && " + Page.READY + " && !document.getElementById('signed-out').hidden", Page.LOGIN,
        "the page after signing out");

    page.open(uri("/counter/"));
    page.signIn("#signed-out [data-action='sign-in']", "clerk-demo", TestKeycloak.DEMO_PASSWORD, uri(""), "/counter/");
    // at the counter the clerk enters the representative's own ID, checked like the person's
    recordRequests();
    page.tap("#kind-opt-out");
    page.type("#national-id", "A123456789");
    page.tap("#identity-nhi-card");
    page.tap("#scope-academic-research");
    page.tap("#by-representative");
    page.type("#representative-national-id", "N200889122");
    page.tap("#create-draft");
    assertThat(page.text("#representative-national-id-error")).contains("檢查碼不正確");
    assertThat(sentTo("/api/v1/counter/drafts")).isEmpty();
    String item = "#reviews-list li[data-review-filing-id=\"" + filingId + "\"]";
    page.waitFor("document.querySelector(" + Page.js(item) + ") !== null", Chromium.STEP, "the filing in the review queue");
    assertThat(page.text(item)).contains("R******021", "A******789", "法定代理人", "戶籍謄本").doesNotContain("R100666021");
    page.tap(item + " button.view-evidence");
    page.waitFor("(() => { const i = document.querySelector(" + Page.js(item + " img.evidence-image") + ");"
        + " return i !== null && i.complete && i.naturalWidth === 595; })()", Chromium.STEP, "the evidence shown");
    screenshot("review-2-counter-queue.png");
    // rejecting needs a reason the representative will read
    page.tap(item + " button.reject-review");
    assertThat(page.text(item + " .review-alert")).contains("請說明");
    assertThat(jdbc.queryForObject("select status from proxy_review where filing_id = ?", String.class, filingId)).isEqualTo("pending");
    page.tap(item + " button.accept-review");
    page.waitFor("document.querySelector(" + Page.js(item + " [data-decision='accepted']") + ") !== null", FLOW, "the acceptance");
    screenshot("review-3-counter-accepted.png");
    assertNoViolations();
    assertThat(jdbc.queryForObject("select count(*) from registry_outbox where filing_id = ?", Long.class, filingId)).isEqualTo(1);
  }

  // ---- driving the pages

  /** Opens a page of the service and waits until its script has finished starting. */
  @Test
  void aClerkClosesAHeldFilingInTheQueueWithTheReasonTheCitizenIsTold() throws Exception {
    String filingId = fileAtCounter("opt-out", "T218147815", "[\"academic-research\"]").get("filingId").asString();
    // held as the relay holds a domain refusal (OutboxRefusalIT shows the relay doing it); this context's relay idles
    jdbc.update("""
        update registry_outbox set status = 'held', held_at = now(), held_problem_type = 'urn:nhi-optout:problem:filing-refused',
               attempts = 1, last_error = 'The registry refused it (HTTP 409, urn:nhi-optout:problem:filing-refused): already opted out'
         where filing_id = ?""", filingId);
    String row = "#held-list tr[data-filing-id=\"" + filingId + "\"]";

    page.open(uri("/counter/"));
    page.signIn("#signed-out [data-action='sign-in']", "clerk-demo", TestKeycloak.DEMO_PASSWORD, uri(""), "/counter/");
    page.waitFor("document.querySelector(" + Page.js(row) + ") !== null", Chromium.STEP, "the held filing in the clerk's queue");
    assertThat(page.text(row)).contains("T******815", "already opted out").doesNotContain("T218147815");
    assertThat(page.text("#held h2")).contains("登錄中心拒收", "waiting for a clerk");
    recordRequests();
    page.choose(row + " select[name='action']", "close");
    page.tap(row + " button[type='submit']");
    page.waitFor("document.getElementById('held-alert').textContent !== ''", Chromium.STEP, "the missing reason's message");
    assertThat(page.text("#held-alert")).contains("請填寫理由");
    assertThat(sentTo("/resolution")).isEmpty();
    page.type(row + " textarea[name='reason']", "您已選擇退出 You have already opted out");
    screenshot("counter-8-held.png");
    page.tap(row + " button[type='submit']");
    page.waitFor("document.querySelector(" + Page.js(row) + ") === null", Chromium.STEP, "the resolved filing leaving the queue");
    assertThat(sentTo("/resolution")).hasSize(1);
    assertThat(page.text("#held-status")).contains("已結案");
    screenshot("counter-9-held-closed.png");
    assertNoViolations();
    assertThat(jdbc.queryForObject("select status from registry_outbox where filing_id = ?", String.class, filingId)).isEqualTo("refused");
    assertThat(jdbc.queryForObject("select reason from outbox_resolution where filing_id = ? and action = 'close'", String.class, filingId))
        .isEqualTo("您已選擇退出 You have already opted out");
  }

  private void recordRequests() throws Exception {
    chromium.evaluate(REQUEST_RECORDER);
  }

  @SuppressWarnings("unchecked")
  private List<String> sentTo(String path) throws Exception {
    List<String> sent = (List<String>) chromium.evaluate("window.__sent");
    return sent.stream().filter(request -> request.contains(path)).toList();
  }

  /** Waits for a download to finish and checks that it is a PDF. */
  private Path downloaded(String name) throws Exception {
    Path file = downloads.resolve(name);
    long deadline = System.nanoTime() + Chromium.STEP.toNanos();
    while (!(Files.exists(file) && Files.size(file) > 0 && !inProgress())) {
      if (System.nanoTime() > deadline) {
        fail("No download " + name + " within " + Chromium.STEP.toSeconds() + " s; the page reported: " + chromium.pageErrors());
      }
      Thread.sleep(50);
    }
    byte[] start = new byte[5];
    try (var in = Files.newInputStream(file)) {
      assertThat(in.read(start)).isEqualTo(5);
    }
    assertThat(new String(start, StandardCharsets.US_ASCII)).as(name).isEqualTo("%PDF-");
    return file;
  }

  private boolean inProgress() throws IOException {
    try (Stream<Path> files = Files.list(downloads)) {
      return files.anyMatch(f -> f.getFileName().toString().endsWith(".crdownload"));
    }
  }

  /** No WCAG 2.2 A or AA violation (axe-core), no CSP or Trusted Types violation, no uncaught exception. */
  private void assertNoViolations() throws Exception {
    assertThat(axe.violations(chromium)).as("axe-core").isEmpty();
    assertThat(page.violations()).as("CSP and Trusted Types violations").isEmpty();
    assertThat(page.uncaughtExceptions()).as("uncaught exceptions in the pages").isEmpty();
  }

  private void screenshot(String name) throws Exception {
    Files.write(SCREENSHOTS.resolve(name), chromium.screenshot());
  }

  // ---- synthesised pen input

  @SuppressWarnings("unchecked")
  private Map<String, Object> surface() throws Exception {
    return (Map<String, Object>) chromium.evaluate("(() => { const c = document.getElementById('signature-pad');"
        + " c.scrollIntoView({block: 'center'}); const r = c.getBoundingClientRect();"
        + " return {left: r.left + c.clientLeft, top: r.top + c.clientTop, width: c.clientWidth, height: c.clientHeight}; })()");
  }

  private static double at(Map<String, Object> surface, String edge, double fraction) {
    double origin = ((Number) surface.get(edge)).doubleValue();
    double extent = ((Number) surface.get(edge.equals("left") ? "width" : "height")).doubleValue();
    return origin + extent * fraction;
  }

  /** Three strokes across the surface, like a short written name: wide enough, long enough and with enough points. */
  private static void signature(Pen pen, Map<String, Object> surface) {
    for (int s = 0; s < 3; s++) {
      List<double[]> points = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        double t = i / 39.0;
        double x = at(surface, "left", 0.12 + 0.27 * s + 0.22 * t);
        double y = at(surface, "top", 0.5 + 0.25 * Math.sin(2 * Math.PI * (1.2 * t + 0.3 * s)) * (1 - 0.4 * t));
        points.add(new double[] {Math.round(x * 10) / 10.0, Math.round(y * 10) / 10.0});
      }
      pen.stroke(points);
    }
  }

  /** A pen (Input.dispatchMouseEvent with pointerType "pen"), with pressure, tilt and its own timestamps 5 ms apart. */
  private final class Pen {
    private final double epochSeconds = System.currentTimeMillis() / 1000.0 + 0.05;
    private final List<Map<String, Object>> events = new ArrayList<>();
    private long micros;

    void stroke(List<double[]> points) {
      for (int i = 0; i < points.size(); i++) {
        double[] p = points.get(i);
        double pressure = 0.25 + 0.5 * Math.sin(Math.PI * (0.1 + 0.8 * i / Math.max(1, points.size() - 1)));
        event(i == 0 ? "mousePressed" : "mouseMoved", p[0], p[1], pressure, i == 0 ? 80_000 : 5_000);
      }
      double[] last = points.get(points.size() - 1);
      event("mouseReleased", last[0], last[1], 0, 5_000);
    }

    private void event(String type, double x, double y, double pressure, long gapMicros) {
      micros += gapMicros;
      Map<String, Object> event = new LinkedHashMap<>();
      event.put("type", type);
      event.put("x", x);
      event.put("y", y);
      event.put("button", "left");
      event.put("buttons", type.equals("mouseReleased") ? 0 : 1);
      if (!type.equals("mouseMoved")) {
        event.put("clickCount", 1);
      }
      event.put("pointerType", "pen");
      event.put("force", pressure);
      event.put("tiltX", 20);
      event.put("tiltY", -10);
      event.put("timestamp", epochSeconds + micros / 1e6);
      events.add(event);
    }

    /** Sends everything without waiting in between, as a fast pen's events arrive. */
    void dispatch() throws Exception {
      List<CompletableFuture<Map<String, Object>>> answers = new ArrayList<>();
      for (Map<String, Object> event : events) {
        answers.add(chromium.send("Input.dispatchMouseEvent", event));
      }
      for (CompletableFuture<Map<String, Object>> answer : answers) {
        Chromium.await(answer, "pen input");
      }
    }
  }
}
