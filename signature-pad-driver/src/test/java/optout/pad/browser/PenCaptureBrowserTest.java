package optout.pad.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import optout.pad.api.PenSample;
import optout.pad.api.SignatureCapture;
import optout.pad.api.Stroke;
import optout.pad.browser.BrowserCapture.PointerType;
import optout.pad.quality.QualityGate;
import optout.platform.testing.browser.Chromium;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.DisabledIfEnvironmentVariable;

/**
 * pen-capture.js in headless Chromium, under a strict CSP, with pen, touch and mouse input
 * synthesised through the DevTools protocol. The synthesised events carry their own timestamps
 * (spaced like a 230 Hz pen, with a pause), and are sent without waiting, so that Chromium coalesces
 * them: every one of them must come out as one sample, with the time the event carried.
 */
@Timeout(30)
@DisabledIfEnvironmentVariable(named = "OPTOUT_SKIP_BROWSER_TESTS", matches = "true",
    disabledReason = "OPTOUT_SKIP_BROWSER_TESTS=true: the headless Chromium tests of pen-capture.js are skipped")
class PenCaptureBrowserTest {

  private static final Path ARTEFACTS = Path.of("target", "browser-artefacts");
  /** The canvas's content box in the test page: left/top 20/40 CSS px plus a 1 px border. */
  private static final double LEFT = 21;
  private static final double TOP = 41;
  /** event.timeStamp is coarsened to 100 µs outside cross-origin isolation. */
  private static final long TIME_TOLERANCE_MICROS = 150;
  private static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; base-uri 'none'; form-action 'none';"
      + " frame-ancestors 'none'; require-trusted-types-for 'script'";

  private static HttpServer server;
  private static Chromium chromium;
  private static String pageUrl;

  @BeforeAll
  @Timeout(30)
  static void start() throws Exception {
    Path executable = Chromium.executable();
    if (executable == null) {
      fail("The browser tests need headless Chromium, and /usr/bin/chromium is missing: install Debian's chromium package"
          + " (apt-get install chromium; CI installs it), or set OPTOUT_SKIP_BROWSER_TESTS=true to skip these tests");
    }
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", PenCaptureBrowserTest::serve);
    server.start();
    pageUrl = "http://127.0.0.1:" + server.getAddress().getPort() + "/";
    chromium = Chromium.launch(executable, 800, 600);
    Files.createDirectories(ARTEFACTS);
  }

  @AfterAll
  static void stop() {
    if (chromium != null) {
      chromium.close();
    }
    if (server != null) {
      server.stop(0);
    }
  }

