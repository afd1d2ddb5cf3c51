package optout.pad.iso;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import optout.pad.api.Capabilities;
import optout.pad.api.DeviceInfo;
import optout.pad.api.PenSample;
import optout.pad.api.SignatureCapture;
import optout.pad.capture.CaptureJson;

/**
 * ISO/IEC 19794-7 signature/sign time series data, full format, <b>first edition (2007), version
 * " 10"</b>: the record we seal for a forensic examiner next to each signed document.
 *
 * <h2>Why the 2007 edition</h2>
 * The second edition (2014, with the 19794-1:2011 general header, record length, representation
 * header, capture date and device identifiers) is what we would rather write, but we could not read
 * its Part 7 specific layout in any public source we could reach (GOST R ISO/IEC 19794-7-2017 is an
 * identical translation of it, but only its scope was open to us), and a record that claims an
 * edition it does not follow is worse than an older edition followed faithfully. The 2007 layout is
 * public in GOST R ISO/IEC 19794-7-2009, an identical (IDT) translation: table 3 (record header) and
 * annex B (the ASN.1/ECN module of the full format). We cross-checked bit orders and encodings with
 * two open-source 2007 readers (biosignin/bsi-core by Innovery, Java, package {@code y2007}; a
 * Fraunhofer SIT parser, C++). We copied no code. Where these sources leave something open, we say "as we read it" below and keep the code
 * consistent with that reading. Moving to the 2014 edition later means a new general header and
 * representation header around the same channel data.
 *
 * <h2>Record layout (all numbers big-endian)</h2>
 * <pre>
 * offset size  field
 * 0      4     format identifier "SDI" 0x00                         (table 3)
 * 4      4     version " 10" 0x00                                    (table 3)
 * 8      2     channel inclusion field: bit 15 X, 14 Y, 13 Z, 12 VX, 11 VY, 10 AX, 9 AY, 8 T, 7 DT,
 *              6 F, 5 S, 4 TX, 3 TY, 2 AZ, 1 EL, 0 R   (order: annex B; bit 15 first as we read
 *              it from bsi-core)
 * 10     var   one channel description per included channel, in that order: a preamble byte
 *              (bit 7 scaling value, 6 min, 5 max, 4 mean, 3 std, 2 is-constant, 1 linear component
 *              removed, 0 reserved; annex B order, bit 7 first as we read it from bsi-core), then
 *              2 bytes for each of scaling, min, max, mean, std that is flagged
 * ...    1     reserved, 0x00                                        (table 3)
 * ...    1     body optionality byte: 0x80 when extended data follows, else 0x00 (annex B: an
 *              8-bit bitmap with one bit used; that it is the leading bit is our reading of ECN
 *              bitmaps, bsi-core writes 0x01 instead)
 * ...    3     number of sample points                               (annex B, [LENGTH 3])
 * ...    var   the sample points: each included channel's value in channel order, 2 bytes each,
 *              but 1 byte for S (annex B: s UnsignedInt8). Channels that may be negative (X, Y, TX,
 *              TY here) are stored as value + 32768, as we read it from bsi-core (annex B only says
 *              SignedInt16; 8825-6's illustrative module suggests two's complement)
 * ...    2+n   extended data: length, then n bytes                   (annex B, [LENGTH 2])
 * </pre>
 * The 2007 record has no record length field: the record ends where its container (a CBEFF record,
 * our envelope) ends. So the decoder checks instead that the sample count, the extended data length
 * and the end of the array agree to the byte.
 *
 * <h2>Channels we write</h2>
 * <ul>
 *   <li>X, Y: the device's units, with scaling value = units per millimetre (the pad's
 *       {@code unitsPerMillimetre}, rounded to the field's 12 significant bits). That the standard's
 *       unit is the millimetre we could not confirm (bsi-core writes units per metre); per metre could
 *       not even express a 100 units/mm pad, as the field stops at 65,520. The pad's exact resolution
 *       is also in our extended data, and the decoder checks that the two agree.</li>
 *   <li>DT, not T: T is a 16-bit time since the start, so even at 1 ms it would end every capture at
 *       65.5 s; DT is the time since the previous sample (for the first sample: since the capture
 *       started, our reading), so only a single pause is limited. Its scaling value is units per
 *       second; we use the coarsest of 1 ms, 500, 250, 200, 100, 50, 40, 25 and 20 µs that holds every
 *       sample time exactly, so pads at 200 Hz (whole ms) and browsers (0.1 ms) round-trip exactly.
 *       Only those rates are exact in the scaling field and whole in microseconds; 20 µs is the
 *       finest. When no unit is exact, times are rounded to the nearest 20 µs (or the finest unit whose
 *       gaps fit 16 bits), so each decoded time is within half a unit of the original. A pause of
 *       more than 65.535 s between two samples cannot be written at all.</li>
 *   <li>F (pen tip force): the device's pressure levels, no scaling value, since pads report
 *       uncalibrated levels, not newtons (Wacom's advice for this format); the pad's maximum is in our
 *       extended data.</li>
 *   <li>S (tip switch): 1 while the pen touches, 0 while it hovers, so hover samples keep their
 *       place, position and pressure 0.</li>
 *   <li>TX, TY when the capture has tilt: degrees, scaling value 1 unit per degree.</li>
 * </ul>
 *
 * <h2>Extended data: our block</h2>
 * The 2007 record has no place for the device, the pad's capabilities, the start time, whether a
 * hovering pen was in range, or the device's sequence numbers. We carry them in the extended data,
 * in a block of our own (annex B makes extended data an octet string; any structure the standard's
 * text may give it we could not read):
 * <pre>
 * "NHIO", block version 1,
 * start time: epoch second (8, signed), nanosecond (4),
 * width, height, maxPressure (4 each), unitsPerMillimetre (8, IEEE 754), samplesPerSecond,
 * screenWidth, screenHeight (4 each),
 * vendor, model, serialNumber, firmware: 2-byte length + UTF-8 each,
 * in-range runs: count, then run lengths alternating in range / out of range, starting in range
 *   (the first may be 0),
 * sequence runs: count, then per run: kind (0 no number, 1 numbered), length, and for numbered runs
 *   the first number (zigzag); numbers in a run count up by one,
 * </pre>
 * the run counts, run lengths and first numbers being unsigned LEB128 varints. The whole
 * extended data must fit 65,535 bytes, which sequence numbers that jump at almost every sample would
 * not; such captures are refused rather than written without them.
 *
 * <p>So a decoded capture equals the encoded one in every field, provided the sample times lie on one
 * of the time units above. Other readers of the record see the standard channels only. The decoder
 * reads only records this class writes: it needs our block to build a {@link SignatureCapture}, and
 * refuses any channel, attribute or value it does not write, naming the field and the byte.
 */
