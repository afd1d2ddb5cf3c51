package optout.pad.stu;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import optout.pad.api.Capabilities;
import optout.pad.api.CaptureListener;
import optout.pad.api.CaptureRequest;
import optout.pad.api.CaptureResult;
import optout.pad.api.CaptureResult.Ending;
import optout.pad.api.CaptureSession;
import optout.pad.api.DeviceInfo;
import optout.pad.api.PadButton;
import optout.pad.api.PadException;
import optout.pad.api.PenSample;
import optout.pad.api.SequenceGap;
import optout.pad.api.SignatureCapture;
import optout.pad.api.SignaturePad;
import optout.pad.capture.CaptureJson;
import optout.pad.screen.SigningScreen;
import optout.pad.stu.StuReports.Capability;
import optout.pad.stu.StuReports.Information;
import optout.pad.stu.StuReports.MalformedReportException;
import optout.pad.stu.StuReports.Pen;
import optout.pad.stu.StuReports.Status;

/**
 * The Wacom STU driver: a {@link SignaturePad} over a {@link HidTransport}.
 *
 * <p>At open it reads the pad's Information and Capability, asks for pen reports with the 1 ms time count
 * and sequence number (0x34) and checks that the pad switched, turns inking off and clears the screen.
 * A reader thread then drains input reports for as long as the pad is open. Commands wait, as Wacom's
 * SDK does, until the pad's status allows them (25 polls 50 ms apart), and a command the pad records as
 * failed (its last result code) is an error, not a warning.
 *
 * <p>Sample times are the pad's own time count, unwrapped; the host clock only decides how many 65.5 s
 * turns passed while the pen was away. Skipped sequence numbers become {@link SequenceGap}s, and reports
 * that cannot be read are counted, never guessed at.
 */
final class StuPad implements SignaturePad {

  private static final System.Logger LOG = System.getLogger(StuPad.class.getName());
  private static final int STATUS_POLLS = 25;
  private static final long STATUS_POLL_MILLIS = 50;
  private static final Set<Integer> ANY_STATUS = Set.of(StuReports.STATUS_READY, StuReports.STATUS_IMAGE,
      StuReports.STATUS_CAPTURE, StuReports.STATUS_CALCULATION, StuReports.STATUS_IMAGE_BOOT, StuReports.STATUS_ROM_BUSY);
  private static final Set<Integer> READY = Set.of(StuReports.STATUS_READY);
  private static final Set<Integer> IMAGE = Set.of(StuReports.STATUS_IMAGE);

  private final HidTransport hid;
  private final StuModel model;
  private final DeviceInfo device;
  private final Capabilities capabilities;
  private final Clock clock;
  private final LongSupplier nanoTime;
  private final Object commands = new Object();
  /** Device work that a tap on the pad starts (redraw after Clear, inking off at the end), off the reader thread. */
  private final ExecutorService deviceWork;
  private final Thread reader;
  private volatile Session session;
  private volatile String lost;
  private volatile boolean closed;

  private StuPad(HidTransport hid, StuModel model, DeviceInfo device, Capabilities capabilities, Clock clock,
      LongSupplier nanoTime) {
    this.hid = hid;
    this.model = model;
    this.device = device;
    this.capabilities = capabilities;
    this.clock = clock;
    this.nanoTime = nanoTime;
    this.deviceWork = Executors.newSingleThreadExecutor(r -> daemon(r, "stu-device-work"));
    this.reader = daemon(this::readReports, "stu-reader");
  }

  static StuPad open(HidTransport hid, StuModel model) throws PadException {
    return open(hid, model, Clock.systemUTC(), System::nanoTime);
  }

