package optout.warehouse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./optout warehouse output-check}: exit 0 with the report, 1 when the file is refused, 2 for a wrong command line. */
class OutputCheckCommandTest {

  @TempDir
  Path dir;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return WarehouseCommand.run(args, Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @Test
  void checksWritesAndReports() throws Exception {
    Path in = Files.writeString(dir.resolve("in.csv"), "county,people\na,2\nb,40\nc,50\n");
    Path target = dir.resolve("release.csv");

    assertThat(run("output-check", "--in", in.toString(), "--out", target.toString())).isZero();

    assertThat(Files.readString(target)).isEqualTo("county,people\na,suppressed\nb,suppressed\nc,50\nTotal,92\n");
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("Output check of " + in)
        .containsPattern("county=a +primary").containsPattern("county=b +secondary").contains("Wrote " + target);
    assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
  }

  @Test
  void theThresholdOptionIsUsed() throws Exception {
    Path in = Files.writeString(dir.resolve("in.csv"), "county,people\na,5\nb,40\nc,50\n");
    Path target = dir.resolve("release.csv");

    assertThat(run("output-check", "--in", in.toString(), "--out", target.toString(), "--threshold", "6")).isZero();

    assertThat(Files.readString(target)).contains("a,suppressed");
  }

  @Test
  void theOpenSafelyRulesSuppressUpToSevenAndRoundToFive() throws Exception {
    Path in = Files.writeString(dir.resolve("in.csv"), "county,people\na,7\nb,41\nc,52\nd,33\n");
    Path target = dir.resolve("release.csv");

    assertThat(run("output-check", "--in", in.toString(), "--out", target.toString(), "--rules", "opensafely")).isZero();

    // 7 is small under these rules (not under small-cell), so a complement goes too; the rest and the total rounded to 5
    String released = Files.readString(target);
    assertThat(released).startsWith("county,people\na,suppressed\n").contains("c,50\n").endsWith("Total,135\n");
    assertThat(released.lines().filter(line -> line.endsWith(",suppressed"))).hasSize(2);
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("threshold:  8").contains("to the nearest 5 (rules opensafely)");
  }

  @Test
  void theDefaultRulesAreSmallCell() throws Exception {
    Path in = Files.writeString(dir.resolve("in.csv"), "county,people\na,7\nb,41\nc,52\n");
    Path byDefault = dir.resolve("default.csv");
    Path named = dir.resolve("named.csv");

    assertThat(run("output-check", "--in", in.toString(), "--out", byDefault.toString())).isZero();
    assertThat(run("output-check", "--in", in.toString(), "--out", named.toString(), "--rules", "small-cell")).isZero();

    assertThat(Files.readString(byDefault)).isEqualTo("county,people\na,7\nb,41\nc,52\nTotal,100\n")
        .isEqualTo(Files.readString(named));
    assertThat(out.toString(StandardCharsets.UTF_8)).doesNotContain("rounding");
  }

  @Test
  void unknownRulesAreAUsageErrorAndWriteNothing() throws Exception {
    Path in = Files.writeString(dir.resolve("in.csv"), "county,people\na,12\nb,30\n");
    String target = dir.resolve("release.csv").toString();

    for (String rules : new String[] {"strict", "OpenSafely", "small_cell", "", " opensafely"}) {
      err.reset();
      assertThat(run("output-check", "--in", in.toString(), "--out", target, "--rules", rules)).as(rules).isEqualTo(2);
      assertThat(err.toString(StandardCharsets.UTF_8)).as(rules)
          .contains("output-check: --rules must be one of small-cell, opensafely (default small-cell)");
    }
    err.reset();
    assertThat(run("output-check", "--in", in.toString(), "--out", target, "--rules", "opensafely", "--threshold", "3")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("--threshold goes only with --rules small-cell");
    assertThat(Path.of(target)).doesNotExist();
    assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
  }

  @Test
  void aRefusedFileExitsOneAndWritesNothing() throws Exception {
    Path in = Files.writeString(dir.resolve("in.csv"), "county,people\na,12\nb,30\nTotal,43\n");
    Path target = dir.resolve("release.csv");

    assertThat(run("output-check", "--in", in.toString(), "--out", target.toString())).isEqualTo(1);

    assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("error: output check refused " + in + ": line 4: the total")
        .contains("(nothing written)");
    assertThat(target).doesNotExist();
    assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
  }

  @Test
  void aWrongCommandLineExitsTwo() throws Exception {
    Path in = Files.writeString(dir.resolve("in.csv"), "county,people\na,12\n");
    String target = dir.resolve("release.csv").toString();

    assertThat(run("output-check", "--in", in.toString(), "--out", target, "--threshold", "0")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("--threshold must be 1 or more");
    assertThat(run("output-check", "--in", in.toString(), "--out", target, "--threshold", "2.5")).isEqualTo(2);
    assertThat(run("output-check", "--out", target)).isEqualTo(2);
    assertThat(run("output-check", "--in", in.toString())).isEqualTo(2);
    assertThat(run("output-check", "--in", dir.resolve("missing.csv").toString(), "--out", target)).isEqualTo(2);
    assertThat(run("output-check", "--in", dir.toString(), "--out", target)).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("is not a file");
    assertThat(Path.of(target)).doesNotExist();
  }

  @Test
  void helpListsIt() {
    assertThat(run("help")).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("output-check --in FILE.csv --out FILE.csv [--rules small-cell|opensafely] [--threshold N]");
  }
}
