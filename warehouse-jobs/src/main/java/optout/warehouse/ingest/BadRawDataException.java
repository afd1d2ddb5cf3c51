package optout.warehouse.ingest;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * More raw rows were refused than the ingest may skip; nothing was written. The message counts them by
 * file and reason, and never shows a row.
 */
public final class BadRawDataException extends IllegalStateException {

  private static final long serialVersionUID = 1L;

  private final transient Map<RawFile, Map<String, Long>> refused;

  BadRawDataException(String rawDirectory, Map<RawFile, Map<String, Long>> refused, long allowed) {
    super(message(rawDirectory, refused, allowed));
    this.refused = new LinkedHashMap<>(refused);
  }

  /** Refused rows by file and reason. */
  public Map<RawFile, Map<String, Long>> refused() {
    return refused;
  }

  public long total() {
    return refused.values().stream().flatMap(m -> m.values().stream()).mapToLong(Long::longValue).sum();
  }

  private static String message(String rawDirectory, Map<RawFile, Map<String, Long>> refused, long allowed) {
    long total = refused.values().stream().flatMap(m -> m.values().stream()).mapToLong(Long::longValue).sum();
    StringBuilder message = new StringBuilder("Cannot ingest " + rawDirectory + ": " + total + " rows are refused, and "
        + (allowed == 0 ? "none may be skipped" : "at most " + allowed + " may be skipped") + " (--max-bad-rows). Nothing was written.");
    refused.forEach((file, reasons) -> reasons.forEach((reason, count) ->
        message.append(String.format("%n  %-2s %,10d  %s", file.name(), count, reason))));
    message.append(String.format("%nFix the raw files, or skip these rows with --max-bad-rows %d.", total));
    return message.toString();
  }
}