  static StuPad open(HidTransport hid, StuModel model, Clock clock, LongSupplier nanoTime) throws PadException {
    try {
      Status status = status(hid);
      if (status.code() == StuReports.STATUS_IMAGE) {
        hid.setFeature(StuReports.command(StuReports.END_IMAGE_DATA, StuReports.END_IMAGE_ABANDON));
      }
      Information information = Information.decode(hid.getFeature(StuReports.INFORMATION, StuReports.INFORMATION_SIZE));
      if (!information.modelName().startsWith("STU-")) {
        throw new PadException("Cannot open the pad: it calls itself \"" + information.modelName() + "\", not a Wacom STU");
      }
      Capability capability = Capability.decode(hid.getFeature(StuReports.CAPABILITY, StuReports.CAPABILITY_SIZE));
      // A virtual pad speaks a real pad's bytes; what it records must never pass for a real pad's capture.
      String vendor = hid instanceof VirtualStuDevice ? StuPads.VIRTUAL_VENDOR : "Wacom";
      DeviceInfo device = new DeviceInfo(vendor, information.modelName(), serialNumber(hid), information.firmware());
      int resolution = capability.resolutionPerInch() > 0 ? capability.resolutionPerInch() : 2540;
      int rate = capability.maxReportRate() > 0 ? capability.maxReportRate() : 200;
      Capabilities capabilities = new Capabilities(capability.tabletMaxX(), capability.tabletMaxY(),
          capability.tabletMaxPressure(), resolution / 25.4, rate, capability.screenWidth(), capability.screenHeight());
      StuPad pad = new StuPad(hid, model, device, capabilities, clock, nanoTime);
      pad.command(StuReports.command(StuReports.PEN_DATA_OPTION_MODE, StuReports.PEN_OPTION_TIME_COUNT_SEQUENCE), ANY_STATUS);
      byte[] mode = hid.getFeature(StuReports.PEN_DATA_OPTION_MODE, 2);
      if (mode.length < 2 || mode[1] != StuReports.PEN_OPTION_TIME_COUNT_SEQUENCE) {
        throw new PadException("Cannot open the pad: it did not switch to time-stamped, numbered pen reports");
      }
      pad.command(StuReports.command(StuReports.INKING_MODE, 0), ANY_STATUS);
      pad.command(StuReports.command(StuReports.CLEAR_SCREEN, 0), READY);
      pad.reader.start();
      return pad;
    } catch (MalformedReportException e) {
      hid.close();
      throw new PadException("Cannot open the pad: " + e.getMessage(), e);
    } catch (PadException e) {
      hid.close();
      throw e;
    } catch (IOException e) {
      hid.close();
      throw new PadException("Cannot open the pad: " + e.getMessage(), e);
    }
  }

  private static String serialNumber(HidTransport hid) {
    try {
      byte[] uid = hid.getFeature(StuReports.UID2, StuReports.UID2_SIZE);
      String serial = new String(uid, 1, StuReports.UID2_SIZE - 1, java.nio.charset.StandardCharsets.US_ASCII).trim();
      return serial.chars().allMatch(c -> c >= 0x21 && c < 0x7F) ? serial : "";
    } catch (IOException e) {
      return "";  // older firmware has no Uid2; the serial number is a courtesy, not a requirement
    }
  }

  @Override
  public DeviceInfo device() {
    return device;
  }

  @Override
  public Capabilities capabilities() {
    return capabilities;
  }

  StuModel model() {
    return model;
  }

