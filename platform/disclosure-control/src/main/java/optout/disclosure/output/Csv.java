package optout.disclosure.output;

import java.util.ArrayList;
import java.util.List;

/**
 * The little CSV the output check needs (RFC 4180): fields separated by commas, a field in double quotes
 * may hold commas, quotes (doubled) and line breaks; lines end in LF, CRLF or CR; a UTF-8 byte order mark
 * at the start is ignored, and so are empty (or blank) lines. Anything else that is not well-formed is refused with
 * its line number, never guessed at.
 */
final class Csv {

  /** Not well-formed CSV: the message names the line. */
  static final class Malformed extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    Malformed(String message) {
      super(message);
    }
  }

  /** One record and the line it starts on (1-based). */
  record Row(int line, List<String> fields) {}

  private Csv() {}

  static List<Row> parse(String text) {
    List<Row> rows = new ArrayList<>();
    int i = text.startsWith("\uFEFF") ? 1 : 0;
    int line = 1;
    int n = text.length();
    while (i < n) {
      int start = line;
      List<String> fields = new ArrayList<>();
      StringBuilder field = new StringBuilder();
      boolean quotedField = false;
      boolean endOfRecord = false;
      while (!endOfRecord) {
        if (i >= n) {
          fields.add(field.toString());
          break;
        }
        char ch = text.charAt(i);
        if (ch == '"' && field.toString().isBlank() && !quotedField) {
          // a quoted field (spaces before the quote are dropped)
          field.setLength(0);
          quotedField = true;
          i++;
          int opened = line;
          while (true) {
            if (i >= n) {
              throw new Malformed("line " + opened + ": a quoted field is never closed");
            }
            char q = text.charAt(i);
            if (q == '"') {
              if (i + 1 < n && text.charAt(i + 1) == '"') {
                field.append('"');
                i += 2;
              } else {
                i++;
                break;
              }
            } else {
              if (q == '\n' || (q == '\r' && (i + 1 >= n || text.charAt(i + 1) != '\n'))) {
                line++;
              }
              field.append(q);
              i++;
            }
          }
          while (i < n && (text.charAt(i) == ' ' || text.charAt(i) == '\t')) {
            i++;
          }
          if (i < n && text.charAt(i) != ',' && text.charAt(i) != '\n' && text.charAt(i) != '\r') {
            throw new Malformed("line " + line + ": text after a closing quote (a quote inside a field is written \"\")");
          }
          continue;
        }
        if (ch == ',') {
          fields.add(field.toString());
          field.setLength(0);
          quotedField = false;
          i++;
        } else if (ch == '\n' || ch == '\r') {
          fields.add(field.toString());
          i += ch == '\r' && i + 1 < n && text.charAt(i + 1) == '\n' ? 2 : 1;
          line++;
          endOfRecord = true;
        } else if (ch == '"') {
          throw new Malformed("line " + line + ": a quote inside an unquoted field (quote the whole field)");
        } else {
          field.append(ch);
          i++;
        }
      }
      boolean empty = fields.size() == 1 && fields.get(0).isBlank() && !quotedField;
      if (!empty) {
        rows.add(new Row(start, List.copyOf(fields)));
      }
    }
    return rows;
  }

  /** One record, quoted where needed, ending in a line feed. */
  static String line(List<String> fields) {
    StringBuilder text = new StringBuilder();
    for (int k = 0; k < fields.size(); k++) {
      if (k > 0) {
        text.append(',');
      }
      String field = fields.get(k);
      boolean quote = field.isEmpty() ? false
          : field.indexOf(',') >= 0 || field.indexOf('"') >= 0 || field.indexOf('\n') >= 0 || field.indexOf('\r') >= 0
              || field.charAt(0) == ' ' || field.charAt(field.length() - 1) == ' ';
      if (quote) {
        text.append('"').append(field.replace("\"", "\"\"")).append('"');
      } else {
        text.append(field);
      }
    }
    return text.append('\n').toString();
  }
}
