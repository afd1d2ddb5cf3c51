package optout.pad.stu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.util.HexFormat;
import optout.pad.stu.StuReports.Capability;
import optout.pad.stu.StuReports.Information;
import optout.pad.stu.StuReports.MalformedReportException;
import optout.pad.stu.StuReports.Pen;
import optout.pad.stu.StuReports.Status;
import org.junit.jupiter.api.Test;

/** The report layouts, against bytes written out by hand from the protocol description. */
class StuReportsTest {

  private static byte[] hex(String bytes) {
    return HexFormat.of().parseHex(bytes.replace(" ", ""));
  }

  @Test
  void readsATimeStampedNumberedPenReport() {
    // rdy (bit 7) and sw (bits 6-4) set, pressure 0x3FF, x 0x1234, y 0x0ABC, time 0xFFFE, sequence 0x0102
    Pen pen = Pen.decode(hex("34 93FF 1234 0ABC FFFE 0102"));
    assertThat(pen).isEqualTo(new Pen(true, true, 0x3FF, 0x1234, 0x0ABC, 0xFFFE, 0x0102));
    assertThat(pen.encode()).isEqualTo(hex("34 93FF 1234 0ABC FFFE 0102"));
  }

  @Test
  void readsAPlainPenReportAndAHoveringPen() {
    assertThat(Pen.decode(hex("01 8000 0010 0020"))).isEqualTo(new Pen(true, false, 0, 0x10, 0x20, -1, -1));
    assertThat(Pen.decode(hex("01 0000 0010 0020"))).isEqualTo(new Pen(false, false, 0, 0x10, 0x20, -1, -1));
    // any of the three sw bits means touching; hidapi may pad the report
    assertThat(Pen.decode(hex("01 C123 0001 0002 0000")).touching()).isTrue();
  }

  @Test
  void refusesPenReportsThatAreTruncatedForeignOrImpossible() {
    assertThatThrownBy(() -> Pen.decode(hex("34 93FF 1234 0ABC FF"))).isInstanceOf(MalformedReportException.class)
        .hasMessage("pen report 0x34 is truncated: 8 of 11 bytes");
    assertThatThrownBy(() -> Pen.decode(hex("01 93FF"))).hasMessage("pen report 0x01 is truncated: 3 of 7 bytes");
    assertThatThrownBy(() -> Pen.decode(hex("77 00"))).hasMessage("input report 0x77 is not pen data");
    assertThatThrownBy(() -> Pen.decode(new byte[0])).hasMessage("an empty input report");
    assertThatThrownBy(() -> Pen.decode(hex("34 1000 0000 0000 0000 0000"))).hasMessage("pen report 0x34 says touching but out of range");
  }

  @Test
  void readsTheStu540sInformationAsPublished() {
    Information information = Information.decode(hex("08 5354552d353430 0000 01 00 00 02000000"));
    assertThat(information.modelName()).isEqualTo("STU-540");
    assertThat(information.firmware()).isEqualTo("1.00");
    assertThat(Information.decode(information.encode())).isEqualTo(information);
    assertThatThrownBy(() -> Information.decode(hex("08 0102030405060708 09 01 00 00 00000000")))
        .hasMessage("the Information report's model name is not printable ASCII");
  }

  @Test
  void readsCapabilityBigEndianAndRefusesZeroRanges() {
    Capability capability = Capability.decode(hex("09 2580 1770 03FF 0140 00C8 C8 09EC 02 0000"));
    assertThat(capability).isEqualTo(new Capability(9600, 6000, 1023, 320, 200, 200, 2540));
    assertThat(capability.encode()).startsWith(hex("09 2580 1770 03FF 0140 00C8 C8 09EC"));
    assertThatThrownBy(() -> Capability.decode(hex("09 0000 1770 03FF 0140 00C8 C8 09EC 02 0000")))
        .hasMessage("the Capability report has a zero range or screen size");
    assertThatThrownBy(() -> Capability.decode(hex("09 2580 1770"))).hasMessage("the Capability report is truncated: 5 of 17 bytes");
    assertThatThrownBy(() -> Capability.decode(hex("08 2580 1770 03FF 0140 00C8 C8 09EC 02 0000")))
        .hasMessage("expected the Capability report (0x09), got 0x08");
  }

  @Test
  void readsStatus() {
    assertThat(Status.decode(hex("03 01 02 0000"))).isEqualTo(new Status(StuReports.STATUS_IMAGE, StuReports.ERROR_WRONG_STATE));
  }

  @Test
  void imageBlocksCarryALittleEndianLengthAndZeroPadding() {
    byte[] image = new byte[300];
    image[253] = 7;
    byte[] block = StuReports.imageBlock(image, 253, 47);
    assertThat(block).hasSize(256);
    assertThat(block[0]).isEqualTo((byte) 0x26);
    assertThat(block[1]).isEqualTo((byte) 47);
    assertThat(block[2]).isZero();
    assertThat(block[3]).isEqualTo((byte) 7);
    assertThat(StuReports.imageBlock(new byte[253], 0, 253)[1]).isEqualTo((byte) 253);
    assertThatThrownBy(() -> StuReports.imageBlock(new byte[300], 0, 254))
        .hasMessage("Cannot make an image block: 254 bytes (1 to 253)");
  }

  @Test
  void encodesOneBitImagesMostSignificantBitFirstWithWhiteAsOne() {
    BufferedImage image = new BufferedImage(10, 2, BufferedImage.TYPE_INT_RGB);
    for (int x = 0; x < 10; x++) {
      image.setRGB(x, 0, 0xFFFFFF);
      image.setRGB(x, 1, 0xFFFFFF);
    }
    image.setRGB(0, 0, 0x000000);  // ink, top left
    image.setRGB(9, 1, 0x808080);  // dark grey counts as ink
    image.setRGB(8, 1, 0x818181);  // lighter grey does not
    // rows padded to 2 bytes: row 0 = 0111 1111 1100 0000, row 1 = 1111 1111 1000 0000
    assertThat(StuImageEncoding.ONE_BIT.encode(image)).isEqualTo(hex("7FC0 FF80"));
  }

  @Test
  void encodesColourAsRgb565HighByteFirstAndAsBgr() {
    BufferedImage image = new BufferedImage(2, 1, BufferedImage.TYPE_INT_RGB);
    image.setRGB(0, 0, 0xFF0000);
    image.setRGB(1, 0, 0x010203);
    assertThat(StuImageEncoding.RGB565.encode(image)).isEqualTo(hex("F800 0000"));
    assertThat(StuImageEncoding.BGR24.encode(image)).isEqualTo(hex("0000FF 030201"));
    BufferedImage back = StuImageEncoding.BGR24.decode(hex("0000FF 030201"), 2, 1);
    assertThat(back.getRGB(1, 0) & 0xFFFFFF).isEqualTo(0x010203);
    assertThatThrownBy(() -> StuImageEncoding.RGB565.decode(new byte[3], 2, 1))
        .hasMessage("Cannot decode an image: 3 bytes, expected 4");
  }
}
