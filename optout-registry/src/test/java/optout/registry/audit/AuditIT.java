package optout.registry.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import optout.platform.testing.TestDatabases;
import optout.registry.RegistryIT;
import optout.registry.RegistryTestSetup;
import optout.registry.log.Checkpoint;
import optout.registry.log.CheckpointSigner;
import optout.registry.log.CheckpointVerifier;
import optout.registry.log.Ed25519NoteVerifier;
import optout.registry.log.Hash;
import optout.registry.log.TreeHead;
import optout.registry.transparency.RegistryLogKeys;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * {@code ./optout registry audit} and {@code export-log} against the live registry's database, before and
 * after a superuser changes rows behind its back (triggers bypassed, as only a superuser can).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AuditIT extends RegistryIT {

  @Autowired private JdbcTemplate jdbc;
  @TempDir static Path directory;

  record Run(int exitCode, String out) {}

  private Run command(String... args) throws Exception {
    TestDatabases.TestDatabase db = testDatabase();
    Map<String, String> environment = Map.of("SPRING_DATASOURCE_URL", db.url(), "SPRING_DATASOURCE_USERNAME", db.applicationUser(),
        "SPRING_DATASOURCE_PASSWORD", db.password(), "OPTOUT_REGISTRY_LOG_SIGNING_KEY_FILE",
        optout.registry.RegistryTestSetup.signingKeyFile().toString());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int code = new RegistryCommand(environment, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(out, true, StandardCharsets.UTF_8)).run(args);
    return new Run(code, out.toString(StandardCharsets.UTF_8));
  }

  /** {@code docs/verify-registry-log.py EXPORT --remember FILE}: Python's standard library and openssl, none of our code. */
  private static Run verifyExport(Path export, Path remembered) throws Exception {
    Process python = new ProcessBuilder("python3", "../docs/verify-registry-log.py", export.toString(), "--remember", remembered.toString())
        .redirectErrorStream(true).start();
    String out = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(python.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Run(python.exitValue(), out);
  }

  /** Files opt-outs for a few people and waits until the log has signed them all. */
  private List<Long> fileAndAwaitLog(String... ids) throws Exception {
    List<Long> seqs = new ArrayList<>();
    for (String id : ids) {
      assertThat(file(key(), filing("opt-out-filed", id, "\"academic-research\"", "counter", ""))
          .statusCode()).isIn(201, 409);
    }
    for (int i = 0; i < 200; i++) {
      Long unsigned = jdbc.queryForObject("""
          select count(*) from registry_event e left join log_leaf l on l.event_seq = e.seq
          where l.log_index is null or l.log_index >= coalesce((select max(tree_size) from log_checkpoint), 0)""", Long.class);
      if (unsigned == 0) {
        break;
      }
      Thread.sleep(50);
    }
    seqs.addAll(jdbc.queryForList("select seq from registry_event order by seq", Long.class));
    return seqs;
  }


  @Test
  @Order(1)
  void aCleanLogAuditsCleanAndItsExportVerifiesWithoutOurCode() throws Exception {
    fileAndAwaitLog("J100000009", "K200000002", "M100000001");
    Run audit = command("audit");
    assertThat(audit.out()).contains("row MACs checked", "OK: the log and the rows agree");
    assertThat(audit.exitCode()).isZero();

    Path export = directory.resolve("export");
    Run exported = command("export-log", "--out", export.toString());
    assertThat(exported.exitCode()).as(exported.out()).isZero();
    assertThat(Files.readString(export.resolve("FORMAT.md"))).contains("RFC 9162");
    Process python = new ProcessBuilder("python3", Path.of("../docs/verify-registry-log.py").toString(), export.toString())
        .redirectErrorStream(true).start();
    String verified = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(python.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(verified).startsWith("OK: ");
    assertThat(python.exitValue()).isZero();

    // an outside auditor with only the public key
    String verifierKey = get("/api/v1/log/verifier-key", null).body().strip();
    TestDatabases.TestDatabase db = testDatabase();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int code = new RegistryCommand(Map.of("SPRING_DATASOURCE_URL", db.url(), "SPRING_DATASOURCE_USERNAME", db.applicationUser(),
        "SPRING_DATASOURCE_PASSWORD", db.password()), new PrintStream(out, true, StandardCharsets.UTF_8), System.err)
        .run(new String[] {"audit", "--verifier-key", verifierKey});
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("row MACs not checked", "OK");
    assertThat(code).isZero();
  }

  @Test
  @Order(1)
  void checkpointsHeldElsewhereCatchALostTailAndASecondHistory() throws Exception {
    fileAndAwaitLog("P100000003");
    String latest = get("/api/v1/log/checkpoint", null).body();
    Checkpoint published = new CheckpointVerifier(RegistryCommand.DEFAULT_ORIGIN,
        Ed25519NoteVerifier.fromVerifierKey(get("/api/v1/log/verifier-key", null).body().strip())).verify(latest);
    // What an outsider holds after the registry showed it more than its database now has, or another history:
    // checkpoints the log's own key signed (the key is not the database's to lose)
    var signer = new CheckpointSigner(RegistryLogKeys.load(RegistryTestSetup.signingKeyFile(), RegistryCommand.DEFAULT_ORIGIN, false).signer());
    long ahead = published.size() + 5;
    Path held = Files.createDirectories(directory.resolve("held"));
    Files.writeString(held.resolve("latest"), latest);
    assertThat(command("audit", "--checkpoints", held.toString()).exitCode()).isZero();

    Files.writeString(held.resolve("seen-by-witness"), signer.sign(Checkpoint.of(RegistryCommand.DEFAULT_ORIGIN,
        new TreeHead(ahead, Hash.of(new byte[32])))).encoded());
    Run lostTail = command("audit", "--checkpoints", held.toString());
    assertThat(lostTail.exitCode()).isEqualTo(1);
    assertThat(lostTail.out()).contains("(2 held elsewhere)")
        .contains("DELETED: checkpoint " + ahead + " signed " + ahead + " leaves, but the log holds " + published.size());

    // the independent verifier, remembering what it was shown, catches the same in an export
    Path export = directory.resolve("held-export");
    assertThat(command("export-log", "--out", export.toString()).exitCode()).isZero();
    Path remembered = directory.resolve("verifier-remembers");
    Run first = verifyExport(export, remembered);
    assertThat(first.out()).startsWith("OK: ");
    assertThat(first.exitCode()).isZero();
    assertThat(Files.readString(remembered)).isEqualTo(Files.readString(export.resolve("checkpoints").resolve(Long.toString(published.size()))));
    assertThat(verifyExport(export, remembered).exitCode()).isZero();
    Files.copy(held.resolve("seen-by-witness"), remembered, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    Run behind = verifyExport(export, remembered);
    assertThat(behind.exitCode()).isEqualTo(1);
    assertThat(behind.out()).contains("the export holds " + published.size() + " leaves, fewer than the checkpoint of " + ahead
        + " remembered in " + remembered + ": the registry lost signed events").contains("NOT VERIFIED");
    Files.delete(held.resolve("seen-by-witness"));

    byte[] otherRoot = published.rootHash().bytes().clone();
    otherRoot[0] ^= 1;
    Files.writeString(held.resolve("shown-to-a-citizen"), signer.sign(Checkpoint.of(RegistryCommand.DEFAULT_ORIGIN,
        new TreeHead(published.size(), Hash.of(otherRoot)))).encoded());
    Run forked = command("audit", "--checkpoints", held.toString());
    assertThat(forked.exitCode()).isEqualTo(1);
    assertThat(forked.out()).contains("TREE_MISMATCH: the checkpoint of size " + published.size() + " held in "
        + held.resolve("shown-to-a-citizen") + " signs another root than the database's: the log has shown two histories");
    Files.copy(held.resolve("shown-to-a-citizen"), remembered, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    Run otherHistory = verifyExport(export, remembered);
    assertThat(otherHistory.exitCode()).isEqualTo(1);
    assertThat(otherHistory.out()).contains("the export's first " + published.size() + " leaves do not hash to the checkpoint remembered in "
        + remembered + ": the registry shows another history");
    assertThat(Files.readString(remembered)).isEqualTo(Files.readString(held.resolve("shown-to-a-citizen")));

    Files.writeString(held.resolve("shown-to-a-citizen"), "not a checkpoint\n");
    assertThat(command("audit", "--checkpoints", held.toString()).out()).contains("BAD_CHECKPOINT: the checkpoint held in "
        + held.resolve("shown-to-a-citizen") + " does not verify");
    assertThat(command("audit", "--checkpoints", directory.resolve("no-such-directory").toString()).out())
        .contains("is not a directory");
    // the database alone still audits clean: only what is held elsewhere shows these
    assertThat(command("audit").exitCode()).isZero();
  }

  @Test
  @Order(2)
  void anUpdateByASuperuserIsReportedAndTheExportNoLongerVerifies() throws Exception {
    List<Long> seqs = fileAndAwaitLog("N100000002");
    long victim = seqs.get(seqs.size() - 1);
    long index = jdbc.queryForObject("select log_index from log_leaf where event_seq = ?", Long.class, victim);
    asSuperuser("update registry_event set scopes = '{commercial-use}' where seq = " + victim);
    Run audit = command("audit");
    assertThat(audit.exitCode()).isEqualTo(1);
    assertThat(audit.out()).contains("EDITED: the event row of leaf " + index + " was changed after it was logged")
        .contains("TREE_MISMATCH: the rows up to leaf " + index);

    Path export = directory.resolve("tampered");
    command("export-log", "--out", export.toString());
    Process python = new ProcessBuilder("python3", "../docs/verify-registry-log.py", export.toString()).redirectErrorStream(true).start();
    assertThat(new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).contains("NOT VERIFIED");
    assertThat(python.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(python.exitValue()).isEqualTo(1);
    asSuperuser("update registry_event set scopes = '{academic-research}' where seq = " + victim);
    Run restored = command("audit");
    assertThat(restored.exitCode()).as(restored.out()).isZero();
  }

  @Test
  @Order(3)
  void aSwapOfLogPositionsIsReportedAsReordering() throws Exception {
    List<Long> seqs = fileAndAwaitLog("P100000003", "Q200000006");
    long a = jdbc.queryForObject("select log_index from log_leaf where event_seq = ?", Long.class, seqs.get(seqs.size() - 2));
    long b = jdbc.queryForObject("select log_index from log_leaf where event_seq = ?", Long.class, seqs.get(seqs.size() - 1));
    asSuperuser("update log_leaf set event_seq = -event_seq where log_index in (" + a + ", " + b + ")",
        "update log_leaf set event_seq = " + seqs.get(seqs.size() - 1) + " where log_index = " + a,
        "update log_leaf set event_seq = " + seqs.get(seqs.size() - 2) + " where log_index = " + b);
    Run audit = command("audit");
    assertThat(audit.exitCode()).isEqualTo(1);
    assertThat(audit.out()).contains("REORDERED: leaf " + a + " holds the row that was logged as leaf " + b)
        .contains("REORDERED: leaf " + b + " holds the row that was logged as leaf " + a);
    asSuperuser("update log_leaf set event_seq = -event_seq where log_index in (" + a + ", " + b + ")",
        "update log_leaf set event_seq = " + seqs.get(seqs.size() - 2) + " where log_index = " + a,
        "update log_leaf set event_seq = " + seqs.get(seqs.size() - 1) + " where log_index = " + b);
    Run restored = command("audit");
    assertThat(restored.exitCode()).as(restored.out()).isZero();
  }

  @Test
  @Order(4)
  void anInsertBehindTheRegistrysBackIsNeverLoggedAndIsReported() throws Exception {
    fileAndAwaitLog("R100000005");
    asSuperuser("""
        insert into registry_event (id, type, person, person_salt, person_id_sealed, scopes, channel, document_reference,
          document_sha256, effective_at, recorded_at, filed_by, filed_by_subject, idempotency_key, request_sha256, row_mac,
          stat_sex, stat_county, stat_age_band)
        select gen_random_uuid(), 'opt-out-withdrawn', person, person_salt, person_id_sealed, scopes, channel, document_reference,
          document_sha256, effective_at, recorded_at, filed_by, filed_by_subject, 'forged-' || idempotency_key, request_sha256,
          row_mac, stat_sex, stat_county, stat_age_band from registry_event order by seq desc limit 1""");
    long forged = jdbc.queryForObject("select max(seq) from registry_event", Long.class);
    Thread.sleep(500);  // the sequencer runs several times meanwhile
    assertThat(jdbc.queryForObject("select count(*) from log_leaf where event_seq = ?", Long.class, forged)).isZero();
    assertThat(jdbc.queryForObject("select count(*) from registry_alert where kind = 'unauthenticated-event'", Long.class)).isEqualTo(1);
    Run audit = command("audit");
    assertThat(audit.exitCode()).isEqualTo(1);
    assertThat(audit.out()).contains("INSERTED: row " + forged + " was not written by the registry and is not in the log");
  }

  @Test
  @Order(5)
  void aDeleteByASuperuserIsReported() throws Exception {
    List<Long> seqs = fileAndAwaitLog("S100000006");
    long victim = seqs.get(seqs.size() - 1);
    long index = jdbc.queryForObject("select log_index from log_leaf where event_seq = ?", Long.class, victim);
    asSuperuser("delete from registry_event where seq = " + victim);
    Run audit = command("audit");
    assertThat(audit.exitCode()).as(audit.out()).isEqualTo(1);
    assertThat(audit.out()).contains("DELETED: the event row of leaf " + index + " (row " + victim + ") was deleted")
        .contains("PROJECTION_DRIFT");
    asSuperuser("delete from log_leaf where log_index = " + index);
    // the newest leaf gone entirely: the signed checkpoints still count it
    assertThat(command("audit").out()).contains("DELETED: checkpoint " + (index + 1) + " signed " + (index + 1)
        + " leaves, but the log holds " + index);
    // and an export cannot leave that checkpoint out to look complete
    Path export = directory.resolve("after-delete");
    Run exported = command("export-log", "--out", export.toString());
    assertThat(exported.exitCode()).isEqualTo(2);
    assertThat(exported.out()).contains("Cannot export the log: checkpoint ");
    assertThat(export).doesNotExist();
  }

  @Test
  void refusesWrongCommandLines() throws Exception {
    assertThat(command().exitCode()).isEqualTo(2);
    assertThat(command("audit", "--colour", "red").out()).contains("unknown option --colour");
    assertThat(command("export-log").out()).contains("--out is missing");
    assertThat(command("shred").out()).contains("unknown command: registry shred");
  }
}
