package optout.registry.transparency;

import static optout.registry.transparency.WitnessedRegistry.nationalId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import optout.platform.testing.TestKeycloak;
import optout.registry.audit.RegistryCommands;
import optout.registry.log.Checkpoint;
import optout.registry.log.CheckpointSigner;
import optout.registry.log.CheckpointVerifier;
import optout.registry.log.Hash;
import optout.registry.log.NoteException;
import optout.registry.log.TreeHead;
import optout.witness.protocol.AddCheckpointRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The registry with a real witness (c2sp.org/tlog-witness), attacked the ways a registry that holds its own
 * checkpoints cannot notice: its tail deleted, an old backup restored, a second history signed with its key.
 * Each test has a fresh database, registry and witness of its own ({@link WitnessedRegistry}).
 */
class WitnessIT {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  @TempDir Path directory;

  /** (a) Checkpoints get cosigned, and everything consumers are given verifies with the log key and the witness key. */
  @Test
  void everyCheckpointConsumersAreGivenIsCosigned() throws Exception {
    try (WitnessedRegistry registry = new WitnessedRegistry(directory, "witnessed")) {
      long cosigned = registry.optOutAndAwaitCosigned(nationalId('W', 1), nationalId('W', 2), "A123456789");  // the last: citizen-demo
      CheckpointVerifier both = registry.cosignedOnly();
      String served = registry.get("/api/v1/log/checkpoint", null).body();
      Checkpoint latest = both.verify(served);
      assertThat(latest.size()).isEqualTo(cosigned);
      assertThat(both.verify(registry.get("/api/v1/log/checkpoints/" + cosigned, null).body())).isEqualTo(latest);
      // the witness serves what it cosigned to monitors: the same checkpoint, the log's signature and its cosignature
      assertThat(both.verify(registry.send(HttpRequest.newBuilder(registry.witnessUri("/" + optout.witness.state.WitnessState.originHash(
          WitnessedRegistry.ORIGIN) + "/checkpoint")).build()).body())).isEqualTo(latest);

      // a checkpoint the witness did not cosign (checkpoint 0 here: the relay skips to the newest) carries no cosignature
      String uncosigned = registry.get("/api/v1/log/checkpoints/0", null).body();
      if (registry.jdbc.queryForObject("select count(*) from log_cosignature where tree_size = 0", Long.class) == 0) {
        assertThatThrownBy(() -> both.verify(uncosigned)).isInstanceOfSatisfying(NoteException.class,
            e -> assertThat(e.reason()).isEqualTo(NoteException.Reason.NOT_COSIGNED));
      }

      // the bulk check, a snapshot made "at the latest checkpoint" and a receipt all refer to a cosigned checkpoint
      String releaser = TestKeycloak.get().serviceAccountToken("optout-portal");
      HttpResponse<String> bulk = registry.send(HttpRequest.newBuilder(registry.uri("/api/v1/bulk-check?purpose=academic-research"))
          .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + releaser).header("Content-Type", "text/plain")
          .POST(HttpRequest.BodyPublishers.ofString("")).build());
      long bulkSize = Long.parseLong(bulk.headers().firstValue("Registry-Checkpoint").orElseThrow());
      both.verify(registry.get("/api/v1/log/checkpoints/" + bulkSize, null).body());
      HttpResponse<String> snapshot = registry.send(HttpRequest.newBuilder(registry.uri("/api/v1/snapshots")).timeout(Duration.ofSeconds(30))
          .header("Authorization", "Bearer " + releaser).header("Content-Type", "application/json")
          .header("Idempotency-Key", "it-" + java.util.UUID.randomUUID())
          .POST(HttpRequest.BodyPublishers.ofString("{\"purpose\": \"academic-research\"}")).build());
      assertThat(snapshot.statusCode()).as(snapshot.body()).isIn(200, 201);
      long snapshotSize = JSON.readTree(snapshot.body()).get("checkpoint").asLong();
      assertThat(both.verify(registry.get("/api/v1/log/checkpoints/" + snapshotSize, null).body()).size()).isEqualTo(snapshotSize);

      // a citizen's receipt leads to a cosigned checkpoint: a witness vouches for the history that holds their opt-out
      HttpResponse<String> mine = registry.get("/api/v1/me/status", TestKeycloak.get().accessToken("citizen-demo"));
      assertThat(mine.statusCode()).as(mine.body()).isEqualTo(200);
      JsonNode receipt = JSON.readTree(mine.body()).get("history").get(0).get("receipt");
      Checkpoint receiptCheckpoint = both.verify(receipt.get("checkpoint").asString());
      assertThat(receiptCheckpoint.size()).isEqualTo(receipt.get("treeSize").asLong());
      List<Hash> path = new java.util.ArrayList<>();
      receipt.get("inclusionProof").forEach(hash -> path.add(Hash.fromBase64(hash.asString())));
      optout.registry.log.ProofVerifier.verifyInclusion(Hash.fromBase64(receipt.get("leafHash").asString()), receipt.get("logIndex").asLong(),
          receiptCheckpoint.size(), path, receiptCheckpoint.rootHash());

      // the export carries the cosignatures; the independent verifier checks them with the witness's key
      Path export = directory.resolve("export");
      assertThat(RegistryCommands.registry(registry.commandEnvironment(), "export-log", "--out", export.toString()).exitCode()).isZero();
      RegistryCommands.Run verified = verify(export, "--witness-key", registry.witnessKey.verifierKey());
      assertThat(verified.out()).startsWith("OK: ").contains("cosigned by the witness localhost/nhi-optout-witness (the newest: " + cosigned + ")");
      assertThat(verified.exitCode()).isZero();
      RegistryCommands.Run otherWitness = verify(export, "--witness-key",
          optout.registry.log.Ed25519CosignatureSigner.generate("localhost/nhi-optout-witness").verifierKey());
      assertThat(otherWitness.out()).contains("no checkpoint is cosigned by the witness", "NOT VERIFIED");
      assertThat(otherWitness.exitCode()).isEqualTo(1);

      // the witness's history is what `registry audit --checkpoints` reads; a clean log agrees with it
      RegistryCommands.Run audit = RegistryCommands.registry(registry.commandEnvironment(), "audit", "--checkpoints",
          registry.witnessHistory().toString());
      assertThat(audit.out()).contains("held elsewhere", "OK: the log and the rows agree");
      assertThat(audit.exitCode()).isZero();
      assertThat(registry.alerts()).isEmpty();
    }
  }

  /** (b) A superuser deletes the newest leaves, events and checkpoints: the witness refuses the next checkpoint. */
  @Test
  void aDeletedTailIsRefusedByTheWitnessAlertedAndFoundByTheAuditOfTheWitnessHistory() throws Exception {
    try (WitnessedRegistry registry = new WitnessedRegistry(directory, "witness_tail")) {
      long cosigned = registry.optOutAndAwaitCosigned(nationalId('X', 1), nationalId('X', 2), nationalId('X', 3), nationalId('X', 4));
      assertThat(cosigned).isEqualTo(5);  // the scope rules (leaf 0) and four events
      // an outside verifier, holding the registry to the newest checkpoint the witness cosigned
      Path remembered = directory.resolve("verifier-remembers");
      String witnessKey = registry.witnessKey.verifierKey();
      Path before = directory.resolve("export-before");
      assertThat(RegistryCommands.registry(registry.commandEnvironment(), "export-log", "--out", before.toString()).exitCode()).isZero();
      assertThat(verify(before, "--remember", remembered.toString(), "--witness-key", witnessKey).exitCode()).isZero();
      assertThat(registry.cosignedOnly().verify(Files.readString(remembered)).size()).isEqualTo(5);
      long keep = 2;
      registry.asSuperuser(
          "delete from log_cosignature where tree_size > " + keep,
          "delete from log_checkpoint where tree_size > " + keep,
          "delete from person_state where last_seq in (select event_seq from log_leaf where log_index >= " + keep + ")",
          "delete from registry_event where seq in (select event_seq from log_leaf where log_index >= " + keep + ")",
          "delete from log_leaf where log_index >= " + keep,
          "delete from log_node where (index + 1) * (1::bigint << level) > " + keep);
      registry.optOut(nationalId('X', 5));  // the log grows again, to 3 leaves, fewer than the witness cosigned
      WitnessedRegistry.await("the registry signs checkpoint 3", () -> registry.jdbc.queryForObject(
          "select count(*) from log_checkpoint where tree_size = 3", Long.class) == 1);
      // (the relay may meet checkpoint 2 first, left newest by the deletion: that is refused and alerted too)
      WitnessedRegistry.await("a witness-refused alert about checkpoint 3", () -> registry.alerts().stream()
          .anyMatch(reason -> reason.contains("the witness cosigned a checkpoint of 5 leaves, but the registry's newest has 3")));
      List<String> alerts = registry.alerts();
      Thread.sleep(500);  // five more relay rounds: one alert per checkpoint, and nothing cosigned
      assertThat(registry.alerts()).isEqualTo(alerts).hasSizeLessThanOrEqualTo(2)
          .allSatisfy(reason -> assertThat(reason).contains("the witness cosigned a checkpoint of 5 leaves"));
      assertThat(registry.jdbc.queryForObject("select count(*) from log_cosignature where tree_size = 3", Long.class)).isZero();
      // consumers are not given the new checkpoint: no witness vouches for it
      assertThat(registry.get("/api/v1/log/checkpoint", null).body()).doesNotStartWith(WitnessedRegistry.ORIGIN + "\n3\n");

      RegistryCommands.Run audit = RegistryCommands.registry(registry.commandEnvironment(), "audit", "--checkpoints",
          registry.witnessHistory().toString());
      assertThat(audit.exitCode()).isEqualTo(1);
      assertThat(audit.out()).contains("DELETED: checkpoint 5 signed 5 leaves, but the log holds 3");
      Path after = directory.resolve("export-after");
      assertThat(RegistryCommands.registry(registry.commandEnvironment(), "export-log", "--out", after.toString()).exitCode()).isZero();
      RegistryCommands.Run lost = verify(after, "--remember", remembered.toString(), "--witness-key", witnessKey);
      assertThat(lost.out()).contains("the export holds 3 leaves, fewer than the checkpoint of 5 remembered in " + remembered, "NOT VERIFIED");
      assertThat(lost.exitCode()).isEqualTo(1);
    }
  }

  /** (c) The database is restored from an old backup and grows again: a history the witness never saw. */
  @Test
  void anOldBackupRestoredIsRefusedByTheWitnessAlertedAndFoundByTheAuditOfTheWitnessHistory() throws Exception {
    List<String> tables = List.of("registry_event", "log_leaf", "log_node", "log_checkpoint", "log_cosignature", "person_state");
    try (WitnessedRegistry registry = new WitnessedRegistry(directory, "witness_backup")) {
      assertThat(registry.optOutAndAwaitCosigned(nationalId('Y', 1), nationalId('Y', 2))).isEqualTo(3);  // the rules and two events
      registry.asSuperuser(tables.stream().map(table -> "create table backup_" + table + " as select * from " + table).toArray(String[]::new));
      assertThat(registry.optOutAndAwaitCosigned(nationalId('Y', 3), nationalId('Y', 4))).isEqualTo(5);

      List<String> restore = new java.util.ArrayList<>();
      for (int i = tables.size() - 1; i >= 0; i--) {
        restore.add("delete from " + tables.get(i));
      }
      tables.forEach(table -> restore.add("insert into " + table + (table.equals("registry_event") ? " overriding system value" : "")
          + " select * from backup_" + table));
      registry.asSuperuser(restore.toArray(String[]::new));
      assertThat(registry.jdbc.queryForObject("select count(*) from log_leaf", Long.class)).isEqualTo(3);

      registry.optOut(nationalId('Y', 5));
      registry.optOut(nationalId('Y', 6));
      registry.optOut(nationalId('Y', 7));
      WitnessedRegistry.await("a witness-refused alert", () -> !registry.alerts().isEmpty());
      // depending on what the relay met first: the signed checkpoint of 5 over a log of 3 (the relay refuses it itself,
      // before the witness is asked; seen under load), 4 (smaller than what the witness holds) or 5 and beyond (another root)
      assertThat(registry.alerts().get(0)).containsAnyOf("as inconsistent with the checkpoint of 5 leaves it cosigned",
          "the witness cosigned a checkpoint of 5 leaves, but the registry's newest has 4",
          "the registry's checkpoint 5 signs more leaves than its log holds (3)");
      assertThat(registry.cosignedSize()).isEqualTo(3);

      RegistryCommands.Run audit = RegistryCommands.registry(registry.commandEnvironment(), "audit", "--checkpoints",
          registry.witnessHistory().toString());
      assertThat(audit.exitCode()).isEqualTo(1);
      assertThat(audit.out()).contains("TREE_MISMATCH");
    }
  }

  /**
   * (d) A second history signed with the log's own key (stolen, or a registry showing two views): the witness
   * refuses it at the size it holds and beyond, and keeps serving the history it cosigned.
   */
  @Test
  void aSecondHistorySignedWithTheLogsKeyIsRefusedByTheWitness() throws Exception {
    try (WitnessedRegistry registry = new WitnessedRegistry(directory, "witness_split")) {
      long size = registry.optOutAndAwaitCosigned(nationalId('W', 11), nationalId('W', 12), nationalId('W', 13));
      Checkpoint honest = registry.cosignedOnly().verify(registry.get("/api/v1/log/checkpoint", null).body());
      CheckpointSigner stolenKey = new CheckpointSigner(registry.logKey);
      byte[] otherRoot = honest.rootHash().bytes();
      otherRoot[0] ^= 1;
      String sameSize = stolenKey.sign(Checkpoint.of(WitnessedRegistry.ORIGIN, new TreeHead(size, Hash.of(otherRoot)))).encoded();
      HttpResponse<String> atSameSize = submit(registry, size, List.of(), sameSize);
      assertThat(atSameSize.statusCode()).isEqualTo(422);
      assertThat(atSameSize.body()).contains("two trees of " + size + " leaves have different roots");

      String larger = stolenKey.sign(Checkpoint.of(WitnessedRegistry.ORIGIN, new TreeHead(size + 5, Hash.of(otherRoot)))).encoded();
      HttpResponse<String> beyond = submit(registry, size, List.of(Hash.of(otherRoot), honest.rootHash()), larger);
      assertThat(beyond.statusCode()).isEqualTo(422);
      HttpResponse<String> fromZero = submit(registry, 0, List.of(), larger);
      assertThat(fromZero.statusCode()).isEqualTo(409);
      assertThat(fromZero.body()).isEqualTo(size + "\n");

      // the honest registry goes on being cosigned
      long later = registry.optOutAndAwaitCosigned(nationalId('W', 14));
      assertThat(registry.cosignedOnly().verify(registry.get("/api/v1/log/checkpoint", null).body()).size()).isEqualTo(later);
      assertThat(registry.alerts()).isEmpty();
    }
  }

  private static HttpResponse<String> submit(WitnessedRegistry registry, long oldSize, List<Hash> proof, String note) {
    return registry.send(HttpRequest.newBuilder(registry.witnessUri("/add-checkpoint"))
        .POST(HttpRequest.BodyPublishers.ofString(AddCheckpointRequest.encode(oldSize, proof, note))).build());
  }

  private static RegistryCommands.Run verify(Path export, String... options) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of("python3", "../docs/verify-registry-log.py", export.toString()));
    command.addAll(List.of(options));
    Process python = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(python.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertThat(python.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    return new RegistryCommands.Run(python.exitValue(), out);
  }
}
