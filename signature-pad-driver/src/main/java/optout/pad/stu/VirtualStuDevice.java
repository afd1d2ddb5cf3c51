package optout.pad.stu;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import optout.pad.api.PadButton;
import optout.pad.api.PenSample;
import optout.pad.api.SignatureCapture;
import optout.pad.screen.SigningScreen;
import optout.pad.stu.StuReports.Capability;
import optout.pad.stu.StuReports.Information;
import optout.pad.stu.StuReports.Pen;
import optout.pad.stu.StuReports.Status;

/**
 * A Wacom STU pad in software that speaks the same bytes as the real one: it answers the same feature
 * reports, keeps the same status machine (an image upload needs Ready, blocks need Image, a command in
 * the wrong state is recorded as a failed last result rather than refused on the wire), shows the image
 * it was sent (decoded from the wire format, with ink drawn where the pen touches while inking is on) and
 * emits the same input reports: 0x01, or 0x34 with its own 1 ms time count and sequence number once asked.
 *
 * <p>Its pen is driven by a test or by a {@link VirtualSigner}; faults are injected on purpose: reports
 * lost in transit, raw malformed reports, a time count about to wrap, and unplugging.
 */
final class VirtualStuDevice implements HidTransport {

  private static final byte[] UNPLUGGED = new byte[0];

  private final StuModel model;
  private final Capability capability;
  private final Information information;
  private final String serialNumber;
  private final LinkedBlockingQueue<byte[]> input = new LinkedBlockingQueue<>();
  private final List<Integer> commands = new ArrayList<>();
  private volatile boolean unplugged;
  private volatile boolean closed;
  private VirtualSigner signer;
  private Thread signing;

  // the pad's state, guarded by this
  private int status = StuReports.STATUS_READY;
  private int lastResult = StuReports.ERROR_NONE;
  private boolean inking = true;
  private int penOption = StuReports.PEN_OPTION_NONE;
  private StuImageEncoding uploading;
  private final ByteArrayOutputStream image = new ByteArrayOutputStream();
  private BufferedImage screen;
  private int timeCount;
  private long micros;
  private int sequence;
  private int lastInkX = -1;
  private int lastInkY = -1;

  VirtualStuDevice(StuModel model) {
    this.model = model;
    this.capability = switch (model) {
      case STU_430, STU_430V -> new Capability(9600, 6000, 1023, 320, 200, 200, 2540);
      case STU_530, STU_540 -> new Capability(10800, 6480, 1023, 800, 480, 200, 2540);
    };
    this.information = new Information(model.modelName(), 1, model == StuModel.STU_540 ? 0x02 : 0x07);
    this.serialNumber = "VIRT" + String.format("%06d", model.productId());
    this.screen = blank();
  }

  // ------------------------------------------------------------------ the wire

  @Override
  public synchronized byte[] getFeature(int reportId, int length) throws IOException {
    ensurePlugged();
    byte[] report = switch (reportId) {
      case StuReports.STATUS -> new Status(status, lastResult).encode();
      case StuReports.INFORMATION -> information.encode();
      case StuReports.CAPABILITY -> capability.encode();
      case StuReports.UID2 -> uid2();
      case StuReports.INKING_MODE -> StuReports.command(reportId, inking ? 1 : 0);
      case StuReports.PEN_DATA_OPTION_MODE -> StuReports.command(reportId, penOption);
      default -> throw new IOException("the pad stalled feature report 0x" + StuReports.hex(reportId));
    };
    return Arrays.copyOf(report, length);
  }

  @Override
  public synchronized void setFeature(byte[] report) throws IOException {
    ensurePlugged();
    if (report == null || report.length < 2) {
      throw new IOException("the pad stalled a feature report shorter than 2 bytes");
    }
    int id = report[0] & 0xFF;
    commands.add(id);
    lastResult = apply(id, report);
    notifyAll();
  }

