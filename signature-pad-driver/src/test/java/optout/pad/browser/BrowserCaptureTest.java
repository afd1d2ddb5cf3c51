package optout.pad.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.stream.Stream;
import optout.pad.api.SignatureCapture;
import optout.pad.browser.BrowserCapture.PointerType;
import optout.pad.capture.InvalidCaptureException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The server side's checks on edited captures; the component's real output is checked in PenCaptureBrowserTest. */
class BrowserCaptureTest {

  /** Shaped like the component's output for a pen: a short stroke, pen-up, one hover sample. */
  static final String PEN = "{\"format\":\"nhi-optout-capture/1\",\"device\":{\"vendor\":\"Web browser\",\"model\":\"Pointer Events: pen\","
      + "\"serialNumber\":\"\",\"firmware\":\"pen-capture.js/1\"},\"capabilities\":{\"width\":6000,\"height\":3000,\"maxPressure\":65535,"
      + "\"unitsPerMillimetre\":37.795275590551185,\"samplesPerSecond\":244,\"screenWidth\":0,\"screenHeight\":0},"
      + "\"startedAt\":\"2026-11-24T02:00:00.123Z\",\"samples\":[[858,1119,11000,0,3,-1,12,-7],[892,1131,16000,4100,3,-1,13,-8],"
      + "[1057,1186,0,8200,2,-1,18,-13],[1089,1196,0,12300,2,-1,19,-14]]}";
  /** A touch capture: no tilt, the lift neither touching nor in range. */
  static final String TOUCH = PEN.replace("Pointer Events: pen", "Pointer Events: touch")
      .replace("\"samples\":[[858,1119,11000,0,3,-1,12,-7],[892,1131,16000,4100,3,-1,13,-8],[1057,1186,0,8200,2,-1,18,-13],[1089,1196,0,12300,2,-1,19,-14]]",
          "\"samples\":[[858,1119,32768,0,3,-1],[892,1131,32768,4100,3,-1],[892,1131,0,8200,0,-1]]");

  private static final String MIXED_TILT = "(the strict reader refuses mixed tilt)";