public final class SignatureTimeSeries {

  /** How the envelope names the record format. */
  public static final String FORMAT = "ISO/IEC 19794-7:2007";
  /** The same limit as the capture file. */
  public static final int MAX_SAMPLES = CaptureJson.MAX_SAMPLES;

  static final int X = 1 << 15;
  static final int Y = 1 << 14;
  static final int T = 1 << 8;
  static final int DT = 1 << 7;
  static final int F = 1 << 6;
  static final int S = 1 << 5;
  static final int TX = 1 << 4;
  static final int TY = 1 << 3;
  private static final String[] CHANNEL_NAMES = {"R", "EL", "AZ", "TY", "TX", "S", "F", "DT", "T", "AY", "AX",
      "VY", "VX", "Z", "Y", "X"};
  private static final byte[] FORMAT_IDENTIFIER = {'S', 'D', 'I', 0};
  private static final byte[] VERSION = {' ', '1', '0', 0};
  private static final byte[] BLOCK_MARKER = {'N', 'H', 'I', 'O'};
  private static final int BLOCK_VERSION = 1;
  private static final int PREAMBLE_SCALING = 0x80;
  private static final int EXTENDED_DATA_PRESENT = 0x80;
  private static final int SIGNED_OFFSET = 32768;
  private static final int DEGREE_SCALING = ScalingValue.encode(1.0);
  /** Time units in microseconds, coarsest first; 1e6 / unit is exact in a scaling value for each. */
  static final long[] TIME_UNITS_MICROS = {1000, 500, 250, 200, 100, 50, 40, 25, 20};
  private static final int MAX_EXTENDED_DATA = 0xFFFF;