  /** The test page, its script and style from the test classpath, the component as a service would serve it. */
  private static void serve(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      byte[] body;
      String type;
      if (path.equals("/pen-capture.js")) {
        body = BrowserCapture.script();
        type = BrowserCapture.SCRIPT_MEDIA_TYPE;
      } else {
        String name = path.equals("/") ? "test-page.html" : path.substring(1);
        InputStream resource = name.matches("test-page\\.(html|js|css)")
            ? PenCaptureBrowserTest.class.getResourceAsStream("/optout/pad/browser/" + name) : null;
        if (resource == null) {
          exchange.sendResponseHeaders(404, -1);
          return;
        }
        try (resource) {
          body = resource.readAllBytes();
        }
        type = name.endsWith(".js") ? "text/javascript; charset=utf-8" : name.endsWith(".css") ? "text/css; charset=utf-8"
            : "text/html; charset=utf-8";
      }
      exchange.getResponseHeaders().add("Content-Type", type);
      exchange.getResponseHeaders().add("Content-Security-Policy", CSP);
      exchange.getResponseHeaders().add("X-Content-Type-Options", "nosniff");
      exchange.getResponseHeaders().add("Cache-Control", "no-store");
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
    }
  }

  @BeforeEach
  void openPage() throws Exception {
    chromium.open(pageUrl, "!!(window.testPage && window.testPage.ready)");
  }

  @AfterEach
  void pageObeyedItsPolicy() throws Exception {
    assertThat(chromium.evaluate("testPage.violations")).as("CSP violations").isEqualTo(List.of());
  }

  @Test
  void recordsEveryPenPointWithPressureTiltHoverAndTheEventsTimes() throws Exception {
    Input input = new Input();
    penSignature(input);
    input.dispatch();
    frames();

    Map<String, Object> capture = capture();
    assertThat(capture.get("format")).isEqualTo("nhi-optout-capture/1");
    assertThat(capture.get("device")).isEqualTo(Map.of("vendor", "Web browser", "model", "Pointer Events: pen", "serialNumber", "",
        "firmware", "pen-capture.js/1"));
    @SuppressWarnings("unchecked")
    Map<String, Object> capabilities = (Map<String, Object>) capture.get("capabilities");
    assertThat(capabilities).containsEntry("width", 6000L).containsEntry("height", 3000L).containsEntry("maxPressure", 65535L)
        .containsEntry("unitsPerMillimetre", 10 * 96 / 25.4).containsEntry("screenWidth", 0L).containsEntry("screenHeight", 0L);
    long expectedRate = Math.round(1e6 / input.medianTouchingGapMicros());
    assertThat((Long) capabilities.get("samplesPerSecond")).isBetween(expectedRate - 5, expectedRate + 5);
    assertThat((String) capture.get("startedAt")).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");

    assertSamples(capture, input);
    // The browser did coalesce moves: the points in between came only from getCoalescedEvents().
    assertThat(((Number) chromium.evaluate("testPage.coalescedMoves")).intValue()).as("coalesced pointermoves").isPositive();
    assertThat(chromium.evaluate("testPage.strokeEnds")).isEqualTo(List.of(
        Map.of("strokeCount", 1L, "cancelled", false), Map.of("strokeCount", 2L, "cancelled", false),
        Map.of("strokeCount", 3L, "cancelled", false)));
    assertThat(chromium.evaluate("document.getElementById('status').textContent")).isEqualTo("已簽 3 筆 / 3 strokes");
    assertThat(inkPixels()).isGreaterThan(2000);
    screenshot("pen-capture.png");

    // The server side accepts the component's real output and finds the strokes as they were written.
    String json = (String) chromium.evaluate("testPage.capture.toJSON()");
    SignatureCapture read = BrowserCapture.read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
    assertThat(BrowserCapture.check(read)).isEqualTo(PointerType.PEN);
    assertThat(read.strokes()).extracting(stroke -> stroke.samples().size()).containsExactly(60, 50, 40);
    assertThat(read.hasTilt()).isTrue();
    Stroke first = read.strokes().get(0);
    assertThat(first.samples().get(0).tiltX()).isEqualTo(25);
    assertThat(read.samples()).filteredOn(sample -> !sample.touching()).allMatch(PenSample::inRange).hasSize(3 + 8 + 8 + 4);
    assertThat(read.durationMicros()).isBetween(input.spanMicros() - TIME_TOLERANCE_MICROS, input.spanMicros() + TIME_TOLERANCE_MICROS);
    assertThat(QualityGate.withDefaults().check(read).accepted()).isTrue();
  }

  @Test
  void ignoresAPalmAndOtherPointersWhileThePenWrites() throws Exception {
    Input input = new Input();
    input.penDown(100.3, 200.2, 20000, 30, -10, 20_000);
    for (int i = 1; i <= 30; i++) {
      double x = 100.3 + i * 2.1;
      double y = 200.2 + 15 * Math.sin(i / 4.0);
      input.penMove(x, y, 20000 + i * 300, 30, -10, 4_200);
      // A palm lands, slides and lifts while the pen writes; a second finger joins it.
      switch (i) {
        case 5 -> input.touch("touchStart", List.of(touchPoint(0, 420.2, 250.6, 0.3)), 1_000);
        case 10 -> input.touch("touchMove", List.of(touchPoint(0, 425.4, 256.2, 0.35)), 1_000);
        case 12 -> input.touch("touchStart", List.of(touchPoint(0, 425.4, 256.2, 0.35), touchPoint(1, 460.7, 240.1, 0.2)), 1_000);
        case 15 -> input.touch("touchMove", List.of(touchPoint(0, 430.8, 260.3, 0.4), touchPoint(1, 465.3, 244.9, 0.2)), 1_000);
        case 25 -> input.touch("touchEnd", List.of(), 1_000);
        default -> { }
      }
    }
    input.penUp(163.7, 205.4, 30, -10, 4_000);
    // After the pen's stroke: a finger and a mouse try to write; the capture belongs to the pen.
    input.touch("touchStart", List.of(touchPoint(2, 300.1, 120.6, 0.5)), 50_000);
    input.touch("touchMove", List.of(touchPoint(2, 340.3, 130.2, 0.5)), 10_000);
    input.touch("touchEnd", List.of(), 10_000);
    input.mouse("mousePressed", 320.4, 90.2, "left", 1, 50_000, false);
    input.mouse("mouseMoved", 360.6, 95.8, "left", 1, 10_000, false);
    input.mouse("mouseReleased", 360.6, 95.8, "left", 0, 10_000, false);
    input.dispatch();
    frames();

    Map<String, Object> capture = capture();
    assertSamples(capture, input);
    assertThat(((Map<?, ?>) capture.get("device")).get("model")).isEqualTo("Pointer Events: pen");
    assertThat(chromium.evaluate("testPage.capture.strokeCount")).isEqualTo(1L);
  }

  @Test
  void recordsTouchWithoutTiltAndADocumentedPressureWhereTheScreenMeasuresNone() throws Exception {
    Input input = new Input();
    // A finger that reports no pressure (force 0): recorded at 0.5.
    input.touch("touchStart", List.of(touchPoint(0, 150.3, 180.6, 0)), 30_000, 150.3, 180.6, 32768);
    for (int i = 1; i <= 20; i++) {
      double x = 150.3 + i * 3.2;
      double y = 180.6 + 20 * Math.sin(i / 3.0);
      input.touch("touchMove", List.of(touchPoint(0, x, y, 0)), 8_000, x, y, 32768);
    }
    input.touch("touchEnd", List.of(), 8_000, 214.3, 180.6 + 20 * Math.sin(20 / 3.0), 0);
    // A finger that does report pressure, with a second finger resting on the screen for a while.
    input.touch("touchStart", List.of(touchPoint(1, 260.2, 160.4, 0.62)), 300_000, 260.2, 160.4, 40632);
    for (int i = 1; i <= 20; i++) {
      double x = 260.2 + i * 2.4;
      double y = 160.4 + i * 1.3;
      List<Map<String, Object>> points = new ArrayList<>(List.of(touchPoint(1, x, y, 0.62)));
      if (i >= 8 && i <= 12) {
        points.add(touchPoint(2, 500.5 - i, 280.5, 0.9));
      }
      input.touch(i == 8 ? "touchStart" : "touchMove", points, 8_000, x, y, 40632);
    }
    input.touch("touchEnd", List.of(), 8_000, 308.2, 186.4, 0);
    // The browser cancels a stroke: it is closed where last seen, neither touching nor in range.
    input.touch("touchStart", List.of(touchPoint(3, 330.2, 230.4, 0.5)), 200_000, 330.2, 230.4, 32768);
    for (int i = 1; i <= 3; i++) {
      input.touch("touchMove", List.of(touchPoint(3, 330.2 + i * 5.1, 230.4 - i * 2.2, 0.5)), 8_000, 330.2 + i * 5.1, 230.4 - i * 2.2, 32768);
    }
    input.touch("touchCancel", List.of(), 8_000, 330.2 + 3 * 5.1, 230.4 - 3 * 2.2, 0);
    input.dispatch();
    frames();

    Map<String, Object> capture = capture();
    assertThat(((Map<?, ?>) capture.get("device")).get("model")).isEqualTo("Pointer Events: touch");
    assertSamples(capture, input);
    assertThat(chromium.evaluate("testPage.capture.strokeCount")).isEqualTo(3L);
    assertThat(chromium.evaluate("testPage.strokeEnds.map(end => end.cancelled)")).isEqualTo(List.of(false, false, true));
    String json = (String) chromium.evaluate("testPage.capture.toJSON()");
    SignatureCapture read = BrowserCapture.read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
    assertThat(BrowserCapture.check(read)).isEqualTo(PointerType.TOUCH);
    assertThat(read.hasTilt()).isFalse();
    assertThat(read.strokes()).extracting(stroke -> stroke.samples().size()).containsExactly(21, 21, 4);
  }

  @Test
  void recordsAMouseAtHalfPressureWithoutItsMovesBetweenStrokes() throws Exception {
    Input input = new Input();
    input.mouse("mouseMoved", 90.2, 90.4, "none", 0, 20_000, false);
    // A right click does not write.
    input.mouse("mousePressed", 95.6, 95.2, "right", 2, 20_000, false);
    input.mouse("mouseMoved", 120.4, 100.8, "right", 2, 20_000, false);
    input.mouse("mouseReleased", 120.4, 100.8, "right", 0, 20_000, false);
    input.mouse("mousePressed", 100.2, 120.6, "left", 1, 20_000, true);
    for (int i = 1; i <= 15; i++) {
      input.mouse("mouseMoved", 100.2 + i * 4.1, 120.6 + i * 1.7, "left", 1, 8_000, true);
    }
    // Pointer capture follows the mouse off the surface; positions are clamped to its edge.
    input.mouse("mouseMoved", 650.2, 150.3, "left", 1, 8_000, true);
    input.mouse("mouseReleased", 655.4, 150.3, "left", 0, 8_000, true);
    input.mouse("mouseMoved", 200.2, 140.4, "none", 0, 20_000, false);
    input.mouse("mouseMoved", 220.8, 130.2, "none", 0, 20_000, false);
    input.dispatch();
    frames();

    Map<String, Object> capture = capture();
    assertThat(((Map<?, ?>) capture.get("device")).get("model")).isEqualTo("Pointer Events: mouse");
    assertSamples(capture, input);
    @SuppressWarnings("unchecked")
    List<List<Long>> samples = (List<List<Long>>) capture.get("samples");
    assertThat(samples.subList(16, 18)).extracting(sample -> sample.get(0)).containsExactly(6000L, 6000L);
    String json = (String) chromium.evaluate("testPage.capture.toJSON()");
    assertThat(BrowserCapture.check(BrowserCapture.read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)))))
        .isEqualTo(PointerType.MOUSE);
  }

  @Test
  void clearEmptiesTheCaptureAndTheInkAndUnlocksThePointerType() throws Exception {
    Input pen = new Input();
    penSignature(pen);
    pen.dispatch();
    frames();
    assertThat(chromium.evaluate("testPage.capture.isEmpty()")).isEqualTo(false);
    assertThat(inkPixels()).isPositive();

    chromium.evaluate("testPage.capture.clear()");
    assertThat(chromium.evaluate("testPage.capture.isEmpty()")).isEqualTo(true);
    assertThat(chromium.evaluate("testPage.capture.strokeCount")).isEqualTo(0L);
    assertThat(chromium.evaluate("testPage.capture.pointerType")).isNull();
    assertThat(chromium.evaluate("document.getElementById('status').textContent")).isEqualTo("已簽 0 筆 / 0 strokes");
    assertThat(chromium.evaluate("(() => { try { testPage.capture.toCapture(); return 'no error'; } catch (e) { return e.message; } })()"))
        .isEqualTo("Cannot make a capture: nothing has been signed yet");
    frames();
    assertThat(inkPixels()).isZero();

    Input touch = new Input();
    touch.touch("touchStart", List.of(touchPoint(0, 200.4, 200.2, 0.5)), 30_000, 200.4, 200.2, 32768);
    touch.touch("touchMove", List.of(touchPoint(0, 240.6, 210.8, 0.5)), 8_000, 240.6, 210.8, 32768);
    touch.touch("touchEnd", List.of(), 8_000, 240.6, 210.8, 0);
    touch.dispatch();
    frames();
    Map<String, Object> capture = capture();
    assertThat(((Map<?, ?>) capture.get("device")).get("model")).isEqualTo("Pointer Events: touch");
    assertSamples(capture, touch);
  }

  @Test
  void labelsTheSurfaceAndLeavesTheFocusAlone() throws Exception {
    @SuppressWarnings("unchecked")
    Map<String, Object> surface = (Map<String, Object>) chromium.evaluate("(() => { const c = document.getElementById('pad');"
        + " return {role: c.getAttribute('role'), label: c.getAttribute('aria-label'), tabIndex: c.tabIndex,"
        + " hasTabindex: c.hasAttribute('tabindex'), touchAction: getComputedStyle(c).touchAction}; })()");
    assertThat(surface).containsEntry("role", "img")
        .containsEntry("label", "簽名區，請以觸控筆或手指簽名 Signature area: sign with a pen or finger")
        .containsEntry("tabIndex", -1L).containsEntry("hasTabindex", false).containsEntry("touchAction", "none");
    Input input = new Input();
    input.penDown(100.3, 100.2, 30000, 0, 0, 20_000);
    input.penMove(140.3, 110.2, 30000, 0, 0, 8_000);
    input.penUp(140.3, 110.2, 0, 0, 8_000);
    input.dispatch();
    assertThat(chromium.evaluate("document.activeElement === document.getElementById('pad')")).isEqualTo(false);
    // Tab reaches the page's button: the surface neither takes nor traps the focus.
    chromium.call("Input.dispatchKeyEvent", Map.of("type", "keyDown", "key", "Tab", "code", "Tab", "windowsVirtualKeyCode", 9));
    chromium.call("Input.dispatchKeyEvent", Map.of("type", "keyUp", "key", "Tab", "code", "Tab", "windowsVirtualKeyCode", 9));
    assertThat(chromium.evaluate("document.activeElement.id")).isEqualTo("clear");
  }

  /** Three strokes with hovering on approach (not recorded: the capture starts at pen-down), between them and after. */
  private static void penSignature(Input input) {
    for (int i = 0; i < 3; i++) {
      input.penHover(60.2 + i * 6.3, 130.4 + i * 4.1, 30, -12, 12_000, false);
    }
    double[][] strokes = {{80.3, 150.2, 130, 60}, {250.6, 170.4, 150, 45}, {440.2, 140.7, 110, 70}};
    int[] counts = {60, 50, 40};
    for (int s = 0; s < strokes.length; s++) {
      double x0 = strokes[s][0];
      double y0 = strokes[s][1];
      double x = x0;
      double y = y0;
      int tiltX = 0;
      int tiltY = 0;
      for (int i = 0; i < counts[s]; i++) {
        double t = i / (counts[s] - 1.0);
        x = tenths(x0 + strokes[s][2] * t);
        y = tenths(y0 + strokes[s][3] * Math.sin(2 * Math.PI * 1.5 * t) * (1 - 0.3 * t));
        int pressure = (int) Math.round(65535 * (0.12 + 0.75 * Math.sin(Math.PI * (0.1 + 0.8 * t))));
        tiltX = 25 + 5 * s + i % 3;
        tiltY = -15 + i % 4;
        if (i == 0) {
          input.penDown(x, y, pressure, tiltX, tiltY, 12_000);
        } else {
          // Irregular gaps (4.0 to 4.6 ms) that only the events' own timestamps can reproduce.
          input.penMove(x, y, pressure, tiltX, tiltY, 4_000 + (i * 7 % 5) * 150);
        }
      }
      input.penUp(x + 0.4, y - 0.3, tiltX, tiltY, 4_100);
      int hovers = s < strokes.length - 1 ? 8 : 4;
      double nextX = s < strokes.length - 1 ? strokes[s + 1][0] : x + 30;
      double nextY = s < strokes.length - 1 ? strokes[s + 1][1] : y - 20;
      for (int i = 1; i <= hovers; i++) {
        double f = i / (hovers + 1.0);
        // Before the last stroke the signer pauses, the pen held still above the surface.
        long gap = s == 1 && i == 4 ? 400_000 : 11_000;
        input.penHover(tenths(x + (nextX - x) * f), tenths(y + (nextY - y) * f - 10), tiltX, tiltY, gap, true);
      }
    }
  }

  /** One decimal: far from the rounding boundaries of 10 units per CSS pixel, even as float32. */
  private static double tenths(double value) {
    return Math.round(value * 10) / 10.0;
  }

  private static Map<String, Object> touchPoint(int id, double x, double y, double force) {
    Map<String, Object> point = new LinkedHashMap<>();
    point.put("x", x);
    point.put("y", y);
    point.put("id", id);
    point.put("radiusX", 4);
    point.put("radiusY", 4);
    point.put("force", force);
    return point;
  }

  /** Every expected sample, in order, none more: exact positions, pressures, flags and tilt; times within the coarsening. */
  private static void assertSamples(Map<String, Object> capture, Input input) {
    @SuppressWarnings("unchecked")
    List<List<Long>> samples = (List<List<Long>>) capture.get("samples");
    List<Expected> expected = input.expected;
    assertThat(samples).as("samples").hasSize(expected.size());
    long start = expected.get(0).micros();
    long previous = 0;
    for (int i = 0; i < samples.size(); i++) {
      List<Long> sample = samples.get(i);
      Expected want = expected.get(i);
      List<Long> actualWithoutTime = new ArrayList<>(sample);
      long time = actualWithoutTime.remove(3);
      assertThat(actualWithoutTime).as("sample %d (without its time)", i).isEqualTo(want.values());
      // A lift out of range (flags 0: a touch end or cancel, a mouse release) may carry the time of the
      // stroke's last move instead of its own: Chromium sometimes stamps a synthetic touchend so, and the
      // page records the event's own timeStamp, as it must.
      long earliest = want.values().get(3) == 0 && i > 0 ? expected.get(i - 1).micros() : want.micros();
      assertThat(time).as("sample %d's time", i).isBetween(earliest - start - TIME_TOLERANCE_MICROS,
          want.micros() - start + TIME_TOLERANCE_MICROS).isGreaterThanOrEqualTo(previous);
      previous = time;
    }
    assertThat(samples.get(0).get(3)).isZero();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> capture() throws Exception {
    return (Map<String, Object>) chromium.evaluate("testPage.capture.toCapture()");
  }

  /** Waits two frames, so that the ink is drawn. */
  private static void frames() throws Exception {
    chromium.evaluate("new Promise(done => requestAnimationFrame(() => requestAnimationFrame(() => done(true))))");
  }

  private static int inkPixels() throws Exception {
    return ((Number) chromium.evaluate("(() => { const c = document.getElementById('pad');"
        + " const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; let n = 0;"
        + " for (let i = 3; i < data.length; i += 4) { if (data[i] > 0) n++; } return n; })()")).intValue();
  }

  private static void screenshot(String name) throws Exception {
    Map<String, Object> clip = Map.of("x", 0, "y", 0, "width", 660, "height", 420, "scale", 1);
    Map<String, Object> shot = chromium.call("Page.captureScreenshot", Map.of("format", "png", "clip", clip));
    Files.write(ARTEFACTS.resolve(name), Base64.getDecoder().decode((String) shot.get("data")));
  }

  /** A sample the component should write for a dispatched event: all values but the time, and the event's time. */
  private record Expected(List<Long> values, long micros) {}

  /** Synthesised input with its own clock, and the samples it should produce. */
  private static final class Input {
    /** A little ahead, so that the synthetic clock never lies before the page's time origin. */
    private final double epochSeconds = System.currentTimeMillis() / 1000.0 + 0.05;
    private final List<Map.Entry<String, Map<String, Object>>> commands = new ArrayList<>();
    final List<Expected> expected = new ArrayList<>();
    private long micros;

    void penHover(double x, double y, int tiltX, int tiltY, long gap, boolean recorded) {
      pen("mouseMoved", x, y, "none", 0, 0, tiltX, tiltY, gap);
      if (recorded) {
        expect(x, y, 0, 2, tiltX, tiltY);
      }
    }

    void penDown(double x, double y, int pressure, int tiltX, int tiltY, long gap) {
      pen("mousePressed", x, y, "left", 1, pressure, tiltX, tiltY, gap);
      expect(x, y, pressure, 3, tiltX, tiltY);
    }

    void penMove(double x, double y, int pressure, int tiltX, int tiltY, long gap) {
      pen("mouseMoved", x, y, "left", 1, pressure, tiltX, tiltY, gap);
      expect(x, y, pressure, 3, tiltX, tiltY);
    }

    void penUp(double x, double y, int tiltX, int tiltY, long gap) {
      pen("mouseReleased", x, y, "left", 0, 0, tiltX, tiltY, gap);
      expect(x, y, 0, 2, tiltX, tiltY);
    }

    private void pen(String type, double x, double y, String button, int buttons, int pressure, int tiltX, int tiltY, long gap) {
      Map<String, Object> event = mouseEvent(type, x, y, button, buttons, gap);
      event.put("pointerType", "pen");
      event.put("force", pressure / 65535.0);
      event.put("tiltX", tiltX);
      event.put("tiltY", tiltY);
      commands.add(Map.entry("Input.dispatchMouseEvent", event));
    }

    /** A mouse event; a recorded one is expected at half pressure while a button is down, and as a lift otherwise. */
    void mouse(String type, double x, double y, String button, int buttons, long gap, boolean recorded) {
      Map<String, Object> event = mouseEvent(type, x, y, button, buttons, gap);
      event.put("pointerType", "mouse");
      commands.add(Map.entry("Input.dispatchMouseEvent", event));
      if (recorded) {
        boolean down = !type.equals("mouseReleased");
        expect(x, y, down ? 32768 : 0, down ? 3 : 0);
      }
    }

    private Map<String, Object> mouseEvent(String type, double x, double y, String button, int buttons, long gap) {
      micros += gap;
      Map<String, Object> event = new LinkedHashMap<>();
      event.put("type", type);
      event.put("x", x);
      event.put("y", y);
      event.put("button", button);
      event.put("buttons", buttons);
      if (!type.equals("mouseMoved")) {
        event.put("clickCount", 1);
      }
      event.put("timestamp", epochSeconds + micros / 1e6);
      return event;
    }

    /** Touch input that records nothing. */
    void touch(String type, List<Map<String, Object>> points, long gap) {
      micros += gap;
      commands.add(Map.entry("Input.dispatchTouchEvent", Map.of("type", type, "touchPoints", points, "timestamp", epochSeconds + micros / 1e6)));
    }

    /** Touch input that records one sample: touching (pressure above 0) or the lift. */
    void touch(String type, List<Map<String, Object>> points, long gap, double x, double y, int pressure) {
      touch(type, points, gap);
      expect(x, y, pressure, pressure > 0 ? 3 : 0);
    }

    private void expect(double x, double y, int pressure, int flags, long... tilt) {
      List<Long> values = new ArrayList<>(List.of(units(x, LEFT), units(y, TOP), (long) pressure, (long) flags, -1L));
      for (long degrees : tilt) {
        values.add(degrees);
      }
      expected.add(new Expected(values, micros));
    }

    private void expect(double x, double y, int pressure, int flags, int tiltX, int tiltY) {
      expect(x, y, pressure, flags, new long[] {tiltX, tiltY});
    }

    /** Chromium hands positions to the page as float32; the component takes 10 units per CSS pixel. */
    private static long units(double position, double origin) {
      long largest = origin == LEFT ? 6000 : 3000;
      return Math.min(largest, Math.max(0, Math.round(((double) (float) position - origin) * 10)));
    }

    long spanMicros() {
      return expected.get(expected.size() - 1).micros() - expected.get(0).micros();
    }

    double medianTouchingGapMicros() {
      List<Long> gaps = new ArrayList<>();
      for (int i = 1; i < expected.size(); i++) {
        if (expected.get(i - 1).values().get(3) == 3 && expected.get(i).values().get(3) == 3) {
          gaps.add(expected.get(i).micros() - expected.get(i - 1).micros());
        }
      }
      gaps.sort(null);
      return gaps.get(gaps.size() / 2);
    }

    /** Sends everything without waiting in between, so that Chromium coalesces moves as it does for a fast pen. */
    void dispatch() throws Exception {
      List<CompletableFuture<Map<String, Object>>> responses = new ArrayList<>();
      for (Map.Entry<String, Map<String, Object>> command : commands) {
        responses.add(chromium.send(command.getKey(), command.getValue()));
      }
      for (CompletableFuture<Map<String, Object>> response : responses) {
        Chromium.await(response, "input");
      }
    }
  }
}
