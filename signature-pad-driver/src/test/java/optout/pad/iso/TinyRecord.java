package optout.pad.iso;

import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import optout.pad.SyntheticSignatures;
import optout.pad.api.PenSample;
import optout.pad.api.SignatureCapture;

/**
 * A two-sample capture and its record, written out byte by byte from our reading of the standard
 * (see {@link SignatureTimeSeries}), not produced by the encoder.
 */
final class TinyRecord {

  /** A pen-down sample, then a hover sample 5 ms later: STU-430 pad, sequence numbers 0 and 1. */
  static final SignatureCapture CAPTURE = new SignatureCapture(SyntheticSignatures.DEVICE, SyntheticSignatures.PAD,
      Instant.parse("2026-11-24T02:00:00Z"), List.of(
          new PenSample(1500, 3000, 512, 0, true, true, 0),
          new PenSample(1510, 3005, 0, 5000, false, true, 1)));

  /** Where each field starts, for the tests of bad records. */
  static final int CHANNEL_INCLUSION = 8;
  static final int X_DESCRIPTION = 10;
  static final int Y_DESCRIPTION = 13;
  static final int DT_DESCRIPTION = 16;
  static final int F_DESCRIPTION = 19;
  static final int S_DESCRIPTION = 20;
  static final int RESERVED = 21;
  static final int EXTENDED_DATA_FLAG = 22;
  static final int SAMPLE_COUNT = 23;
  static final int SAMPLE_0 = 26;
  static final int SAMPLE_1 = 35;
  static final int EXTENDED_DATA_LENGTH = 44;
  static final int BLOCK = 46;
  static final int BLOCK_NANOS = 59;
  static final int BLOCK_PAD = 63;
  static final int BLOCK_VENDOR = 97;
  static final int BLOCK_RANGE_RUNS = 127;
  static final int BLOCK_SEQUENCE_RUNS = 129;
  static final int LENGTH = 133;

  private static final String HEX = String.join("",
      // 0: format identifier "SDI" 0, version " 10" 0
      "53444900", "20313000",
      // 8: channel inclusion: X (bit 15), Y (14), DT (7), F (6), S (5) = 1100 0000 1110 0000
      "C0E0",
      // 10: X: preamble "scaling value only", 100 units/mm = 0xB480; 13: Y the same
      "80B480", "80B480",
      // 16: DT: scaling value 1000 units/s (1 ms) = 0xCFA0, as both times are whole milliseconds
      "80CFA0",
      // 19: F and S: no attributes
      "00", "00",
      // 21: reserved; 22: extended data follows; 23: two sample points
      "00", "80", "000002",
      // 26: X 1500 + 32768 = 0x85DC, Y 3000 + 32768 = 0x8BB8, DT 0, F 512 = 0x0200, S 1 (touching)
      "85DC", "8BB8", "0000", "0200", "01",
      // 35: X 1510 + 32768 = 0x85E6, Y 3005 + 32768 = 0x8BBD, DT 5 (ms), F 0, S 0 (hovering)
      "85E6", "8BBD", "0005", "0000", "00",
      // 44: 87 bytes of extended data
      "0057",
      // 46: "NHIO", block version 1
      "4E48494F", "01",
      // 51: start 2026-11-24T02:00:00Z = epoch second 1,795,485,600 = 0x6B04EFA0; 59: nanosecond 0
      "000000006B04EFA0", "00000000",
      // 63: width 9600, height 6000, max pressure 1023, 100.0 units/mm (IEEE 754 0x4059000000000000),
      //     200 samples/s, screen 320 x 200
      "00002580", "00001770", "000003FF", "4059000000000000", "000000C8", "00000140", "000000C8",
      // 95: "Test", "Synthetic pad", "0001", "1.0", each with a 2-byte length
      "0004", "54657374",
      "000D", "53796E74686574696320706164",
      "0004", "30303031",
      "0003", "312E30",
      // 127: one in-range run of 2 samples
      "01", "02",
      // 129: one sequence run: numbered, 2 samples, first number 0 (zigzag 0)
      "01", "01", "02", "00");

  private TinyRecord() {}

  /** A fresh copy, for a test to break. */
  static byte[] bytes() {
    return HexFormat.of().parseHex(HEX);
  }
}
