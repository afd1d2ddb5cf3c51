package optout.pad.capture;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import optout.pad.api.Capabilities;
import optout.pad.api.DeviceInfo;
import optout.pad.api.PenSample;
import optout.pad.api.SignatureCapture;

/**
 * The capture file: one JSON document, written by the pads' drivers and the browser component alike.
 *
 * <pre>{@code
 * {"format": "nhi-optout-capture/1",
 *  "device": {"vendor": "...", "model": "...", "serialNumber": "...", "firmware": "..."},
 *  "capabilities": {"width": 9600, "height": 6000, "maxPressure": 1023, "unitsPerMillimetre": 100.0,
 *                   "samplesPerSecond": 200, "screenWidth": 320, "screenHeight": 200},
 *  "startedAt": "2026-11-24T02:00:00Z",
 *  "samples": [[x, y, pressure, timeMicros, flags, sequence], ...]}
 * }</pre>
 *
 * {@code flags}: 1 touching, 2 in range; {@code sequence}: -1 where the device has none. A device that
 * measures the pen's tilt (a pen in the browser) writes eight numbers per sample, {@code [..., tiltX,
 * tiltY]} in degrees, and every sample of the capture has them. Reading is
 * strict: unknown or missing fields, wrong types and more than {@value #MAX_SAMPLES} samples are
 * refused with the position of the fault.
 */
public final class CaptureJson {