  private SignatureTimeSeries() {}

  /**
   * The record for a capture, the same bytes for the same capture.
   *
   * @throws IllegalArgumentException saying why the capture cannot be written (no samples, too many,
   *     values beyond the channels' 16 bits, a pause beyond 65.5 s, irregular sequence numbers)
   */
  public static byte[] encode(SignatureCapture capture) {
    if (capture == null) {
      throw new IllegalArgumentException(cannot("the capture is required"));
    }
    List<PenSample> samples = capture.samples();
    if (samples.isEmpty()) {
      throw new IllegalArgumentException(cannot("it has no samples"));
    }
    if (samples.size() > MAX_SAMPLES) {
      throw new IllegalArgumentException(cannot("it has more than " + MAX_SAMPLES + " samples"));
    }
    for (PenSample sample : samples) {
      if (sample.x() > Short.MAX_VALUE || sample.y() > Short.MAX_VALUE) {
        throw new IllegalArgumentException(cannot("a sample's x or y exceeds 32767, the largest X and Y the record holds"));
      }
      if (sample.pressure() > 0xFFFF) {
        throw new IllegalArgumentException(cannot("a sample's pressure exceeds 65535, the largest F the record holds"));
      }
    }
    int positionScaling;
    try {
      positionScaling = ScalingValue.encode(capture.capabilities().unitsPerMillimetre());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(cannot("the pad's resolution must lie between 2^-16 and 65,520 units per millimetre"));
    }
    long unit = timeUnitMicros(capture);
    long[] ticks = ticks(samples, unit);
    byte[] block = block(capture);
    boolean tilt = capture.hasTilt();

    Out out = new Out(64 + block.length + samples.size() * (tilt ? 13 : 9));
    out.bytes(FORMAT_IDENTIFIER);
    out.bytes(VERSION);
    out.u16(X | Y | DT | F | S | (tilt ? TX | TY : 0));
    out.u8(PREAMBLE_SCALING);
    out.u16(positionScaling);
    out.u8(PREAMBLE_SCALING);
    out.u16(positionScaling);
    out.u8(PREAMBLE_SCALING);
    out.u16(ScalingValue.encode(1e6 / unit));
    out.u8(0);
    out.u8(0);
    if (tilt) {
      out.u8(PREAMBLE_SCALING);
      out.u16(DEGREE_SCALING);
      out.u8(PREAMBLE_SCALING);
      out.u16(DEGREE_SCALING);
    }
    out.u8(0);
    out.u8(EXTENDED_DATA_PRESENT);
    out.u24(samples.size());
    long previous = 0;
    for (int i = 0; i < samples.size(); i++) {
      PenSample sample = samples.get(i);
      out.u16(sample.x() + SIGNED_OFFSET);
      out.u16(sample.y() + SIGNED_OFFSET);
      out.u16((int) (ticks[i] - previous));
      out.u16(sample.pressure());
      out.u8(sample.touching() ? 1 : 0);
      if (tilt) {
        out.u16(sample.tiltX() + SIGNED_OFFSET);
        out.u16(sample.tiltY() + SIGNED_OFFSET);
      }
      previous = ticks[i];
    }
    out.u16(block.length);
    out.bytes(block);
    return out.toByteArray();
  }

  /**
   * The capture in a record this class wrote.
   *
   * @throws InvalidIsoRecordException naming what is wrong and the byte where it lies; nothing is
   *     returned for a record that is wrong anywhere
   */
  public static SignatureCapture decode(byte[] record) {
    if (record == null) {
      throw new IllegalArgumentException("Cannot read the ISO/IEC 19794-7 record: the record is required");
    }
    return new Decoding(record).capture();
  }

  /**
   * The time unit the encoder uses for a capture: the coarsest that holds every sample time exactly,
   * or else the finest whose rounded gaps fit 16 bits.
   */
  static long timeUnitMicros(SignatureCapture capture) {
    List<PenSample> samples = capture.samples();
    for (long unit : TIME_UNITS_MICROS) {
      if (fits(samples, unit, true)) {
        return unit;
      }
    }
    for (int i = TIME_UNITS_MICROS.length - 1; i >= 0; i--) {
      if (fits(samples, TIME_UNITS_MICROS[i], false)) {
        return TIME_UNITS_MICROS[i];
      }
    }
    throw new IllegalArgumentException(cannot("two samples lie more than 65.535 seconds apart, more than the DT channel holds"));
  }

