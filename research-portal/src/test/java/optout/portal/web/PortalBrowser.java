package optout.portal.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import optout.portal.PortalIT;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import optout.platform.testing.TestKeycloak;
import optout.platform.testing.browser.Axe;
import optout.platform.testing.browser.Chromium;
import optout.platform.testing.browser.Page;
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

  private static Path executable;
  private static Axe axe;

  protected Chromium chromium;
  protected Page page;
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
      page = null;
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
    page = new Page(chromium);
  }

  protected void open(String path) throws Exception {
    page.open(uri(path));
  }

  /** Signs in on Keycloak's own login page, through the page's sign-in button, and waits to be back. */
  protected void signIn(String user, String page) throws Exception {
    this.page.signIn("#signed-out [data-action='sign-in']", user, TestKeycloak.DEMO_PASSWORD, uri(""), page);
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
  protected void check(String name) throws Exception {
    screenshot(name);
    assertThat(axe.violations(chromium)).as("axe-core on " + name).isEmpty();
    assertThat(page.violations()).as("CSP and Trusted Types violations on " + name).isEmpty();
    assertThat(page.uncaughtExceptions()).as("uncaught exceptions on " + name).isEmpty();
    assertThat(evaluate("document.documentElement.scrollWidth <= window.innerWidth")).as(name + " fits " + width + " px").isEqualTo(true);
  }

  protected void screenshot(String name) throws Exception {
    Files.createDirectories(screenshots);
    Files.write(screenshots.resolve(String.format("%02d-%s.png", ++shots, name)), chromium.screenshot());
  }

  protected Object evaluate(String expression) throws Exception {
    return page.evaluate(expression);
  }

  protected void waitFor(String expression, Duration timeout, String what) throws Exception {
    page.waitFor(expression, timeout, what);
  }

  protected String text(String selector) throws Exception {
    return page.text(selector);
  }

  protected String attribute(String selector, String name) throws Exception {
    return page.attribute(selector, name);
  }

  protected boolean exists(String selector) throws Exception {
    return page.exists(selector);
  }

  protected boolean visible(String selector) throws Exception {
    return page.visible(selector);
  }

  protected void tap(String selector) throws Exception {
    page.tap(selector);
  }

  protected void type(String selector, String value) throws Exception {
    page.type(selector, value);
  }

  /** A date field's value, as its picker would set it. */
  protected void fill(String selector, String value) throws Exception {
    page.choose(selector, value);
  }

  protected void chooseFile(String selector, Path file) throws Exception {
    page.chooseFile(selector, file);
  }

  protected static String js(String text) {
    return Page.js(text);
  }
}
