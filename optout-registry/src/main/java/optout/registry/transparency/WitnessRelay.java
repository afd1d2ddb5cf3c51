package optout.registry.transparency;

import java.io.IOException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import optout.registry.log.CheckpointVerifier;
import optout.registry.log.Ed25519CosignatureVerifier;
import optout.registry.log.Hash;
import optout.registry.log.MerkleLog;
import optout.registry.log.NoteException;
import optout.registry.log.NoteSignature;
import optout.registry.log.SignedNote;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Takes the registry's newest signed checkpoint to its witness and stores the cosignature, apart from the
 * sequencer: no database transaction or lock is held while the witness is asked, so filings never wait on
 * it. Each round submits the newest checkpoint not yet cosigned, with a consistency proof from the newest
 * one the witness cosigned (as the registry recorded it); on a 409 it proves again from the size the
 * witness states. Intermediate checkpoints are skipped: the witness's statement about the newest covers them.
 *
 * <p>A witness that holds a larger tree than the registry's newest checkpoint, or refuses the checkpoint as
 * inconsistent with what it cosigned (422), holds a history the registry no longer has: a tail deleted, an
 * old backup restored, or two histories signed. That is raised as a {@code witness-refused} alert (once per
 * checkpoint) and logged; nothing is cosigned until an operator finds out why.
 */
@Component
class WitnessRelay {

  private static final Logger log = LoggerFactory.getLogger(WitnessRelay.class);
  static final String ALERT = "witness-refused";

  private final Optional<WitnessClient> client;
  private final Optional<Ed25519CosignatureVerifier> witness;
  private final CheckpointStore checkpoints;
  private final CosignatureStore cosignatures;
  private final MerkleLog merkle;
  private final RegistryLogKeys keys;
  private final LogProperties logProperties;
  private final JdbcClient jdbc;
  private final Clock clock;

  WitnessRelay(WitnessProperties properties, CheckpointStore checkpoints, CosignatureStore cosignatures, MerkleLog merkle,
      RegistryLogKeys keys, LogProperties logProperties, JdbcClient jdbc, Clock clock) {
    this.client = Optional.ofNullable(properties.url()).map(url -> new WitnessClient(url, properties.timeout()));
    this.witness = properties.witness();
    this.checkpoints = checkpoints;
    this.cosignatures = cosignatures;
    this.merkle = merkle;
    this.keys = keys;
    this.logProperties = logProperties;
    this.jdbc = jdbc;
    this.clock = clock;
  }

  @Scheduled(fixedDelayString = "${optout.registry.log.witness.interval:1s}")
  void scheduled() {
    try {
      relay();
    } catch (IOException e) {
      log.warn("The witness could not be reached ({}); the relay tries again at its next run", e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      log.error("The witness relay failed; it tries again at its next run", e);
    }
  }

  /** What a round did, for tests and logs. */
  enum Outcome { NO_WITNESS, NOTHING_NEW, COSIGNED, REFUSED, UNAVAILABLE }

  /** One round: submits the newest checkpoint if the witness has not cosigned it yet. */
  Outcome relay() throws IOException, InterruptedException {
    if (client.isEmpty()) {
      return Outcome.NO_WITNESS;
    }
    Optional<CheckpointStore.StoredCheckpoint> latest = checkpoints.latest();
    String witnessKey = witness.orElseThrow().verifierKey();
    if (latest.isEmpty() || cosignatures.isCosigned(latest.get().treeSize(), witnessKey)) {
      return Outcome.NOTHING_NEW;
    }
    CheckpointStore.StoredCheckpoint newest = latest.get();
    long old = cosignatures.newestCosignedSize(witnessKey).orElse(0L);
    return submit(newest, old);
  }

  private Outcome submit(CheckpointStore.StoredCheckpoint newest, long old) throws IOException, InterruptedException {
    for (int attempt = 0; attempt < 2; attempt++) {
      if (old > newest.treeSize()) {
        return refused(newest.treeSize(), old, "the witness cosigned a checkpoint of " + old + " leaves, but the registry's newest has "
            + newest.treeSize() + ": the log lost leaves it had signed (a deleted tail or an old backup)");
      }
      long leaves = merkle.size();
      if (leaves < newest.treeSize()) {  // never so in honest operation: nodes and checkpoints are written in one transaction
        return refused(newest.treeSize(), old, "the registry's checkpoint " + newest.treeSize() + " signs more leaves than its log holds ("
            + leaves + "): the log lost leaves it had signed (a deleted tail or an old backup)");
      }
      List<Hash> proof = old == 0 || old == newest.treeSize() ? List.of() : merkle.consistencyProof(old, newest.treeSize()).path();
      WitnessClient.Answer answer = client.orElseThrow().add(old, proof, newest.signedNote());
      if (answer instanceof WitnessClient.Cosigned cosigned) {
        return store(newest, cosigned.lines());
      }
      if (answer instanceof WitnessClient.Conflict conflict) {
        old = conflict.heldSize();  // prove again from what the witness holds
        continue;
      }
      WitnessClient.Refused refused = (WitnessClient.Refused) answer;
      if (refused.status() == 422) {
        return refused(newest.treeSize(), old, "the witness refused checkpoint " + newest.treeSize() + " as inconsistent with"
            + " the checkpoint of " + old + " leaves it cosigned: the registry's log is not the history it showed before ("
            + refused.reason() + ")");
      }
      log.error("The witness refused checkpoint {} with HTTP {} ({}): check the witness's configuration of this log",
          newest.treeSize(), refused.status(), refused.reason());
      return Outcome.UNAVAILABLE;
    }
    log.warn("The witness's size changed twice during one submission of checkpoint {}; trying again at the next run", newest.treeSize());
    return Outcome.UNAVAILABLE;
  }

  private Outcome store(CheckpointStore.StoredCheckpoint newest, String lines) {
    Ed25519CosignatureVerifier key = witness.orElseThrow();
    try {
      SignedNote cosigned = SignedNote.parse(newest.signedNote() + lines);
      new CheckpointVerifier(logProperties.origin(), keys.verifier()).requiringCosignatures(List.of(key)).verify(cosigned);
      for (NoteSignature line : cosigned.signatures()) {
        if (line.isBy(key)) {
          cosignatures.insert(newest.treeSize(), key.verifierKey(), line.line(),
              java.time.Instant.ofEpochSecond(Ed25519CosignatureVerifier.timestamp(line)), clock.instant());
        }
      }
      return Outcome.COSIGNED;
    } catch (NoteException e) {
      log.error("The witness answered checkpoint {} with no valid cosignature by its configured key: {}", newest.treeSize(), e.getMessage());
      return Outcome.UNAVAILABLE;
    }
  }

  /** An alert once per checkpoint, and a log line with it: the witness holds a history the registry does not. */
  private Outcome refused(long treeSize, long witnessSize, String reason) {
    int raised = jdbc.sql("""
        insert into registry_alert (kind, raised_at, detail)
        select ?, ?, jsonb_build_object('treeSize', ?::bigint, 'witnessSize', ?::bigint, 'reason', ?::text)
         where not exists (select 1 from registry_alert where kind = ? and (detail ->> 'treeSize')::bigint = ?)""")
        .param(ALERT).param(Timestamp.from(clock.instant())).param(treeSize).param(witnessSize).param(reason)
        .param(ALERT).param(treeSize).update();
    if (raised > 0) {
      log.error("ALERT {}: {}", ALERT, reason);
    }
    return Outcome.REFUSED;
  }
}
