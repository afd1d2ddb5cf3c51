package optout.consent.registrylog;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import optout.consent.ConsentProperties;
import optout.consent.outbox.RegistryClient;
import optout.registry.log.Checkpoint;
import optout.registry.log.CheckpointVerifier;
import optout.registry.log.Ed25519CosignatureVerifier;
import optout.registry.log.Ed25519NoteVerifier;
import optout.registry.log.Hash;
import optout.registry.log.NoteException;
import optout.registry.log.OneHistory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Holds the registry to what it was given: for each delivered filing it fetches the registry's log
 * receipt and checks it ({@link LogReceiptCheck}), and every checkpoint it meets (in a receipt or as the
 * registry's latest) must be of one history with the newest this service verified before
 * ({@link OneHistory}), which it then remembers in its own database. A registry that dropped a logged
 * filing, rewrote its log, or shows this service another history than before is caught here, by a party
 * the registry does not control. What fails is kept in {@code registry_log_problem} and logged (filing IDs
 * only; they name no one).
 */
@Component
public class RegistryLogMonitor {

  private static final Logger log = LoggerFactory.getLogger(RegistryLogMonitor.class);
  private static final int BATCH = 50;

  private final RegistryClient registry;
  private final JdbcTemplate jdbc;
  private final JsonMapper json;
  private final Clock clock;
  private final CheckpointVerifier verifier;  // null: no log key pinned, nothing is checked

  RegistryLogMonitor(RegistryClient registry, JdbcTemplate jdbc, JsonMapper json, Clock clock, ConsentProperties properties)
      throws IOException {
    this.registry = registry;
    this.jdbc = jdbc;
    this.json = json;
    this.clock = clock;
    this.verifier = verifier(properties.registryLog());
    if (verifier != null && keyOrFile(properties.registryLog().witnessVerifierKey(), properties.registryLog().witnessVerifierKeyFile()) == null) {
      log.warn("No witness key is configured (optout.consent.registry-log.witness-verifier-key or -file): the registry's checkpoints"
          + " are checked against its own key only, so a split view shown to this service alone would not be caught");
    }
    if (verifier == null) {
      log.warn("No registry log key is configured (optout.consent.registry-log.verifier-key or -file): filings are delivered,"
          + " but whether the registry logged them is not checked");
    }
  }

  private static CheckpointVerifier verifier(ConsentProperties.RegistryLog settings) throws IOException {
    String key = keyOrFile(settings.verifierKey(), settings.verifierKeyFile());
    if (key == null) {
      return null;
    }
    CheckpointVerifier log = new CheckpointVerifier(settings.origin(), Ed25519NoteVerifier.fromVerifierKey(key));
    String witness = keyOrFile(settings.witnessVerifierKey(), settings.witnessVerifierKeyFile());
    return witness == null ? log : log.requiringCosignatures(List.of(Ed25519CosignatureVerifier.fromVerifierKey(witness)));
  }

  private static String keyOrFile(String key, java.nio.file.Path file) throws IOException {
    if ((key == null || key.isBlank()) && file != null) {
      key = Files.readString(file, StandardCharsets.US_ASCII);
    }
    return key == null || key.isBlank() ? null : key.strip();
  }

  /** Whether the registry's log is checked at all (a log key is pinned). */
  public boolean checking() {
    return verifier != null;
  }

  @Scheduled(fixedDelayString = "${optout.consent.registry-log.interval:5s}", initialDelayString = "${optout.consent.registry-log.interval:5s}")
  void scheduled() {
    if (verifier == null) {
      return;
    }
    try {
      watchLatest();
      checkDelivered();
    } catch (IOException e) {
      // a refused connection has no message, only its kind
      log.info("The registry's log could not be checked now ({}); next round later",
          e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The registry's latest checkpoint must be of one history with the newest seen; remembered if newer. */
  public void watchLatest() throws IOException, InterruptedException {
    Optional<byte[]> latest = registry.read("/api/v1/log/checkpoint", false);
    if (latest.isEmpty()) {
      return;  // no checkpoint yet
    }
    String note = new String(latest.get(), StandardCharsets.UTF_8);
    Checkpoint checkpoint;
    try {
      checkpoint = verifier.verify(note);
    } catch (NoteException e) {
      problem(null, "The registry's latest checkpoint does not verify: " + e.getMessage());
      return;
    }
    accept(checkpoint, note, null);
  }

  /** Checks the receipts of delivered filings not proven yet; answers how many were proven. */
  public int checkDelivered() throws IOException, InterruptedException {
    record Due(String filingId, UUID eventId, String kind, String formSha256) {}
    List<Due> due = jdbc.query("""
        select o.filing_id, o.registry_event_id, f.kind, f.form_sha256
          from registry_outbox o join filing f on f.filing_id = o.filing_id
         where o.status = 'delivered'
           and not exists (select 1 from filing_log_proof p where p.filing_id = o.filing_id)
           and not exists (select 1 from registry_log_problem q where q.filing_id = o.filing_id)
         order by o.delivered_at, o.filing_id limit ?""",
        (rs, i) -> new Due(rs.getString(1), rs.getObject(2, UUID.class), rs.getString(3), rs.getString(4)), BATCH);
    int proven = 0;
    LogReceiptCheck check = new LogReceiptCheck(verifier);
    for (Due filing : due) {
      Optional<byte[]> answer = registry.read("/api/v1/filings/" + filing.eventId() + "/log-receipt", true);
      if (answer.isEmpty()) {
        continue;  // not yet under a signed checkpoint
      }
      LogReceiptCheck.Proven receipt;
      try {
        LogReceiptCheck.LogReceipt parsed = json.readValue(answer.get(), LogReceiptCheck.LogReceipt.class);
        String type = "opt-out".equals(filing.kind()) ? "opt-out-filed" : "opt-out-withdrawn";
        receipt = check.check(parsed, new LogReceiptCheck.Expected(filing.eventId(), type, filing.formSha256()));
      } catch (JacksonException e) {
        problem(filing.filingId(), "The registry's log receipt is not well-formed JSON");
        continue;
      } catch (LogReceiptCheck.InvalidLogReceiptException e) {
        problem(filing.filingId(), "The registry's log receipt does not prove this filing: " + e.getMessage());
        continue;
      }
      if (!accept(receipt.checkpoint(), receipt.signedCheckpoint(), filing.filingId())) {
        continue;
      }
      jdbc.update("""
          insert into filing_log_proof (filing_id, registry_event_id, log_index, tree_size, leaf_hash, checkpoint, verified_at)
          values (?, ?, ?, ?, ?, ?, ?) on conflict (filing_id) do nothing""",
          filing.filingId(), filing.eventId(), receipt.logIndex(), receipt.checkpoint().size(), receipt.leafHash().base64(),
          receipt.signedCheckpoint(), Timestamp.from(clock.instant()));
      proven++;
    }
    return proven;
  }

  /** One history with the newest checkpoint seen, or a problem; remembers the checkpoint if it is newer. */
  private boolean accept(Checkpoint checkpoint, String note, String filingId) throws IOException, InterruptedException {
    Optional<Checkpoint> newest = newestSeen();
    try {
      if (newest.isPresent() && !OneHistory.check(newest.get(), checkpoint, this::consistency)) {
        return true;
      }
    } catch (OneHistory.ForkedHistoryException e) {
      problem(filingId, checkpoint, "The registry shows a history that the one this service saw before does not extend: " + e.getMessage());
      return false;
    } catch (RegistryClient.UnexpectedAnswerException e) {
      // It signed this checkpoint, so it must be able to prove it extends (or is extended by) the one seen before.
      problem(filingId, checkpoint, "The registry cannot prove that its checkpoint of " + checkpoint.size() + " leaves and the one of "
          + newest.get().size() + " leaves this service saw before are one history: " + e.getMessage());
      return false;
    }
    jdbc.update("insert into registry_checkpoint_seen (tree_size, root_hash, signed_note, seen_at) values (?, ?, ?, ?)"
            + " on conflict (tree_size) do nothing",
        checkpoint.size(), checkpoint.rootHash().bytes(), note, Timestamp.from(clock.instant()));
    return true;
  }

  private Optional<Checkpoint> newestSeen() {
    return jdbc.query("select signed_note from registry_checkpoint_seen order by tree_size desc limit 1",
        (rs, i) -> rs.getString(1)).stream().findFirst().map(note -> {
          try {
            return verifier.verify(note);
          } catch (NoteException e) {
            throw new IllegalStateException("The remembered registry checkpoint no longer verifies with the pinned key: " + e.getMessage(), e);
          }
        });
  }

  private List<Hash> consistency(long from, long to) throws IOException, InterruptedException {
    byte[] body = registry.read("/api/v1/log/consistency?from=" + from + "&to=" + to, false)
        .orElseThrow(() -> new IOException("the registry has no consistency proof from " + from + " to " + to));
    List<Hash> path = new ArrayList<>();
    try {
      for (JsonNode node : json.readTree(body).path("path")) {
        path.add(Hash.fromBase64(node.asString()));
      }
    } catch (JacksonException | IllegalArgumentException e) {
      throw new IOException("the registry's consistency proof is not well-formed");
    }
    return path;
  }

  private void problem(String filingId, String detail) {
    problem(filingId, null, detail);
  }

  private void problem(String filingId, Checkpoint checkpoint, String detail) {
    // A finding about the registry's latest checkpoint recurs each round until the registry changes: keep it once.
    boolean known = filingId == null && (checkpoint != null
        ? jdbc.queryForObject("select count(*) from registry_log_problem where filing_id is null and checkpoint_size = ? and checkpoint_root = ?",
            Long.class, checkpoint.size(), checkpoint.rootHash().bytes()) > 0
        : jdbc.queryForObject("select count(*) from registry_log_problem where filing_id is null and checkpoint_size is null and detail = ?",
            Long.class, detail) > 0);
    if (known) {
      return;
    }
    jdbc.update("insert into registry_log_problem (found_at, filing_id, checkpoint_size, checkpoint_root, detail) values (?, ?, ?, ?, ?)",
        Timestamp.from(clock.instant()), filingId, checkpoint == null ? null : checkpoint.size(),
        checkpoint == null ? null : checkpoint.rootHash().bytes(), detail);
    log.error("Registry log check failed{}: {}", filingId == null ? "" : " for filing " + filingId, detail);
  }
}
