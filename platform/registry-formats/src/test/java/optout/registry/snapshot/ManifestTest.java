package optout.registry.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import optout.registry.log.Checkpoint;
import optout.registry.log.Ed25519NoteSigner;
import optout.registry.log.Hash;
import optout.registry.log.NoteVerifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ManifestTest {

  private static final Ed25519NoteSigner LOG_KEY = Ed25519NoteSigner.generate("nhi.gov.tw/optout-registry", new SecureRandom());
  private static final NoteVerifier TRUSTED = LOG_KEY.verifier();
  private static final Hash SET = Hash.fromHex("00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff");
  private static final Hash FILE = Hash.fromHex("ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100");
  private static final Manifest MANIFEST = new Manifest(Snapshots.ACADEMIC, 123_456, SET, FILE,
      Instant.parse("2026-11-25T03:04:05Z"));
  private static final String TEXT = """
      nhi-optout-registry/exclusion-snapshot/1
      purpose academic-research
      exemption none
      checkpoint nhi.gov.tw/optout-registry 1234 bx7QAqtVlYWQFOvwlRUi2aIeWyp8HA6fK2oNXE4/KhA=
      count 123456
      set-sha256 00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff
      file-sha256 ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100
      created 2026-11-25T03:04:05Z
      """;

  @Test
  void hasExactlyTheDocumentedText() throws Exception {
    assertThat(MANIFEST.text()).isEqualTo(TEXT);
    assertThat(Manifest.parse(TEXT)).isEqualTo(MANIFEST);
  }

  @Test
  void roundTripsAnExemptionAndAnOriginWithSpaces() throws Exception {
    Checkpoint checkpoint = new Checkpoint("example.org/log with spaces ", 0, SET, List.of());
    Manifest manifest = new Manifest(new SnapshotDescription("government-statistics", Optional.of("statistics-act"), checkpoint),
        0, SET, FILE, Instant.parse("2027-01-01T00:00:00Z"));

    assertThat(manifest.text()).contains("\nexemption statistics-act\n")
        .contains("\ncheckpoint example.org/log with spaces  0 " + SET.base64() + "\n");
    assertThat(Manifest.parse(manifest.text())).isEqualTo(manifest);
  }

  @Test
  void ofTruncatesTheTimeToSecondsAndDropsCheckpointExtensions() {
    Checkpoint withExtension = new Checkpoint(Snapshots.CHECKPOINT.origin(), Snapshots.CHECKPOINT.size(),
        Snapshots.CHECKPOINT.rootHash(), List.of("an extension"));
    Manifest manifest = Manifest.of(SnapshotDescription.of("academic-research", withExtension),
        new SnapshotSummary(123_456, SET, FILE), 3, Instant.parse("2026-11-25T03:04:05.987654Z"));

    assertThat(manifest).isEqualTo(VERSIONED);
    assertThatThrownBy(() -> Manifest.of(Snapshots.ACADEMIC, new SnapshotSummary(1, SET, FILE), 0, Instant.EPOCH))
        .hasMessageContaining("at least 1");
  }

  /** Format 2 names the warehouse key version of its pseudonyms, after the checkpoint. */
  private static final Manifest VERSIONED = new Manifest(Snapshots.ACADEMIC, 123_456, SET, FILE,
      Instant.parse("2026-11-25T03:04:05Z"), 3);
  private static final String VERSIONED_TEXT = TEXT.replace("exclusion-snapshot/1\n", "exclusion-snapshot/2\n")
      .replace("KhA=\n", "KhA=\nwarehouse-key-version 3\n");

  @Test
  void formatTwoNamesItsWarehouseKeyVersion() throws Exception {
    assertThat(VERSIONED.text()).isEqualTo(VERSIONED_TEXT).contains("\nwarehouse-key-version 3\ncount 123456\n");
    assertThat(Manifest.parse(VERSIONED_TEXT)).isEqualTo(VERSIONED);
    assertThat(Manifest.verify(VERSIONED.sign(LOG_KEY), TRUSTED).warehouseKeyVersion()).isEqualTo(3);
    assertThat(Manifest.parse(TEXT).warehouseKeyVersion()).isZero();
  }

  @Test
  void aSnapshotAppliesOnlyToDataUnderItsOwnKeyVersion() throws Exception {
    VERSIONED.requireWarehouseKeyVersion(3);

    assertThatThrownBy(() -> VERSIONED.requireWarehouseKeyVersion(4))
        .isInstanceOfSatisfying(ManifestException.class, e -> assertThat(e.reason()).isEqualTo(ManifestException.Reason.MISMATCH))
        .hasMessageContaining("under warehouse key version 3, the data under version 4");
    assertThatThrownBy(() -> MANIFEST.requireWarehouseKeyVersion(1))
        .isInstanceOfSatisfying(ManifestException.class, e -> assertThat(e.reason()).isEqualTo(ManifestException.Reason.MISMATCH))
        .hasMessageContaining("an unstated version");
  }

  @Test
  void aChangedKeyVersionBreaksTheSignature() {
    String forged = VERSIONED.sign(LOG_KEY).replace("warehouse-key-version 3\n", "warehouse-key-version 2\n");

    assertThatThrownBy(() -> Manifest.verify(forged, TRUSTED))
        .isInstanceOfSatisfying(ManifestException.class, e -> assertThat(e.reason()).isEqualTo(ManifestException.Reason.UNTRUSTED));
  }

  @ParameterizedTest
  @ValueSource(strings = {"warehouse-key-version 0", "warehouse-key-version 03", "warehouse-key-version -3", "warehouse-key-version",
      "warehouse-key-version 2147483648", "key-version 3", "count 123456"})
  void aMalformedKeyVersionLineIsRefused(String line) {
    String text = VERSIONED_TEXT.replace("warehouse-key-version 3", line);

    assertThatThrownBy(() -> Manifest.parse(text))
        .isInstanceOfSatisfying(ManifestException.class, e -> assertThat(e.reason()).isEqualTo(ManifestException.Reason.MALFORMED))
        .hasMessageContaining("line 5");
  }

  @Test
  void aFormatOneTextWithAKeyVersionLineIsRefused() {
    String text = VERSIONED_TEXT.replace("exclusion-snapshot/2\n", "exclusion-snapshot/1\n");

    assertThatThrownBy(() -> Manifest.parse(text)).isInstanceOf(ManifestException.class).hasMessageContaining("9 lines");
  }

  @Test
  void aSignedManifestVerifies() throws Exception {
    String signed = MANIFEST.sign(LOG_KEY);

    assertThat(signed).startsWith(TEXT + "\n\u2014 nhi.gov.tw/optout-registry ");
    assertThat(Manifest.verify(signed, TRUSTED)).isEqualTo(MANIFEST);
  }

  @Test
  void everyChangedLineBreaksTheSignature() throws Exception {
    String signed = MANIFEST.sign(LOG_KEY);
    String[] lines = TEXT.split("\n");
    String[] replacements = {
        "nhi-optout-registry/exclusion-snapshot/2",
        "purpose commercial-use",
        "exemption statistics-act",
        "checkpoint nhi.gov.tw/optout-registry 1235 bx7QAqtVlYWQFOvwlRUi2aIeWyp8HA6fK2oNXE4/KhA=",
        "count 123455",
        "set-sha256 10112233445566778899aabbccddeeff00112233445566778899aabbccddeeff",
        "file-sha256 efeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100",
        "created 2026-11-25T03:04:06Z"};
    for (int i = 0; i < lines.length; i++) {
      String forged = signed.replace(lines[i] + "\n", replacements[i] + "\n");
      assertThat(forged).isNotEqualTo(signed);
      assertThatThrownBy(() -> Manifest.verify(forged, TRUSTED))
          .isInstanceOfSatisfying(ManifestException.class, e -> assertThat(e.reason()).isEqualTo(ManifestException.Reason.UNTRUSTED))
          .hasMessageContaining("is not valid");
    }
  }

  @Test
  void anotherKeysSignatureIsNotTrusted() {
    Ed25519NoteSigner impostor = Ed25519NoteSigner.generate("nhi.gov.tw/optout-registry", new SecureRandom());

    assertThatThrownBy(() -> Manifest.verify(MANIFEST.sign(impostor), TRUSTED))
        .isInstanceOfSatisfying(ManifestException.class, e -> assertThat(e.reason()).isEqualTo(ManifestException.Reason.UNTRUSTED))
        .hasMessageContaining("no signature is by a trusted key");
  }

  @Test
  void aManifestIsNeverACheckpoint() {
    assertThatThrownBy(() -> Checkpoint.parse(TEXT)).hasMessageContaining("not canonical decimal");
    assertThatThrownBy(() -> Manifest.parse(Snapshots.CHECKPOINT.text())).isInstanceOf(ManifestException.class);
  }

  @Test
  void anUnsignedOrGarbledNoteIsMalformed() {
    assertThatThrownBy(() -> Manifest.verify(TEXT, TRUSTED))
        .isInstanceOfSatisfying(ManifestException.class, e -> assertThat(e.reason()).isEqualTo(ManifestException.Reason.MALFORMED));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "",
      "nhi-optout-registry/exclusion-snapshot/1\n",
      "nhi-optout-registry/exclusion-snapshot/1\r\npurpose",
      "line 1|exclusion-snapshot/1\n|exclusion-snapshot/1 \n",
      "line 2|purpose academic-research|purpose Academic-Research",
      "line 2|purpose academic-research|purpose  academic-research",
      "line 2|purpose academic-research|purpose academic-research ",
      "line 2|purpose academic-research|purpose",
      "line 3|exemption none|exemption",
      "line 3|exemption none|exemption none please",
      "line 4|checkpoint nhi.gov.tw/optout-registry 1234|checkpoint nhi.gov.tw/optout-registry 01234",
      "line 4|checkpoint nhi.gov.tw/optout-registry 1234|checkpoint nhi.gov.tw/optout-registry +1234",
      "line 4|checkpoint nhi.gov.tw/optout-registry 1234 |checkpoint 1234 ",
      "line 4|KhA=|KhB=",
      "line 4|KhA=|KhA",
      "line 5|count 123456|count 0123456",
      "line 5|count 123456|count -1",
      "line 5|count 123456|count 99999999999999999999",
      "line 6|set-sha256 0011|set-sha256 0X11",
      "line 6|set-sha256 00112233445566778899aabbccddeeff|set-sha256 00112233445566778899AABBCCDDEEFF",
      "line 7|ffeeddccbbaa99887766554433221100\ncreated|ffeeddccbbaa998877665544332211\ncreated",
      "line 8|created 2026-11-25T03:04:05Z|created 2026-11-25T03:04:05.000Z",
      "line 8|created 2026-11-25T03:04:05Z|created 2026-11-25T11:04:05+08:00",
      "line 8|created 2026-11-25T03:04:05Z|created 2026-02-30T03:04:05Z",
      "line 8|created 2026-11-25T03:04:05Z|created 2026-11-25T23:59:60Z",
      "line 8|created 2026-11-25T03:04:05Z|created 1969-12-31T23:59:59Z",
      "lines|created 2026-11-25T03:04:05Z\n|created 2026-11-25T03:04:05Z\nextra line\n",
      "lines|created 2026-11-25T03:04:05Z\n|created 2026-11-25T03:04:05Z\n\n",
      "lines|created 2026-11-25T03:04:05Z\n|created 2026-11-25T03:04:05Z",
  })
  void parsingIsStrict(String variant) {
    String text;
    if (variant.contains("|")) {
      String[] parts = variant.split("\\|", -1);
      assertThat(TEXT).contains(parts[1]);
      text = TEXT.replace(parts[1], parts[2]);
    } else {
      text = variant;
    }

    assertThatThrownBy(() -> Manifest.parse(text))
        .isInstanceOfSatisfying(ManifestException.class, e -> assertThat(e.reason()).isEqualTo(ManifestException.Reason.MALFORMED))
        .hasMessageStartingWith("Cannot parse exclusion snapshot manifest: ");
  }

  @Test
  void requireCheckpointComparesOriginSizeAndRoot() throws Exception {
    MANIFEST.requireCheckpoint(Snapshots.CHECKPOINT);

    Checkpoint later = new Checkpoint(Snapshots.CHECKPOINT.origin(), 1235, Snapshots.CHECKPOINT.rootHash(), List.of());
    assertThatThrownBy(() -> MANIFEST.requireCheckpoint(later))
        .isInstanceOfSatisfying(ManifestException.class, e -> assertThat(e.reason()).isEqualTo(ManifestException.Reason.MISMATCH));
    Checkpoint otherLog = new Checkpoint("example.org/another-log", 1234, Snapshots.CHECKPOINT.rootHash(), List.of());
    assertThatThrownBy(() -> MANIFEST.requireCheckpoint(otherLog)).isInstanceOf(ManifestException.class);
  }

  @Test
  void refusesInvalidValues() {
    assertThatThrownBy(() -> new Manifest(Snapshots.ACADEMIC, -1, SET, FILE, Instant.EPOCH))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Manifest(Snapshots.ACADEMIC, 1, SET, FILE, Instant.ofEpochMilli(1)))
        .hasMessageContaining("whole seconds");
    assertThatThrownBy(() -> SnapshotDescription.of("Academic Research", Snapshots.CHECKPOINT))
        .hasMessageStartingWith("Cannot describe a snapshot: the purpose must be a scope code");
    assertThatThrownBy(() -> new SnapshotDescription("academic-research", Optional.of("none"), Snapshots.CHECKPOINT))
        .hasMessageContaining("not \"none\"");
  }
}
