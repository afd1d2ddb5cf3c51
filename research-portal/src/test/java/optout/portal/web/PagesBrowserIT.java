package optout.portal.web;

import optout.platform.web.SecurityHeadersFilter;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import optout.portal.PortalIT;
import optout.platform.testing.TestKeycloak;
import optout.platform.testing.browser.Chromium;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.DisabledIfEnvironmentVariable;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The researchers' and reviewers' pages in headless Chromium at tablet width (768 px), against the
 * whole portal, the run's real Keycloak (its own login page) and PostgreSQL: a researcher fills an
 * application (a refused submission shows the error summary, then a corrected one goes through), a
 * reviewer requests changes, the researcher edits and resubmits, the reviewer approves. Every page is
 * photographed (target/screenshots) and checked with axe-core for WCAG 2.2 A and AA, for CSP and
 * Trusted Types violations, uncaught exceptions and horizontal scrolling.
 */
@Timeout(240)
@DisabledIfEnvironmentVariable(named = "OPTOUT_SKIP_BROWSER_TESTS", matches = "true",
    disabledReason = "OPTOUT_SKIP_BROWSER_TESTS=true: the headless Chromium tests of the pages are skipped")
class PagesBrowserIT extends PortalIT {

  /** The realm's optout-web client allows only the fixed local ports; this test-only client any localhost port. */
  private static final String TEST_WEB_CLIENT = "it-web";
  private static final Path SCREENSHOTS = Path.of("target", "screenshots", "portal");
  private static final int TABLET_WIDTH = 768;
  private static final Duration LOGIN = Duration.ofSeconds(30);
  private static final String READY = "document.documentElement.dataset.ready === 'true'";
  /** Installed in every document before its own scripts: collects CSP and Trusted Types violations. */
  private static final String VIOLATION_RECORDER = "window.__violations = [];"
      + " document.addEventListener('securitypolicyviolation', (e) => window.__violations.push("
      + "e.effectiveDirective + ' ' + e.blockedURI + ' ' + e.sourceFile + ':' + e.lineNumber));";

  private static Path executable;
  private static Axe axe;

  private Chromium chromium;
  private int shots;

  @DynamicPropertySource
  static void pages(DynamicPropertyRegistry properties) {
    // the test realm's public client for the pages, whose redirect URIs allow the tests' random ports
    properties.add("optout.portal.web.client-id", () -> TEST_WEB_CLIENT);
  }

  @BeforeAll
  static void browserAndClients() throws Exception {
    executable = Chromium.executable();
    if (executable == null) {
      fail("The browser tests need headless Chromium, and /usr/bin/chromium is missing: install Debian's chromium package"
          + " (apt-get install chromium; CI installs it), or set OPTOUT_SKIP_BROWSER_TESTS=true to skip these tests");
    }
    // Adds the test clients, it-web among them, to the running realm.
    TestKeycloak.get();
    axe = Axe.load();
    Files.createDirectories(SCREENSHOTS);
  }

  @AfterEach
  void closeBrowser() {
    if (chromium != null) {
      try {
        screenshot("last");
      } catch (Exception e) {
        // The browser may be gone already; the test's own failure says more.
      }
      chromium.close();
      chromium = null;
    }
  }

