package optout.registry.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Optional;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import optout.registry.log.CheckpointSigner;
import optout.registry.log.CheckpointVerifier;
import optout.registry.log.Ed25519NoteSigner;
import optout.registry.log.Hash;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ExclusionSnapshotTest {

  private static final String EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

  @TempDir
  Path directory;

  @Test
  void roundTripsAFewHundredPseudonyms() throws Exception {
    long[] values = Snapshots.pseudonyms(300, 1).toArray();
    Path file = directory.resolve("academic-research-1234.parquet");

    SnapshotSummary summary = ExclusionSnapshot.write(file, Snapshots.ACADEMIC, LongStream.of(values));

    assertThat(summary.count()).isEqualTo(300);
    try (LongStream read = ExclusionSnapshot.read(file)) {
      assertThat(read.toArray()).containsExactly(values);
    }
    assertThat(ExclusionSnapshot.describe(file)).isEqualTo(Snapshots.ACADEMIC);
    assertThat(summary.fileSha256()).isEqualTo(Hash.of(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file))));
    assertThat(files()).containsExactly(file);
  }

  @Test
  void theSetHashIsSha256OverTheSortedValuesAsBigEndianLongs() throws Exception {
    long[] values = Snapshots.pseudonyms(1000, 2).toArray();

    SnapshotSummary summary = ExclusionSnapshot.write(directory.resolve("s.parquet"), Snapshots.ACADEMIC, LongStream.of(values));

    Hash expected = Snapshots.independentSetHash(values);
    assertThat(summary.setSha256()).isEqualTo(expected);
    assertThat(ExclusionSnapshot.setHash(LongStream.of(values))).isEqualTo(expected);
    // Pinned so that a change of definition cannot pass unnoticed: the two smallest pseudonyms.
    assertThat(ExclusionSnapshot.setHash(LongStream.of(10_000_000_000L, 10_000_000_001L)).hex())
        .isEqualTo(Snapshots.independentSetHash(new long[] {10_000_000_000L, 10_000_000_001L}).hex());
  }

  @Test
  void writesAnEmptySnapshot() throws Exception {
    Path file = directory.resolve("empty.parquet");

    SnapshotSummary summary = ExclusionSnapshot.write(file, Snapshots.ACADEMIC, LongStream.empty());

    assertThat(summary.count()).isZero();
    assertThat(summary.setSha256().hex()).isEqualTo(EMPTY_SHA256);
    try (LongStream read = ExclusionSnapshot.read(file)) {
      assertThat(read.count()).isZero();
    }
    Manifest manifest = Manifest.of(Snapshots.ACADEMIC, summary, 1, Instant.parse("2026-11-25T03:04:05Z"));
    assertThat(ExclusionSnapshot.verify(file, manifest)).isEqualTo(summary);
  }

  /** What a release gets from a registry nobody has filed with yet: checkpoint 0, no pseudonyms. */
  @Test
  void theSnapshotAtTheEmptyTreesCheckpointVerifiesWithItsSignedManifest() throws Exception {
    Ed25519NoteSigner logKey = Ed25519NoteSigner.generate("nhi.gov.tw/optout-registry");
    SnapshotDescription description = SnapshotDescription.of("academic-research", Snapshots.EMPTY_TREE);
    Path file = directory.resolve("academic-research@0.parquet");
    SnapshotSummary summary = ExclusionSnapshot.write(file, description, LongStream.empty());
    String signedManifest = Manifest.of(description, summary, 1, Instant.parse("2026-11-25T03:04:05Z")).sign(logKey);
    String signedCheckpoint = new CheckpointSigner(logKey).sign(Snapshots.EMPTY_TREE).encoded();

    Manifest manifest = Manifest.verify(signedManifest, logKey.verifier());
    assertThat(signedManifest).contains("\ncheckpoint nhi.gov.tw/optout-registry 0 47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n");
    manifest.requireCheckpoint(new CheckpointVerifier("nhi.gov.tw/optout-registry", logKey.verifier()).verify(signedCheckpoint));
    assertThat(ExclusionSnapshot.verify(file, manifest)).isEqualTo(summary);
    assertThat(manifest.count()).isZero();
    assertThat(manifest.setSha256().hex()).isEqualTo(EMPTY_SHA256);
    assertThat(ExclusionSnapshot.describe(file)).isEqualTo(description);
    try (LongStream read = ExclusionSnapshot.read(file)) {
      assertThat(read.count()).isZero();
    }
  }

  /** With no values, the footer is all there is to check: a changed count or set hash is refused on reading. */
  @Test
  void anEmptySnapshotStillRefusesTampering() throws Exception {
    SnapshotDescription description = SnapshotDescription.of("academic-research", Snapshots.EMPTY_TREE);
    Path file = directory.resolve("empty.parquet");
    SnapshotSummary summary = ExclusionSnapshot.write(file, description, LongStream.empty());
    Manifest manifest = Manifest.of(description, summary, 1, Instant.parse("2026-11-25T03:04:05Z"));
    byte[] original = Files.readAllBytes(file);

    Path claimsOne = Files.write(directory.resolve("claims-one.parquet"),
        replace(original, "nhi-optout.count\u0018\u00010", "nhi-optout.count\u0018\u00011"));
    assertThatThrownBy(() -> ExclusionSnapshot.read(claimsOne)).isInstanceOf(SnapshotFormatException.class)
        .hasMessageContaining("its footer counts 0 rows but declares 1 pseudonyms");
    assertThatThrownBy(() -> ExclusionSnapshot.verify(claimsOne, manifest)).isInstanceOf(ManifestException.class)
        .hasMessageContaining("the file's SHA-256 is ");

    Path otherSet = Files.write(directory.resolve("other-set.parquet"), replace(original, EMPTY_SHA256, "f" + EMPTY_SHA256.substring(1)));
    assertThatThrownBy(() -> {
      try (LongStream read = ExclusionSnapshot.read(otherSet)) {
        read.count();
      }
    }).isInstanceOf(UncheckedIOException.class).cause().isInstanceOf(SnapshotFormatException.class)
        .hasMessageContaining("the set hash of its values is " + EMPTY_SHA256 + ", its footer declares f" + EMPTY_SHA256.substring(1));

    // A snapshot with pseudonyms offered under the empty one's manifest, or the other way round.
    Path withValues = directory.resolve("with-values.parquet");
    SnapshotSummary withValuesSummary = ExclusionSnapshot.write(withValues, description, LongStream.of(10_000_000_007L));
    assertThatThrownBy(() -> ExclusionSnapshot.verify(withValues, manifest))
        .isInstanceOfSatisfying(ManifestException.class, e -> assertThat(e.reason()).isEqualTo(ManifestException.Reason.MISMATCH));
    assertThatThrownBy(() -> ExclusionSnapshot.verify(file, Manifest.of(description, withValuesSummary, 1, Instant.now())))
        .isInstanceOfSatisfying(ManifestException.class, e -> assertThat(e.reason()).isEqualTo(ManifestException.Reason.MISMATCH));
  }

  private static byte[] replace(byte[] bytes, String from, String to) {
    String text = new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1);
    assertThat(text).containsOnlyOnce(from);
    return text.replace(from, to).getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
  }

  @Test
  void recordsExemptionAndCheckpointInTheFooter() throws Exception {
    SnapshotDescription description = new SnapshotDescription("government-statistics", Optional.of("statistics-act-article-3"),
        Snapshots.CHECKPOINT);
    Path file = directory.resolve("s.parquet");

    ExclusionSnapshot.write(file, description, LongStream.of(10_000_000_007L));

    assertThat(ExclusionSnapshot.describe(file)).isEqualTo(description);
  }

  @Test
  void theSameInputGivesTheSameBytes() throws Exception {
    SnapshotSummary first = ExclusionSnapshot.write(directory.resolve("a.parquet"), Snapshots.ACADEMIC, Snapshots.pseudonyms(5000, 3));
    SnapshotSummary second = ExclusionSnapshot.write(directory.resolve("b.parquet"), Snapshots.ACADEMIC, Snapshots.pseudonyms(5000, 3));

    assertThat(second).isEqualTo(first);
  }

  @Test
  void verifiesAFileAgainstItsManifest() throws Exception {
    Path file = directory.resolve("s.parquet");
    SnapshotSummary summary = ExclusionSnapshot.write(file, Snapshots.ACADEMIC, Snapshots.pseudonyms(2000, 4));
    Manifest manifest = Manifest.of(Snapshots.ACADEMIC, summary, 1, Instant.now());

    assertThat(ExclusionSnapshot.verify(file, manifest)).isEqualTo(summary);
  }

  @Test
  void verificationNamesWhatDiffers() throws Exception {
    Path file = directory.resolve("s.parquet");
    SnapshotSummary summary = ExclusionSnapshot.write(file, Snapshots.ACADEMIC, Snapshots.pseudonyms(2000, 5));
    Instant now = Instant.parse("2026-11-25T03:04:05Z");
    Path other = directory.resolve("other.parquet");
    SnapshotSummary otherSummary = ExclusionSnapshot.write(other, Snapshots.ACADEMIC, Snapshots.pseudonyms(2001, 5));

    assertThatThrownBy(() -> ExclusionSnapshot.verify(other, Manifest.of(Snapshots.ACADEMIC, summary, 1, now)))
        .isInstanceOfSatisfying(ManifestException.class, e -> assertThat(e.reason()).isEqualTo(ManifestException.Reason.MISMATCH))
        .hasMessageContaining("the file's SHA-256 is " + otherSummary.fileSha256().hex());
    // A manifest that names the right file but another purpose, count or set hash is refused too.
    SnapshotDescription statistics = SnapshotDescription.of("government-statistics", Snapshots.CHECKPOINT);
    assertThatThrownBy(() -> ExclusionSnapshot.verify(file, Manifest.of(statistics, summary, 1, now)))
        .isInstanceOf(ManifestException.class).hasMessageContaining("the file describes purpose academic-research");
    assertThatThrownBy(() -> ExclusionSnapshot.verify(file,
        new Manifest(Snapshots.ACADEMIC, 1999, summary.setSha256(), summary.fileSha256(), now)))
        .isInstanceOf(ManifestException.class).hasMessageContaining("holds 2000 pseudonyms, the manifest says 1999");
    assertThatThrownBy(() -> ExclusionSnapshot.verify(file,
        new Manifest(Snapshots.ACADEMIC, 2000, otherSummary.setSha256(), summary.fileSha256(), now)))
        .isInstanceOf(ManifestException.class).hasMessageContaining("set hash");
  }

  @Test
  void refusesADamagedFile() throws Exception {
    Path file = directory.resolve("s.parquet");
    ExclusionSnapshot.write(file, Snapshots.ACADEMIC, Snapshots.pseudonyms(50_000, 6));
    byte[] bytes = Files.readAllBytes(file);
    bytes[1000] ^= 1; // inside the first data page
    Files.write(file, bytes);

    assertThatThrownBy(() -> {
      try (LongStream read = ExclusionSnapshot.read(file)) {
        read.count();
      }
    }).isInstanceOf(UncheckedIOException.class).cause().isInstanceOf(SnapshotFormatException.class)
        .hasMessageContaining("fails its checksum");
  }

  @Test
  void refusesFilesThatAreNotSnapshots() throws Exception {
    Path garbage = Files.write(directory.resolve("garbage.parquet"), new byte[100]);
    assertThatThrownBy(() -> ExclusionSnapshot.read(garbage)).isInstanceOf(SnapshotFormatException.class)
        .hasMessageContaining("does not start and end with PAR1");

    Path file = directory.resolve("s.parquet");
    ExclusionSnapshot.write(file, Snapshots.ACADEMIC, Snapshots.pseudonyms(10, 7));
    byte[] bytes = Files.readAllBytes(file);
    Path truncated = Files.write(directory.resolve("truncated.parquet"), java.util.Arrays.copyOf(bytes, bytes.length - 1));
    assertThatThrownBy(() -> ExclusionSnapshot.describe(truncated)).isInstanceOf(SnapshotFormatException.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"unsorted", "duplicate", "too-small", "too-large", "negative"})
  void refusesValuesThatBreakTheRulesAndLeavesNothingBehind(String problem) {
    LongStream values = switch (problem) {
      case "unsorted" -> LongStream.of(10_000_000_005L, 10_000_000_009L, 10_000_000_007L);
      case "duplicate" -> LongStream.of(10_000_000_005L, 10_000_000_009L, 10_000_000_009L);
      case "too-small" -> LongStream.of(9_999_999_999L);
      case "too-large" -> LongStream.of(10_000_000_005L, 20_000_000_000L);
      default -> LongStream.of(-10_000_000_005L);
    };
    Path file = directory.resolve("s.parquet");

    assertThatThrownBy(() -> ExclusionSnapshot.write(file, Snapshots.ACADEMIC, values))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Cannot write an exclusion snapshot: value ")
        .hasMessageNotContaining("10000000009").hasMessageNotContaining("9999999999");
    assertThat(files()).isEmpty();
  }

  @Test
  void refusesAValueFailureDeepInALargeWriteAndLeavesNothingBehind() {
    Path file = directory.resolve("s.parquet");
    LongStream values = LongStream.concat(Snapshots.pseudonyms(300_000, 8), LongStream.of(10_000_000_001L));

    assertThatThrownBy(() -> ExclusionSnapshot.write(file, Snapshots.ACADEMIC, values))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("value 300001 is smaller than the one before it");
    assertThat(files()).isEmpty();
  }

  @Test
  void neverReplacesAnExistingFile() throws Exception {
    Path file = Files.writeString(directory.resolve("s.parquet"), "published");

    assertThatThrownBy(() -> ExclusionSnapshot.write(file, Snapshots.ACADEMIC, LongStream.of(10_000_000_005L)))
        .isInstanceOf(FileAlreadyExistsException.class);
    assertThat(Files.readString(file)).isEqualTo("published");
    assertThat(files()).containsExactly(file);
  }

  @ParameterizedTest
  @ValueSource(strings = {"unsorted", "duplicate", "out-of-range"})
  void theReaderRefusesFilesWhoseValuesBreakTheRules(String problem) throws Exception {
    long[] values = switch (problem) {
      case "unsorted" -> new long[] {10_000_000_005L, 10_000_000_009L, 10_000_000_007L};
      case "duplicate" -> new long[] {10_000_000_005L, 10_000_000_009L, 10_000_000_009L};
      default -> new long[] {10_000_000_005L, 20_000_000_000L};
    };
    Path file = directory.resolve("bad.parquet");
    try (SnapshotFileWriter writer = new SnapshotFileWriter(file, Snapshots.ACADEMIC)) {
      for (long value : values) {
        writer.append(value); // unchecked: only ExclusionSnapshot.write checks
      }
    }

    assertThatThrownBy(() -> {
      try (LongStream read = ExclusionSnapshot.read(file)) {
        read.toArray();
      }
    }).isInstanceOf(UncheckedIOException.class).cause().isInstanceOf(SnapshotFormatException.class)
        .hasMessageMatching("Cannot read exclusion snapshot .*: value \\d+ (is not a layer-1 pseudonym|repeats|is smaller).*");
  }

  @Test
  void setHashRefusesUnsortedInput() {
    assertThatThrownBy(() -> ExclusionSnapshot.setHash(LongStream.of(10_000_000_009L, 10_000_000_005L)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("value 2 is smaller");
  }

  /** The service runs without Hadoop; so do these tests (Surefire leaves hadoop-client-api out). */
  @Test
  void hadoopIsNotOnTheClassPath() {
    assertThatThrownBy(() -> Class.forName("org.apache.hadoop.conf.Configuration"))
        .isInstanceOf(ClassNotFoundException.class);
  }

  private java.util.List<Path> files() {
    try (Stream<Path> listing = Files.list(directory)) {
      return listing.toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
