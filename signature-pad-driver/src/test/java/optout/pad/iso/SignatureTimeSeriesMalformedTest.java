package optout.pad.iso;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import optout.pad.SyntheticSignatures;
import optout.pad.api.PenSample;
import optout.pad.api.SignatureCapture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Bad records, each refused with the exact message: what is wrong and the byte where it lies. A
 * refused record yields no capture at all, as decode throws.
 */
class SignatureTimeSeriesMalformedTest {

  private static final String PREFIX = "Cannot read the ISO/IEC 19794-7 record: ";

  private static void assertRefused(byte[] record, String problem, int offset) {
    InvalidIsoRecordException e = catchThrowableOfType(() -> SignatureTimeSeries.decode(record), InvalidIsoRecordException.class);
    assertThat(e).as("decoding must fail").isNotNull();
    assertThat(e).hasMessage(PREFIX + problem + " (at byte " + offset + ")");
    assertThat(e.offset()).isEqualTo(offset);
  }

  private static byte[] tiny(int offset, int... replacement) {
    byte[] record = TinyRecord.bytes();
    for (int i = 0; i < replacement.length; i++) {
      record[offset + i] = (byte) replacement[i];
    }
    return record;
  }

  /** What the decoder reports for the record cut after {@code length} bytes, from the field table. */
  private static String truncation(int length) {
    if (length < 4) return "the record ends inside the format identifier (at byte 0)";
    if (length < 8) return "the record ends inside the version number (at byte 4)";
    if (length < 10) return "the record ends inside the channel inclusion field (at byte 8)";
    if (length == 10) return "the record ends inside the description of channel X (at byte 10)";
    if (length < 13) return "the record ends inside the scaling value of channel X (at byte 11)";
    if (length == 13) return "the record ends inside the description of channel Y (at byte 13)";
    if (length < 16) return "the record ends inside the scaling value of channel Y (at byte 14)";
    if (length == 16) return "the record ends inside the description of channel DT (at byte 16)";
    if (length < 19) return "the record ends inside the scaling value of channel DT (at byte 17)";
    if (length == 19) return "the record ends inside the description of channel F (at byte 19)";
    if (length == 20) return "the record ends inside the description of channel S (at byte 20)";
    if (length == 21) return "the record ends inside the reserved byte (at byte 21)";
    if (length == 22) return "the record ends inside the extended data flag (at byte 22)";
    if (length < 26) return "the record ends inside the number of sample points (at byte 23)";
    if (length < 35) return "the record ends inside sample point 0 (at byte 26)";
    if (length < 44) return "the record ends inside sample point 1 (at byte 35)";
    if (length < 46) return "the record ends inside the extended data length (at byte 44)";
    return "the record ends inside the extended data (its length says 87 bytes) (at byte 44)";
  }

  @Test
  void everyTruncationPointIsRefusedNamingTheFieldItCuts() {
    byte[] record = TinyRecord.bytes();
    for (int length = 0; length < record.length; length++) {
      byte[] cut = Arrays.copyOf(record, length);
      assertThatThrownBy(() -> SignatureTimeSeries.decode(cut))
          .as("cut after %d bytes", length)
          .isInstanceOf(InvalidIsoRecordException.class)
          .hasMessage(PREFIX + truncation(length));
    }
  }

  @ParameterizedTest(name = "byte {0}")
  @CsvSource({"0", "1", "2", "3"})
  void aFlippedFormatIdentifierIsRefused(int offset) {
    byte[] record = TinyRecord.bytes();
    record[offset] ^= 0x20;
    assertRefused(record, "the format identifier is not \"SDI\"", 0);
  }

  @Test
  void anotherVersionIsRefused() {
    assertRefused(tiny(4, '0', '3', '0', 0), "the version is not \" 10\" (this codec reads the 2007 first edition only)", 4);
    assertRefused(tiny(4, '0', '2', '0', 0), "the version is not \" 10\" (this codec reads the 2007 first edition only)", 4);
  }

