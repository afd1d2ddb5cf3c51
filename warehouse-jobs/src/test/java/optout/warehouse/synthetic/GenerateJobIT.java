package optout.warehouse.synthetic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import optout.pseudonymizer.id.PersonId;
import optout.warehouse.TestSpark;
import optout.warehouse.ingest.RawFile;
import optout.warehouse.ingest.RawManifest;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The raw files as Spark writes them: deterministic to the byte, whatever the partitioning. */
class GenerateJobIT {

  @TempDir
  Path temp;

  @Test
  void theSameSettingsWriteTheSameBytes() throws Exception {
    Path first = TestRaw.directory();
    Path second = TestRaw.generate(temp.resolve("again"), TestRaw.PARTITIONS);
    assertThat(Files.readAllBytes(second.resolve(RawFile.MANIFEST))).isEqualTo(Files.readAllBytes(first.resolve(RawFile.MANIFEST)));
    for (RawFile file : RawFile.values()) {
      List<Path> a = TestRaw.parts(first, file);
      List<Path> b = TestRaw.parts(second, file);
      assertThat(b).hasSameSizeAs(a);
      for (int i = 0; i < a.size(); i++) {
        assertThat(Files.readAllBytes(b.get(i))).as("%s part %d", file, i).isEqualTo(Files.readAllBytes(a.get(i)));
      }
    }
  }

  @Test
  void anotherPartitioningWritesTheSameRowsAndManifest() throws Exception {
    Path first = TestRaw.directory();
    Path other = TestRaw.generate(temp.resolve("three"), 3);
    assertThat(Files.readAllBytes(other.resolve(RawFile.MANIFEST))).isEqualTo(Files.readAllBytes(first.resolve(RawFile.MANIFEST)));
    for (RawFile file : RawFile.values()) {
      List<String> a = new ArrayList<>(TestRaw.lines(first, file));
      List<String> b = new ArrayList<>(TestRaw.lines(other, file));
      a.sort(null);
      b.sort(null);
      assertThat(b).as(file.name()).isEqualTo(a);
    }
  }

  @Test
  void theManifestCountsEveryFilesRowsAndTheHeadersAreTheContracts() throws Exception {
    Path raw = TestRaw.directory();
    RawManifest manifest = RawManifest.parse(Files.readAllBytes(raw.resolve(RawFile.MANIFEST)));
    assertThat(manifest.persons()).isEqualTo(470);
    assertThat(manifest.seed()).isEqualTo(42);
    assertThat(manifest.fromYear()).isEqualTo(2022);
    for (RawFile file : RawFile.values()) {
      assertThat((long) TestRaw.lines(raw, file).size()).as(file.name()).isEqualTo(manifest.counts().get(file));
      for (Path part : TestRaw.parts(raw, file)) {
        assertThat(Files.readAllLines(part, StandardCharsets.UTF_8).get(0)).isEqualTo(file.header());
      }
    }
    assertThat(manifest.counts().get(RawFile.ID)).isEqualTo(470);
    // about 16 visits per person-year, and a few thousand orders
    assertThat(manifest.counts().get(RawFile.CD)).isBetween(470L * 12, 470L * 21);
    assertThat(manifest.counts().get(RawFile.OO)).isGreaterThan(manifest.counts().get(RawFile.CD));
    assertThat(manifest.counts().get(RawFile.DD)).isBetween(20L, 90L);
    assertThat(TestRaw.lines(raw, RawFile.ID)).allMatch(line -> PersonId.isValid(line.substring(0, 10)));
  }

  @Test
  void aNonEmptyDirectoryIsRefusedAndOverwriteTouchesOnlyRawFiles() throws Exception {
    Path raw = TestRaw.generate(temp.resolve("raw"), 1);
    Configuration hadoop = TestSpark.session().sparkContext().hadoopConfiguration();
    assertThatThrownBy(() -> GenerateJob.prepareOutput(raw.toString(), false, hadoop)).hasMessageContaining("not empty");
    Files.writeString(raw.resolve("notes.txt"), "mine");
    assertThatThrownBy(() -> GenerateJob.prepareOutput(raw.toString(), true, hadoop))
        .hasMessageContaining("notes.txt").hasMessageContaining("nothing was deleted");
    assertThat(raw.resolve(RawFile.MANIFEST)).exists();
    Files.delete(raw.resolve("notes.txt"));
    GenerateJob.prepareOutput(raw.toString(), true, hadoop);
    assertThat(raw).isEmptyDirectory();
  }

  @Test
  void progressShowsALinePerFileWithRowsAndSeconds() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    GenerateJob.run(TestSpark.session(), new GeneratorSettings(1, 0.000005, 2023, 2023),
        new org.apache.hadoop.fs.Path(temp.resolve("small").toUri()), 1, new PrintStream(out, true, StandardCharsets.UTF_8));
    String progress = out.toString(StandardCharsets.UTF_8);
    for (RawFile file : RawFile.values()) {
      assertThat(progress).containsPattern("(?m)^  " + file.name() + " .* rows +\\d+\\.\\d s$");
    }
    assertThat(progress).contains("118 persons").contains(RawFile.MANIFEST);
  }
}
