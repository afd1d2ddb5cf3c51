package optout.registry.log;

import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * Opens signed checkpoints of one log: checks the note syntax, that a trusted key signed it (and
 * that every trusted key's signature on it is valid), if so configured that each required witness
 * cosigned it ({@link #requiringCosignatures}), that the text is a well-formed checkpoint and
 * that its origin is this log's, and that a checkpoint of the empty tree (size 0) signs the empty
 * tree's root. Only then is the tree head worth anything.
 *
 * <p>The key name need not equal the origin (the spec only recommends it; the Go checksum database
 * signs "go.sum database tree" with the key "sum.golang.org").
 */
public final class CheckpointVerifier {

  private final String origin;
  private final List<NoteVerifier> trusted;
  private final List<NoteVerifier> witnesses;

  /** A verifier of checkpoints with this origin, signed by at least one of these keys. */
  public CheckpointVerifier(String origin, Collection<? extends NoteVerifier> trusted) {
    Objects.requireNonNull(origin, "Cannot make a checkpoint verifier: the origin is missing");
    if (origin.isEmpty()) {
      throw new IllegalArgumentException("Cannot make a checkpoint verifier: the origin is empty");
    }
    Objects.requireNonNull(trusted, "Cannot make a checkpoint verifier: the trusted keys are missing");
    if (trusted.isEmpty()) {
      throw new IllegalArgumentException("Cannot make a checkpoint verifier: no trusted key was given");
    }
    SignedNote.index(trusted); // refuses two keys with the same name and key ID now, not on first use
    this.origin = origin;
    this.trusted = List.copyOf(trusted);
    this.witnesses = List.of();
  }

  private CheckpointVerifier(CheckpointVerifier log, List<NoteVerifier> witnesses) {
    this.origin = log.origin;
    this.trusted = log.trusted;
    this.witnesses = witnesses;
  }

  /**
   * A verifier that demands, beside the log's signature, a valid cosignature by each of these witnesses
   * (c2sp.org/tlog-cosignature): a checkpoint that some witness did not cosign is refused with
   * {@link NoteException.Reason#NOT_COSIGNED}, one whose cosignature by such a witness does not verify with
   * {@link NoteException.Reason#INVALID_SIGNATURE}. The log's keys do not count as witnesses.
   */
  public CheckpointVerifier requiringCosignatures(Collection<? extends NoteVerifier> witnessKeys) {
    Objects.requireNonNull(witnessKeys, "Cannot require cosignatures: the witness keys are missing");
    List<NoteVerifier> all = new java.util.ArrayList<>(witnesses);
    all.addAll(witnessKeys);
    List<NoteVerifier> both = new java.util.ArrayList<>(trusted);
    both.addAll(all);
    SignedNote.index(both); // a witness key that is also a log key (or given twice) would make one line count twice
    return new CheckpointVerifier(this, List.copyOf(all));
  }

  /** The witnesses whose cosignature every checkpoint must carry; empty if none is required. */
  public List<NoteVerifier> witnesses() {
    return witnesses;
  }

  /** A verifier of checkpoints with this origin, signed by this key. */
  public CheckpointVerifier(String origin, NoteVerifier trusted) {
    this(origin, List.of(Objects.requireNonNull(trusted, "Cannot make a checkpoint verifier: the trusted key is missing")));
  }

  /** The checkpoint in this signed note (as received bytes, which must be UTF-8). */
  public Checkpoint verify(byte[] signedCheckpoint) throws NoteException {
    return verify(SignedNote.parse(signedCheckpoint));
  }

  /** The checkpoint in this signed note. */
  public Checkpoint verify(String signedCheckpoint) throws NoteException {
    return verify(SignedNote.parse(signedCheckpoint));
  }

  /** The checkpoint in this parsed signed note. */
  public Checkpoint verify(SignedNote note) throws NoteException {
    Objects.requireNonNull(note, "Cannot verify a checkpoint: the note is missing");
    note.verify(trusted);
    requireCosignatures(note);
    Checkpoint checkpoint = Checkpoint.parse(note.text());
    if (!checkpoint.origin().equals(origin)) {
      throw new NoteException(NoteException.Reason.WRONG_ORIGIN, "Cannot verify checkpoint: its origin is "
          + Encodings.excerpt(checkpoint.origin()) + ", this verifier accepts only " + Encodings.excerpt(origin));
    }
    // No leaf can prove the root of an empty tree wrong later, so a false one is refused here.
    if (checkpoint.size() == 0 && !checkpoint.rootHash().equals(MerkleHashing.emptyRoot())) {
      throw new NoteException(NoteException.Reason.MALFORMED, "Cannot verify checkpoint: it signs a tree of 0 leaves with the root "
          + checkpoint.rootHash().base64() + ", the empty tree's root is " + MerkleHashing.emptyRoot().base64());
    }
    return checkpoint;
  }

  private void requireCosignatures(SignedNote note) throws NoteException {
    if (witnesses.isEmpty()) {
      return;
    }
    byte[] message = note.text().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    for (NoteVerifier witness : witnesses) {
      String identity = witness.keyName() + "+" + Ed25519NoteVerifier.hex(witness.keyId());
      List<NoteSignature> lines = note.signatures().stream().filter(signature -> signature.isBy(witness)).toList();
      if (lines.isEmpty()) {
        throw new NoteException(NoteException.Reason.NOT_COSIGNED, "Cannot verify checkpoint: it is signed by the log but not cosigned"
            + " by the witness " + identity + ", whose cosignature is required");
      }
      for (NoteSignature line : lines) {
        if (!line.verifiedBy(witness, message)) {
          throw new NoteException(NoteException.Reason.INVALID_SIGNATURE, "Cannot verify checkpoint: the cosignature by the witness "
              + identity + " is not valid");
        }
      }
    }
  }

  /** The origin accepted. */
  public String origin() {
    return origin;
  }

  @Override
  public String toString() {
    return "CheckpointVerifier[origin=" + origin + ", trusted=" + trusted + (witnesses.isEmpty() ? "" : ", witnesses=" + witnesses) + "]";
  }
}
