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

/** Wrong command lines are refused, with exit code 2 and a reason, before any Spark starts. */
class WarehouseCommandTest {

  @TempDir
  Path temp;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    out.reset();
    err.reset();
    return WarehouseCommand.run(args, Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String error() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void helpListsTheCommands() {
    assertThat(run("help")).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("generate --scale S --seed N --out DIR").contains("ingest --raw DIR");
    assertThat(run()).isEqualTo(2);
    assertThat(error()).contains("Usage:");
  }

  @Test
  void unknownCommandsAndOptionsAreRefused() {
    assertThat(run("extract-everything")).isEqualTo(2);
    assertThat(error()).contains("unknown command 'extract-everything'");
    String out = temp.resolve("raw").toString();
    assertThat(run("generate", "--scale", "0.001", "--seed", "1", "--out", out, "--colour", "blue")).isEqualTo(2);
    assertThat(error()).contains("unknown option --colour");
    assertThat(run("generate", "--scale", "0.001", "--seed", "1", "--out", out, "stray")).isEqualTo(2);
    assertThat(error()).contains("unexpected argument 'stray'");
    assertThat(run("generate", "--scale", "0.001", "--scale", "0.002", "--seed", "1", "--out", out)).isEqualTo(2);
    assertThat(error()).contains("--scale is given twice");
    assertThat(run("ingest", "--raw", out, "--dry-run")).isEqualTo(2);
    assertThat(error()).contains("unknown option --dry-run");
  }

  @Test
  void badScalesSeedsAndYearsAreRefused() {
    String out = temp.resolve("raw").toString();
    assertThat(run("generate", "--scale", "0", "--seed", "1", "--out", out)).isEqualTo(2);
    assertThat(error()).contains("more than 0 and at most 1.0");
    assertThat(run("generate", "--scale", "-0.5", "--seed", "1", "--out", out)).isEqualTo(2);
    assertThat(run("generate", "--scale", "1.5", "--seed", "1", "--out", out)).isEqualTo(2);
    assertThat(error()).contains("at most 1.0");
    assertThat(run("generate", "--scale", "NaN", "--seed", "1", "--out", out)).isEqualTo(2);
    assertThat(run("generate", "--scale", "lots", "--seed", "1", "--out", out)).isEqualTo(2);
    assertThat(error()).contains("--scale must be a number");
    assertThat(run("generate", "--scale", "0.1", "--seed", "x", "--out", out)).isEqualTo(2);
    assertThat(error()).contains("--seed must be a whole number");
    assertThat(run("generate", "--scale", "0.1", "--out", out)).isEqualTo(2);
    assertThat(error()).contains("--seed is required");
    assertThat(run("generate", "--scale", "0.1", "--seed", "1")).isEqualTo(2);
    assertThat(error()).contains("--out is required");
    assertThat(run("generate", "--scale", "0.1", "--seed", "1", "--out", out, "--years", "2023-2022")).isEqualTo(2);
    assertThat(error()).contains("FROM-TO");
    assertThat(run("generate", "--scale", "0.1", "--seed", "1", "--out", out, "--years", "twenty")).isEqualTo(2);
    assertThat(error()).contains("--years must be FROM-TO");
    assertThat(run("generate", "--scale", "0.1", "--seed", "1", "--out", out, "--partitions", "0")).isEqualTo(2);
    assertThat(temp.resolve("raw")).doesNotExist();
  }

  @Test
  void aNonEmptyOutputDirectoryIsRefusedUnlessOverwriting() throws Exception {
    Path raw = Files.createDirectories(temp.resolve("raw"));
    Files.writeString(raw.resolve("someone-elses.txt"), "keep me");
    assertThat(run("generate", "--scale", "0.00001", "--seed", "1", "--out", raw.toString())).isEqualTo(2);
    assertThat(error()).contains("is not empty").contains("--overwrite");
    assertThat(run("generate", "--scale", "0.00001", "--seed", "1", "--out", raw.toString(), "--overwrite")).isEqualTo(2);
    assertThat(error()).contains("someone-elses.txt").contains("which generate did not write");
    assertThat(raw.resolve("someone-elses.txt")).hasContent("keep me");
    Path file = Files.writeString(temp.resolve("a-file"), "x");
    assertThat(run("generate", "--scale", "0.00001", "--seed", "1", "--out", file.toString())).isEqualTo(2);
    assertThat(error()).contains("is a file");
  }

  @Test
  void ingestNeedsARawDirectoryAndASaneLimit() {
    assertThat(run("ingest")).isEqualTo(2);
    assertThat(error()).contains("--raw is required");
    assertThat(run("ingest", "--raw", temp.resolve("missing").toString())).isEqualTo(2);
    assertThat(error()).contains("is not a directory");
    assertThat(run("ingest", "--raw", temp.toString(), "--max-bad-rows", "-1")).isEqualTo(2);
    assertThat(error()).contains("--max-bad-rows must be 0 or more");
  }

  @Test
  void theCatalogPasswordDefaultsOnlyWithTheLocalDatabase() {
    assertThat(WarehouseEnvironment.session(Map.of()).jdbcUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:54320/warehouse");
    assertThat(WarehouseEnvironment.session(Map.of()).user()).isEqualTo("warehouse");
    assertThat(WarehouseEnvironment.session(Map.of()).location()).startsWith("file:/").containsPattern("/var/warehouse/?$");
    assertThat(WarehouseEnvironment.session(Map.of()).master()).isEqualTo("local[*]");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> WarehouseEnvironment.session(
        Map.of(WarehouseEnvironment.JDBC_URL, "jdbc:postgresql://db.example.org/warehouse")))
        .hasMessageContaining("OPTOUT_WAREHOUSE_JDBC_PASSWORD");
    for (var duty : optout.pseudonymizer.custody.KeyCustodies.Duty.values()) {
      var keys = WarehouseEnvironment.keys(duty, Map.of());
      assertThat(keys.duty()).isEqualTo(duty);
      assertThat(keys.toString()).doesNotContain("optout-local-demo");
    }
  }
}
