package optout.consent.online;

import java.util.List;
import java.util.StringJoiner;
import optout.pad.api.PenSample;
import optout.pad.api.SignatureCapture;
import optout.pad.stu.VirtualSigner;

/**
 * Captures shaped as pen-capture.js writes them for a finger (Pointer Events: touch), made from the
 * driver's recorded handwriting: what a citizen's browser posts. The pages' own output is tested in
 * headless Chromium; this keeps the service's tests free of a browser.
 */
final class BrowserCaptures {

  private BrowserCaptures() {}

  /** A whole recorded signature, written with a finger. */
  static String finger(String recording) {
    return finger(recording, Integer.MAX_VALUE);
  }

  /** The capture with the browser's clock claiming {@code startedAt}: a phone's clock fast, or set to another year. */
  static String claimingStart(String capture, java.time.Instant startedAt) {
    String replaced = capture.replaceFirst("\"startedAt\":\"[^\"]*\"", "\"startedAt\":\"" + startedAt + "\"");
    if (replaced.equals(capture)) {
      throw new IllegalStateException("the capture has no startedAt to replace");
    }
    return replaced;
  }

  private static int firstTouch(List<PenSample> samples) {
    for (int i = 0; i < samples.size(); i++) {
      if (samples.get(i).touching()) {
        return i;
      }
    }
    throw new IllegalArgumentException("the recording never touches");
  }

  /** The first {@code touching} pen-down samples of a recording only: too little to pass the quality gate. */
  static String finger(String recording, int touching) {
    SignatureCapture source = VirtualSigner.recording(recording);
    double scaleX = 6000.0 / source.capabilities().width();
    double scaleY = 3000.0 / source.capabilities().height();
    StringJoiner samples = new StringJoiner(",", "[", "]");
    // the component starts a capture when the finger first touches: that sample is time 0
    List<PenSample> all = source.samples().subList(firstTouch(source.samples()), source.samples().size());
    long start = all.get(0).timeMicros();
    int down = 0;
    boolean lifted = true;
    for (PenSample sample : all) {
      if (sample.touching()) {
        if (down++ >= touching) {
          break;
        }
        samples.add("[" + (int) (sample.x() * scaleX) + "," + (int) (sample.y() * scaleY) + ",32768," + (sample.timeMicros() - start) + ",3,-1]");
        lifted = false;
      } else if (!lifted) {
        samples.add("[" + (int) (sample.x() * scaleX) + "," + (int) (sample.y() * scaleY) + ",0," + (sample.timeMicros() - start) + ",0,-1]");
        lifted = true;
      }
    }
    return "{\"format\":\"nhi-optout-capture/1\",\"device\":{\"vendor\":\"Web browser\",\"model\":\"Pointer Events: touch\","
        + "\"serialNumber\":\"\",\"firmware\":\"pen-capture.js/1\"},\"capabilities\":{\"width\":6000,\"height\":3000,\"maxPressure\":65535,"
        + "\"unitsPerMillimetre\":37.795275590551185,\"samplesPerSecond\":" + source.capabilities().samplesPerSecond()
        + ",\"screenWidth\":0,\"screenHeight\":0},\"startedAt\":\"" + source.startedAt() + "\",\"samples\":" + samples + "}";
  }
}
