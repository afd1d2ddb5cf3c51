package optout.pseudonymizer.cli;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.function.ToLongFunction;

/**
 * One value a line in, one pseudonym a line out, in constant memory. Output goes to a private
 * temporary file first and reaches the real output only when every line was valid, so a bad line
 * never leaves half a result behind.
 */
final class PseudonymStream {

  private PseudonymStream() {}

  /** Maps each line; a line that {@code map} refuses stops everything with its line number. */
  static long run(InputStream in, OutputStream out, ToLongFunction<String> map) throws IOException, UsageException {
    Path staging = Files.createTempFile("optout-pseudo-", ".tmp",
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    try {
      long lines = 0;
      try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
          BufferedWriter writer = Files.newBufferedWriter(staging, StandardCharsets.US_ASCII)) {
        String line;
        while ((line = reader.readLine()) != null) {
          lines++;
          long pseudonym;
          try {
            pseudonym = map.applyAsLong(line);
          } catch (IllegalArgumentException e) {
            // Messages of this module never contain the input, so they are safe to show.
            throw new UsageException("line " + lines + ": " + e.getMessage());
          }
          writer.write(Long.toString(pseudonym));
          writer.write('\n');
        }
      }
      Files.copy(staging, out);
      out.flush();
      return lines;
    } finally {
      Files.deleteIfExists(staging);
    }
  }

  /** A decimal pseudonym; the message names no digits. */
  static long parseDecimal(String line) {
    String text = line.strip();
    if (text.isEmpty() || text.length() > 18 || !text.chars().allMatch(Character::isDigit)) {
      throw new IllegalArgumentException("not a pseudonym: expected a decimal number of at most 18 digits");
    }
    return Long.parseLong(text);
  }
}