  private static boolean fits(List<PenSample> samples, long unit, boolean exactly) {
    long previous = 0;
    for (PenSample sample : samples) {
      long time = sample.timeMicros();
      if (time > 1L << 50 || exactly && time % unit != 0) {
        return false;
      }
      long tick = exactly ? time / unit : (time + unit / 2) / unit;
      if (tick - previous > 0xFFFF) {
        return false;
      }
      previous = tick;
    }
    return true;
  }

  /** Each sample's time in units since the capture started, rounded to the nearest unit. */
  private static long[] ticks(List<PenSample> samples, long unit) {
    long[] ticks = new long[samples.size()];
    for (int i = 0; i < ticks.length; i++) {
      ticks[i] = (samples.get(i).timeMicros() + unit / 2) / unit;
    }
    return ticks;
  }

  /** Our extended data block: what the capture holds that the 2007 record has no field for. */
  private static byte[] block(SignatureCapture capture) {
    Out out = new Out(128);
    out.bytes(BLOCK_MARKER);
    out.u8(BLOCK_VERSION);
    out.u64(capture.startedAt().getEpochSecond());
    out.u32(capture.startedAt().getNano());
    Capabilities pad = capture.capabilities();
    out.u32(pad.width());
    out.u32(pad.height());
    out.u32(pad.maxPressure());
    out.u64(Double.doubleToLongBits(pad.unitsPerMillimetre()));
    out.u32(pad.samplesPerSecond());
    out.u32(pad.screenWidth());
    out.u32(pad.screenHeight());
    DeviceInfo device = capture.device();
    for (String text : new String[] {device.vendor(), device.model(), device.serialNumber(), device.firmware()}) {
      byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
      if (utf8.length > MAX_EXTENDED_DATA) {
        throw new IllegalArgumentException(cannot("the device's description does not fit the extended data"));
      }
      out.u16(utf8.length);
      out.bytes(utf8);
    }
    List<PenSample> samples = capture.samples();
    List<Integer> rangeRuns = new ArrayList<>();
    boolean inRange = true;
    int run = 0;
    for (PenSample sample : samples) {
      if (sample.inRange() != inRange) {
        rangeRuns.add(run);
        inRange = sample.inRange();
        run = 0;
      }
      run++;
    }
    rangeRuns.add(run);
    out.varint(rangeRuns.size());
    for (int length : rangeRuns) {
      out.varint(length);
    }
    Out sequences = new Out(16);
    int runs = 0;
    for (int start = 0; start < samples.size(); runs++) {
      long first = samples.get(start).sequence();
      int end = start + 1;
      while (end < samples.size() && follows(first, samples.get(end - 1).sequence(), samples.get(end).sequence())) {
        end++;
      }
      sequences.u8(first == PenSample.NO_SEQUENCE ? 0 : 1);
      sequences.varint(end - start);
      if (first != PenSample.NO_SEQUENCE) {
        sequences.varint((first << 1) ^ (first >> 63));
      }
      start = end;
    }
    out.varint(runs);
    out.bytes(sequences.toByteArray());
    if (out.size() > MAX_EXTENDED_DATA) {
      throw new IllegalArgumentException(cannot("the device's description and sequence numbers need " + out.size()
          + " bytes of extended data, more than 65,535 (sequence numbers that jump at almost every sample do not fit)"));
    }
    return out.toByteArray();
  }

  /** Whether a sample continues a run: no number after no number, or the previous number plus one. */
  private static boolean follows(long runStart, long previous, long next) {
    if (runStart == PenSample.NO_SEQUENCE) {
      return next == PenSample.NO_SEQUENCE;
    }
    return next != PenSample.NO_SEQUENCE && previous != Long.MAX_VALUE && next == previous + 1;
  }

  private static String cannot(String reason) {
    return "Cannot encode the capture as ISO/IEC 19794-7: " + reason;
  }

  /** One reading of one record: a cursor, and what has been read so far. */
  private static final class Decoding {