  @ParameterizedTest(name = "0x{0}")
  @CsvSource(delimiter = '|', value = {
      "40E0|the channel inclusion field lacks channel X",
      "80E0|the channel inclusion field lacks channel Y",
      "C060|the channel inclusion field lacks a time channel (T or DT)",
      "C160|channel T is included, which this codec does not read (it reads X, Y, DT, F, S, TX and TY)",
      "E0E0|channel Z is included, which this codec does not read (it reads X, Y, DT, F, S, TX and TY)",
      "C0E1|channel R is included, which this codec does not read (it reads X, Y, DT, F, S, TX and TY)",
      "DEE0|channel VX is included, which this codec does not read (it reads X, Y, DT, F, S, TX and TY)",
      "C0A0|the channel inclusion field lacks channel F (pen tip force)",
      "C0C0|the channel inclusion field lacks channel S (tip switch)",
      "C0F0|channels TX and TY must be included together",
      "C0E8|channels TX and TY must be included together",
      "0000|the channel inclusion field lacks channel X",
  })
  void aBadChannelMaskIsRefused(String mask, String problem) {
    int value = Integer.parseInt(mask, 16);
    assertRefused(tiny(TinyRecord.CHANNEL_INCLUSION, value >>> 8, value & 0xFF), problem, TinyRecord.CHANNEL_INCLUSION);
  }

  @Test
  void channelDescriptionsWithOtherAttributesAreRefused() {
    assertRefused(tiny(TinyRecord.X_DESCRIPTION, 0xC0),
        "the description of channel X has preamble 0xC0, this codec reads only 0x80 (a scaling value)", TinyRecord.X_DESCRIPTION);
    assertRefused(tiny(TinyRecord.DT_DESCRIPTION, 0x84),
        "the description of channel DT has preamble 0x84, this codec reads only 0x80 (a scaling value)", TinyRecord.DT_DESCRIPTION);
    assertRefused(tiny(TinyRecord.Y_DESCRIPTION, 0x00),
        "the description of channel Y has preamble 0x00, this codec reads only 0x80 (a scaling value)", TinyRecord.Y_DESCRIPTION);
    assertRefused(tiny(TinyRecord.F_DESCRIPTION, 0x80),
        "the description of channel F has preamble 0x80, this codec reads only 0x00 (no attributes)", TinyRecord.F_DESCRIPTION);
    assertRefused(tiny(TinyRecord.S_DESCRIPTION, 0x01),
        "the description of channel S has preamble 0x01, this codec reads only 0x00 (no attributes)", TinyRecord.S_DESCRIPTION);
  }

  @Test
  void scalingValuesThisCodecDoesNotWriteAreRefused() {
    // The field has no zero: 0x0000 is 2^-16 units per second, a unit of 18 hours.
    assertRefused(tiny(TinyRecord.DT_DESCRIPTION + 1, 0x00, 0x00),
        "the scaling value of channel DT is not one of the time units this codec writes (1 ms down to 20 µs)", 17);
    // 1024 units per second: a unit of 976.5625 µs, not whole microseconds
    assertRefused(tiny(TinyRecord.DT_DESCRIPTION + 1, 0xD0, 0x00),
        "the scaling value of channel DT is not one of the time units this codec writes (1 ms down to 20 µs)", 17);
    assertRefused(tiny(TinyRecord.X_DESCRIPTION + 1, 0x00, 0x00),
        "the scaling value of channel X does not match the pad's resolution in the extended data", 11);
    assertRefused(tiny(TinyRecord.Y_DESCRIPTION + 1, 0x80, 0x00),
        "the scaling value of channel Y does not match the pad's resolution in the extended data", 14);
  }

  @Test
  void tiltScalingOtherThanOneUnitPerDegreeIsRefused() {
    SignatureCapture capture = SignatureTimeSeriesRoundTripTest.tilted(SyntheticSignatures.handwriting(1.0));
    byte[] record = SignatureTimeSeries.encode(capture);
    // TX description at 21, its scaling value at 22; TY at 24 and 25
    record[22] = (byte) 0x88;
    assertRefused(record, "the scaling value of channel TX is not 1 unit per degree", 22);
    record[22] = (byte) 0x80;
    record[26] = 0x01;
    assertRefused(record, "the scaling value of channel TY is not 1 unit per degree", 25);
  }

