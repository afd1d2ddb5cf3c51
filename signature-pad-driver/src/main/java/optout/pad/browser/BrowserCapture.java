package optout.pad.browser;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import optout.pad.api.Capabilities;
import optout.pad.api.DeviceInfo;
import optout.pad.api.PenSample;
import optout.pad.api.SignatureCapture;
import optout.pad.capture.CaptureJson;

/**
 * Pen capture in the browser: the JavaScript component that records a signature written with a pen
 * or a finger on a phone or tablet, and the server side that checks what the browser posts.
 *
 * <h2>The component</h2>
 *
 * {@code pen-capture.js} (served from {@link #script()}, path {@value #SCRIPT_RESOURCE}) is an ES
 * module without dependencies, for a server-rendered page without a bundler and under a strict CSP
 * (no eval, no inline handlers or styles): {@code new PenCapture(canvas, {label: '簽名區 Signature
 * area', liveRegion})}, then {@code toJSON()} gives the capture file ({@code nhi-optout-capture/1},
 * see {@link CaptureJson}) to post; {@code clear()}, {@code isEmpty()}, {@code strokeCount} and a
 * {@code strokeend} event complete it.
 *
 * <ul>
 *   <li><b>Every measured point.</b> Pointer Events, reading {@code getCoalescedEvents()} on every
 *       {@code pointermove}: browsers deliver about one move per frame and keep the points measured in
 *       between only there. One sample per point: pointerdown and moves (touching), pointerup (not
 *       touching; in range for a pen), and a pen's hover moves between strokes (in range, not
 *       touching). The capture starts at the first pointerdown. A stroke ended by
 *       {@code pointercancel} or {@code lostpointercapture} gets one closing sample at its last
 *       position with pressure 0 and no flags, so strokes never merge.</li>
 *   <li><b>Pointer locking (palm rejection).</b> The first stroke's pointer type is locked for the
 *       capture, and each stroke's pointerId for that stroke: a palm's touch while the pen writes, or
 *       a second finger, adds nothing. The pointerId is not locked across strokes, because every touch
 *       contact gets a new one. A palm that lands first locks the capture onto touch; pages where only
 *       a pen may sign pass {@code pointerTypes: ['pen']}.</li>
 *   <li><b>Units.</b> {@value #UNITS_PER_CSS_PIXEL} units per CSS pixel of the surface, so
 *       {@link #UNITS_PER_MILLIMETRE} = 10 × 96 / 25.4 ≈ 37.795 (a nominal CSS millimetre; a phone's
 *       real one differs). Width and height are the surface's size at the first sample; positions off
 *       the surface (pointer capture follows the pen) are clamped to its edges.</li>
 *   <li><b>Pressure.</b> 0..1 scaled to 0..{@value #MAX_PRESSURE} (16 bits: finer than any pen's
 *       digitiser, and what ISO/IEC 19794-7 holds). Touch or mouse input that touches with pressure 0
 *       (no sensor) is recorded at 0.5, which the Pointer Events spec prescribes for a pressed mouse;
 *       a pen's pressure is kept as measured. Samples that do not touch have pressure 0.</li>
 *   <li><b>Tilt.</b> Pen captures have tiltX/tiltY in every sample; touch and mouse captures have
 *       none (browsers report 0 there, which is no measurement). A pen without a tilt sensor gives 0,
 *       0.</li>
 *   <li><b>Timing.</b> {@code event.timeStamp} of each (coalesced) event, relative to the first
 *       sample, in whole microseconds; never {@code Date.now()}, which is not monotonic. A time
 *       before the previous sample's (no browser should report one) is recorded as the previous time.
 *       {@code startedAt} is the browser's wall clock at the first sample (UTC, milliseconds): the
 *       service should record its own time of receipt too. {@code samplesPerSecond} is measured: the
 *       median interval between consecutive touching samples (60 if there are too few).</li>
 *   <li><b>Device.</b> Vendor {@value #VENDOR}, model {@code "Pointer Events: pen|touch|mouse"},
 *       firmware the component's version {@value #COMPONENT}, no serial number, screen size 0. No user
 *       agent: it is not needed and tells more about the signer's device than the archive should
 *       hold.</li>
 *   <li><b>Limits.</b> At most {@value CaptureJson#MAX_SAMPLES} samples and times under 10 minutes;
 *       past either, the component records and draws nothing more and fires {@code capturefull}.</li>
 *   <li><b>Ink and accessibility.</b> Ink is drawn in {@code requestAnimationFrame}, its width
 *       following the pressure; recording never waits for a frame. The canvas gets
 *       {@code touch-action: none}, the caller's role (default {@code img}) and aria-label (zh-TW
 *       first, then English). It is not focusable and never takes focus, so keyboard users are not
 *       trapped; they cannot sign here and need another route (the counter). The stroke count goes
 *       into a live region when one is given.</li>
 * </ul>
 *
 * <h2>The server side</h2>
 *
 * {@link #read(InputStream)} reads the posted file strictly with {@link CaptureJson} and then refuses
 * what the component cannot have written ({@link InvalidBrowserCaptureException}, message "Cannot
 * accept the browser capture: ..."): another vendor, model or component version, a serial number, a
 * screen, sequence numbers, other units or pressure scale, a surface over 10,000 CSS pixels, more
 * than {@value #MAX_SAMPLES_PER_SECOND} samples a second, no samples, a first sample that is not a
 * pen-down at time 0, tilt missing from a pen capture or present in a touch or mouse one, hovering
 * outside pen captures, pressure while not touching, and times of 10 minutes or more. Whether the
 * capture is a signature at all is the quality gate's job.
 *
 * <h2>Tests</h2>
 *
 * {@code PenCaptureBrowserTest} runs the component in headless Chromium (Debian's {@code chromium};
 * the test fails without it unless {@code OPTOUT_SKIP_BROWSER_TESTS=true}) under a strict CSP, with
 * pen, touch and mouse input synthesised through the DevTools protocol ({@code Input.dispatchMouseEvent}
 * with {@code pointerType: "pen"}, {@code Input.dispatchTouchEvent}). It has not been tried with a
 * real pen or finger on a real device: how a given browser and digitiser report pressure, tilt,
 * hover and timestamps is tested only as Chromium reports synthesised input.
 */