    private final byte[] data;
    private int pos;
    private int limit;

    Decoding(byte[] data) {
      this.data = data;
      this.limit = data.length;
    }

    SignatureCapture capture() {
      expectBytes(FORMAT_IDENTIFIER, "the format identifier", "the format identifier is not \"SDI\"");
      expectBytes(VERSION, "the version number",
          "the version is not \" 10\" (this codec reads the 2007 first edition only)");
      int inclusionOffset = pos;
      int channels = u16("the channel inclusion field");
      checkChannels(channels, inclusionOffset);
      boolean tilt = (channels & TX) != 0;

      int xScalingOffset = description(channels, X, true);
      int xScaling = u16At(xScalingOffset);
      int yScalingOffset = description(channels, Y, true);
      int yScaling = u16At(yScalingOffset);
      int dtScalingOffset = description(channels, DT, true);
      long unit = timeUnit(u16At(dtScalingOffset), dtScalingOffset);
      description(channels, F, false);
      description(channels, S, false);
      if (tilt) {
        for (int channel : new int[] {TX, TY}) {
          int offset = description(channels, channel, true);
          if (u16At(offset) != DEGREE_SCALING) {
            throw fail("the scaling value of channel " + name(channel) + " is not 1 unit per degree", offset);
          }
        }
      }
      int reservedOffset = pos;
      if (u8("the reserved byte") != 0) {
        throw fail("the reserved byte after the channel descriptions is not 0", reservedOffset);
      }
      int flagOffset = pos;
      int flag = u8("the extended data flag");
      if (flag != 0 && flag != EXTENDED_DATA_PRESENT) {
        throw fail("the extended data flag is neither 0x00 nor 0x80", flagOffset);
      }
      int countOffset = pos;
      int count = u24("the number of sample points");
      if (count == 0) {
        throw fail("the record has no sample points", countOffset);
      }
      if (count > MAX_SAMPLES) {
        throw fail("the record has more than " + MAX_SAMPLES + " sample points", countOffset);
      }

      int size = tilt ? 13 : 9;
      int base = pos;
      long available = limit - pos;
      if (available < (long) count * size) {
        int index = (int) (available / size);
        throw fail("the record ends inside sample point " + index, base + index * size);
      }
      int[] raw = new int[count * 7];
      for (int i = 0; i < count; i++) {
        raw[i * 7] = u16("X");
        raw[i * 7 + 1] = u16("Y");
        raw[i * 7 + 2] = u16("DT");
        raw[i * 7 + 3] = u16("F");
        raw[i * 7 + 4] = u8("S");
        if (raw[i * 7 + 4] > 1) {
          throw fail("sample point " + i + ": the tip switch S is neither 0 nor 1", base + i * size + 8);
        }
        if (tilt) {
          raw[i * 7 + 5] = u16("TX");
          raw[i * 7 + 6] = u16("TY");
        }
      }

      if (flag == 0) {
        if (pos < limit) {
          throw fail("there " + bytes(limit - pos) + " after the last sample point", pos);
        }
        throw fail("the record has no extended data, so it lacks the device, the pad and the start time"
            + " (this codec reads only the records it writes)", flagOffset);
      }
      int lengthOffset = pos;
      int length = u16("the extended data length");
      if (limit - pos < length) {
        throw fail("the record ends inside the extended data (its length says " + length + " bytes)", lengthOffset);
      }
      if (limit - pos > length) {
        throw fail("there " + bytes(limit - pos - length) + " after the extended data", pos + length);
      }
      Block block = block(count);

      Capabilities pad = block.capabilities;
      int expected = ScalingValue.encode(pad.unitsPerMillimetre());
      if (xScaling != expected) {
        throw fail("the scaling value of channel X does not match the pad's resolution in the extended data", xScalingOffset);
      }
      if (yScaling != expected) {
        throw fail("the scaling value of channel Y does not match the pad's resolution in the extended data", yScalingOffset);
      }
      List<PenSample> samples = new ArrayList<>(count);
      long time = 0;
      for (int i = 0; i < count; i++) {
        int offset = base + i * size;
        int x = raw[i * 7] - SIGNED_OFFSET;
        int y = raw[i * 7 + 1] - SIGNED_OFFSET;
        int pressure = raw[i * 7 + 3];
        boolean touching = raw[i * 7 + 4] == 1;
        if (x < 0 || x > pad.width()) {
          throw fail("sample point " + i + ": X lies outside the pad", offset);
        }
        if (y < 0 || y > pad.height()) {
          throw fail("sample point " + i + ": Y lies outside the pad", offset + 2);
        }
        if (pressure > pad.maxPressure()) {
          throw fail("sample point " + i + ": F exceeds the pad's largest pressure", offset + 6);
        }
        if (touching && !block.inRange[i]) {
          throw fail("sample point " + i + ": the pen touches but the extended data has it out of range", offset + 8);
        }
        int tiltX = PenSample.NO_TILT;
        int tiltY = PenSample.NO_TILT;
        if (tilt) {
          tiltX = raw[i * 7 + 5] - SIGNED_OFFSET;
          tiltY = raw[i * 7 + 6] - SIGNED_OFFSET;
          if (Math.abs(tiltX) > 90) {
            throw fail("sample point " + i + ": TX lies outside -90 to 90 degrees", offset + 9);
          }
          if (Math.abs(tiltY) > 90) {
            throw fail("sample point " + i + ": TY lies outside -90 to 90 degrees", offset + 11);
          }
        }
        time += raw[i * 7 + 2] * unit;
        try {
          samples.add(new PenSample(x, y, pressure, time, touching, block.inRange[i], block.sequences[i], tiltX, tiltY));
        } catch (IllegalArgumentException e) {
          throw fail("sample point " + i + ": " + e.getMessage(), offset);
        }
      }
      try {
        return new SignatureCapture(block.device, pad, block.startedAt, samples);
      } catch (IllegalArgumentException e) {
        throw fail(e.getMessage(), base);
      }
    }

