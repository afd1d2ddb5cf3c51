package optout.consent.form;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs poppler-utils (Debian's {@code poppler-utils}): the independent reader the tests check PDFs with. */
public final class Poppler {

  private Poppler() {}

  /** pdftotext -layout, UTF-8. */
  public static String text(Path pdf) {
    return run("pdftotext", "-layout", "-enc", "UTF-8", pdf.toString(), "-");
  }

  public static String fonts(Path pdf) {
    return run("pdffonts", pdf.toString());
  }

  public static String info(Path pdf, String... options) {
    List<String> command = new ArrayList<>(List.of("pdfinfo"));
    command.addAll(List.of(options));
    command.add(pdf.toString());
    return run(command.toArray(String[]::new));
  }

  public static String run(String... command) {
    Path tool = Path.of("/usr/bin", command[0]);
    if (!Files.isExecutable(tool)) {
      throw new IllegalStateException("Cannot run " + command[0] + ": install Debian's poppler-utils");
    }
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      byte[] output = process.getInputStream().readAllBytes();
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException("Cannot run " + command[0] + ": it did not finish within 60 s");
      }
      String text = new String(output, StandardCharsets.UTF_8);
      if (process.exitValue() != 0) {
        throw new IllegalStateException(String.join(" ", command) + " failed with exit code " + process.exitValue() + ":\n" + text);
      }
      return text;
    } catch (IOException e) {
      throw new IllegalStateException("Cannot run " + command[0] + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while running " + command[0], e);
    }
  }
}