  @Override
  public void show(BufferedImage image) throws PadException {
    if (image == null) {
      throw new IllegalArgumentException("Cannot show an image: it is missing");
    }
    BufferedImage screen = new BufferedImage(capabilities.screenWidth(), capabilities.screenHeight(), BufferedImage.TYPE_INT_RGB);
    Graphics2D g = screen.createGraphics();
    try {
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, screen.getWidth(), screen.getHeight());
      SigningScreen.drawFitted(g, image, new Rectangle(0, 0, screen.getWidth(), screen.getHeight()));
    } finally {
      g.dispose();
    }
    upload(screen);
  }

  @Override
  public void clearScreen() throws PadException {
    command(StuReports.command(StuReports.CLEAR_SCREEN, 0), READY);
  }

  @Override
  public CaptureSession startCapture(CaptureRequest request, CaptureListener listener) throws PadException {
    if (request == null || listener == null) {
      throw new IllegalArgumentException("Cannot start a capture: the request and the listener are required (CaptureListener.NONE listens to nothing)");
    }
    synchronized (commands) {
      Session running = session;
      if (running != null && !running.result.isDone()) {
        throw new PadException("Cannot start a capture: one is already running on this pad");
      }
      SigningScreen screen = SigningScreen.layout(capabilities.screenWidth(), capabilities.screenHeight(), request.prompt());
      upload(screen.image());
      Session started = new Session(screen, listener);
      session = started;
      command(StuReports.command(StuReports.INKING_MODE, 1), ANY_STATUS);
      return started;
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    Session running = session;
    if (running != null) {
      running.end(Ending.CANCELLED_BY_APPLICATION, "");
    }
    if (lost == null) {
      try {
        command(StuReports.command(StuReports.INKING_MODE, 0), ANY_STATUS);
        clearScreen();
      } catch (PadException e) {
        LOG.log(Level.DEBUG, "pad did not take the closing commands: {0}", e.getMessage());
      }
    }
    closed = true;
    deviceWork.shutdown();
    hid.close();
    try {
      reader.join(2_000);
      deviceWork.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  // ------------------------------------------------------------------ commands

  /** Uploads a screen image: Ready, StartImageData, Image, blocks, EndImageData (commit), result checked. */
  private void upload(BufferedImage screen) throws PadException {
    StuImageEncoding encoding = model.encoding();
    byte[] image = encoding.encode(screen);
    synchronized (commands) {
      command(StuReports.command(StuReports.INKING_MODE, 0), ANY_STATUS);
      command(StuReports.command(StuReports.START_IMAGE_DATA, encoding.mode()), READY);
      waitForStatus(IMAGE, "image upload");
      for (int offset = 0; offset < image.length; offset += StuReports.IMAGE_BLOCK_MAX_DATA) {
        int length = Math.min(StuReports.IMAGE_BLOCK_MAX_DATA, image.length - offset);
        send(StuReports.imageBlock(image, offset, length));
      }
      send(StuReports.command(StuReports.END_IMAGE_DATA, StuReports.END_IMAGE_COMMIT));
      Status status = checkedStatus();
      if (status.lastResult() != StuReports.ERROR_NONE) {
        throw new PadException("The pad refused the screen image: " + describe(status.lastResult()));
      }
    }
  }

  /** Waits until the pad's status allows a command, sends it, and checks that the pad accepted it. */
  private void command(byte[] report, Set<Integer> allowed) throws PadException {
    synchronized (commands) {
      waitForStatus(allowed, "command 0x" + StuReports.hex(report[0] & 0xFF));
      send(report);
      Status status = checkedStatus();
      if (status.lastResult() != StuReports.ERROR_NONE) {
        throw new PadException("The pad refused command 0x" + StuReports.hex(report[0] & 0xFF) + ": " + describe(status.lastResult()));
      }
    }
  }

  private void send(byte[] report) throws PadException {
    ensureUsable();
    try {
      hid.setFeature(report);
    } catch (IOException e) {
      throw deviceLost(e);
    }
  }

  private void waitForStatus(Set<Integer> allowed, String purpose) throws PadException {
    for (int poll = 0; poll < STATUS_POLLS; poll++) {
      if (allowed.contains(checkedStatus().code())) {
        return;
      }
      try {
        Thread.sleep(STATUS_POLL_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new PadException("Interrupted while waiting for the pad");
      }
    }
    throw new PadException("The pad did not become ready for " + purpose + " within "
        + STATUS_POLLS * STATUS_POLL_MILLIS + " ms");
  }

  private Status checkedStatus() throws PadException {
    ensureUsable();
    try {
      return status(hid);
    } catch (MalformedReportException e) {
      throw new PadException("The pad answered nonsense: " + e.getMessage(), e);
    } catch (IOException e) {
      throw deviceLost(e);
    }
  }

  private static Status status(HidTransport hid) throws IOException {
    return Status.decode(hid.getFeature(StuReports.STATUS, StuReports.STATUS_SIZE));
  }

  private void ensureUsable() throws PadException {
    if (lost != null) {
      throw new PadException("The pad is no longer usable: " + lost);
    }
    if (closed) {
      throw new PadException("The pad is closed");
    }
  }

  private PadException deviceLost(IOException cause) {
    markLost("the pad stopped answering (" + cause.getMessage() + ")");
    return new PadException("The pad is no longer usable: " + lost, cause);
  }

  private void markLost(String reason) {
    if (lost == null) {
      lost = reason;
    }
    Session running = session;
    if (running != null) {
      running.end(Ending.DEVICE_LOST, lost);
    }
  }

  private static String describe(int resultCode) {
    return switch (resultCode) {
      case StuReports.ERROR_WRONG_REPORT_ID -> "unknown report (0x01)";
      case StuReports.ERROR_WRONG_STATE -> "not allowed in its present state (0x02)";
      case StuReports.ERROR_BAD_PARAMETER -> "bad parameter (0x04)";
      case StuReports.ERROR_IMAGE_TOO_LONG -> "image longer than the screen (0x11)";
      default -> "error 0x" + StuReports.hex(resultCode);
    };
  }

  // ------------------------------------------------------------------ input

  private void readReports() {
    while (!closed) {
      byte[] report;
      try {
        report = hid.read(100);
      } catch (IOException e) {
        if (!closed) {
          markLost("the pad was unplugged or stopped answering (" + e.getMessage() + ")");
        }
        return;
      }
      if (report == null) {
        continue;
      }
      Session running = session;
      try {
        Pen pen = Pen.decode(report);
        if (pen.timeCount() < 0) {
          throw new MalformedReportException("a pen report without time count and sequence number");
        }
        if (running != null) {
          running.accept(pen, nanoTime.getAsLong());
        }
      } catch (MalformedReportException e) {
        // the report's bytes are pen data: log only what kind of fault it was
        LOG.log(Level.WARNING, "unreadable report from the pad: {0}", e.getMessage());
        if (running != null) {
          running.reject();
        }
      }
    }
  }

  private static Thread daemon(Runnable task, String name) {
    Thread thread = new Thread(task, name);
    thread.setDaemon(true);
    return thread;
  }

  /** One capture: the state machine of pen, buttons and clears; every transition under its own lock. */
  private final class Session implements CaptureSession {

    private final SigningScreen screen;
    private final CaptureListener listener;
    private final CompletableFuture<CaptureResult> result = new CompletableFuture<>();
    private List<PenSample> samples = new ArrayList<>();
    private List<SequenceGap> gaps = new ArrayList<>();
    private int clears;
    private int rejected;
    private CounterUnwrapper time;
    private CounterUnwrapper sequence;
    private long firstSequence;
    private long lastSequence = -1;
    private Instant startedAt;
    private boolean penDown;
    private PadButton pressing;

    Session(SigningScreen screen, CaptureListener listener) {
      this.screen = screen;
      this.listener = listener;
      restart();
    }

    private void restart() {
      samples = new ArrayList<>();
      gaps = new ArrayList<>();
      rejected = 0;
      time = new CounterUnwrapper(1_000_000.0);
      sequence = new CounterUnwrapper(0);
      lastSequence = -1;
      startedAt = null;
      penDown = false;
      pressing = null;
    }

    synchronized void accept(Pen pen, long hostNanos) {
      if (result.isDone()) {
        return;
      }
      if (pen.x() > capabilities.width() || pen.y() > capabilities.height() || pen.pressure() > capabilities.maxPressure()) {
        rejected++;
        return;
      }
      if (startedAt == null) {
        startedAt = clock.instant();
        firstSequence = pen.sequence();
      }
      long micros = time.next(pen.timeCount(), hostNanos) * 1000;
      long number = firstSequence + sequence.next(pen.sequence(), hostNanos);
      if (lastSequence >= 0 && number - lastSequence > 1) {
        SequenceGap gap = new SequenceGap(lastSequence, number - lastSequence - 1, micros);
        gaps.add(gap);
        tell(() -> listener.gap(gap));
      }
      lastSequence = number;

      double screenX = pen.x() * (double) capabilities.screenWidth() / capabilities.width();
      double screenY = pen.y() * (double) capabilities.screenHeight() / capabilities.height();
      if (pen.touching() && !penDown) {
        penDown = true;
        pressing = screen.buttonAt(screenX, screenY).orElse(null);
      }
      if (pressing != null) {
        if (!pen.touching()) {
          PadButton pressed = pressing;
          penDown = false;
          pressing = null;
          if (screen.buttonAt(screenX, screenY).orElse(null) == pressed) {
            press(pressed);
          }
        }
        return;  // a tap on a button is not part of the signature
      }
      if (!pen.touching()) {
        penDown = false;
      }
      if (samples.size() >= CaptureJson.MAX_SAMPLES) {
        rejected++;
        return;
      }
      PenSample sample = new PenSample(pen.x(), pen.y(), pen.touching() ? pen.pressure() : 0, micros, pen.touching(),
          pen.inRange(), number);
      samples.add(sample);
      tell(() -> listener.sample(sample));
    }

    synchronized void reject() {
      if (!result.isDone()) {
        rejected++;
      }
    }

    private void press(PadButton button) {
      tell(() -> listener.button(button));
      switch (button) {
        case OK -> end(Ending.OK_BUTTON, "");
        case CANCEL -> end(Ending.CANCEL_BUTTON, "");
        case CLEAR -> clearInk();
      }
    }

    @Override
    public CaptureResult await(Duration timeout) throws InterruptedException, TimeoutException {
      try {
        return result.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
      } catch (ExecutionException e) {
        throw new IllegalStateException("a capture cannot fail with an exception", e);
      }
    }

    @Override
    public void confirm() {
      end(Ending.CONFIRMED_BY_APPLICATION, "");
    }

    @Override
    public void cancel() {
      end(Ending.CANCELLED_BY_APPLICATION, "");
    }

    @Override
    public synchronized void clear() {
      if (!result.isDone()) {
        clearInk();
      }
    }

    private void clearInk() {
      restart();
      clears++;
      tell(listener::cleared);
      deviceWork.execute(() -> {
        try {
          upload(screen.image());
          command(StuReports.command(StuReports.INKING_MODE, 1), ANY_STATUS);
        } catch (PadException e) {
          LOG.log(Level.WARNING, "could not clear the pad''s ink: {0}", e.getMessage());
        }
      });
    }

    synchronized void end(Ending ending, String failure) {
      if (result.isDone()) {
        return;
      }
      Optional<SignatureCapture> capture = ending.confirmed()
          ? Optional.of(new SignatureCapture(device, capabilities, startedAt == null ? clock.instant() : startedAt, samples))
          : Optional.empty();
      CaptureResult ended = new CaptureResult(ending, capture, clears, ending.confirmed() ? gaps : List.of(),
          rejected, failure);
      samples = List.of();  // a cancelled or failed capture keeps nothing of the handwriting
      if (ending != Ending.DEVICE_LOST && !closed) {
        try {
          deviceWork.execute(() -> {
            try {
              command(StuReports.command(StuReports.INKING_MODE, 0), ANY_STATUS);
            } catch (PadException e) {
              LOG.log(Level.DEBUG, "could not turn inking off: {0}", e.getMessage());
            }
          });
        } catch (java.util.concurrent.RejectedExecutionException e) {
          // the pad is closing; it turns inking off itself
        }
      }
      tell(() -> listener.ended(ended));
      result.complete(ended);
    }

    private void tell(Runnable call) {
      try {
        call.run();
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "a capture listener failed: {0}", e.toString());
      }
    }
  }
}