    private void checkChannels(int channels, int offset) {
      if ((channels & X) == 0) {
        throw fail("the channel inclusion field lacks channel X", offset);
      }
      if ((channels & Y) == 0) {
        throw fail("the channel inclusion field lacks channel Y", offset);
      }
      if ((channels & (T | DT)) == 0) {
        throw fail("the channel inclusion field lacks a time channel (T or DT)", offset);
      }
      int unread = channels & ~(X | Y | DT | F | S | TX | TY);
      if (unread != 0) {
        throw fail("channel " + name(Integer.highestOneBit(unread))
            + " is included, which this codec does not read (it reads X, Y, DT, F, S, TX and TY)", offset);
      }
      if ((channels & F) == 0) {
        throw fail("the channel inclusion field lacks channel F (pen tip force)", offset);
      }
      if ((channels & S) == 0) {
        throw fail("the channel inclusion field lacks channel S (tip switch)", offset);
      }
      if ((channels & TX) == 0 != ((channels & TY) == 0)) {
        throw fail("channels TX and TY must be included together", offset);
      }
    }

    /** Reads one channel description; returns where its scaling value lies, or -1 for none. */
    private int description(int channels, int channel, boolean scaled) {
      int offset = pos;
      int preamble = u8("the description of channel " + name(channel));
      int expected = scaled ? PREAMBLE_SCALING : 0;
      if (preamble != expected) {
        throw fail(String.format("the description of channel %s has preamble 0x%02X, this codec reads only 0x%02X (%s)",
            name(channel), preamble, expected, scaled ? "a scaling value" : "no attributes"), offset);
      }
      if (!scaled) {
        return -1;
      }
      int scalingOffset = pos;
      u16("the scaling value of channel " + name(channel));
      return scalingOffset;
    }

    private long timeUnit(int scaling, int offset) {
      for (long unit : TIME_UNITS_MICROS) {
        if (ScalingValue.encode(1e6 / unit) == scaling) {
          return unit;
        }
      }
      throw fail("the scaling value of channel DT is not one of the time units this codec writes (1 ms down to 20 µs)", offset);
    }