  @Test
  void aNonZeroReservedByteIsRefused() {
    assertRefused(tiny(TinyRecord.RESERVED, 0x01), "the reserved byte after the channel descriptions is not 0", TinyRecord.RESERVED);
  }

  @Test
  void anExtendedDataFlagOtherThanTheLeadingBitIsRefused() {
    assertRefused(tiny(TinyRecord.EXTENDED_DATA_FLAG, 0x01), "the extended data flag is neither 0x00 nor 0x80",
        TinyRecord.EXTENDED_DATA_FLAG);
  }

  @Test
  void aRecordWithoutOurExtendedDataIsRefused() {
    byte[] record = Arrays.copyOf(tiny(TinyRecord.EXTENDED_DATA_FLAG, 0x00), TinyRecord.EXTENDED_DATA_LENGTH);
    assertRefused(record, "the record has no extended data, so it lacks the device, the pad and the start time"
        + " (this codec reads only the records it writes)", TinyRecord.EXTENDED_DATA_FLAG);
    assertRefused(tiny(TinyRecord.EXTENDED_DATA_FLAG, 0x00), "there are 89 bytes after the last sample point",
        TinyRecord.EXTENDED_DATA_LENGTH);
  }

  @Test
  void zeroOrTooManySamplePointsAreRefused() {
    assertRefused(tiny(TinyRecord.SAMPLE_COUNT, 0, 0, 0), "the record has no sample points", TinyRecord.SAMPLE_COUNT);
    // 120,001 = 0x01D4C1
    assertRefused(tiny(TinyRecord.SAMPLE_COUNT, 0x01, 0xD4, 0xC1), "the record has more than 120000 sample points",
        TinyRecord.SAMPLE_COUNT);
    assertRefused(tiny(TinyRecord.SAMPLE_COUNT, 0xFF, 0xFF, 0xFF), "the record has more than 120000 sample points",
        TinyRecord.SAMPLE_COUNT);
    // 200 sample points of 9 bytes do not fit the 107 bytes left: the 12th (index 11) is cut
    assertRefused(tiny(TinyRecord.SAMPLE_COUNT, 0, 0, 200), "the record ends inside sample point 11", 26 + 11 * 9);
  }

  @Test
  void aSampleCountThatDisagreesWithTheDataIsRefused() {
    // Three sample points: the third is read from the extended data, the rest no longer adds up.
    assertRefused(tiny(TinyRecord.SAMPLE_COUNT, 0, 0, 3), "there are 78 bytes after the extended data", 55);
    // One sample point: the second is taken for the extended data length (0x85E6 bytes).
    assertRefused(tiny(TinyRecord.SAMPLE_COUNT, 0, 0, 1),
        "the record ends inside the extended data (its length says 34278 bytes)", TinyRecord.SAMPLE_1);
  }

  @Test
  void anExtendedDataLengthThatDisagreesWithTheDataIsRefused() {
    assertRefused(tiny(TinyRecord.EXTENDED_DATA_LENGTH, 0, 88), "the record ends inside the extended data (its length says 88"
        + " bytes)", TinyRecord.EXTENDED_DATA_LENGTH);
    assertRefused(tiny(TinyRecord.EXTENDED_DATA_LENGTH, 0, 86), "there is 1 byte after the extended data", 132);
    assertRefused(tiny(TinyRecord.EXTENDED_DATA_LENGTH, 0, 0), "there are 87 bytes after the extended data", 46);
  }

  @Test
  void trailingGarbageIsRefused() {
    byte[] record = Arrays.copyOf(TinyRecord.bytes(), TinyRecord.LENGTH + 1);
    assertRefused(record, "there is 1 byte after the extended data", TinyRecord.LENGTH);
    byte[] longer = Arrays.copyOf(TinyRecord.bytes(), TinyRecord.LENGTH + 16);
    assertRefused(longer, "there are 16 bytes after the extended data", TinyRecord.LENGTH);
  }

