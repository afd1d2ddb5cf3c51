package optout.registry.log;

import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * Opens signed checkpoints of one log: checks the note syntax, that a trusted key signed it (and
 * that every trusted key's signature on it is valid), that the text is a well-formed checkpoint and
 * that its origin is this log's, and that a checkpoint of the empty tree (size 0) signs the empty
 * tree's root. Only then is the tree head worth anything.
 *
 * <p>The key name need not equal the origin (the spec only recommends it; the Go checksum database
 * signs "go.sum database tree" with the key "sum.golang.org").
 */
public final class CheckpointVerifier {

  private final String origin;
  private final List<NoteVerifier> trusted;

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

  /** The origin accepted. */
  public String origin() {
    return origin;
  }

  @Override
  public String toString() {
    return "CheckpointVerifier[origin=" + origin + ", trusted=" + trusted + "]";
  }
}
