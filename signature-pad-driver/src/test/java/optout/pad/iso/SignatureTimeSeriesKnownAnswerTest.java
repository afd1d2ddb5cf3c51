package optout.pad.iso;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The encoder's bytes against a record written out by hand in {@link TinyRecord}. */
class SignatureTimeSeriesKnownAnswerTest {

  @Test
  void theHandWrittenRecordIsWhatTheEncoderWrites() {
    byte[] expected = TinyRecord.bytes();
    assertThat(expected).hasSize(TinyRecord.LENGTH);
    byte[] actual = SignatureTimeSeries.encode(TinyRecord.CAPTURE);
    // Hex first, so a difference shows where it lies.
    assertThat(HexFormat.of().withUpperCase().formatHex(actual)).isEqualTo(HexFormat.of().withUpperCase().formatHex(expected));
  }

  @Test
  void theHandWrittenRecordDecodesToTheCapture() {
    assertThat(SignatureTimeSeries.decode(TinyRecord.bytes())).isEqualTo(TinyRecord.CAPTURE);
  }

  @Test
  void theHeaderStartsWithTheFormatIdentifierAndVersionOfTheFirstEdition() {
    byte[] record = SignatureTimeSeries.encode(TinyRecord.CAPTURE);
    assertThat(new String(record, 0, 8, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("SDI\0 10\0");
  }

  @Test
  void aTiltedCaptureAddsTxAndTyAfterS() {
    var tilted = new optout.pad.api.SignatureCapture(TinyRecord.CAPTURE.device(), TinyRecord.CAPTURE.capabilities(),
        TinyRecord.CAPTURE.startedAt(), java.util.List.of(
            new optout.pad.api.PenSample(1500, 3000, 512, 0, true, true, 0, -30, 45),
            new optout.pad.api.PenSample(1510, 3005, 0, 5000, false, true, 1, 0, -90)));
    byte[] record = SignatureTimeSeries.encode(tilted);
    String hex = HexFormat.of().withUpperCase().formatHex(record, 0, 60);
    // channels 1100 0000 1111 1000: TX (bit 4) and TY (bit 3) added; their descriptions: 1 unit/degree
    assertThat(hex).startsWith("53444900" + "20313000" + "C0F8" + "80B480" + "80B480" + "80CFA0" + "00" + "00"
        + "808000" + "808000" + "00" + "80" + "000002"
        // X, Y, DT, F, S, then TX -30 + 32768 = 0x7FE2, TY 45 + 32768 = 0x802D
        + "85DC" + "8BB8" + "0000" + "0200" + "01" + "7FE2" + "802D"
        // TX 0 = 0x8000, TY -90 + 32768 = 0x7FA6
        + "85E6" + "8BBD" + "0005" + "0000" + "00" + "8000" + "7FA6");
    assertThat(SignatureTimeSeries.decode(record)).isEqualTo(tilted);
  }
}