public final class BrowserCapture {

  /** Where the component lies on the classpath. */
  public static final String SCRIPT_RESOURCE = "/optout/pad/browser/pen-capture.js";
  /** The media type to serve it with (an ES module). */
  public static final String SCRIPT_MEDIA_TYPE = "text/javascript; charset=utf-8";
  public static final String VENDOR = "Web browser";
  /** The component's version, which it writes as the device's firmware. */
  public static final String COMPONENT = "pen-capture.js/1";
  public static final int UNITS_PER_CSS_PIXEL = 10;
  public static final double UNITS_PER_MILLIMETRE = UNITS_PER_CSS_PIXEL * 96 / 25.4;
  public static final int MAX_PRESSURE = 65535;
  /** Ten minutes: no signature takes that long. */
  public static final long MAX_CAPTURE_MICROS = 600_000_000L;
  /** 10,000 CSS pixels on each side, far beyond any screen. */
  public static final int MAX_SURFACE_UNITS = 100_000;
  public static final int MAX_SAMPLES_PER_SECOND = 1000;
  /** Larger than any capture within {@link CaptureJson#MAX_SAMPLES}; read before parsing. */
  public static final int MAX_BYTES = 8 * 1024 * 1024;

  /** The pointer type the capture was signed with, as the component records it in the device model. */
  public enum PointerType {
    PEN("pen"), TOUCH("touch"), MOUSE("mouse");

    private final String model;

    PointerType(String pointerType) {
      this.model = "Pointer Events: " + pointerType;
    }

    /** The device model the component writes. */
    public String model() {
      return model;
    }

    static PointerType ofModel(String model) {
      for (PointerType type : values()) {
        if (type.model.equals(model)) {
          return type;
        }
      }
      return null;
    }
  }

  private BrowserCapture() {}

  /**
   * Reads a capture posted by the component.
   *
   * @throws optout.pad.capture.InvalidCaptureException if it is not a valid capture file
   * @throws InvalidBrowserCaptureException if it cannot have come from the component
   */
  public static SignatureCapture read(InputStream json) throws IOException {
    byte[] bytes = json.readNBytes(MAX_BYTES + 1);
    if (bytes.length > MAX_BYTES) {
      throw new InvalidBrowserCaptureException("it is larger than " + MAX_BYTES / (1024 * 1024) + " MiB");
    }
    SignatureCapture capture = CaptureJson.read(new ByteArrayInputStream(bytes));
    check(capture);
    return capture;
  }

