package optout.pad.capture;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;

/** A capture file that cannot be read; the message says what is wrong and where. */
public final class InvalidCaptureException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  InvalidCaptureException(String problem, JsonParser json) {
    super("Cannot read the capture: " + problem + where(json));
  }

  private static String where(JsonParser json) {
    JsonLocation location = json.currentLocation();
    return location == null ? "" : " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
  }
}
