package optout.witness.protocol;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import optout.registry.log.Checkpoint;
import optout.registry.log.Hash;
import optout.registry.log.NoteException;
import optout.registry.log.SignedNote;

/**
 * The body of {@code POST /add-checkpoint} (c2sp.org/tlog-witness):
 *
 * <pre>
 * old &lt;size, decimal, no leading zeros&gt;\n
 * [&lt;consistency proof hash, base64&gt;\n ...]     at most 63
 * \n
 * &lt;signed checkpoint note&gt;
 * </pre>
 *
 * Parsed strictly; anything else is a 400. The note's signatures are not checked here.
 */
public record AddCheckpointRequest(long oldSize, List<Hash> proof, SignedNote note, Checkpoint checkpoint) {

  /** The spec's limit on proof lines: a consistency proof of a tree of at most 2^63 leaves has fewer. */
  public static final int MAX_PROOF_LINES = 63;

  public AddCheckpointRequest {
    proof = List.copyOf(proof);
  }

  /** The body a log sends (the inverse of {@link #parse}). */
  public static String encode(long oldSize, List<Hash> proof, String signedNote) {
    StringBuilder body = new StringBuilder("old ").append(oldSize).append('\n');
    proof.forEach(hash -> body.append(hash.base64()).append('\n'));
    return body.append('\n').append(signedNote).toString();
  }

  static AddCheckpointRequest parse(byte[] body) throws WitnessRefusal {
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body)).toString();
    } catch (CharacterCodingException e) {
      throw malformed("it is not UTF-8");
    }
    int blank = text.indexOf("\n\n");
    if (blank < 0) {
      throw malformed("there is no empty line between the old size and proof lines and the checkpoint");
    }
    String[] lines = text.substring(0, blank).split("\n", -1);
    if (!lines[0].startsWith("old ")) {
      throw malformed("the first line must be \"old <size>\"");
    }
    String size = lines[0].substring(4);
    if (!size.matches("0|[1-9][0-9]{0,18}")) {
      throw malformed("the old size is not a decimal number without leading zeros");
    }
    long oldSize;
    try {
      oldSize = Long.parseLong(size);
    } catch (NumberFormatException e) {
      throw malformed("the old size is larger than 2^63-1");
    }
    if (lines.length - 1 > MAX_PROOF_LINES) {
      throw malformed("it has " + (lines.length - 1) + " consistency proof lines, at most " + MAX_PROOF_LINES + " are allowed");
    }
    List<Hash> proof = new ArrayList<>(lines.length - 1);
    for (int i = 1; i < lines.length; i++) {
      proof.add(proofHash(lines[i], i));
    }
    try {
      SignedNote note = SignedNote.parse(text.substring(blank + 2));
      return new AddCheckpointRequest(oldSize, proof, note, Checkpoint.parse(note.text()));
    } catch (NoteException e) {
      throw malformed(e.getMessage());
    }
  }

  private static Hash proofHash(String line, int number) throws WitnessRefusal {
    byte[] decoded;
    try {
      decoded = Base64.getDecoder().decode(line);
    } catch (IllegalArgumentException e) {
      decoded = null;
    }
    if (decoded == null || decoded.length != Hash.LENGTH || !Base64.getEncoder().encodeToString(decoded).equals(line)) {
      throw malformed("consistency proof line " + number + " is not the canonical base64 of a 32-byte hash");
    }
    return Hash.of(decoded);
  }

  private static WitnessRefusal malformed(String reason) {
    return WitnessRefusal.of(WitnessRefusal.Status.BAD_REQUEST, "Cannot read the add-checkpoint request: " + reason);
  }
}