    private Block block(int count) {
      expectBytes(BLOCK_MARKER, "the extended data marker",
          "the extended data is not this codec's block (it does not start with \"NHIO\")");
      int versionOffset = pos;
      if (u8("the extended data block version") != BLOCK_VERSION) {
        throw fail("the extended data block version is not " + BLOCK_VERSION, versionOffset);
      }
      int timeOffset = pos;
      long second = u64("the start time");
      int nano = u32("the start time");
      if (nano < 0 || nano > 999_999_999) {
        throw fail("the start time's nanoseconds are out of range", timeOffset + 8);
      }
      Instant startedAt;
      try {
        startedAt = Instant.ofEpochSecond(second, nano);
      } catch (DateTimeException e) {
        throw fail("the start time is out of range", timeOffset);
      }
      int padOffset = pos;
      int width = u32("the pad's capabilities");
      int height = u32("the pad's capabilities");
      int maxPressure = u32("the pad's capabilities");
      double unitsPerMillimetre = Double.longBitsToDouble(u64("the pad's capabilities"));
      int samplesPerSecond = u32("the pad's capabilities");
      int screenWidth = u32("the pad's capabilities");
      int screenHeight = u32("the pad's capabilities");
      if (!Double.isFinite(unitsPerMillimetre)) {
        throw fail("the pad's resolution is not a finite number", padOffset + 12);
      }
      Capabilities pad;
      try {
        pad = new Capabilities(width, height, maxPressure, unitsPerMillimetre, samplesPerSecond, screenWidth, screenHeight);
        ScalingValue.encode(unitsPerMillimetre);
      } catch (IllegalArgumentException e) {
        throw fail("the pad's capabilities are invalid (" + e.getMessage() + ")", padOffset);
      }
      int deviceOffset = pos;
      String vendor = text("the device's vendor");
      String model = text("the device's model");
      String serialNumber = text("the device's serial number");
      String firmware = text("the device's firmware");
      DeviceInfo device;
      try {
        device = new DeviceInfo(vendor, model, serialNumber, firmware);
      } catch (IllegalArgumentException e) {
        throw fail("the device is invalid (" + e.getMessage() + ")", deviceOffset);
      }

      boolean[] inRange = new boolean[count];
      int runsOffset = pos;
      long runs = varint("the number of in-range runs");
      if (runs < 1 || runs > count + 1L) {
        throw fail("the number of in-range runs is out of range", runsOffset);
      }
      int covered = 0;
      for (int run = 0; run < runs; run++) {
        int offset = pos;
        long length = varint("an in-range run");
        if (run > 0 && length == 0) {
          throw fail("an in-range run after the first is empty", offset);
        }
        if (length > count - covered) {
          throw fail("the in-range runs cover more than the record's " + count + " sample points", offset);
        }
        Arrays.fill(inRange, covered, covered + (int) length, run % 2 == 0);
        covered += (int) length;
      }
      if (covered != count) {
        throw fail("the in-range runs do not cover every sample point", runsOffset);
      }

      long[] sequences = new long[count];
      runsOffset = pos;
      runs = varint("the number of sequence runs");
      if (runs < 1 || runs > count) {
        throw fail("the number of sequence runs is out of range", runsOffset);
      }
      covered = 0;
      for (int run = 0; run < runs; run++) {
        int offset = pos;
        int kind = u8("a sequence run");
        if (kind > 1) {
          throw fail("a sequence run is of an unknown kind", offset);
        }
        long length = varint("a sequence run");
        if (length == 0 || length > count - covered) {
          throw fail(length == 0 ? "a sequence run is empty" : "the sequence runs cover more than the record's " + count
              + " sample points", offset);
        }
        long first = PenSample.NO_SEQUENCE;
        if (kind == 1) {
          long zigzag = varint("a sequence run");
          first = (zigzag >>> 1) ^ -(zigzag & 1);
          long last;
          try {
            last = Math.addExact(first, length - 1);
          } catch (ArithmeticException e) {
            throw fail("a numbered sequence run goes beyond the largest number", offset);
          }
          if (first <= PenSample.NO_SEQUENCE && last >= PenSample.NO_SEQUENCE) {
            throw fail("a numbered sequence run includes -1, which means no sequence number", offset);
          }
        }
        for (int i = 0; i < length; i++) {
          sequences[covered + i] = kind == 1 ? first + i : PenSample.NO_SEQUENCE;
        }
        covered += (int) length;
      }
      if (covered != count) {
        throw fail("the sequence runs do not cover every sample point", runsOffset);
      }
      if (pos != limit) {
        throw fail("there " + bytes(limit - pos) + " after this codec's block inside the extended data", pos);
      }
      return new Block(startedAt, pad, device, inRange, sequences);
    }

