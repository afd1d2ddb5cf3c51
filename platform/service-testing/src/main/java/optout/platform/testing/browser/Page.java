package optout.platform.testing.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The page in a {@link Chromium}, as the services' browser tests use it: the steps a person takes (open, tap,
 * type, choose a file, sign in on Keycloak's own login page) and what a test reads back (text, attributes,
 * visibility, CSP and Trusted Types violations). A tap is a real mouse press and release at the element's
 * centre, refused when the element is hidden or covered; typing goes through the input events a keyboard
 * or an IME sends.
 */
public final class Page {

  /** Installed in every document before its own scripts: collects CSP and Trusted Types violations. */
  private static final String VIOLATION_RECORDER = "window.__violations = [];"
      + " document.addEventListener('securitypolicyviolation', (e) => window.__violations.push("
      + "e.effectiveDirective + ' ' + e.blockedURI + ' ' + e.sourceFile + ':' + e.lineNumber));";
  /** What the platform's pages set once their scripts have drawn them. */
  public static final String READY = "document.documentElement.dataset.ready === 'true'";
  public static final Duration LOGIN = Duration.ofSeconds(30);

  private final Chromium chromium;

  /** The browser's page, recording CSP and Trusted Types violations from the next document on. */
  public Page(Chromium chromium) throws Exception {
    this.chromium = chromium;
    chromium.call("Page.addScriptToEvaluateOnNewDocument", Map.of("source", VIOLATION_RECORDER));
  }

  public Chromium chromium() {
    return chromium;
  }

  /** Navigates and waits until the new document says it is ready (the old one must not answer for it). */
  public void open(URI url) throws Exception {
    chromium.evaluate("delete document.documentElement.dataset.ready; true");
    chromium.call("Page.navigate", Map.of("url", url.toString()));
    waitFor(READY, Chromium.STEP, "the page " + url.getPath());
  }

  /**
   * Signs in on Keycloak's own login page, reached through {@code button}, and waits to be back on
   * {@code page} of {@code origin} with the query string gone and the page ready.
   */
  public void signIn(String button, String user, String password, URI origin, String page) throws Exception {
    tap(button);
    waitFor("document.getElementById('kc-form-login') !== null", LOGIN, "Keycloak's login page");
    assertThat(evaluate("document.documentElement.lang")).as("the login page's language").isEqualTo("zh-TW");
    type("#username", user);
    type("#password", password);
    chromium.evaluate("document.getElementById('kc-form-login').requestSubmit(); true");
    waitFor("location.origin === " + js(origin.toString().replaceAll("/$", "")) + " && location.pathname === " + js(page)
        + " && location.search === '' && " + READY, LOGIN, "the page after signing in as " + user);
  }

  public Object evaluate(String expression) throws Exception {
    return chromium.evaluate(expression);
  }

  public void waitFor(String expression, Duration timeout, String what) throws Exception {
    chromium.waitFor(expression, timeout, "Waited in vain for " + what + " (" + expression + ")");
  }

  /** The element's text, white space collapsed; the element must exist. */
  public String text(String selector) throws Exception {
    Object text = evaluate("(() => { const e = document.querySelector(" + js(selector) + "); return e === null ? null"
        + " : e.textContent.replace(/\\s+/g, ' ').trim(); })()");
    assertThat(text).as("element " + selector).isNotNull();
    return (String) text;
  }

  public String attribute(String selector, String name) throws Exception {
    return (String) evaluate("document.querySelector(" + js(selector) + ").getAttribute(" + js(name) + ")");
  }

  public boolean exists(String selector) throws Exception {
    return Boolean.TRUE.equals(evaluate("document.querySelector(" + js(selector) + ") !== null"));
  }

  public boolean visible(String selector) throws Exception {
    return Boolean.TRUE.equals(evaluate("(() => { const e = document.querySelector(" + js(selector) + ");"
        + " return e !== null && e.getClientRects().length > 0; })()"));
  }

  /**
   * A real click (mouse down and up at the centre of the element's first box: a link over two lines has a gap in
   * the middle), as a person would: the element must be visible and on top.
   */
  @SuppressWarnings("unchecked")
  public void tap(String selector) throws Exception {
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
  public void type(String selector, String value) throws Exception {
    evaluate("(() => { const e = document.querySelector(" + js(selector) + "); e.focus(); e.select(); return true; })()");
    chromium.call("Input.dispatchKeyEvent", Map.of("type", "rawKeyDown", "key", "Backspace", "code", "Backspace", "windowsVirtualKeyCode", 8));
    chromium.call("Input.dispatchKeyEvent", Map.of("type", "keyUp", "key", "Backspace", "code", "Backspace", "windowsVirtualKeyCode", 8));
    chromium.call("Input.insertText", Map.of("text", value));
  }

  /** A select's or a date field's value, as choosing an option or the date picker would set it. */
  public void choose(String selector, String value) throws Exception {
    evaluate("(() => { const e = document.querySelector(" + js(selector) + "); e.value = " + js(value) + ";"
        + " e.dispatchEvent(new Event('input', {bubbles: true})); e.dispatchEvent(new Event('change', {bubbles: true})); return e.value; })()");
  }

  @SuppressWarnings("unchecked")
  public void chooseFile(String selector, Path file) throws Exception {
    Map<String, Object> document = chromium.call("DOM.getDocument", Map.of("depth", 0));
    Object root = ((Map<String, Object>) document.get("root")).get("nodeId");
    Object node = chromium.call("DOM.querySelector", Map.of("nodeId", root, "selector", selector)).get("nodeId");
    chromium.call("DOM.setFileInputFiles", Map.of("files", List.of(file.toAbsolutePath().toString()), "nodeId", node));
  }

  /** The CSP and Trusted Types violations the document reported. */
  @SuppressWarnings("unchecked")
  public List<Object> violations() throws Exception {
    return (List<Object>) evaluate("window.__violations");
  }

  /** The page's uncaught exceptions so far (its console errors are left out: a 404 the page handles is one). */
  public List<String> uncaughtExceptions() {
    return chromium.pageErrors().stream().filter(error -> error.startsWith("exception:")).toList();
  }

  /** A JavaScript string literal of the text. */
  public static String js(String text) {
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }
}
