package optout.portal.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import optout.portal.PortalIT;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import optout.platform.testing.TestKeycloak;
import optout.platform.testing.browser.Chromium;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * What the portal's browser tests share: headless Chromium at tablet width (768 px) against the whole portal, the
 * run's real Keycloak (its own login page) and PostgreSQL; the steps a person takes (tap, type, sign in), and the
 * checks every page passes: a screenshot (target/screenshots/FOLDER), no WCAG 2.2 A or AA violation (axe-core), no
 * CSP or Trusted Types violation, no uncaught exception, no horizontal scrolling (at tablet width, or a phone's).
 */
abstract class PortalBrowser extends PortalIT {

  /** The realm's optout-web client allows only the fixed local ports; this test-only client any localhost port. */
  protected static final String TEST_WEB_CLIENT = "it-web";
  private static final int TABLET_WIDTH = 768;
  protected static final Duration LOGIN = Duration.ofSeconds(30);
  private static final String READY = "document.documentElement.dataset.ready === 'true'";
  /** Installed in every document before its own scripts: collects CSP and Trusted Types violations. */
  private static final String VIOLATION_RECORDER = "window.__violations = [];"
      + " document.addEventListener('securitypolicyviolation', (e) => window.__violations.push("
      + "e.effectiveDirective + ' ' + e.blockedURI + ' ' + e.sourceFile + ':' + e.lineNumber));";

  private static Path executable;
  private static Axe axe;

  protected Chromium chromium;
  private int shots;
  private int width = TABLET_WIDTH;

  private final Path screenshots;

  @Autowired protected JdbcTemplate jdbc;

  /** {@code folder}: the screenshots' folder under target/screenshots. */
  protected PortalBrowser(String folder) {
    this.screenshots = Path.of("target", "screenshots", folder);
  }

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

  /** The application's newest job of a kind (the runner's work queue). */
  protected UUID latestJob(String applicationId, String kind) {
    return jdbc.queryForObject("select id from job where application_id = ?::uuid and kind = ? order by queued_at desc limit 1", UUID.class,
        applicationId, kind);
  }

  /** The job status shown in a status region. */
  protected static String status(String container, String status) {
    return "document.querySelector(" + js(container + " [data-status]") + ")?.dataset.status === " + js(status);
  }

  // ---- steps

  protected void saveSection(String key) throws Exception {
    tap("#form-" + key + " button[type='submit']");
    waitForView("view-tasks");
  }

  protected void comment(String visibility, String body) throws Exception {
    int before = ((Number) evaluate("document.querySelectorAll('#review-comments li[data-visibility]').length")).intValue();
    tap("#visibility-" + visibility);
    type("#comment-body", body);
    tap("#comment-form button[type='submit']");
    waitFor("document.querySelectorAll('#review-comments li[data-visibility]').length === " + (before + 1), Chromium.STEP, "the comment");
  }

  protected void decide(String outcome, String reason) throws Exception {
    tap("#outcome-" + outcome);
    type("#reason", reason);
    tap("#decision-form button[type='submit']");
    waitForView("view-decided");
  }

  // ---- the browser

  /** A fresh browser at tablet width: no Keycloak session and no tokens carry over from another user. */
  protected void browser() throws Exception {
    browser(TABLET_WIDTH, 1024);
  }

  /** A fresh browser of this size (a phone: 390 × 844). */
  protected void browser(int width, int height) throws Exception {
    if (chromium != null) {
      chromium.close();
    }
    this.width = width;
    chromium = Chromium.launch(executable, width, height);
    chromium.call("Page.addScriptToEvaluateOnNewDocument", Map.of("source", VIOLATION_RECORDER));
  }

  protected void open(String path) throws Exception {
    evaluate("delete document.documentElement.dataset.ready; true");
    chromium.call("Page.navigate", Map.of("url", uri(path).toString()));
    waitFor(READY, Chromium.STEP, "the page " + path);
  }

  /** Signs in on Keycloak's own login page, through the page's sign-in button, and waits to be back. */
  protected void signIn(String user, String page) throws Exception {
    tap("#signed-out [data-action='sign-in']");
    waitFor("document.getElementById('kc-form-login') !== null", LOGIN, "Keycloak's login page");
    type("#username", user);
    type("#password", TestKeycloak.DEMO_PASSWORD);
    screenshot("login-" + user);
    evaluate("document.getElementById('kc-form-login').requestSubmit(); true");
    waitFor("location.origin === '" + uri("").toString().replaceAll("/$", "") + "' && location.pathname === '" + page + "'"
        + " && location.search === '' && " + READY, LOGIN, "the page after signing in as " + user);
  }

  /**
   * Opens an application from the reviewer's queue and waits until its impact preview has been drawn:
   * the preview sits above the diff and decision forms, so a click before it settles lands elsewhere.
   */
  protected void openReview(Object number) throws Exception {
    tap("#queue button[data-application='" + number + "']");
    waitForView("view-review");
    waitFor("document.getElementById('review-preview-status').childElementCount > 0"
        + " || document.getElementById('review-no-preview') !== null", Chromium.STEP, "the review's impact preview");
  }

  protected void waitForView(String view) throws Exception {
    waitFor("document.documentElement.dataset.view === '" + view + "' && !document.getElementById('" + view + "').hidden",
        Chromium.STEP, "the view " + view);
  }

  /**
   * Every page's checks: a screenshot, no WCAG 2.2 A/AA violation (axe-core), no CSP or Trusted Types
   * violation, no uncaught exception, no horizontal scrolling at tablet width.
   */
  @SuppressWarnings("unchecked")
  protected void check(String name) throws Exception {
    screenshot(name);
    assertThat(axe.violations(chromium)).as("axe-core on " + name).isEmpty();
    assertThat((List<Object>) evaluate("window.__violations")).as("CSP and Trusted Types violations on " + name).isEmpty();
    assertThat(chromium.pageErrors()).as("uncaught exceptions on " + name).noneMatch(error -> error.startsWith("exception:"));
    assertThat(evaluate("document.documentElement.scrollWidth <= window.innerWidth")).as(name + " fits " + width + " px").isEqualTo(true);
  }

  protected void screenshot(String name) throws Exception {
    Files.createDirectories(screenshots);
    Files.write(screenshots.resolve(String.format("%02d-%s.png", ++shots, name)), chromium.screenshot());
  }

  protected Object evaluate(String expression) throws Exception {
    return chromium.evaluate(expression);
  }

  protected void waitFor(String expression, Duration timeout, String what) throws Exception {
    chromium.waitFor(expression, timeout, "Waited in vain for " + what + " (" + expression + ")");
  }

  protected String text(String selector) throws Exception {
    Object text = evaluate("(() => { const e = document.querySelector(" + js(selector) + "); return e === null ? null"
        + " : e.textContent.replace(/\\s+/g, ' ').trim(); })()");
    assertThat(text).as("element " + selector).isNotNull();
    return (String) text;
  }

  protected String attribute(String selector, String name) throws Exception {
    return (String) evaluate("document.querySelector(" + js(selector) + ").getAttribute(" + js(name) + ")");
  }

  protected boolean exists(String selector) throws Exception {
    return Boolean.TRUE.equals(evaluate("document.querySelector(" + js(selector) + ") !== null"));
  }

  protected boolean visible(String selector) throws Exception {
    return Boolean.TRUE.equals(evaluate("(() => { const e = document.querySelector(" + js(selector) + ");"
        + " return e !== null && e.getClientRects().length > 0; })()"));
  }

  /**
   * A real click (mouse down and up at the centre of the element's first box: a link over two lines has a gap in the middle), as a
   * person would: the element must be visible and on top.
   */
  @SuppressWarnings("unchecked")
  protected void tap(String selector) throws Exception {
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
  protected void type(String selector, String value) throws Exception {
    evaluate("(() => { const e = document.querySelector(" + js(selector) + "); e.focus(); e.select(); return true; })()");
    chromium.call("Input.dispatchKeyEvent", Map.of("type", "rawKeyDown", "key", "Backspace", "code", "Backspace", "windowsVirtualKeyCode", 8));
    chromium.call("Input.dispatchKeyEvent", Map.of("type", "keyUp", "key", "Backspace", "code", "Backspace", "windowsVirtualKeyCode", 8));
    chromium.call("Input.insertText", Map.of("text", value));
  }

  /** A date field's value, as its picker would set it. */
  protected void fill(String selector, String value) throws Exception {
    evaluate("(() => { const e = document.querySelector(" + js(selector) + "); e.value = " + js(value) + ";"
        + " e.dispatchEvent(new Event('input', {bubbles: true})); e.dispatchEvent(new Event('change', {bubbles: true})); return e.value; })()");
  }

  @SuppressWarnings("unchecked")
  protected void chooseFile(String selector, Path file) throws Exception {
    Map<String, Object> document = chromium.call("DOM.getDocument", Map.of("depth", 0));
    Object root = ((Map<String, Object>) document.get("root")).get("nodeId");
    Object node = chromium.call("DOM.querySelector", Map.of("nodeId", root, "selector", selector)).get("nodeId");
    chromium.call("DOM.setFileInputFiles", Map.of("files", List.of(file.toAbsolutePath().toString()), "nodeId", node));
  }

  protected static String js(String text) {
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }

}