  @Test
  void pagesAndTheirConfigurationAreServedToAnyoneWithStrictHeaders() {
    for (String page : List.of("/research/", "/review/")) {
      HttpResponse<String> html = get(page, null);
      assertThat(html.statusCode()).isEqualTo(200);
      assertThat(html.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
      String policy = html.headers().firstValue("Content-Security-Policy").orElseThrow();
      String keycloak = SecurityHeadersFilter.origin(TestKeycloak.get().issuer());
      assertThat(policy).contains("default-src 'self'", "script-src 'self'", "style-src 'self'", "connect-src 'self' " + keycloak,
          "frame-ancestors 'none'", "require-trusted-types-for 'script'", "trusted-types 'none'").doesNotContain("unsafe");
      assertThat(html.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
      assertThat(html.headers().firstValue("Referrer-Policy")).contains("no-referrer");
      assertThat(html.body()).contains("<html lang=\"zh-TW\">").doesNotContain("<script>", "style=", "onclick", "http://", "https://");
    }
    for (String path : List.of("/", "/research", "/review")) {
      HttpResponse<String> redirect = send(HttpRequest.newBuilder(uri(path)).GET().build());
      assertThat(redirect.statusCode()).as(path).isEqualTo(302);
    }
    JsonNode web = body(get(WebController.WEB_CONFIG, null));
    assertThat(web.get("clientId").asString()).isEqualTo(TEST_WEB_CLIENT);
    assertThat(web.get("issuer").asString()).isEqualTo(TestKeycloak.get().issuer().toString());
    // The pages are public; the API behind them is not, and nothing else is served openly.
    assertThat(get("/api/v1/applications", null).statusCode()).isEqualTo(401);
    assertThat(get("/api/v1/reviews", null).statusCode()).isEqualTo(401);
    assertThat(send(HttpRequest.newBuilder(uri("/research/")).POST(HttpRequest.BodyPublishers.noBody()).build()).statusCode())
        .isIn(401, 403, 405);
  }

  @Test
  void aResearcherAppliesAReviewerRequestsChangesTheResearcherResubmitsAndTheReviewerApproves() throws Exception {
    // ---- the researcher fills the application
    browser();
    open("/research/");
    assertThat(visible("#signed-out")).isTrue();
    check("research-signed-out");
    signIn("researcher-demo", "/research/");
    waitForView("view-list");
    check("research-list");

    tap("#new-application");
    waitForView("view-tasks");
    String number = text("#tasks-number").replace("#", "");
    assertThat(text("#tasks-state")).contains("草稿", "Draft", "輪到申請人", "researcher's turn");
    assertThat(attribute("#task-status-project", "data-state")).isEqualTo("not-started");
    check("research-task-list-new");

    tap("#task-project");
    waitForView("view-project");
    type("#title", "Diabetes and hypertension outcomes 2022-2023");
    type("#institution", "National Taiwan University Hospital");
    type("#principal-investigator", "Dr. Chen Mei-Ling");
    check("research-section-project");
    saveSection("project");
    assertThat(attribute("#task-status-project", "data-state")).isEqualTo("completed");

    tap("#task-purpose");
    waitForView("view-purpose");
    tap("#purpose-academic-research");
    type("#legal-basis", "Personal Data Protection Act art. 6(1)(4); IRB 202601001RINA");
    check("research-section-purpose");
    saveSection("purpose");

    // An upload that is no PDF: refused, the error summary links to the file field.
    tap("#task-ethics");
    waitForView("view-ethics");
    Path notPdf = Files.createTempFile("not-a", ".pdf");
    Files.writeString(notPdf, "this is not a PDF", StandardCharsets.UTF_8);
    chooseFile("#ethics-file", notPdf);
    tap("#form-ethics button[type='submit']");
    waitFor("!document.getElementById('ethics-errors').hidden", Chromium.STEP, "the upload's error summary");
    assertThat(text("#ethics-errors")).contains("有問題需要處理", "There is a problem");
    assertThat(text("#ethics-file-error")).isNotEmpty();
    check("research-section-ethics-refused");
    Path pdf = Files.createTempFile("ethics", ".pdf");
    Files.write(pdf, pdf(2));
    chooseFile("#ethics-file", pdf);
    tap("#form-ethics button[type='submit']");
    waitForView("view-tasks");
    assertThat(attribute("#task-status-ethics", "data-state")).isEqualTo("completed");

    // The data: birth_date is ticked but its justification is left out, for the submission to refuse.
    tap("#task-data");
    waitForView("view-data");
    for (String column : List.of("person", "birth_date", "sex", "county")) {
      tap("#col-enrollment-" + column);
    }
    assertThat(visible("#just-enrollment-person")).isTrue();
    assertThat(text("#table-enrollment")).contains("識別欄位", "Identifying");
    type("#just-enrollment-person", "Each patient's visits are followed over the two years.");
    check("research-section-data");
    saveSection("data");

    tap("#task-cohort");
    waitForView("view-cohort");
    type("#diagnoses", "E11, I10");
    fill("#cohort-from", "2022-01-01");
    fill("#cohort-to", "2023-12-31");
    type("#min-age", "40");
    type("#max-age", "90");
    check("research-section-cohort");
    saveSection("cohort");

    tap("#task-generalisation");
    waitForView("view-generalisation");
    tap("#birth-date-five-year-band");
    tap("#care-dates-month");
    check("research-section-generalisation");
    saveSection("generalisation");

    tap("#task-public");
    waitForView("view-public");
    type("#lay-summary", "Too short.");
    type("#public-benefit", "Better follow-up schedules for people with diabetes, so fewer of them need hospital care.");
    check("research-section-public");
    saveSection("public");
    check("research-task-list-filled");

    // Check your answers, then a refused submission: the error summary lists each problem, linked to its field.
    tap("#to-check");
    waitForView("view-check");
    assertThat(text("#answers-project")).contains("Diabetes and hypertension outcomes 2022-2023");
    check("research-check-answers");
    tap("#submit");
    waitFor("!document.getElementById('check-errors').hidden", Chromium.STEP, "the submission's error summary");
    assertThat(text("#check-errors")).contains("有問題需要處理", "There is a problem");
    assertThat(exists("#check-errors a[data-field='laySummary']")).isTrue();
    assertThat(exists("#check-errors a[data-field='justifications.enrollment.birth_date']")).isTrue();
    assertThat(evaluate("document.activeElement.id")).isEqualTo("check-errors");
    assertThat(text("#tasks-state")).contains("草稿");
    check("research-check-refused");

    tap("#check-errors a[data-field='laySummary']");
    waitForView("view-public");
    assertThat(evaluate("document.activeElement.id")).isEqualTo("lay-summary");
    assertThat(attribute("#lay-summary", "aria-invalid")).isEqualTo("true");
    assertThat(text("#lay-summary-error")).contains("at least");
    check("research-section-public-error");
    type("#lay-summary", "We study how people with diabetes and high blood pressure use outpatient care over two years.");
    saveSection("public");
    assertThat(attribute("#task-status-data", "data-state")).isEqualTo("problem");

    tap("#task-data");
    waitForView("view-data");
    assertThat(text("#data-errors")).contains("There is a problem");
    assertThat(attribute("#just-enrollment-birth_date", "aria-invalid")).isEqualTo("true");
    type("#just-enrollment-birth_date", "Age groups are the main stratification of the outcome.");
    saveSection("data");

    tap("#to-check");
    waitForView("view-check");
    tap("#submit");
    waitForView("view-submitted");
    assertThat(text("#submitted-state")).contains("已送出，審查中", "輪到審查人");
    check("research-submitted");

    // ---- the reviewer asks for changes
    browser();
    open("/review/");
    check("review-signed-out");
    signIn("reviewer-demo", "/review/");
    waitForView("view-queue");
    check("review-queue");
    tap("#queue button[data-application='" + number + "']");
    waitForView("view-review");
    assertThat(text("#review-state")).contains("輪到審查人");
    assertThat(text("#checklist tr[data-column='enrollment.birth_date']")).contains("Age groups are the main stratification");
    assertThat(text("#checklist tr[data-column='enrollment.person']")).contains("Each patient's visits");
    assertThat(visible("#diff-form")).isFalse();
    check("review-application");

    // A decision without a choice or reason: the error summary, and nothing sent.
    tap("#decision-form button[type='submit']");
    waitFor("!document.getElementById('decision-errors').hidden", Chromium.STEP, "the decision's error summary");
    assertThat(exists("#decision-errors a[href='#outcome-group']")).isTrue();
    assertThat(exists("#decision-errors a[href='#reason']")).isTrue();
    check("review-decision-refused");

    comment("reviewer-only", "Check the county column with the disclosure team.");
    // Markup in a comment is shown as text: nothing a comment says becomes part of the page.
    comment("shown-to-researcher", "Please say why the <b>county</b> is needed, or drop it. <img src=x>");
    assertThat(exists("#review-comments b, #review-comments img")).isFalse();
    assertThat(text("#review-comments li[data-visibility='reviewer-only']")).contains("僅審查人可見", "Reviewers only");
    assertThat(text("#review-comments li[data-visibility='shown-to-researcher']")).contains("申請人可見");
    check("review-comments");
    decide("request-changes", "The title must name the outcome measured; see the comment on county.");
    assertThat(text("#decided-state")).contains("需修改", "輪到申請人");
    check("review-decided-changes");

    // ---- the researcher edits and resubmits
    browser();
    open("/research/");
    signIn("researcher-demo", "/research/");
    waitForView("view-list");
    assertThat(text("#notifications")).contains("asked for changes to application " + number);
    check("research-notifications");
    int unread = ((Number) evaluate("document.querySelectorAll('#notifications li.unread').length")).intValue();
    assertThat(unread).isPositive();
    tap("#notifications li.unread button");
    waitFor("document.querySelectorAll('#notifications li.unread').length === " + (unread - 1), Chromium.STEP, "a notification read");
    tap("#applications button[data-application='" + number + "']");
    waitForView("view-tasks");
    assertThat(text("#tasks-state")).contains("需修改", "Changes requested", "輪到申請人");
    assertThat(text("#tasks-comments")).contains("Please say why the <b>county</b> is needed", "The title must name the outcome")
        .doesNotContain("disclosure team");
    check("research-changes-requested");
    tap("#task-project");
    waitForView("view-project");
    type("#title", "Outpatient visits per year among people with diabetes and hypertension, 2022-2023");
    saveSection("project");
    tap("#to-check");
    waitForView("view-check");
    tap("#submit");
    waitForView("view-submitted");
    check("research-resubmitted");

    // ---- the reviewer compares the versions and approves
    browser();
    open("/review/");
    signIn("reviewer-demo", "/review/");
    waitForView("view-queue");
    tap("#queue button[data-application='" + number + "']");
    waitForView("view-review");
    assertThat(text("#review-state")).contains("第 2 版");
    tap("#diff-form button[type='submit']");
    waitFor("!document.getElementById('diff-result').hidden", Chromium.STEP, "the diff");
    assertThat(text("#diff tr[data-field='title']")).contains("Diabetes and hypertension outcomes 2022-2023",
        "Outpatient visits per year among people with diabetes and hypertension, 2022-2023");
    check("review-diff");
    decide("approve", "The data asked for is the minimum the study needs.");
    assertThat(text("#decided-state")).contains("已核准", "已結案", "The extract is queued");
    check("review-approved");

    // ---- the researcher sees the decision
    browser();
    open("/research/");
    signIn("researcher-demo", "/research/");
    waitForView("view-list");
    tap("#applications button[data-application='" + number + "']");
    waitForView("view-tasks");
    assertThat(text("#tasks-state")).contains("已核准", "已結案");
    assertThat(visible("#to-check")).isFalse();
    assertThat(exists("#task-project")).as("a decided application is not edited").isFalse();
    check("research-approved");

    // A researcher on the reviewers' page is told it is not theirs (and the API would refuse them anyway).
    open("/review/");
    assertThat(visible("#wrong-role")).isTrue();
    assertThat(visible("#view-queue")).isFalse();
    check("review-wrong-role");

    // Nothing in any address the pages visited names an application or a person.
    assertThat((String) evaluate("location.href")).doesNotContain("?").doesNotContain("#");
  }

  // ---- steps

  private void saveSection(String key) throws Exception {
    tap("#form-" + key + " button[type='submit']");
    waitForView("view-tasks");
  }

  private void comment(String visibility, String body) throws Exception {
    int before = ((Number) evaluate("document.querySelectorAll('#review-comments li[data-visibility]').length")).intValue();
    tap("#visibility-" + visibility);
    type("#comment-body", body);
    tap("#comment-form button[type='submit']");
    waitFor("document.querySelectorAll('#review-comments li[data-visibility]').length === " + (before + 1), Chromium.STEP, "the comment");
  }

  private void decide(String outcome, String reason) throws Exception {
    tap("#outcome-" + outcome);
    type("#reason", reason);
    tap("#decision-form button[type='submit']");
    waitForView("view-decided");
  }

  // ---- the browser

  /** A fresh browser at tablet width: no Keycloak session and no tokens carry over from another user. */
  private void browser() throws Exception {
    if (chromium != null) {
      chromium.close();
    }
    chromium = Chromium.launch(executable, TABLET_WIDTH, 1024);
    chromium.call("Page.addScriptToEvaluateOnNewDocument", Map.of("source", VIOLATION_RECORDER));
  }

  private void open(String path) throws Exception {
    evaluate("delete document.documentElement.dataset.ready; true");
    chromium.call("Page.navigate", Map.of("url", uri(path).toString()));
    waitFor(READY, Chromium.STEP, "the page " + path);
  }

  /** Signs in on Keycloak's own login page, through the page's sign-in button, and waits to be back. */
  private void signIn(String user, String page) throws Exception {
    tap("#signed-out [data-action='sign-in']");
    waitFor("document.getElementById('kc-form-login') !== null", LOGIN, "Keycloak's login page");
    type("#username", user);
    type("#password", TestKeycloak.DEMO_PASSWORD);
    screenshot("login-" + user);
    evaluate("document.getElementById('kc-form-login').requestSubmit(); true");
    waitFor("location.origin === '" + uri("").toString().replaceAll("/$", "") + "' && location.pathname === '" + page + "'"
        + " && location.search === '' && " + READY, LOGIN, "the page after signing in as " + user);
  }

  private void waitForView(String view) throws Exception {
    waitFor("document.documentElement.dataset.view === '" + view + "' && !document.getElementById('" + view + "').hidden",
        Chromium.STEP, "the view " + view);
  }

  /**
   * Every page's checks: a screenshot, no WCAG 2.2 A/AA violation (axe-core), no CSP or Trusted Types
   * violation, no uncaught exception, no horizontal scrolling at tablet width.
   */
  @SuppressWarnings("unchecked")
  private void check(String name) throws Exception {
    screenshot(name);
    assertThat(axe.violations(chromium)).as("axe-core on " + name).isEmpty();
    assertThat((List<Object>) evaluate("window.__violations")).as("CSP and Trusted Types violations on " + name).isEmpty();
    assertThat(chromium.pageErrors()).as("uncaught exceptions on " + name).noneMatch(error -> error.startsWith("exception:"));
    assertThat(evaluate("document.documentElement.scrollWidth <= window.innerWidth")).as(name + " fits " + TABLET_WIDTH + " px").isEqualTo(true);
  }

  private void screenshot(String name) throws Exception {
    Files.write(SCREENSHOTS.resolve(String.format("%02d-%s.png", ++shots, name)), chromium.screenshot());
  }

  private Object evaluate(String expression) throws Exception {
    return chromium.evaluate(expression);
  }

  private void waitFor(String expression, Duration timeout, String what) throws Exception {
    chromium.waitFor(expression, timeout, "Waited in vain for " + what + " (" + expression + ")");
  }

  private String text(String selector) throws Exception {
    Object text = evaluate("(() => { const e = document.querySelector(" + js(selector) + "); return e === null ? null"
        + " : e.textContent.replace(/\\s+/g, ' ').trim(); })()");
    assertThat(text).as("element " + selector).isNotNull();
    return (String) text;
  }

  private String attribute(String selector, String name) throws Exception {
    return (String) evaluate("document.querySelector(" + js(selector) + ").getAttribute(" + js(name) + ")");
  }

  private boolean exists(String selector) throws Exception {
    return Boolean.TRUE.equals(evaluate("document.querySelector(" + js(selector) + ") !== null"));
  }

  private boolean visible(String selector) throws Exception {
    return Boolean.TRUE.equals(evaluate("(() => { const e = document.querySelector(" + js(selector) + ");"
        + " return e !== null && e.getClientRects().length > 0; })()"));
  }

  /**
   * A real click (mouse down and up at the centre of the element's first box: a link over two lines has a gap in the middle), as a
   * person would: the element must be visible and on top.
   */
  @SuppressWarnings("unchecked")
  private void tap(String selector) throws Exception {
    Map<String, Object> box = (Map<String, Object>) evaluate("(() => { const e = document.querySelector(" + js(selector) + ");"
        + " if (!e) return null; e.scrollIntoView({block: 'center'}); const r = e.getClientRects()[0] ?? e.getBoundingClientRect();"
        + " const x = r.left + r.width / 2, y = r.top + r.height / 2; const top = document.elementFromPoint(x, y);"
        + " return {x, y, reachable: top !== null && (top === e || e.contains(top) || top.contains(e)"
        + " || (top.tagName === 'LABEL' && top.control === e) || (e.labels && Array.from(e.labels).some(l => l.contains(top))))}; })()");
    assertThat(box).as("element " + selector).isNotNull();
    assertThat(box.get("reachable")).as("element " + selector + " is visible and not covered").isEqualTo(true);
    double x = ((Number) box.get("x")).doubleValue();
    double y = ((Number) box.get("y")).doubleValue();
    for (String type : List.of("mousePressed", "mouseReleased")) {
      chromium.call("Input.dispatchMouseEvent", Map.of("type", type, "x", x, "y", y, "button", "left", "buttons",
          type.equals("mousePressed") ? 1 : 0, "clickCount", 1));
    }
  }

  /** Focuses a text field, empties it and types into it (Input.insertText, as a keyboard or IME would). */
  private void type(String selector, String value) throws Exception {
    evaluate("(() => { const e = document.querySelector(" + js(selector) + "); e.focus(); e.select(); return true; })()");
    chromium.call("Input.dispatchKeyEvent", Map.of("type", "rawKeyDown", "key", "Backspace", "code", "Backspace", "windowsVirtualKeyCode", 8));
    chromium.call("Input.dispatchKeyEvent", Map.of("type", "keyUp", "key", "Backspace", "code", "Backspace", "windowsVirtualKeyCode", 8));
    chromium.call("Input.insertText", Map.of("text", value));
  }

  /** A date field's value, as its picker would set it. */
  private void fill(String selector, String value) throws Exception {
    evaluate("(() => { const e = document.querySelector(" + js(selector) + "); e.value = " + js(value) + ";"
        + " e.dispatchEvent(new Event('input', {bubbles: true})); e.dispatchEvent(new Event('change', {bubbles: true})); return e.value; })()");
  }

  @SuppressWarnings("unchecked")
  private void chooseFile(String selector, Path file) throws Exception {
    Map<String, Object> document = chromium.call("DOM.getDocument", Map.of("depth", 0));
    Object root = ((Map<String, Object>) document.get("root")).get("nodeId");
    Object node = chromium.call("DOM.querySelector", Map.of("nodeId", root, "selector", selector)).get("nodeId");
    chromium.call("DOM.setFileInputFiles", Map.of("files", List.of(file.toAbsolutePath().toString()), "nodeId", node));
  }

  private static String js(String text) {
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }

}