  private int apply(int id, byte[] report) {
    int value = report[1] & 0xFF;
    switch (id) {
      case StuReports.RESET -> {
        status = StuReports.STATUS_READY;
        inking = true;
        penOption = StuReports.PEN_OPTION_NONE;
        screen = blank();
        return StuReports.ERROR_NONE;
      }
      case StuReports.INKING_MODE -> {
        if (value > 1) {
          return StuReports.ERROR_BAD_PARAMETER;
        }
        boolean started = value == 1 && !inking;
        inking = value == 1;
        if (started) {
          startSigner();
        }
        return StuReports.ERROR_NONE;
      }
      case StuReports.PEN_DATA_OPTION_MODE -> {
        if (value > StuReports.PEN_OPTION_TIME_COUNT_SEQUENCE) {
          return StuReports.ERROR_BAD_PARAMETER;
        }
        penOption = value;
        sequence = 0;  // the pads number their reports afresh once the mode is set
        return StuReports.ERROR_NONE;
      }
      case StuReports.CLEAR_SCREEN -> {
        if (status != StuReports.STATUS_READY) {
          return StuReports.ERROR_WRONG_STATE;
        }
        screen = blank();
        return StuReports.ERROR_NONE;
      }
      case StuReports.START_IMAGE_DATA -> {
        if (status != StuReports.STATUS_READY) {
          return StuReports.ERROR_WRONG_STATE;
        }
        Optional<StuImageEncoding> encoding = Arrays.stream(StuImageEncoding.values()).filter(e -> e.mode() == value).findFirst();
        if (encoding.isEmpty() || (model.encoding() == StuImageEncoding.ONE_BIT && encoding.get() != StuImageEncoding.ONE_BIT)) {
          return 0x10;  // GraphicsWrongEncodingType
        }
        uploading = encoding.get();
        image.reset();
        status = StuReports.STATUS_IMAGE;
        return StuReports.ERROR_NONE;
      }
      case StuReports.IMAGE_DATA_BLOCK -> {
        if (status != StuReports.STATUS_IMAGE) {
          return StuReports.ERROR_WRONG_STATE;
        }
        int length = (report[1] & 0xFF) | ((report[2] & 0xFF) << 8);
        if (length == 0 || length > StuReports.IMAGE_BLOCK_MAX_DATA || report.length < 3 + length) {
          return StuReports.ERROR_BAD_PARAMETER;
        }
        image.write(report, 3, length);
        if (image.size() > uploading.length(capability.screenWidth(), capability.screenHeight())) {
          status = StuReports.STATUS_READY;
          return StuReports.ERROR_IMAGE_TOO_LONG;
        }
        return StuReports.ERROR_NONE;
      }
      case StuReports.END_IMAGE_DATA -> {
        if (status != StuReports.STATUS_IMAGE) {
          return StuReports.ERROR_WRONG_STATE;
        }
        status = StuReports.STATUS_READY;
        if (value == StuReports.END_IMAGE_ABANDON) {
          return StuReports.ERROR_NONE;
        }
        if (value != StuReports.END_IMAGE_COMMIT
            || image.size() != uploading.length(capability.screenWidth(), capability.screenHeight())) {
          return 0x15;  // GraphicsWrongParameters: an image that does not fill the screen
        }
        screen = uploading.decode(image.toByteArray(), capability.screenWidth(), capability.screenHeight());
        return StuReports.ERROR_NONE;
      }
      default -> {
        return StuReports.ERROR_WRONG_REPORT_ID;
      }
    }
  }