  @Test
  void outOfRangeSampleValuesAreRefusedWithoutRepeatingThem() {
    // X 9601 = 0xA581 (beyond the 9600 wide pad); X -1 = 0x7FFF
    assertRefused(tiny(TinyRecord.SAMPLE_0, 0xA5, 0x81), "sample point 0: X lies outside the pad", TinyRecord.SAMPLE_0);
    assertRefused(tiny(TinyRecord.SAMPLE_1, 0x7F, 0xFF), "sample point 1: X lies outside the pad", TinyRecord.SAMPLE_1);
    // Y 6001 = 0x9771
    assertRefused(tiny(TinyRecord.SAMPLE_0 + 2, 0x97, 0x71), "sample point 0: Y lies outside the pad", TinyRecord.SAMPLE_0 + 2);
    // F 1024 on a 1023 pad
    assertRefused(tiny(TinyRecord.SAMPLE_0 + 6, 0x04, 0x00), "sample point 0: F exceeds the pad's largest pressure",
        TinyRecord.SAMPLE_0 + 6);
    assertRefused(tiny(TinyRecord.SAMPLE_1 + 8, 0x02), "sample point 1: the tip switch S is neither 0 nor 1",
        TinyRecord.SAMPLE_1 + 8);
    InvalidIsoRecordException e = catchThrowableOfType(() -> SignatureTimeSeries.decode(tiny(TinyRecord.SAMPLE_0, 0xA5, 0x81)),
        InvalidIsoRecordException.class);
    assertThat(e.getMessage()).doesNotContain("9601", "1500", "3000", "512");
  }

  @Test
  void tiltOutsideNinetyDegreesIsRefused() {
    SignatureCapture capture = SignatureTimeSeriesRoundTripTest.tilted(SyntheticSignatures.handwriting(1.0));
    byte[] record = SignatureTimeSeries.encode(capture);
    // header of a tilted record: 8 + 2 + 5 descriptions of 3 bytes + 2 of 1 byte + reserved, flag, count
    int sample0 = 32;
    record[sample0 + 9] = (byte) 0x80;
    record[sample0 + 10] = (byte) 91;
    assertRefused(record, "sample point 0: TX lies outside -90 to 90 degrees", sample0 + 9);
    record[sample0 + 9] = (byte) 0x80;
    record[sample0 + 10] = 0;
    record[sample0 + 11] = (byte) 0x7F;
    record[sample0 + 12] = (byte) 0xA5;
    assertRefused(record, "sample point 0: TY lies outside -90 to 90 degrees", sample0 + 11);
  }

  @Test
  void aPenThatTouchesOutOfRangeIsRefused() {
    List<PenSample> samples = new ArrayList<>(TinyRecord.CAPTURE.samples());
    samples.set(1, new PenSample(1510, 3005, 0, 5000, false, false, 1));
    byte[] record = SignatureTimeSeries.encode(new SignatureCapture(TinyRecord.CAPTURE.device(),
        TinyRecord.CAPTURE.capabilities(), TinyRecord.CAPTURE.startedAt(), samples));
    record[TinyRecord.SAMPLE_1 + 8] = 1;
    assertRefused(record, "sample point 1: the pen touches but the extended data has it out of range", TinyRecord.SAMPLE_1 + 8);
  }

