package optout.registry.log;

import java.util.List;
import java.util.Objects;

/**
 * A checkpoint (c2sp.org/tlog-checkpoint): the note text that commits a log to a tree head.
 *
 * <pre>
 * &lt;origin&gt;\n
 * &lt;tree size, decimal, no leading zeros&gt;\n
 * &lt;root hash, standard base64 with padding&gt;\n
 * [&lt;extension line&gt;\n ...]
 * </pre>
 *
 * <p>{@link #text()} and {@link #parse} are exact inverses: a checkpoint has one encoding only, so
 * a signature over it means one thing only.
 */
public record Checkpoint(String origin, long size, Hash rootHash, List<String> extensions) {

  public Checkpoint {
    requireLine("the origin", origin);
    if (size < 0) {
      throw new IllegalArgumentException("Cannot make a checkpoint: the tree size " + size + " is negative");
    }
    Objects.requireNonNull(rootHash, "Cannot make a checkpoint: the root hash is missing");
    extensions = List.copyOf(Objects.requireNonNull(extensions, "Cannot make a checkpoint: the extension lines are missing"));
    for (int i = 0; i < extensions.size(); i++) {
      requireLine("extension line " + (i + 1), extensions.get(i));
    }
  }

  /** A checkpoint of this tree head, without extension lines (the spec advises against them). */
  public static Checkpoint of(String origin, TreeHead treeHead) {
    Objects.requireNonNull(treeHead, "Cannot make a checkpoint: the tree head is missing");
    return new Checkpoint(origin, treeHead.size(), treeHead.rootHash(), List.of());
  }

  /** The tree size and root hash. */
  public TreeHead treeHead() {
    return new TreeHead(size, rootHash);
  }

  /** The note text: origin, size, root hash and extension lines, each ending in a newline. */
  public String text() {
    StringBuilder text = new StringBuilder()
        .append(origin).append('\n')
        .append(size).append('\n')
        .append(rootHash.base64()).append('\n');
    extensions.forEach(line -> text.append(line).append('\n'));
    return text.toString();
  }

  /**
   * Parses a checkpoint's note text strictly: it ends in a newline; it has an origin, a size and a
   * root hash line and optional extension lines, none empty; no control characters; the size is
   * canonical decimal ("0" or no leading zero, no sign) and at most 2^63-1; the root hash is
   * canonical base64 of exactly 32 bytes.
   *
   * @throws NoteException with reason {@link NoteException.Reason#MALFORMED}, saying what is wrong
   */
  public static Checkpoint parse(String text) throws NoteException {
    Objects.requireNonNull(text, "Cannot parse checkpoint: the text is missing");
    if (!text.endsWith("\n")) {
      throw malformed("the text must end in a newline");
    }
    int forbidden = Encodings.firstForbiddenCharacter(text);
    if (forbidden >= 0) {
      throw malformed("it contains the character " + Encodings.describe(forbidden));
    }
    String[] lines = text.substring(0, text.length() - 1).split("\n", -1);
    if (lines.length < 3) {
      throw malformed("it needs an origin, a tree size and a root hash line, it has " + lines.length + " line"
          + (lines.length == 1 ? "" : "s"));
    }
    String[] names = {"the origin line", "the tree size line", "the root hash line"};
    for (int i = 0; i < lines.length; i++) {
      if (lines[i].isEmpty()) {
        throw malformed((i < 3 ? names[i] : "extension line " + (i - 2)) + " is empty");
      }
    }
    long size = parseSize(lines[1]);
    byte[] root = Encodings.decodeCanonicalBase64(lines[2]);
    if (root == null) {
      throw malformed("the root hash " + Encodings.excerpt(lines[2]) + " is not canonical base64");
    }
    if (root.length != Hash.LENGTH) {
      throw malformed("the root hash has " + root.length + " bytes, a SHA-256 hash has " + Hash.LENGTH);
    }
    return new Checkpoint(lines[0], size, Hash.of(root), List.of(lines).subList(3, lines.length));
  }

  private static long parseSize(String line) throws NoteException {
    boolean digitsOnly = line.chars().allMatch(c -> c >= '0' && c <= '9');
    if (!digitsOnly || line.length() > 1 && line.charAt(0) == '0') {
      throw malformed("the tree size " + Encodings.excerpt(line)
          + " is not canonical decimal (digits only, no sign, no leading zeros)");
    }
    try {
      return Long.parseLong(line);
    } catch (NumberFormatException e) {
      throw malformed("the tree size " + Encodings.excerpt(line) + " is larger than 2^63-1, the most this log supports");
    }
  }

  private static void requireLine(String what, String line) {
    Objects.requireNonNull(line, "Cannot make a checkpoint: " + what + " is missing");
    if (line.isEmpty()) {
      throw new IllegalArgumentException("Cannot make a checkpoint: " + what + " is empty");
    }
    int forbidden = Encodings.firstForbiddenCharacter(line);
    if (forbidden >= 0 || line.indexOf('\n') >= 0) {
      throw new IllegalArgumentException("Cannot make a checkpoint: " + what + " contains the character "
          + Encodings.describe(forbidden >= 0 ? forbidden : '\n'));
    }
  }

  private static NoteException malformed(String reason) {
    return new NoteException(NoteException.Reason.MALFORMED, "Cannot parse checkpoint: " + reason);
  }
}
