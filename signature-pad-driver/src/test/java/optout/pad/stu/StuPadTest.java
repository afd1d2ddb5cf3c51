package optout.pad.stu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;
import optout.pad.api.CaptureListener;
import optout.pad.api.CaptureRequest;
import optout.pad.api.CaptureResult;
import optout.pad.api.CaptureResult.Ending;
import optout.pad.api.CaptureSession;
import optout.pad.api.PadButton;
import optout.pad.api.PadException;
import optout.pad.api.PenSample;
import optout.pad.api.SequenceGap;
import optout.pad.api.SignatureCapture;
import optout.pad.quality.QualityGate;
import optout.pad.screen.SigningScreen;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The real driver against the virtual STU device: every byte between them is the STU protocol. */
class StuPadTest {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final SignatureCapture RECORDING_A = VirtualSigner.recording("signature-a");
  private static final SignatureCapture RECORDING_B = VirtualSigner.recording("signature-b");

  /** What a listener saw, in order. */
  private static final class Seen implements CaptureListener {
    final List<PenSample> samples = new CopyOnWriteArrayList<>();
    final List<Object> events = new CopyOnWriteArrayList<>();

    @Override
    public void sample(PenSample sample) {
      samples.add(sample);
    }

    @Override
    public void button(PadButton button) {
      events.add(button);
    }

    @Override
    public void cleared() {
      events.add("cleared");
      samples.clear();
    }

    @Override
    public void gap(SequenceGap gap) {
      events.add(gap);
    }

    @Override
    public void ended(CaptureResult result) {
      events.add(result.ending());
    }
  }

  private static StuPad open(VirtualStuDevice device) throws PadException {
    return StuPad.open(device, device.capability().screenWidth() == 320 ? StuModel.STU_430 : StuModel.STU_540);
  }

  @ParameterizedTest
  @EnumSource(StuModel.class)
  void opensEachModelAndDescribesItFromItsOwnReports(StuModel model) throws Exception {
    VirtualStuDevice device = new VirtualStuDevice(model);
    try (StuPad pad = StuPad.open(device, model)) {
      assertThat(pad.device().vendor()).isEqualTo(StuPads.VIRTUAL_VENDOR);
      assertThat(pad.device().model()).isEqualTo(model.modelName());
      assertThat(pad.device().serialNumber()).startsWith("VIRT");
      assertThat(pad.capabilities().unitsPerMillimetre()).isEqualTo(100.0);
      assertThat(pad.capabilities().samplesPerSecond()).isEqualTo(200);
      assertThat(pad.capabilities().maxPressure()).isEqualTo(1023);
      if (model == StuModel.STU_430 || model == StuModel.STU_430V) {
        assertThat(pad.capabilities().width()).isEqualTo(9600);
        assertThat(pad.capabilities().screenWidth()).isEqualTo(320);
      } else {
        assertThat(pad.capabilities().width()).isEqualTo(10800);
        assertThat(pad.capabilities().screenHeight()).isEqualTo(480);
      }
      // time-stamped numbered reports asked for, inking off, screen cleared
      assertThat(device.commands()).containsExactly(0x32, 0x21, 0x20);
      assertThat(device.inking()).isFalse();
    }
  }

