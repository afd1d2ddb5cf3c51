package optout.portal.oversight;

import java.util.List;

/**
 * The search's events as CSV (RFC 4180, UTF-8, CRLF): a header, then one line per event. A cell a spreadsheet
 * would run as a formula (starting with {@code = + - @}, a tab or a carriage return) is prefixed with a quote
 * (OWASP's CSV injection advice). Plain Java.
 */
final class AuditCsv {

  static final String HEADER = "at,service,kind,actor,reference,summary";

  private AuditCsv() {}

  static String of(List<AuditEvent> events) {
    StringBuilder csv = new StringBuilder(HEADER).append("\r\n");
    for (AuditEvent event : events) {
      csv.append(cell(event.at() == null ? "" : event.at().toString())).append(',')
          .append(cell(event.service())).append(',')
          .append(cell(event.kind())).append(',')
          .append(cell(event.actor())).append(',')
          .append(cell(event.reference())).append(',')
          .append(cell(event.summary())).append("\r\n");
    }
    return csv.toString();
  }

  static String cell(String value) {
    if (value == null || value.isEmpty()) {
      return "";
    }
    String safe = "=+-@\t\r".indexOf(value.charAt(0)) >= 0 ? "'" + value : value;
    if (safe.contains(",") || safe.contains("\"") || safe.contains("\n") || safe.contains("\r")) {
      return "\"" + safe.replace("\"", "\"\"") + "\"";
    }
    return safe;
  }
}