  @Override
  public byte[] read(int timeoutMillis) throws IOException {
    ensurePlugged();
    byte[] report;
    try {
      report = input.poll(timeoutMillis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted");
    }
    if (report == UNPLUGGED || unplugged) {
      throw new IOException("No such device");
    }
    return report;
  }

  @Override
  public void close() {
    closed = true;
    Thread running;
    synchronized (this) {
      running = signing;
    }
    if (running != null) {
      running.interrupt();
    }
  }

  private void ensurePlugged() throws IOException {
    if (unplugged) {
      throw new IOException("No such device");
    }
    if (closed) {
      throw new IOException("the device is closed");
    }
  }

  private byte[] uid2() {
    byte[] report = new byte[StuReports.UID2_SIZE];
    report[0] = StuReports.UID2;
    byte[] serial = serialNumber.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    System.arraycopy(serial, 0, report, 1, Math.min(10, serial.length));
    return report;
  }

  // ------------------------------------------------------------------ the pen

  /** The pen reports once, {@code afterMicros} after its previous report. */
  synchronized void pen(int x, int y, int pressure, boolean inRange, boolean touching, long afterMicros) {
    micros += afterMicros;
    int count = (int) ((timeCount + micros / 1000) & 0xFFFF);
    boolean timed = penOption == StuReports.PEN_OPTION_TIME_COUNT_SEQUENCE;
    Pen pen = new Pen(inRange, touching, touching ? pressure : 0, x, y, timed ? count : -1, timed ? sequence : -1);
    sequence = (sequence + 1) & 0xFFFF;
    input.add(pen.encode());
    ink(x, y, touching);
  }

  /** Reports that the pad sent but that never arrived: their sequence numbers are used up. */
  synchronized void loseReports(int count) {
    sequence = (sequence + count) & 0xFFFF;
  }

  /** Puts raw bytes on the wire as if the pad had sent them. */
  void inject(byte[] report) {
    input.add(report.clone());
  }

  /** Starts the pad's time count at a value, e.g. just before it wraps. */
  synchronized void timeCountFrom(int value) {
    timeCount = value & 0xFFFF;
    micros = 0;
  }

  /** The cable is pulled: every further exchange fails, a blocked read included. */
  void unplug() {
    unplugged = true;
    input.add(UNPLUGGED);
  }

  /** What the pad's screen shows now. */
  synchronized BufferedImage screen() {
    BufferedImage copy = new BufferedImage(screen.getWidth(), screen.getHeight(), BufferedImage.TYPE_INT_RGB);
    copy.getGraphics().drawImage(screen, 0, 0, null);
    return copy;
  }

  synchronized boolean inking() {
    return inking;
  }

  /** The IDs of the feature reports set so far, in order. */
  synchronized List<Integer> commands() {
    return List.copyOf(commands);
  }

  Capability capability() {
    return capability;
  }

  /** Waits (briefly) until inking is on: the pad's screen is ready for the signer. */
  synchronized boolean awaitInking(long timeoutMillis) throws InterruptedException {
    long deadline = System.currentTimeMillis() + timeoutMillis;
    while (!inking && !unplugged && !closed) {
      long left = deadline - System.currentTimeMillis();
      if (left <= 0) {
        return false;
      }
      wait(left);
    }
    return inking;
  }

  // ------------------------------------------------------------------ what a signer does

  /** Lets a signer act whenever a capture starts (inking is turned on). */
  synchronized void signer(VirtualSigner signer) {
    this.signer = signer;
  }

  private void startSigner() {
    if (signer == null || (signing != null && signing.isAlive())) {
      return;
    }
    VirtualSigner script = signer;
    signing = new Thread(() -> {
      try {
        script.perform(this);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "virtual-stu-signer");
    signing.setDaemon(true);
    signing.start();
  }

  /**
   * Writes a recorded signature inside the signing box: scaled to fit with its proportions kept,
   * pressure scaled to this pad's range, every sample's timing kept to the millisecond.
   */
  void write(SignatureCapture recording, boolean realTime) throws InterruptedException {
    List<PenSample> samples = recording.samples();
    if (samples.isEmpty()) {
      return;
    }
    Rectangle area = signingArea();
    int minX = samples.stream().mapToInt(PenSample::x).min().orElse(0);
    int maxX = samples.stream().mapToInt(PenSample::x).max().orElse(1);
    int minY = samples.stream().mapToInt(PenSample::y).min().orElse(0);
    int maxY = samples.stream().mapToInt(PenSample::y).max().orElse(1);
    double scale = Math.min(area.width / (double) Math.max(1, maxX - minX), area.height / (double) Math.max(1, maxY - minY));
    double offsetX = area.x + (area.width - (maxX - minX) * scale) / 2;
    double offsetY = area.y + (area.height - (maxY - minY) * scale) / 2;
    double pressureScale = capability.tabletMaxPressure() / (double) recording.capabilities().maxPressure();
    long previous = samples.get(0).timeMicros();
    for (PenSample sample : samples) {
      long after = sample.timeMicros() - previous;
      previous = sample.timeMicros();
      if (realTime && after > 0) {
        Thread.sleep(after / 1000, (int) (after % 1000) * 1000);
      }
      pen((int) Math.round(offsetX + (sample.x() - minX) * scale), (int) Math.round(offsetY + (sample.y() - minY) * scale),
          (int) Math.round(sample.pressure() * pressureScale), sample.inRange(), sample.touching(), after);
    }
  }

  /** Taps a button of the signing screen in its middle, as a finger guided by the eye would. */
  void tap(PadButton button, boolean realTime) throws InterruptedException {
    Rectangle area = SigningScreen.layout(capability.screenWidth(), capability.screenHeight(), Optional.empty()).button(button);
    int x = toTabletX(area.getCenterX());
    int y = toTabletY(area.getCenterY());
    int[] pressures = {0, 0, 300, 520, 480, 0};
    for (int i = 0; i < pressures.length; i++) {
      if (realTime) {
        Thread.sleep(5);
      }
      boolean touching = pressures[i] > 0;
      pen(x + i, y, pressures[i], true, touching, i == 0 ? 150_000 : 5_000);
    }
  }

  /** The part of the screen a signer writes in, in tablet units: the middle band, clear of the buttons. */
  private Rectangle signingArea() {
    int left = toTabletX(capability.screenWidth() * 0.10);
    int top = toTabletY(capability.screenHeight() * 0.38);
    return new Rectangle(left, top, toTabletX(capability.screenWidth() * 0.90) - left,
        toTabletY(capability.screenHeight() * 0.70) - top);
  }

  private int toTabletX(double screenX) {
    return (int) Math.round(screenX * capability.tabletMaxX() / capability.screenWidth());
  }

  private int toTabletY(double screenY) {
    return (int) Math.round(screenY * capability.tabletMaxY() / capability.screenHeight());
  }

  private void ink(int x, int y, boolean touching) {
    if (!touching || !inking) {
      lastInkX = -1;
      return;
    }
    int sx = x * capability.screenWidth() / capability.tabletMaxX();
    int sy = y * capability.screenHeight() / capability.tabletMaxY();
    Graphics2D g = screen.createGraphics();
    try {
      g.setColor(new Color(0x0D, 0x1B, 0x4A));
      if (lastInkX >= 0) {
        g.drawLine(lastInkX, lastInkY, sx, sy);
      } else {
        g.fillRect(sx, sy, 1, 1);
      }
    } finally {
      g.dispose();
    }
    lastInkX = sx;
    lastInkY = sy;
  }

  private BufferedImage blank() {
    BufferedImage blank = new BufferedImage(capability.screenWidth(), capability.screenHeight(), BufferedImage.TYPE_INT_RGB);
    Graphics2D g = blank.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, blank.getWidth(), blank.getHeight());
    g.dispose();
    return blank;
  }
}