  @ParameterizedTest
  @EnumSource(StuModel.class)
  void recordsEverySampleOfARecordedSignatureWithThePadsOwnTiming(StuModel model) throws Exception {
    VirtualStuDevice device = new VirtualStuDevice(model);
    device.signer(VirtualSigner.writing("signature-a").thenTaps(PadButton.OK));
    Seen seen = new Seen();
    try (StuPad pad = StuPad.open(device, model)) {
      CaptureResult result = pad.startCapture(CaptureRequest.signatureOnly(), seen).await(WAIT);

      assertThat(result.ending()).isEqualTo(Ending.OK_BUTTON);
      assertThat(result.gaps()).isEmpty();
      assertThat(result.rejectedReports()).isZero();
      SignatureCapture capture = result.capture().orElseThrow();
      // every report arrived, the button tap's touching samples are not part of the signature
      List<PenSample> signature = capture.samples().subList(0, RECORDING_A.samples().size());
      assertThat(capture.strokes()).hasSameSizeAs(RECORDING_A.strokes());
      for (int i = 0; i < signature.size(); i++) {
        PenSample recorded = RECORDING_A.samples().get(i);
        PenSample captured = signature.get(i);
        assertThat(captured.timeMicros()).as("time of sample %d", i).isEqualTo(recorded.timeMicros() - RECORDING_A.samples().get(0).timeMicros());
        assertThat(captured.touching()).isEqualTo(recorded.touching());
        assertThat(captured.pressure()).isEqualTo(recorded.pressure());  // both pads have 1024 levels
      }
      assertThat(capture.samples().stream().mapToLong(PenSample::sequence).toArray())
          .as("sequence numbers run without a gap").isEqualTo(java.util.stream.LongStream.range(0, capture.samples().size()).toArray());
      assertThat(capture.device().model()).isEqualTo(model.modelName());
      assertThat(seen.samples).isEqualTo(capture.samples());
      assertThat(seen.events).containsExactly(PadButton.OK, Ending.OK_BUTTON);
      assertThat(QualityGate.withDefaults().check(capture).accepted()).isTrue();
      // inking is turned off once the citizen has confirmed
      awaitCondition(() -> !device.inking());
    }
  }

  @Test
  void showsTheSigningScreenAndTheInkOnThePad() throws Exception {
    VirtualStuDevice device = new VirtualStuDevice(StuModel.STU_540);
    try (StuPad pad = StuPad.open(device, StuModel.STU_540)) {
      CaptureSession session = pad.startCapture(CaptureRequest.signatureOnly(), CaptureListener.NONE);
      SigningScreen expected = SigningScreen.layout(800, 480, Optional.empty());
      assertThat(pixels(device.screen())).as("24-bit upload shows the screen exactly").isEqualTo(pixels(expected.image()));
      assertThat(device.inking()).isTrue();
      device.write(RECORDING_A, false);
      awaitCondition(() -> inkPixels(device.screen(), expected.signingBox()) > 200);
      session.cancel();
      assertThat(session.await(WAIT).capture()).isEmpty();
    }
  }

  @Test
  void monochromePadsGetABlackAndWhiteScreen() throws Exception {
    VirtualStuDevice device = new VirtualStuDevice(StuModel.STU_430);
    BufferedImage prompt = new BufferedImage(100, 20, BufferedImage.TYPE_INT_RGB);  // black
    try (StuPad pad = StuPad.open(device, StuModel.STU_430)) {
      CaptureSession session = pad.startCapture(CaptureRequest.withPrompt(prompt), CaptureListener.NONE);
      BufferedImage screen = device.screen();
      assertThat(screen.getWidth()).isEqualTo(320);
      for (int y = 0; y < screen.getHeight(); y++) {
        for (int x = 0; x < screen.getWidth(); x++) {
          assertThat(screen.getRGB(x, y) & 0xFFFFFF).isIn(0x000000, 0xFFFFFF);
        }
      }
      assertThat(screen.getRGB(160, 30) & 0xFFFFFF).as("the prompt is shown at the top").isEqualTo(0x000000);
      assertThat(screen.getRGB(160, 100) & 0xFFFFFF).as("the signing box is white").isEqualTo(0xFFFFFF);
      session.cancel();
    }
  }

  @Test
  void showsAnImageOutsideACapture() throws Exception {
    VirtualStuDevice device = new VirtualStuDevice(StuModel.STU_530);
    BufferedImage image = new BufferedImage(400, 240, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 240; y++) {
      for (int x = 0; x < 400; x++) {
        image.setRGB(x, y, 0x3366CC);
      }
    }
    try (StuPad pad = StuPad.open(device, StuModel.STU_530)) {
      pad.show(image);
      // RGB565 keeps 5-6-5 bits of each channel
      assertThat(device.screen().getRGB(400, 240) & 0xFFFFFF).isEqualTo(0x3165CE);
      pad.clearScreen();
      assertThat(device.screen().getRGB(400, 240) & 0xFFFFFF).isEqualTo(0xFFFFFF);
    }
  }