  public static final String FORMAT = "nhi-optout-capture/1";
  /** Ten minutes at 200 samples a second: far beyond any signature, small enough to hold. */
  public static final int MAX_SAMPLES = 120_000;
  private static final int TOUCHING = 1;
  private static final int IN_RANGE = 2;
  private static final JsonFactory JSON = JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(8).maxStringLength(10_000).build())
      .build();

  private CaptureJson() {}

  public static void write(SignatureCapture capture, OutputStream out) throws IOException {
    try (JsonGenerator json = JSON.createGenerator(out, JsonEncoding.UTF8)) {
      json.writeStartObject();
      json.writeStringField("format", FORMAT);
      DeviceInfo device = capture.device();
      json.writeObjectFieldStart("device");
      json.writeStringField("vendor", device.vendor());
      json.writeStringField("model", device.model());
      json.writeStringField("serialNumber", device.serialNumber());
      json.writeStringField("firmware", device.firmware());
      json.writeEndObject();
      Capabilities pad = capture.capabilities();
      json.writeObjectFieldStart("capabilities");
      json.writeNumberField("width", pad.width());
      json.writeNumberField("height", pad.height());
      json.writeNumberField("maxPressure", pad.maxPressure());
      json.writeNumberField("unitsPerMillimetre", pad.unitsPerMillimetre());
      json.writeNumberField("samplesPerSecond", pad.samplesPerSecond());
      json.writeNumberField("screenWidth", pad.screenWidth());
      json.writeNumberField("screenHeight", pad.screenHeight());
      json.writeEndObject();
      json.writeStringField("startedAt", capture.startedAt().toString());
      json.writeArrayFieldStart("samples");
      for (PenSample sample : capture.samples()) {
        json.writeStartArray();
        json.writeNumber(sample.x());
        json.writeNumber(sample.y());
        json.writeNumber(sample.pressure());
        json.writeNumber(sample.timeMicros());
        json.writeNumber((sample.touching() ? TOUCHING : 0) | (sample.inRange() ? IN_RANGE : 0));
        json.writeNumber(sample.sequence());
        if (sample.hasTilt()) {
          json.writeNumber(sample.tiltX());
          json.writeNumber(sample.tiltY());
        }
        json.writeEndArray();
      }
      json.writeEndArray();
      json.writeEndObject();
    }
  }

  /** @throws InvalidCaptureException saying what is wrong and where */
  public static SignatureCapture read(InputStream in) throws IOException {
    try (JsonParser json = JSON.createParser(in)) {
      try {
        return readCapture(json);
      } catch (JsonProcessingException e) {
        throw new InvalidCaptureException("not valid JSON (" + e.getOriginalMessage() + ")", json);
      } catch (IllegalArgumentException e) {
        if (e instanceof InvalidCaptureException invalid) {
          throw invalid;
        }
        throw new InvalidCaptureException(e.getMessage(), json);
      }
    }
  }

  private static SignatureCapture readCapture(JsonParser json) throws IOException {
    expect(json, json.nextToken(), JsonToken.START_OBJECT, "the capture must be a JSON object");
    Map<String, Object> fields = new HashMap<>();
    while (json.nextToken() == JsonToken.FIELD_NAME) {
      String name = json.currentName();
      JsonToken value = json.nextToken();
      if (fields.containsKey(name)) {
        throw new InvalidCaptureException("field \"" + name + "\" appears twice", json);
      }
      switch (name) {
        case "format" -> fields.put(name, text(json, value, name));
        case "device" -> fields.put(name, device(json, value));
        case "capabilities" -> fields.put(name, capabilities(json, value));
        case "startedAt" -> fields.put(name, instant(json, value));
        case "samples" -> fields.put(name, samples(json, value));
        default -> throw new InvalidCaptureException("unknown field \"" + name + "\"", json);
      }
    }
    for (String required : List.of("format", "device", "capabilities", "startedAt", "samples")) {
      if (!fields.containsKey(required)) {
        throw new InvalidCaptureException("field \"" + required + "\" is missing", json);
      }
    }
    if (!FORMAT.equals(fields.get("format"))) {
      throw new InvalidCaptureException("format must be \"" + FORMAT + "\"", json);
    }
    if (json.nextToken() != null) {
      throw new InvalidCaptureException("there is content after the capture", json);
    }
    @SuppressWarnings("unchecked")
    List<PenSample> samples = (List<PenSample>) fields.get("samples");
    return new SignatureCapture((DeviceInfo) fields.get("device"), (Capabilities) fields.get("capabilities"),
        (Instant) fields.get("startedAt"), samples);
  }

  private static DeviceInfo device(JsonParser json, JsonToken start) throws IOException {
    Map<String, String> values = object(json, start, "device", Set.of("vendor", "model", "serialNumber", "firmware"), true);
    return new DeviceInfo(values.get("vendor"), values.get("model"), values.get("serialNumber"), values.get("firmware"));
  }

  private static Capabilities capabilities(JsonParser json, JsonToken start) throws IOException {
    Map<String, String> values = object(json, start, "capabilities", Set.of("width", "height", "maxPressure",
        "unitsPerMillimetre", "samplesPerSecond", "screenWidth", "screenHeight"), false);
    for (String required : List.of("width", "height", "maxPressure", "unitsPerMillimetre", "samplesPerSecond", "screenWidth", "screenHeight")) {
      if (!values.containsKey(required)) {
        throw new InvalidCaptureException("capabilities." + required + " is missing", json);
      }
    }
    try {
      return new Capabilities(Integer.parseInt(values.get("width")), Integer.parseInt(values.get("height")),
          Integer.parseInt(values.get("maxPressure")), Double.parseDouble(values.get("unitsPerMillimetre")),
          Integer.parseInt(values.get("samplesPerSecond")), Integer.parseInt(values.get("screenWidth")),
          Integer.parseInt(values.get("screenHeight")));
    } catch (NumberFormatException e) {
      throw new InvalidCaptureException("capabilities must be whole numbers (unitsPerMillimetre may have decimals)", json);
    }
  }

  /** A flat object of string (texts) or number (numbers) values, only the allowed names. */
  private static Map<String, String> object(JsonParser json, JsonToken start, String name, Set<String> allowed, boolean texts)
      throws IOException {
    expect(json, start, JsonToken.START_OBJECT, name + " must be an object");
    Map<String, String> values = new HashMap<>();
    while (json.nextToken() == JsonToken.FIELD_NAME) {
      String field = json.currentName();
      JsonToken value = json.nextToken();
      if (!allowed.contains(field)) {
        throw new InvalidCaptureException("unknown field \"" + name + "." + field + "\"", json);
      }
      if (texts ? value != JsonToken.VALUE_STRING : !value.isNumeric()) {
        throw new InvalidCaptureException(name + "." + field + " must be " + (texts ? "a string" : "a number"), json);
      }
      values.put(field, json.getText());
    }
    return values;
  }

  private static List<PenSample> samples(JsonParser json, JsonToken start) throws IOException {
    expect(json, start, JsonToken.START_ARRAY, "samples must be an array");
    List<PenSample> samples = new ArrayList<>();
    while (json.nextToken() == JsonToken.START_ARRAY) {
      if (samples.size() == MAX_SAMPLES) {
        throw new InvalidCaptureException("more than " + MAX_SAMPLES + " samples", json);
      }
      String shape = "sample " + samples.size() + " must be 6 whole numbers (x, y, pressure, time, flags, sequence)"
          + " or 8 with tiltX and tiltY";
      long[] values = new long[8];
      int count = 0;
      JsonToken token;
      while ((token = json.nextToken()) != JsonToken.END_ARRAY) {
        if (token != JsonToken.VALUE_NUMBER_INT || count == 8) {
          throw new InvalidCaptureException(shape, json);
        }
        values[count++] = json.getLongValue();
      }
      if (count != 6 && count != 8) {
        throw new InvalidCaptureException(shape, json);
      }
      if (values[0] > Integer.MAX_VALUE || values[1] > Integer.MAX_VALUE || values[2] > Integer.MAX_VALUE || values[4] < 0 || values[4] > 3
          || Math.abs(values[6]) > 90 || Math.abs(values[7]) > 90) {
        throw new InvalidCaptureException("sample " + samples.size() + " has a value out of range", json);
      }
      try {
        samples.add(new PenSample((int) values[0], (int) values[1], (int) values[2], values[3],
            (values[4] & TOUCHING) != 0, (values[4] & IN_RANGE) != 0, values[5],
            count == 8 ? (int) values[6] : PenSample.NO_TILT, count == 8 ? (int) values[7] : PenSample.NO_TILT));
      } catch (IllegalArgumentException e) {
        throw new InvalidCaptureException("sample " + samples.size() + ": " + e.getMessage(), json);
      }
    }
    expect(json, json.currentToken(), JsonToken.END_ARRAY, "samples must contain only sample arrays");
    return samples;
  }

  private static String text(JsonParser json, JsonToken value, String name) throws IOException {
    expect(json, value, JsonToken.VALUE_STRING, name + " must be a string");
    return json.getText();
  }

  private static Instant instant(JsonParser json, JsonToken value) throws IOException {
    try {
      return Instant.parse(text(json, value, "startedAt"));
    } catch (DateTimeParseException e) {
      throw new InvalidCaptureException("startedAt must be a UTC instant like 2026-11-24T02:00:00Z", json);
    }
  }

  private static void expect(JsonParser json, JsonToken actual, JsonToken expected, String message) {
    if (actual != expected) {
      throw new InvalidCaptureException(message, json);
    }
  }
}
