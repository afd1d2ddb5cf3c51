package optout.platform.seal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The independent validators the seal's tests run: poppler's pdfsig (Debian poppler-utils) with its
 * own NSS database (certutil, Debian libnss3-tools) and OpenSSL. Missing tools fail the tests with the
 * package to install: a seal no outside tool has checked is not tested.
 */
public final class ExternalTools {

  public static final String PDFSIG = "/usr/bin/pdfsig";

  private ExternalTools() {}

  /** Output (stdout and stderr together) and exit code of a command. */
  public record Run(int exit, String output) {}

  /** Runs a command, which must end within 30 s; its output goes through a file, so a full pipe never blocks it. */
  public static Run run(Path directory, String... command) throws IOException, InterruptedException {
    Path output = Files.createTempFile("seal-tool", ".out");
    try {
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
      if (directory != null) {
        builder.directory(directory.toFile());
      }
      Process process = builder.start();
      process.getOutputStream().close();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError(command[0] + " did not end within 30 s");
      }
      return new Run(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(output);
    }
  }

  public static void require(String tool, String debianPackage) {
    assertThat(Path.of(tool)).as("%s is missing: apt-get install %s", tool, debianPackage).exists();
  }

  /** A new NSS database in {@code directory} that trusts {@code rootPem} for everything (CT,C,C). */
  public static Path nssDatabase(Path directory, Path rootPem) throws IOException, InterruptedException {
    require("/usr/bin/certutil", "libnss3-tools");
    Files.createDirectories(directory);
    Run create = run(null, "certutil", "-N", "-d", "sql:" + directory, "--empty-password");
    assertThat(create.exit()).as(create.output()).isZero();
    Run add = run(null, "certutil", "-A", "-d", "sql:" + directory, "-n", "optout-demo-root", "-t", "CT,C,C", "-i", rootPem.toString());
    assertThat(add.exit()).as(add.output()).isZero();
    return directory;
  }

  /** pdfsig's report on {@code pdf}, checked against the NSS database {@code nss}. */
  public static Run pdfsig(Path nss, Path pdf) throws IOException, InterruptedException {
    require(PDFSIG, "poppler-utils");
    return run(null, PDFSIG, "-nssdir", "sql:" + nss, pdf.toString());
  }
}
