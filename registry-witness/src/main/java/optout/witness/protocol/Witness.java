package optout.witness.protocol;

import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import optout.registry.log.Checkpoint;
import optout.registry.log.Ed25519CosignatureSigner;
import optout.registry.log.MerkleHashing;
import optout.registry.log.NoteException;
import optout.registry.log.NoteSignature;
import optout.registry.log.NoteVerifier;
import optout.registry.log.ProofException;
import optout.registry.log.ProofVerifier;
import optout.witness.state.WitnessState;

/**
 * The witness of c2sp.org/tlog-witness in plain Java: {@link #addCheckpoint} checks a submitted checkpoint
 * against the log's key and against the latest checkpoint it cosigned for that log, and cosigns it only if
 * it is consistent with it (an append-only extension, or the same tree). What it cosigned is never taken
 * back: a smaller tree, another root at the same size, or a tree that does not extend the one held is
 * refused, whoever asks and however often. The check and the update are one atomic step
 * ({@link WitnessState#compareAndSwap}), so two racing submissions cannot both extend the same checkpoint.
 */
public final class Witness {

  private final KnownLogs logs;
  private final Ed25519CosignatureSigner cosigner;
  private final WitnessState state;
  private final Clock clock;

  public Witness(KnownLogs logs, Ed25519CosignatureSigner cosigner, WitnessState state, Clock clock) {
    this.logs = Objects.requireNonNull(logs, "Cannot make a witness: the known logs are missing");
    this.cosigner = Objects.requireNonNull(cosigner, "Cannot make a witness: the cosigning key is missing");
    this.state = Objects.requireNonNull(state, "Cannot make a witness: the state is missing");
    this.clock = Objects.requireNonNull(clock, "Cannot make a witness: the clock is missing");
    for (String origin : logs.origins()) {
      for (NoteVerifier key : logs.keys(origin).orElseThrow()) {
        if (key.keyName().equals(cosigner.keyName()) && key.keyId() == cosigner.keyId()) {
          throw new IllegalArgumentException("Cannot make a witness: the log " + origin + " would be verified with the witness's own key name and ID");
        }
      }
    }
  }

  /**
   * Handles an add-checkpoint request body; answers the response body of a 200: the cosignature line(s).
   *
   * @throws WitnessRefusal with the status to answer instead (400, 403, 404, 409 with the size held, 422)
   * @throws IOException if the state cannot be read or written (a 500: nothing was cosigned)
   */
  public String addCheckpoint(byte[] body) throws WitnessRefusal, IOException {
    AddCheckpointRequest request = AddCheckpointRequest.parse(body);
    Checkpoint checkpoint = request.checkpoint();
    List<NoteVerifier> logKeys = logs.keys(checkpoint.origin()).orElseThrow(() -> WitnessRefusal.of(WitnessRefusal.Status.NOT_FOUND,
        "This witness does not witness the log " + excerpt(checkpoint.origin())));
    List<NoteSignature> logSignatures;
    try {
      logSignatures = request.note().verify(logKeys);
    } catch (NoteException e) {
      throw WitnessRefusal.of(WitnessRefusal.Status.FORBIDDEN, "The checkpoint is not validly signed by the log's key: " + e.getMessage());
    }
    if (request.oldSize() > checkpoint.size()) {
      throw WitnessRefusal.of(WitnessRefusal.Status.BAD_REQUEST, "The old size " + request.oldSize() + " exceeds the checkpoint's size "
          + checkpoint.size());
    }
    if (checkpoint.size() == 0 && !checkpoint.rootHash().equals(MerkleHashing.emptyRoot())) {
      throw WitnessRefusal.of(WitnessRefusal.Status.UNPROCESSABLE, "A checkpoint of 0 leaves must have the empty tree's root");
    }
    NoteSignature cosignature = cosigner.cosign(checkpoint);
    try {
      state.compareAndSwap(checkpoint.origin(), held -> {
        long heldSize = held.map(h -> h.checkpoint().size()).orElse(0L);
        if (request.oldSize() != heldSize) {
          throw WitnessRefusal.conflict(heldSize, request.oldSize());
        }
        requireConsistent(held.map(WitnessState.Held::checkpoint), checkpoint, request.proof());
        // What it holds and serves: the log's verified signatures and its own cosignature, nothing unverified.
        return checkpoint.text() + "\n" + joined(logSignatures) + cosignature.line();
      });
    } catch (WitnessRefusal refusal) {
      if (refusal.status() == WitnessRefusal.Status.UNPROCESSABLE) {
        state.recordRefused(checkpoint.origin(), request.note().encoded(), clock.instant());
      }
      throw refusal;
    }
    return cosignature.line();
  }

  private static void requireConsistent(Optional<Checkpoint> held, Checkpoint submitted, List<optout.registry.log.Hash> proof)
      throws WitnessRefusal {
    long heldSize = held.map(Checkpoint::size).orElse(0L);
    try {
      ProofVerifier.verifyConsistency(heldSize, submitted.size(), proof,
          held.map(Checkpoint::rootHash).orElse(MerkleHashing.emptyRoot()), submitted.rootHash());
    } catch (ProofException e) {
      throw WitnessRefusal.of(WitnessRefusal.Status.UNPROCESSABLE, "The checkpoint of " + submitted.size()
          + " leaves is not consistent with the checkpoint of " + heldSize + " leaves this witness cosigned: " + e.getMessage());
    }
  }

  private static String joined(List<NoteSignature> signatures) {
    StringBuilder lines = new StringBuilder();
    signatures.forEach(signature -> lines.append(signature.line()));
    return lines.toString();
  }

  /** The latest checkpoint cosigned for the log with this origin hash, with the log's signature and the cosignature. */
  public Optional<String> latest(String originHash) throws IOException {
    return state.latestByOriginHash(originHash).map(WitnessState.Held::note);
  }

  /** The witness's public key, to configure in the log and its consumers. */
  public String verifierKey() {
    return cosigner.verifierKey();
  }

  private static String excerpt(String text) {
    return text.length() <= 64 ? '"' + text + '"' : '"' + text.substring(0, 64) + "\"...";
  }
}