  private static SignatureCapture read(String json) throws Exception {
    return BrowserCapture.read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void acceptsWhatTheComponentWrites() throws Exception {
    SignatureCapture pen = read(PEN);
    assertThat(BrowserCapture.check(pen)).isEqualTo(PointerType.PEN);
    assertThat(pen.strokes()).hasSize(1);
    assertThat(pen.hasTilt()).isTrue();
    assertThat(pen.capabilities().unitsPerMillimetre()).isEqualTo(BrowserCapture.UNITS_PER_MILLIMETRE);
    SignatureCapture touch = read(TOUCH);
    assertThat(BrowserCapture.check(touch)).isEqualTo(PointerType.TOUCH);
    assertThat(touch.hasTilt()).isFalse();
    assertThat(BrowserCapture.check(read(TOUCH.replace("Pointer Events: touch", "Pointer Events: mouse")))).isEqualTo(PointerType.MOUSE);
  }

  @Test
  void acceptsTimesJustUnderTenMinutes() throws Exception {
    assertThat(read(PEN.replace("[1089,1196,0,12300,", "[1089,1196,0,599999999,")).durationMicros()).isEqualTo(599_999_999);
  }

  static Stream<Arguments> refusals() {
    return Stream.of(
        Arguments.of(PEN, "[892,1131,16000,4100,3,-1,", "[892,1131,16000,4100,3,7,", "sample 1 has a sequence number (a browser has none: -1)"),
        Arguments.of(PEN, "\"vendor\":\"Web browser\"", "\"vendor\":\"Wacom\"", "the device vendor must be \"Web browser\""),
        Arguments.of(PEN, "Pointer Events: pen", "Pointer Events: eraser",
            "the device model must be \"Pointer Events: pen\", \"Pointer Events: touch\" or \"Pointer Events: mouse\""),
        Arguments.of(PEN, "\"serialNumber\":\"\"", "\"serialNumber\":\"A123\"", "the device serial number must be empty (a browser has none)"),
        Arguments.of(PEN, "pen-capture.js/1", "pen-capture.js/0", "the device firmware must be \"pen-capture.js/1\" (the component's version)"),
        Arguments.of(PEN, "\"screenWidth\":0", "\"screenWidth\":320", "the screen size must be 0 x 0 (the browser has no device screen)"),
        Arguments.of(PEN, "\"screenHeight\":0", "\"screenHeight\":200", "the screen size must be 0 x 0 (the browser has no device screen)"),
        Arguments.of(PEN, "\"maxPressure\":65535", "\"maxPressure\":70000", "maxPressure must be 65535"),
        Arguments.of(PEN, "37.795275590551185", "100.0", "unitsPerMillimetre must be 37.795275590551185 (10 units per CSS pixel)"),
        Arguments.of(PEN, "\"width\":6000", "\"width\":100001", "the surface must be at most 100000 units (10,000 CSS pixels) on each side"),
        Arguments.of(PEN, "\"samplesPerSecond\":244", "\"samplesPerSecond\":5000", "samplesPerSecond must be at most 1000"),
        Arguments.of(PEN, "[1089,1196,0,12300,", "[1089,1196,0,600000000,", "sample 3 lies 10 minutes or more after the first"),
        Arguments.of(PEN, "\"samples\":[[858", "\"samples\":[[858,1119,0,0,2,-1,0,0],[858", "the first sample must be the pen touching down, at time 0"),
        Arguments.of(PEN, "[858,1119,11000,0,3,-1,12,-7],[892,1131,16000,4100,", "[858,1119,11000,500,3,-1,12,-7],[892,1131,16000,4100,",
            "the first sample must be the pen touching down, at time 0"),
        Arguments.of(PEN, "[1057,1186,0,8200,2,", "[1057,1186,9,8200,2,", "sample 2 has pressure but does not touch"),
        Arguments.of(PEN, ",-1,12,-7]", ",-1]", MIXED_TILT),
        Arguments.of(TOUCH, "[858,1119,32768,0,3,-1]", "[858,1119,32768,0,3,-1,0,0]", MIXED_TILT),
        Arguments.of(TOUCH, "[892,1131,0,8200,0,-1]", "[892,1131,0,8200,2,-1]", "sample 2 hovers, which only a pen does"),
        Arguments.of(TOUCH.replace("Pointer Events: touch", "Pointer Events: mouse"), "[892,1131,0,8200,0,-1]", "[892,1131,0,8200,2,-1]",
            "sample 2 hovers, which only a pen does"),
        Arguments.of(PEN, "\"samples\":[[858,1119,11000,0,3,-1,12,-7],[892,1131,16000,4100,3,-1,13,-8],[1057,1186,0,8200,2,-1,18,-13],"
            + "[1089,1196,0,12300,2,-1,19,-14]]", "\"samples\":[]", "it has no samples (the component never sends an empty capture)"));
  }

  @ParameterizedTest(name = "[{index}] {3}")
  @MethodSource("refusals")
  void refusesWhatTheComponentCannotHaveWritten(String base, String from, String to, String problem) {
    assertThat(base).contains(from);
    String edited = base.replace(from, to);
    if (problem.equals(MIXED_TILT)) {
      // Tilt in some samples only is refused by the strict reader already.
      assertThatThrownBy(() -> read(edited)).isInstanceOf(InvalidCaptureException.class)
          .hasMessageMatching("Cannot read the capture: Cannot make a capture: tilt is measured in every sample or in none"
              + " \\(line 1, column \\d+\\)");
      return;
    }
    assertThatThrownBy(() -> read(edited)).isInstanceOf(InvalidBrowserCaptureException.class)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot accept the browser capture: " + problem);
  }

  @Test
  void refusesTiltThatDoesNotMatchThePointerType() {
    String penWithoutTilt = PEN.replaceAll(",(-?\\d+),(-?\\d+)\\]", "]");
    assertThat(penWithoutTilt).contains("[858,1119,11000,0,3,-1]");
    assertThatThrownBy(() -> read(penWithoutTilt)).isInstanceOf(InvalidBrowserCaptureException.class)
        .hasMessage("Cannot accept the browser capture: a pen capture must have the pen's tilt in every sample");
    String touchWithTilt = TOUCH.replaceAll("(,-?\\d+)\\]", "$1,0,0]");
    assertThat(touchWithTilt).contains("[858,1119,32768,0,3,-1,0,0]");
    assertThatThrownBy(() -> read(touchWithTilt)).isInstanceOf(InvalidBrowserCaptureException.class)
        .hasMessage("Cannot accept the browser capture: a touch capture must not have tilt (the browser measures none)");
    assertThatThrownBy(() -> read(touchWithTilt.replace("Pointer Events: touch", "Pointer Events: mouse")))
        .hasMessage("Cannot accept the browser capture: a mouse capture must not have tilt (the browser measures none)");
  }

  @Test
  void leavesMalformedFilesToTheStrictReader() {
    assertThatThrownBy(() -> read(PEN.replace("\"startedAt\"", "\"userAgent\":\"Mozilla\",\"startedAt\"")))
        .isInstanceOf(InvalidCaptureException.class)
        .hasMessageStartingWith("Cannot read the capture: unknown field \"userAgent\"");
    assertThatThrownBy(() -> read(PEN.replace("[892,1131,16000,4100,3,-1,13,-8]", "[892,1131,16000,4100,3,13,-8]")))
        .isInstanceOf(InvalidCaptureException.class)
        .hasMessageStartingWith("Cannot read the capture: sample 1 must be 6 whole numbers");
  }

  @Test
  void refusesAnOversizedPostBeforeParsingIt() {
    byte[] huge = new byte[BrowserCapture.MAX_BYTES + 1];
    Arrays.fill(huge, (byte) ' ');
    InputStream in = new ByteArrayInputStream(huge);
    assertThatThrownBy(() -> BrowserCapture.read(in)).isInstanceOf(InvalidBrowserCaptureException.class)
        .hasMessage("Cannot accept the browser capture: it is larger than 8 MiB");
  }

  @Test
  void servesTheComponentWithItsIntegrity() throws Exception {
    byte[] script = BrowserCapture.script();
    String text = new String(script, StandardCharsets.UTF_8);
    assertThat(text).contains("export class PenCapture");
    // The constants the validator checks must be the ones the component writes.
    assertThat(text)
        .contains("export const COMPONENT = '" + BrowserCapture.COMPONENT + "';")
        .contains("export const VENDOR = '" + BrowserCapture.VENDOR + "';")
        .contains("export const UNITS_PER_CSS_PIXEL = " + BrowserCapture.UNITS_PER_CSS_PIXEL + ";")
        .contains("export const UNITS_PER_MILLIMETRE = UNITS_PER_CSS_PIXEL * 96 / 25.4;")
        .contains("export const MAX_PRESSURE = " + BrowserCapture.MAX_PRESSURE + ";")
        .contains("export const MAX_CAPTURE_MICROS = " + BrowserCapture.MAX_CAPTURE_MICROS + ";")
        .contains("export const MAX_SAMPLES = " + optout.pad.capture.CaptureJson.MAX_SAMPLES + ";")
        .doesNotContain("eval(").doesNotContain("new Function").doesNotContain("innerHTML").doesNotContain("Date.now")
        .doesNotContain("userAgent");
    script[0] = 'x';
    assertThat(BrowserCapture.script()[0]).isEqualTo((byte) '/');
    String integrity = BrowserCapture.scriptIntegrity();
    assertThat(integrity).startsWith("sha384-");
    assertThat(Base64.getDecoder().decode(integrity.substring("sha384-".length()))).hasSize(48);
  }
}
