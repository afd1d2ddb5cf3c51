package optout.pad.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import optout.pad.SyntheticSignatures;
import optout.pad.api.SignatureCapture;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class CaptureJsonTest {

  private static final String HEAD = "{\"format\":\"nhi-optout-capture/1\",\"device\":{\"vendor\":\"v\",\"model\":\"m\"},"
      + "\"capabilities\":{\"width\":9600,\"height\":6000,\"maxPressure\":1023,\"unitsPerMillimetre\":100.0,"
      + "\"samplesPerSecond\":200,\"screenWidth\":320,\"screenHeight\":200},\"startedAt\":\"2026-11-24T02:00:00Z\",";

  private static SignatureCapture read(String json) throws Exception {
    return CaptureJson.read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void roundTripsEverySample() throws Exception {
    SignatureCapture capture = SyntheticSignatures.handwriting(0.7);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    CaptureJson.write(capture, out);
    assertThat(CaptureJson.read(new ByteArrayInputStream(out.toByteArray()))).isEqualTo(capture);
    assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("{\"format\":\"nhi-optout-capture/1\"");
  }

  @Test
  void readsAMinimalCapture() throws Exception {
    SignatureCapture capture = read(HEAD + "\"samples\":[[10,20,300,0,3,-1],[11,21,0,5000,2,-1]]}");
    assertThat(capture.samples()).hasSize(2);
    assertThat(capture.samples().get(0).touching()).isTrue();
    assertThat(capture.samples().get(1).touching()).isFalse();
    assertThat(capture.device().serialNumber()).isEmpty();
  }

  @Test
  void keepsThePensTiltWhereTheDeviceMeasuresIt() throws Exception {
    SignatureCapture capture = read(HEAD + "\"samples\":[[10,20,300,0,3,-1,30,-45],[11,21,0,5000,2,-1,0,90]]}");
    assertThat(capture.hasTilt()).isTrue();
    assertThat(capture.samples().get(0).tiltX()).isEqualTo(30);
    assertThat(capture.samples().get(0).tiltY()).isEqualTo(-45);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    CaptureJson.write(capture, out);
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("[10,20,300,0,3,-1,30,-45]");
    assertThat(CaptureJson.read(new ByteArrayInputStream(out.toByteArray()))).isEqualTo(capture);
    assertThat(SyntheticSignatures.handwriting(0.7).hasTilt()).isFalse();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "not json at all | not valid JSON",
    "[] | the capture must be a JSON object",
    "{\"format\":\"other/1\",\"device\":{\"vendor\":\"v\",\"model\":\"m\"},\"capabilities\":{\"width\":1,\"height\":1,\"maxPressure\":1,\"unitsPerMillimetre\":1,\"samplesPerSecond\":1,\"screenWidth\":0,\"screenHeight\":0},\"startedAt\":\"2026-11-24T02:00:00Z\",\"samples\":[]} | format must be \"nhi-optout-capture/1\"",
    "HEAD\"samples\":[[1,2,3,4,3]]} | sample 0 must be 6 whole numbers",
    "HEAD\"samples\":[[1,2,3,4,3,0,7]]} | sample 0 must be 6 whole numbers",
    "HEAD\"samples\":[[1,2,3,4,3,0,7,8,9]]} | sample 0 must be 6 whole numbers",
    "HEAD\"samples\":[[1,2,3,4,3,0,91,0]]} | sample 0 has a value out of range",
    "HEAD\"samples\":[[1,2,3,4,3,0,10,-10],[1,2,3,5,3,1]]} | tilt is measured in every sample or in none",
    "HEAD\"samples\":[[1,2,3.5,4,3,0]]} | sample 0 must be 6 whole numbers",
    "HEAD\"samples\":[[1,2,3,4,9,0]]} | sample 0 has a value out of range",
    "HEAD\"samples\":[[1,2,3,4,1,0]]} | sample 0: Cannot record a pen sample: a pen that touches is in range",
    "HEAD\"samples\":[[99999,2,3,4,3,0]]} | a sample lies outside the pad's range",
    "HEAD\"samples\":[[1,2,3,10,3,0],[1,2,3,5,3,1]]} | sample times must not go backwards",
    "HEAD\"samples\":[],\"extra\":1} | unknown field \"extra\"",
    "HEAD\"samples\":[],\"samples\":[]} | field \"samples\" appears twice",
    "HEAD\"samples\":[]}{} | there is content after the capture",
    "{\"format\":\"nhi-optout-capture/1\",\"samples\":[]} | field \"device\" is missing",
  })
  void refusesMalformedCapturesSayingWhatAndWhere(String json, String problem) {
    assertThatThrownBy(() -> read(json.replace("HEAD", HEAD)))
        .isInstanceOf(InvalidCaptureException.class)
        .hasMessageStartingWith("Cannot read the capture: ")
        .hasMessageContaining(problem)
        .hasMessageContaining("(line 1, column ");
  }

  @Test
  void refusesMoreSamplesThanAnySignatureHas() {
    StringBuilder json = new StringBuilder(HEAD).append("\"samples\":[");
    for (int i = 0; i <= CaptureJson.MAX_SAMPLES; i++) {
      json.append(i == 0 ? "" : ",").append("[1,1,1,").append(i).append(",3,-1]");
    }
    assertThatThrownBy(() -> read(json.append("]}").toString())).hasMessageContaining("more than 120000 samples");
  }
}
