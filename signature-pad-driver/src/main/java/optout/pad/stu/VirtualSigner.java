package optout.pad.stu;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import optout.pad.api.PadButton;
import optout.pad.api.SignatureCapture;
import optout.pad.capture.CaptureJson;

/**
 * What the citizen in front of a virtual pad does each time a capture starts: write one of the recorded
 * signatures, tap buttons, write again. Steps run in order, in real time or as fast as possible.
 *
 * <pre>{@code
 * VirtualSigner.writing("signature-a").thenTaps(PadButton.OK)
 * VirtualSigner.writing("signature-b").thenTaps(PadButton.CLEAR).thenWrites("signature-a").thenTaps(PadButton.OK)
 * }</pre>
 */
public final class VirtualSigner {

  /** The handwriting recordings that ship with the driver (see {@code tools/make-recordings.py}). */
  public static final Set<String> RECORDINGS = Set.of("signature-a", "signature-b", "signature-c");

  private sealed interface Step permits Write, Tap {}

  private record Write(SignatureCapture recording) implements Step {}

  private record Tap(PadButton button) implements Step {}

  private final List<Step> steps;
  private final boolean realTime;

  private VirtualSigner(List<Step> steps, boolean realTime) {
    this.steps = List.copyOf(steps);
    this.realTime = realTime;
  }

  /** A signer who writes one of the {@link #RECORDINGS}. */
  public static VirtualSigner writing(String recording) {
    return new VirtualSigner(List.of(new Write(recording(recording))), false);
  }

  /** A signer who writes the given handwriting. */
  public static VirtualSigner writing(SignatureCapture handwriting) {
    if (handwriting == null) {
      throw new IllegalArgumentException("Cannot write a signature: the handwriting is missing");
    }
    return new VirtualSigner(List.of(new Write(handwriting)), false);
  }

  /** A signer who only taps a button (e.g. Cancel without writing). */
  public static VirtualSigner tapping(PadButton button) {
    return new VirtualSigner(List.of(new Tap(button)), false);
  }

  public VirtualSigner thenTaps(PadButton button) {
    if (button == null) {
      throw new IllegalArgumentException("Cannot tap a button: which one is missing");
    }
    return with(new Tap(button));
  }

  public VirtualSigner thenWrites(String recording) {
    return with(new Write(recording(recording)));
  }

  /** At the pace it was recorded (200 reports a second), as a person would; otherwise as fast as possible. */
  public VirtualSigner inRealTime() {
    return new VirtualSigner(steps, true);
  }

  private VirtualSigner with(Step step) {
    List<Step> more = new ArrayList<>(steps);
    more.add(step);
    return new VirtualSigner(more, realTime);
  }

  /** Loads one of the {@link #RECORDINGS}. */
  public static SignatureCapture recording(String name) {
    if (!RECORDINGS.contains(name)) {
      throw new IllegalArgumentException("Cannot find the recording \"" + name + "\": there are " + RECORDINGS.stream().sorted().toList());
    }
    try (InputStream in = VirtualSigner.class.getResourceAsStream("recordings/" + name + ".json")) {
      if (in == null) {
        throw new IllegalStateException("the recording " + name + " is missing from the driver's resources");
      }
      return CaptureJson.read(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  void perform(VirtualStuDevice device) throws InterruptedException {
    for (Step step : steps) {
      // a person waits until the pad shows the screen again (after Clear it is redrawn)
      if (!device.awaitInking(5_000)) {
        return;
      }
      if (step instanceof Write write) {
        device.write(write.recording(), realTime);
      } else if (step instanceof Tap tap) {
        device.tap(tap.button(), realTime);
      }
      Thread.sleep(realTime ? 300 : 20);
    }
  }
}
