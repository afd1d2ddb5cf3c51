package optout.witness.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import optout.registry.log.Checkpoint;
import optout.registry.log.CheckpointVerifier;
import optout.registry.log.Ed25519CosignatureVerifier;
import optout.registry.log.Ed25519NoteSigner;
import optout.registry.log.Hash;
import optout.registry.log.SignedNote;
import optout.witness.TestLog;
import optout.witness.state.WitnessState;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The witness through its real HTTP endpoint, as a log (honest or not) and a monitor meet it: every answer of
 * c2sp.org/tlog-witness's add-checkpoint (200, 400, 403, 404, 409, 413, 422), in the order a log's life
 * brings them, and the state it keeps.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WitnessHttpTest {

  static final String ORIGIN = "test.example/log";
  static final Ed25519NoteSigner LOG_KEY = Ed25519NoteSigner.generate(ORIGIN);
  static final TestLog LOG = new TestLog(ORIGIN, LOG_KEY, "leaf ").growTo(20);
  /** The same key signing another history: what a log that shows two views signs. */
  static final TestLog OTHER_HISTORY = new TestLog(ORIGIN, LOG_KEY, "other leaf ").growTo(20);
  static Path directory;

  @Value("${local.server.port}") int port;
  private final HttpClient http = HttpClient.newHttpClient();

  @DynamicPropertySource
  static void witness(DynamicPropertyRegistry properties) throws IOException {
    directory = Files.createTempDirectory("witness-http-test");
    properties.add("optout.witness.signing-key-file", () -> directory.resolve("keys/witness.key").toString());
    properties.add("optout.witness.create-signing-key", () -> "true");
    properties.add("optout.witness.state-directory", () -> directory.resolve("state").toString());
    properties.add("optout.witness.logs", () -> LOG_KEY.verifierKey() + " " + ORIGIN);
    properties.add("optout.witness.max-body-size", () -> "4KB");
  }

  record Answer(int status, String contentType, String body) {}

  private Answer add(long oldSize, List<Hash> proof, String note) throws Exception {
    return post(AddCheckpointRequest.encode(oldSize, proof, note).getBytes(StandardCharsets.UTF_8));
  }

  private Answer post(byte[] body) throws Exception {
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/add-checkpoint"))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    return new Answer(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""), response.body());
  }

  private String get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(), HttpResponse.BodyHandlers.ofString()).body();
  }

  private Ed25519CosignatureVerifier witnessKey() throws Exception {
    return Ed25519CosignatureVerifier.fromVerifierKey(get("/verifier-key").strip());
  }

  private CheckpointVerifier cosignedOnly() throws Exception {
    return new CheckpointVerifier(ORIGIN, LOG_KEY.verifier()).requiringCosignatures(List.of(witnessKey()));
  }

  /** The signed checkpoint with the witness's answer appended, as the log serves it. */
  private static String cosigned(String note, String answer) throws Exception {
    return note + answer;
  }

  @Test
  @Order(1)
  void theFirstCheckpointIsCosignedAndHeld() throws Exception {
    assertThat(get("/" + WitnessState.originHash(ORIGIN) + "/checkpoint")).contains("cosigned no checkpoint");
    String note = LOG.signed(5);
    Answer answer = add(0, List.of(), note);
    assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    assertThat(answer.body()).startsWith("\u2014 localhost/nhi-optout-witness ").endsWith("\n");
    assertThat(cosignedOnly().verify(cosigned(note, answer.body()))).isEqualTo(LOG.checkpoint(5));
    String held = get("/" + WitnessState.originHash(ORIGIN) + "/checkpoint");
    assertThat(cosignedOnly().verify(held)).isEqualTo(LOG.checkpoint(5));
    assertThat(Files.readString(historyFile(5))).isEqualTo(held);
    assertThat((Path) directory.resolve("keys/witness.key")).satisfies(key ->
        assertThat(Files.getPosixFilePermissions(key)).containsExactlyInAnyOrder(java.nio.file.attribute.PosixFilePermission.OWNER_READ,
            java.nio.file.attribute.PosixFilePermission.OWNER_WRITE));
  }

  @Test
  @Order(2)
  void aWrongOldSizeIsAConflictNamingTheSizeHeld() throws Exception {
    Answer answer = add(0, List.of(), LOG.signed(8));
    assertThat(answer.status()).isEqualTo(409);
    assertThat(answer.contentType()).isEqualTo("text/x.tlog.size");
    assertThat(answer.body()).isEqualTo("5\n");
    assertThat(add(7, LOG.proof(7, 8), LOG.signed(8)).body()).isEqualTo("5\n");
  }

  @Test
  @Order(3)
  void aProofThatDoesNotLeadFromTheCheckpointHeldIsRefusedAndKeptAsEvidence() throws Exception {
    Answer wrongProof = add(5, LOG.proof(4, 8), LOG.signed(8));
    assertThat(wrongProof.status()).isEqualTo(422);
    assertThat(wrongProof.body()).contains("is not consistent with the checkpoint of 5 leaves this witness cosigned");
    // the other history, signed with the log's own key: no proof from what the witness holds leads to it
    Answer otherHistory = add(5, OTHER_HISTORY.proof(5, 8), OTHER_HISTORY.signed(8));
    assertThat(otherHistory.status()).isEqualTo(422);
    try (Stream<Path> refused = Files.list(logDirectory().resolve("refused"))) {
      assertThat(refused.map(WitnessHttpTest::read)).contains(OTHER_HISTORY.signed(8));
    }
    assertThat(cosignedOnly().verify(get("/" + WitnessState.originHash(ORIGIN) + "/checkpoint")).size()).isEqualTo(5);
  }

  @Test
  @Order(4)
  void aConsistentExtensionIsCosignedAndTheSameTreeAgainToo() throws Exception {
    Answer extended = add(5, LOG.proof(5, 8), LOG.signed(8));
    assertThat(extended.status()).as(extended.body()).isEqualTo(200);
    assertThat(cosignedOnly().verify(cosigned(LOG.signed(8), extended.body()))).isEqualTo(LOG.checkpoint(8));
    Answer again = add(8, List.of(), LOG.signed(8));
    assertThat(again.status()).isEqualTo(200);
    assertThat(Files.list(logDirectory().resolve("history")).map(path -> path.getFileName().toString()).sorted().toList())
        .containsExactly("00000000000000000005", "00000000000000000008");
  }

  @Test
  @Order(5)
  void anotherRootAtTheSizeHeldASmallerTreeOrAnEmptyTreeWithARootAreRefused() throws Exception {
    Answer split = add(8, List.of(), OTHER_HISTORY.signed(8));
    assertThat(split.status()).isEqualTo(422);
    assertThat(split.body()).contains("two trees of 8 leaves have different roots");
    Answer smaller = add(8, List.of(), LOG.signed(6));
    assertThat(smaller.status()).isEqualTo(400);
    assertThat(smaller.body()).contains("The old size 8 exceeds the checkpoint's size 6");
    assertThat(add(6, List.of(), LOG.signed(6)).body()).isEqualTo("8\n");
    String emptyWithRoot = new optout.registry.log.CheckpointSigner(LOG_KEY).sign(new Checkpoint(ORIGIN, 0, LOG.checkpoint(3).rootHash(),
        List.of())).encoded();
    assertThat(add(0, List.of(), emptyWithRoot).status()).isEqualTo(422);
    assertThat(add(8, List.of(Hash.of(new byte[32])), LOG.signed(8)).status()).as("a proof where none is needed").isEqualTo(422);
  }

  @Test
  @Order(6)
  void unknownLogsUntrustedSignaturesAndMalformedBodiesAreRefused() throws Exception {
    Ed25519NoteSigner stranger = Ed25519NoteSigner.generate("other.example/log");
    TestLog unknown = new TestLog("other.example/log", stranger, "leaf ").growTo(3);
    assertThat(add(0, List.of(), unknown.signed(3)).status()).isEqualTo(404);
    TestLog impostor = new TestLog(ORIGIN, Ed25519NoteSigner.generate(ORIGIN), "leaf ").growTo(20);
    Answer untrusted = add(8, impostor.proof(8, 10), impostor.signed(10));
    assertThat(untrusted.status()).isEqualTo(403);
    assertThat(untrusted.body()).contains("no signature is by a trusted key");
    String tampered = LOG.signed(10).replace("\n10\n", "\n11\n");
    assertThat(add(8, LOG.proof(8, 10), tampered).status()).isEqualTo(403);

    assertThat(post("old 08\n\n".concat(LOG.signed(10)).getBytes(StandardCharsets.UTF_8)).status()).isEqualTo(400);
    assertThat(post("old 8\nnot base64\n\n".concat(LOG.signed(10)).getBytes(StandardCharsets.UTF_8)).status()).isEqualTo(400);
    assertThat(post("old 8\n".concat(LOG.signed(10)).getBytes(StandardCharsets.UTF_8)).status()).as("no empty line").isEqualTo(400);
    assertThat(post(new byte[] {'o', 'l', 'd', ' ', '8', '\n', '\n', (byte) 0xff}).status()).isEqualTo(400);
    StringBuilder tooManyLines = new StringBuilder("old 8\n");
    for (int i = 0; i < 64; i++) {
      tooManyLines.append(Hash.of(new byte[32]).base64()).append('\n');
    }
    assertThat(post(tooManyLines.append('\n').append(LOG.signed(10)).toString().getBytes(StandardCharsets.UTF_8)).status())
        .as("64 proof lines, more than the limit, and more than 4KB").isIn(400, 413);
    assertThat(post(new byte[5000]).status()).isEqualTo(413);
    // after all this, the witness still holds 8 and extends it
    assertThat(add(8, LOG.proof(8, 10), LOG.signed(10)).status()).isEqualTo(200);
  }

  @Test
  @Order(7)
  void everyHistoryEntryVerifiesWithTheLogKeyAndTheWitnessKey() throws Exception {
    CheckpointVerifier verifier = cosignedOnly();
    try (Stream<Path> history = Files.list(logDirectory().resolve("history"))) {
      List<Path> files = history.sorted().toList();
      assertThat(files).hasSize(3);
      for (Path file : files) {
        Checkpoint checkpoint = verifier.verify(Files.readString(file));
        assertThat(file.getFileName().toString()).isEqualTo(String.format("%020d", checkpoint.size()));
        assertThat(SignedNote.parse(Files.readString(file)).signatures()).hasSize(2);
      }
    }
  }

  private static Path logDirectory() {
    return directory.resolve("state/logs").resolve(WitnessState.originHash(ORIGIN));
  }

  private static Path historyFile(long size) {
    return logDirectory().resolve("history").resolve(String.format("%020d", size));
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