  @Test
  void aForeignOrDamagedExtendedDataBlockIsRefused() {
    assertRefused(tiny(TinyRecord.BLOCK, 'X'), "the extended data is not this codec's block (it does not start with \"NHIO\")",
        TinyRecord.BLOCK);
    assertRefused(tiny(TinyRecord.BLOCK + 4, 2), "the extended data block version is not 1", TinyRecord.BLOCK + 4);
    // 1,000,000,000 ns = 0x3B9ACA00
    assertRefused(tiny(TinyRecord.BLOCK_NANOS, 0x3B, 0x9A, 0xCA, 0x00), "the start time's nanoseconds are out of range",
        TinyRecord.BLOCK_NANOS);
    assertRefused(tiny(TinyRecord.BLOCK + 5, 0x7F), "the start time is out of range", TinyRecord.BLOCK + 5);
    assertRefused(tiny(TinyRecord.BLOCK_PAD, 0, 0, 0, 0), "the pad's capabilities are invalid (Cannot describe a pad: size,"
        + " pressure range, resolution and sampling rate must be positive)", TinyRecord.BLOCK_PAD);
    assertRefused(tiny(TinyRecord.BLOCK_PAD + 12, 0x7F, 0xF0, 0, 0, 0, 0, 0, 0), "the pad's resolution is not a finite number",
        TinyRecord.BLOCK_PAD + 12);
    assertRefused(tiny(TinyRecord.BLOCK_VENDOR, 0xFF), "the device's vendor is not valid UTF-8", TinyRecord.BLOCK_VENDOR);
    assertRefused(tiny(TinyRecord.BLOCK_VENDOR, ' ', ' ', ' ', ' '),
        "the device is invalid (Cannot describe a device: vendor and model are required)", TinyRecord.BLOCK_VENDOR - 2);
    assertRefused(tiny(TinyRecord.BLOCK_VENDOR - 2, 0, 99), "the record ends inside the device's vendor",
        TinyRecord.BLOCK_VENDOR);
  }

  @Test
  void damagedRunsInTheExtendedDataAreRefused() {
    int ranges = TinyRecord.BLOCK_RANGE_RUNS;
    int sequences = TinyRecord.BLOCK_SEQUENCE_RUNS;
    assertRefused(tiny(ranges, 0), "the number of in-range runs is out of range", ranges);
    assertRefused(tiny(ranges + 1, 3), "the in-range runs cover more than the record's 2 sample points", ranges + 1);
    assertRefused(tiny(ranges + 1, 1), "the in-range runs do not cover every sample point", ranges);
    // 0x80 continues the varint into the next byte: 128 samples
    assertRefused(tiny(ranges + 1, 0x80), "the in-range runs cover more than the record's 2 sample points", ranges + 1);
    assertRefused(tiny(ranges, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF), "the record ends inside the number of in-range runs",
        TinyRecord.LENGTH);
    assertRefused(tiny(sequences, 3), "the number of sequence runs is out of range", sequences);
    assertRefused(tiny(sequences + 1, 2), "a sequence run is of an unknown kind", sequences + 1);
    assertRefused(tiny(sequences + 2, 0), "a sequence run is empty", sequences + 1);
    assertRefused(tiny(sequences + 2, 3), "the sequence runs cover more than the record's 2 sample points", sequences + 1);
    assertRefused(tiny(sequences + 2, 1), "the sequence runs do not cover every sample point", sequences);
    // first number -1 (zigzag 1): a numbered run through -1
    assertRefused(tiny(sequences + 3, 1), "a numbered sequence run includes -1, which means no sequence number", sequences + 1);
    assertRefused(tiny(sequences + 1, 0, 2, 0), "there is 1 byte after this codec's block inside the extended data", 132);
  }

  @Test
  void randomDamageIsEitherReadOrRefusedWithAnInvalidRecordException() {
    // No other exception (index out of bounds, arithmetic) may escape, whatever the bytes.
    byte[] original = SignatureTimeSeries.encode(SignatureTimeSeriesRoundTripTest.tilted(SyntheticSignatures.handwriting(1.0)));
    Random random = new Random(19794_7L);
    int refused = 0;
    for (int round = 0; round < 3000; round++) {
      byte[] record = original.clone();
      for (int flips = 1 + random.nextInt(3); flips > 0; flips--) {
        int at = random.nextInt(record.length);
        record[at] = (byte) random.nextInt(256);
      }
      try {
        SignatureTimeSeries.decode(record);
      } catch (InvalidIsoRecordException e) {
        assertThat(e.getMessage()).startsWith(PREFIX).contains(" (at byte ");
        refused++;
      }
    }
    assertThat(refused).isGreaterThan(100);
  }
}