  @Test
  void theCancelButtonEndsWithoutKeepingTheHandwriting() throws Exception {
    VirtualStuDevice device = new VirtualStuDevice(StuModel.STU_430);
    device.signer(VirtualSigner.writing("signature-c").thenTaps(PadButton.CANCEL));
    Seen seen = new Seen();
    try (StuPad pad = open(device)) {
      CaptureResult result = pad.startCapture(CaptureRequest.signatureOnly(), seen).await(WAIT);
      assertThat(result.ending()).isEqualTo(Ending.CANCEL_BUTTON);
      assertThat(result.confirmed()).isFalse();
      assertThat(result.capture()).isEmpty();
      assertThat(seen.events).containsExactly(PadButton.CANCEL, Ending.CANCEL_BUTTON);
    }
  }

  @Test
  void clearThenSignKeepsOnlyTheSecondSignature() throws Exception {
    VirtualStuDevice device = new VirtualStuDevice(StuModel.STU_540);
    device.signer(VirtualSigner.writing("signature-b").thenTaps(PadButton.CLEAR).thenWrites("signature-a").thenTaps(PadButton.OK));
    Seen seen = new Seen();
    try (StuPad pad = open(device)) {
      CaptureResult result = pad.startCapture(CaptureRequest.signatureOnly(), seen).await(WAIT);
      assertThat(result.ending()).isEqualTo(Ending.OK_BUTTON);
      assertThat(result.clears()).isEqualTo(1);
      SignatureCapture capture = result.capture().orElseThrow();
      assertThat(capture.strokes()).hasSameSizeAs(RECORDING_A.strokes());
      assertThat(capture.samples().get(0).timeMicros()).as("the second signature has its own start").isZero();
      assertThat(capture.samples().size()).isBetween(RECORDING_A.samples().size(), RECORDING_A.samples().size() + 6);
      assertThat(seen.events).containsExactly(PadButton.CLEAR, "cleared", PadButton.OK, Ending.OK_BUTTON);
      assertThat(seen.samples).isEqualTo(capture.samples());
      // Clear redrew the screen: upload again, then inking on (on the pad's work thread, which may still be
      // at it when a fast virtual signer has already tapped OK)
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (device.commands().stream().filter(c -> c == 0x27).count() < 2 && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertThat(device.commands().stream().filter(c -> c == 0x27).count()).isEqualTo(2);
    }
  }

  @Test
  void theApplicationCanConfirmCancelAndClear() throws Exception {
    VirtualStuDevice device = new VirtualStuDevice(StuModel.STU_430);
    try (StuPad pad = open(device)) {
      CaptureSession session = pad.startCapture(CaptureRequest.signatureOnly(), CaptureListener.NONE);
      assertThatThrownBy(() -> session.await(Duration.ofMillis(50))).isInstanceOf(TimeoutException.class);
      device.write(RECORDING_B, false);
      awaitCondition(() -> device.inking());
      Thread.sleep(100);
      session.clear();
      device.write(VirtualSigner.recording("signature-c"), false);
      Thread.sleep(200);
      session.confirm();
      CaptureResult result = session.await(WAIT);
      assertThat(result.ending()).isEqualTo(Ending.CONFIRMED_BY_APPLICATION);
      assertThat(result.clears()).isEqualTo(1);
      assertThat(result.capture().orElseThrow().samples()).hasSize(VirtualSigner.recording("signature-c").samples().size());
      session.cancel();  // too late: the first ending stands
      assertThat(session.await(WAIT).ending()).isEqualTo(Ending.CONFIRMED_BY_APPLICATION);

      CaptureSession second = pad.startCapture(CaptureRequest.signatureOnly(), CaptureListener.NONE);
      assertThatThrownBy(() -> pad.startCapture(CaptureRequest.signatureOnly(), CaptureListener.NONE))
          .isInstanceOf(PadException.class).hasMessage("Cannot start a capture: one is already running on this pad");
      second.cancel();
      assertThat(second.await(WAIT).ending()).isEqualTo(Ending.CANCELLED_BY_APPLICATION);
    }
  }

  @Test
  void aTapThatSlidesOffItsButtonIsNoTapAndWritingOnAButtonIsNoSignature() throws Exception {
    VirtualStuDevice device = new VirtualStuDevice(StuModel.STU_430);
    Seen seen = new Seen();
    try (StuPad pad = open(device)) {
      CaptureSession session = pad.startCapture(CaptureRequest.signatureOnly(), seen);
      Rectangle ok = SigningScreen.layout(320, 200, Optional.empty()).button(PadButton.OK);
      int x = ok.x * 30;  // 9600 / 320 tablet units per pixel
      int y = (ok.y + ok.height / 2) * 30;
      device.pen(x + 30, y, 400, true, true, 5_000);
      device.pen(x + 60, y, 400, true, true, 5_000);
      device.pen(100, 100, 400, true, true, 5_000);  // slides off the button, far away
      device.pen(100, 100, 0, true, false, 5_000);
      assertThatThrownBy(() -> session.await(Duration.ofMillis(300))).isInstanceOf(TimeoutException.class);
      assertThat(seen.events).isEmpty();
      assertThat(seen.samples).as("a stroke that began on a button is no part of the signature").isEmpty();
      device.pen(3000, 3000, 0, true, false, 5_000);
      awaitCondition(() -> seen.samples.size() == 1);
      session.cancel();
    }
  }

  @Test
  void reportsLostReportsAsGapsAndKeepsTheCapture() throws Exception {
    VirtualStuDevice device = new VirtualStuDevice(StuModel.STU_530);
    Seen seen = new Seen();
    try (StuPad pad = open(device)) {
      CaptureSession session = pad.startCapture(CaptureRequest.signatureOnly(), seen);
      device.pen(2000, 3000, 300, true, true, 0);
      device.pen(2010, 3000, 310, true, true, 5_000);
      device.loseReports(3);
      device.pen(2050, 3000, 320, true, true, 20_000);
      device.pen(2060, 3000, 0, true, false, 5_000);
      awaitCondition(() -> seen.samples.size() == 4);
      session.confirm();
      CaptureResult result = session.await(WAIT);
      assertThat(result.gaps()).containsExactly(new SequenceGap(1, 3, 25_000));
      assertThat(seen.events).startsWith(new SequenceGap(1, 3, 25_000));
      assertThat(result.capture().orElseThrow().samples()).extracting(PenSample::sequence).containsExactly(0L, 1L, 5L, 6L);
    }
  }

  @Test
  void timeCarriesOnWhenThePadsSixteenBitCounterWraps() throws Exception {
    VirtualStuDevice device = new VirtualStuDevice(StuModel.STU_430);
    AtomicLong hostNanos = new AtomicLong();
    Seen seen = new Seen();
    try (StuPad pad = StuPad.open(device, StuModel.STU_430, Clock.fixed(Instant.parse("2026-11-25T03:00:00Z"), ZoneOffset.UTC),
        hostNanos::get)) {
      device.timeCountFrom(65_530);
      CaptureSession session = pad.startCapture(CaptureRequest.signatureOnly(), seen);
      device.pen(2000, 3000, 300, true, true, 0);
      awaitCondition(() -> seen.samples.size() == 1);
      hostNanos.addAndGet(5_000_000);
      device.pen(2010, 3000, 300, true, true, 5_000);  // the counter passes 65535 here
      awaitCondition(() -> seen.samples.size() == 2);
      device.pen(2010, 3000, 0, false, false, 5_000);  // the pen leaves
      awaitCondition(() -> seen.samples.size() == 3);
      // nothing for 70 s: the counter wraps once more unseen; the host clock says how often
      hostNanos.addAndGet(70_010_000_000L);
      device.pen(2500, 3000, 300, true, true, 70_000_000);
      awaitCondition(() -> seen.samples.size() == 4);
      session.confirm();
      SignatureCapture capture = session.await(WAIT).capture().orElseThrow();
      assertThat(capture.samples()).extracting(PenSample::timeMicros).containsExactly(0L, 5_000L, 10_000L, 70_010_000L);
      assertThat(capture.startedAt()).isEqualTo(Instant.parse("2026-11-25T03:00:00Z"));
      assertThat(capture.samples().get(2).inRange()).as("the pen out of range is recorded as such").isFalse();
    }
  }

  @Test
  void truncatedMalformedAndOutOfRangeReportsAreCountedNeverGuessedAt() throws Exception {
    VirtualStuDevice device = new VirtualStuDevice(StuModel.STU_430);
    Seen seen = new Seen();
    try (StuPad pad = open(device)) {
      CaptureSession session = pad.startCapture(CaptureRequest.signatureOnly(), seen);
      device.pen(2000, 3000, 300, true, true, 0);
      device.inject(new byte[] {0x34, (byte) 0x93, 0x00, 0x10});                  // truncated
      device.inject(new byte[] {0x77, 0, 0, 0, 0, 0, 0});                          // not pen data
      device.inject(new byte[] {0x01, (byte) 0x90, 0, 0, 1, 0, 1});                // no time count
      device.inject(new byte[] {0x34, 0x10, 0, 0, 1, 0, 1, 0, 1, 0, 2});           // touching, out of range
      device.inject(new byte[] {0x34, (byte) 0x90, 0, (byte) 0xFF, (byte) 0xFF, 0, 1, 0, 1, 0, 1});  // x beyond 9600
      device.inject(new byte[0]);                                                 // empty
      device.loseReports(2);
      device.pen(2010, 3000, 300, true, true, 5_000);
      awaitCondition(() -> seen.samples.size() == 2);
      session.confirm();
      CaptureResult result = session.await(WAIT);
      assertThat(result.rejectedReports()).isEqualTo(6);
      assertThat(result.capture().orElseThrow().samples()).hasSize(2);
      assertThat(result.gaps()).containsExactly(new SequenceGap(0, 2, 5_000));
    }
  }

  @Test
  void aPadUnpluggedInMidCaptureEndsItAsLostAndKeepsNothing() throws Exception {
    VirtualStuDevice device = new VirtualStuDevice(StuModel.STU_540);
    Seen seen = new Seen();
    StuPad pad = open(device);
    CaptureSession session = pad.startCapture(CaptureRequest.signatureOnly(), seen);
    device.pen(2000, 3000, 300, true, true, 0);
    device.pen(2010, 3000, 300, true, true, 5_000);
    awaitCondition(() -> seen.samples.size() == 2);
    device.unplug();
    CaptureResult result = session.await(WAIT);
    assertThat(result.ending()).isEqualTo(Ending.DEVICE_LOST);
    assertThat(result.failure()).startsWith("the pad was unplugged or stopped answering");
    assertThat(result.capture()).isEmpty();
    assertThat(seen.events).containsExactly(Ending.DEVICE_LOST);
    assertThatThrownBy(() -> pad.show(new BufferedImage(10, 10, BufferedImage.TYPE_INT_RGB)))
        .isInstanceOf(PadException.class).hasMessageStartingWith("The pad is no longer usable: the pad was unplugged");
    assertThatThrownBy(() -> pad.startCapture(CaptureRequest.signatureOnly(), CaptureListener.NONE))
        .isInstanceOf(PadException.class);
    pad.close();
  }

  @Test
  void aListenerThatThrowsDoesNotStopTheCapture() throws Exception {
    VirtualStuDevice device = new VirtualStuDevice(StuModel.STU_430);
    device.signer(VirtualSigner.writing("signature-c").thenTaps(PadButton.OK));
    try (StuPad pad = open(device)) {
      CaptureResult result = pad.startCapture(CaptureRequest.signatureOnly(), new CaptureListener() {
        @Override
        public void sample(PenSample sample) {
          throw new IllegalStateException("listener bug");
        }
      }).await(WAIT);
      assertThat(result.capture().orElseThrow().samples()).hasSizeGreaterThanOrEqualTo(VirtualSigner.recording("signature-c").samples().size());
    }
  }

  @Test
  void closingThePadCancelsARunningCaptureAndBlanksTheScreen() throws Exception {
    VirtualStuDevice device = new VirtualStuDevice(StuModel.STU_430);
    StuPad pad = open(device);
    CaptureSession session = pad.startCapture(CaptureRequest.signatureOnly(), CaptureListener.NONE);
    pad.close();
    assertThat(session.await(WAIT).ending()).isEqualTo(Ending.CANCELLED_BY_APPLICATION);
    assertThat(pixels(device.screen())).containsOnly(0xFFFFFF);
    assertThatThrownBy(pad::clearScreen).hasMessage("The pad is closed");
  }

  // ------------------------------------------------------------------ a pad that misbehaves

  /** A transport that changes what the virtual pad says or hears. */
  private static HidTransport tampered(VirtualStuDevice device, int reportId, UnaryOperator<byte[]> change) {
    return new HidTransport() {
      @Override
      public byte[] getFeature(int id, int length) throws IOException {
        byte[] report = device.getFeature(id, length);
        return id == reportId ? change.apply(report) : report;
      }

      @Override
      public void setFeature(byte[] report) throws IOException {
        byte[] changed = (report[0] & 0xFF) == reportId ? change.apply(report) : report;
        if (changed != null) {
          device.setFeature(changed);
        }
      }

      @Override
      public byte[] read(int timeoutMillis) throws IOException {
        return device.read(timeoutMillis);
      }

      @Override
      public void close() {
        device.close();
      }
    };
  }

  @Test
  void refusesToOpenWhatIsNotASaneStu() {
    VirtualStuDevice device = new VirtualStuDevice(StuModel.STU_430);
    assertThatThrownBy(() -> StuPad.open(tampered(device, StuReports.CAPABILITY, r -> java.util.Arrays.copyOf(r, 9)), StuModel.STU_430))
        .isInstanceOf(PadException.class).hasMessage("Cannot open the pad: the Capability report is truncated: 9 of 17 bytes");
    assertThatThrownBy(() -> StuPad.open(tampered(new VirtualStuDevice(StuModel.STU_430), StuReports.INFORMATION,
        r -> new StuReports.Information("XP-PEN", 1, 0).encode()), StuModel.STU_430))
        .hasMessage("Cannot open the pad: it calls itself \"XP-PEN\", not a Wacom STU");
    assertThatThrownBy(() -> StuPad.open(tampered(new VirtualStuDevice(StuModel.STU_430), StuReports.PEN_DATA_OPTION_MODE,
        r -> r.length == 2 && r[1] == 3 ? new byte[] {0x32, 0} : r), StuModel.STU_430))
        .hasMessage("Cannot open the pad: it did not switch to time-stamped, numbered pen reports");
  }

  @Test
  void anImageThePadRefusesIsAnError() throws Exception {
    VirtualStuDevice device = new VirtualStuDevice(StuModel.STU_430);
    int[] blocks = {0};
    // the tenth image block is lost on the way: the pad finds the image too short at commit
    try (StuPad pad = StuPad.open(tampered(device, StuReports.IMAGE_DATA_BLOCK, r -> ++blocks[0] == 10 ? null : r), StuModel.STU_430)) {
      assertThatThrownBy(() -> pad.startCapture(CaptureRequest.signatureOnly(), CaptureListener.NONE))
          .isInstanceOf(PadException.class).hasMessage("The pad refused the screen image: error 0x15");
    }
  }

  @Test
  void aPadStuckInAnotherStateTimesOutClearly() throws Exception {
    VirtualStuDevice device = new VirtualStuDevice(StuModel.STU_430);
    try (StuPad pad = StuPad.open(tampered(device, StuReports.STATUS, r -> {
      byte[] busy = r.clone();
      busy[1] = StuReports.STATUS_ROM_BUSY;
      return busy;
    }), StuModel.STU_430)) {
      throw new AssertionError("a busy pad cannot be cleared at open");
    } catch (PadException e) {
      assertThat(e).hasMessage("The pad did not become ready for command 0x20 within 1250 ms");
    }
  }

  // ------------------------------------------------------------------ helpers

  private static int[] pixels(BufferedImage image) {
    return java.util.Arrays.stream(image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth()))
        .map(rgb -> rgb & 0xFFFFFF).toArray();
  }

  private static long inkPixels(BufferedImage image, Rectangle area) {
    long ink = 0;
    for (int y = area.y + 2; y < area.y + area.height - 2; y++) {
      for (int x = area.x + 2; x < area.x + area.width - 2; x++) {
        if ((image.getRGB(x, y) & 0xFFFFFF) == 0x0D1B4A) {
          ink++;
        }
      }
    }
    return ink;
  }

  private static void awaitCondition(java.util.function.BooleanSupplier condition) throws InterruptedException {
    long deadline = System.currentTimeMillis() + WAIT.toMillis();
    while (!condition.getAsBoolean()) {
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("condition not met within " + WAIT);
      }
      Thread.sleep(5);
    }
  }
}