    private String text(String field) {
      int length = u16(field);
      int offset = pos;
      need(length, field);
      try {
        String text = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT)
            .decode(ByteBuffer.wrap(data, pos, length))
            .toString();
        pos += length;
        return text;
      } catch (CharacterCodingException e) {
        throw fail(field + " is not valid UTF-8", offset);
      }
    }

    private void expectBytes(byte[] expected, String field, String problem) {
      int offset = pos;
      need(expected.length, field);
      if (!Arrays.equals(data, pos, pos + expected.length, expected, 0, expected.length)) {
        throw fail(problem, offset);
      }
      pos += expected.length;
    }

    private void need(long bytes, String field) {
      if (limit - pos < bytes) {
        throw fail("the record ends inside " + field, pos);
      }
    }

    private int u8(String field) {
      need(1, field);
      return data[pos++] & 0xFF;
    }

    private int u16(String field) {
      need(2, field);
      int value = u16At(pos);
      pos += 2;
      return value;
    }

    private int u16At(int offset) {
      return (data[offset] & 0xFF) << 8 | data[offset + 1] & 0xFF;
    }

    private int u24(String field) {
      need(3, field);
      int value = (data[pos] & 0xFF) << 16 | (data[pos + 1] & 0xFF) << 8 | data[pos + 2] & 0xFF;
      pos += 3;
      return value;
    }

    private int u32(String field) {
      need(4, field);
      int value = 0;
      for (int i = 0; i < 4; i++) {
        value = value << 8 | data[pos++] & 0xFF;
      }
      return value;
    }

    private long u64(String field) {
      need(8, field);
      long value = 0;
      for (int i = 0; i < 8; i++) {
        value = value << 8 | data[pos++] & 0xFF;
      }
      return value;
    }

    /** An unsigned LEB128 number of at most 64 bits. */
    private long varint(String field) {
      int offset = pos;
      long value = 0;
      for (int shift = 0; ; shift += 7) {
        int b = u8(field);
        if (shift == 63 && (b & 0x7E) != 0 || shift > 63) {
          throw fail(field + " is not a valid variable-length number", offset);
        }
        value |= (long) (b & 0x7F) << shift;
        if ((b & 0x80) == 0) {
          return value;
        }
      }
    }

    private static InvalidIsoRecordException fail(String problem, int offset) {
      return new InvalidIsoRecordException(problem, offset);
    }
  }

  private record Block(Instant startedAt, Capabilities capabilities, DeviceInfo device, boolean[] inRange, long[] sequences) {}

  private static String bytes(int count) {
    return count == 1 ? "is 1 byte" : "are " + count + " bytes";
  }

  private static String name(int channel) {
    return CHANNEL_NAMES[Integer.numberOfTrailingZeros(channel)];
  }

  /** A growable big-endian byte buffer. */
  private static final class Out {

    private byte[] buffer;
    private int size;

    Out(int capacity) {
      buffer = new byte[Math.max(16, capacity)];
    }

    void u8(int value) {
      if (size == buffer.length) {
        buffer = Arrays.copyOf(buffer, buffer.length * 2);
      }
      buffer[size++] = (byte) value;
    }

    void u16(int value) {
      u8(value >>> 8);
      u8(value);
    }

    void u24(int value) {
      u8(value >>> 16);
      u16(value);
    }

    void u32(int value) {
      u16(value >>> 16);
      u16(value);
    }

    void u64(long value) {
      u32((int) (value >>> 32));
      u32((int) value);
    }

    /** Unsigned LEB128. */
    void varint(long value) {
      while ((value & ~0x7FL) != 0) {
        u8((int) (value & 0x7F) | 0x80);
        value >>>= 7;
      }
      u8((int) value);
    }

    void bytes(byte[] bytes) {
      for (byte b : bytes) {
        u8(b);
      }
    }

    int size() {
      return size;
    }

    byte[] toByteArray() {
      return Arrays.copyOf(buffer, size);
    }
  }
}