  /**
   * Checks that a capture can have come from the component.
   *
   * @return the pointer type it was signed with
   * @throws InvalidBrowserCaptureException saying why not
   */
  public static PointerType check(SignatureCapture capture) {
    DeviceInfo device = capture.device();
    if (!VENDOR.equals(device.vendor())) {
      throw refuse("the device vendor must be \"" + VENDOR + "\"");
    }
    PointerType type = PointerType.ofModel(device.model());
    if (type == null) {
      throw refuse("the device model must be \"Pointer Events: pen\", \"Pointer Events: touch\" or \"Pointer Events: mouse\"");
    }
    if (!device.serialNumber().isEmpty()) {
      throw refuse("the device serial number must be empty (a browser has none)");
    }
    if (!COMPONENT.equals(device.firmware())) {
      throw refuse("the device firmware must be \"" + COMPONENT + "\" (the component's version)");
    }
    checkCapabilities(capture.capabilities());
    List<PenSample> samples = capture.samples();
    if (samples.isEmpty()) {
      throw refuse("it has no samples (the component never sends an empty capture)");
    }
    PenSample first = samples.get(0);
    if (!first.touching() || first.timeMicros() != 0) {
      throw refuse("the first sample must be the pen touching down, at time 0");
    }
    if (type == PointerType.PEN && !capture.hasTilt()) {
      throw refuse("a pen capture must have the pen's tilt in every sample");
    }
    if (type != PointerType.PEN && capture.hasTilt()) {
      throw refuse("a " + (type == PointerType.TOUCH ? "touch" : "mouse") + " capture must not have tilt (the browser measures none)");
    }
    for (int i = 0; i < samples.size(); i++) {
      PenSample sample = samples.get(i);
      if (sample.sequence() != PenSample.NO_SEQUENCE) {
        throw refuse("sample " + i + " has a sequence number (a browser has none: -1)");
      }
      if (!sample.touching() && sample.pressure() != 0) {
        throw refuse("sample " + i + " has pressure but does not touch");
      }
      if (type != PointerType.PEN && sample.inRange() && !sample.touching()) {
        throw refuse("sample " + i + " hovers, which only a pen does");
      }
    }
    // Times never go backwards (SignatureCapture), so the last sample is the latest.
    if (samples.get(samples.size() - 1).timeMicros() >= MAX_CAPTURE_MICROS) {
      throw refuse("sample " + (samples.size() - 1) + " lies 10 minutes or more after the first");
    }
    return type;
  }

  private static void checkCapabilities(Capabilities pad) {
    if (pad.screenWidth() != 0 || pad.screenHeight() != 0) {
      throw refuse("the screen size must be 0 x 0 (the browser has no device screen)");
    }
    if (pad.maxPressure() != MAX_PRESSURE) {
      throw refuse("maxPressure must be " + MAX_PRESSURE);
    }
    if (Math.abs(pad.unitsPerMillimetre() - UNITS_PER_MILLIMETRE) > 1e-9) {
      throw refuse("unitsPerMillimetre must be " + UNITS_PER_MILLIMETRE + " (" + UNITS_PER_CSS_PIXEL + " units per CSS pixel)");
    }
    if (pad.width() > MAX_SURFACE_UNITS || pad.height() > MAX_SURFACE_UNITS) {
      throw refuse("the surface must be at most " + MAX_SURFACE_UNITS + " units (10,000 CSS pixels) on each side");
    }
    if (pad.samplesPerSecond() > MAX_SAMPLES_PER_SECOND) {
      throw refuse("samplesPerSecond must be at most " + MAX_SAMPLES_PER_SECOND);
    }
  }

  private static InvalidBrowserCaptureException refuse(String problem) {
    return new InvalidBrowserCaptureException(problem);
  }

  /** The component's source, to serve as {@value #SCRIPT_MEDIA_TYPE}. */
  public static byte[] script() {
    return Script.BYTES.clone();
  }

  /** A Subresource Integrity value for the component ({@code <script integrity="...">}). */
  public static String scriptIntegrity() {
    return Script.INTEGRITY;
  }

  /** Loaded once, when first asked for. */
  private static final class Script {
    static final byte[] BYTES = load();
    static final String INTEGRITY = integrity(BYTES);

    private static byte[] load() {
      try (InputStream in = BrowserCapture.class.getResourceAsStream(SCRIPT_RESOURCE)) {
        if (in == null) {
          throw new IllegalStateException("Cannot serve the pen capture script: " + SCRIPT_RESOURCE + " is not on the classpath");
        }
        return in.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot serve the pen capture script: it cannot be read", e);
      }
    }

    private static String integrity(byte[] bytes) {
      try {
        return "sha384-" + Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-384").digest(bytes));
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("Cannot serve the pen capture script: SHA-384 is not available", e);
      }
    }
  }
}
