package optout.registry.log;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A signed note (c2sp.org/signed-note, the format of golang.org/x/mod/sumdb/note): a text ending in
 * a newline, a blank line, and one or more lines {@code — <key name> <base64(key ID || signature)>}.
 * The signature covers the text's UTF-8 bytes including its final newline, not the blank line.
 *
 * <p>{@link #parse} checks the syntax only; {@link #verify} checks signatures against trusted keys.
 * Parsing is strict: valid UTF-8, no control characters but newline, canonical base64, valid key
 * names, nothing after the last signature line.
 */
public final class SignedNote {

  /** The most signature lines a note may have; the spec asks verifiers to accept at least 16. */
  public static final int MAX_SIGNATURES = 100;

  private final String text;
  private final List<NoteSignature> signatures;

  private SignedNote(String text, List<NoteSignature> signatures) {
    this.text = text;
    this.signatures = List.copyOf(signatures);
  }

  /** Signs {@code text} with each signer, in order. */
  public static SignedNote sign(String text, NoteSigner... signers) {
    return sign(text, List.of(signers));
  }

  /** Signs {@code text} with each signer, in order. */
  public static SignedNote sign(String text, List<? extends NoteSigner> signers) {
    requireValidText(text, "Cannot sign a note");
    Objects.requireNonNull(signers, "Cannot sign a note: the signers are missing");
    if (signers.isEmpty()) {
      throw new IllegalArgumentException("Cannot sign a note: no signer was given");
    }
    if (signers.size() > MAX_SIGNATURES) {
      throw new IllegalArgumentException("Cannot sign a note: at most " + MAX_SIGNATURES + " signers");
    }
    byte[] message = text.getBytes(StandardCharsets.UTF_8);
    List<NoteSignature> signatures = new ArrayList<>(signers.size());
    for (NoteSigner signer : signers) {
      Objects.requireNonNull(signer, "Cannot sign a note: a signer is missing");
      signatures.add(new NoteSignature(signer.keyName(), signer.keyId(), signer.sign(message)));
    }
    return new SignedNote(text, signatures);
  }

  /** Parses a signed note from its bytes, which must be valid UTF-8. Checks syntax, not signatures. */
  public static SignedNote parse(byte[] encoded) throws NoteException {
    Objects.requireNonNull(encoded, "Cannot parse a signed note: the bytes are missing");
    String decoded;
    try {
      decoded = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(encoded))
          .toString();
    } catch (CharacterCodingException e) {
      throw malformed("it is not valid UTF-8");
    }
    return parse(decoded);
  }

  /** Parses a signed note. Checks syntax, not signatures. */
  public static SignedNote parse(String encoded) throws NoteException {
    Objects.requireNonNull(encoded, "Cannot parse a signed note: the text is missing");
    int forbidden = Encodings.firstForbiddenCharacter(encoded);
    if (forbidden >= 0) {
      throw malformed("it contains the character " + Encodings.describe(forbidden)
          + " (only newline of the control characters is allowed, and text must be valid UTF-8)");
    }
    int separator = encoded.lastIndexOf("\n\n");
    if (separator < 0) {
      throw malformed("there is no blank line between the text and the signatures");
    }
    String text = encoded.substring(0, separator + 1);
    String block = encoded.substring(separator + 2);
    if (block.isEmpty()) {
      throw malformed("there are no signature lines after the blank line");
    }
    if (!block.endsWith("\n")) {
      throw malformed("the last signature line does not end in a newline");
    }
    String[] lines = block.substring(0, block.length() - 1).split("\n", -1);
    if (lines.length > MAX_SIGNATURES) {
      throw malformed("it has " + lines.length + " signature lines, at most " + MAX_SIGNATURES + " are accepted");
    }
    List<NoteSignature> signatures = new ArrayList<>(lines.length);
    for (int i = 0; i < lines.length; i++) {
      signatures.add(parseSignatureLine(lines[i], i + 1));
    }
    return new SignedNote(text, signatures);
  }

  private static NoteSignature parseSignatureLine(String line, int number) throws NoteException {
    String where = "signature line " + number + " ";
    if (!line.startsWith(NoteSignature.LINE_PREFIX)) {
      throw malformed(where + "does not start with an em dash (U+2014) and a space");
    }
    String rest = line.substring(NoteSignature.LINE_PREFIX.length());
    int space = rest.indexOf(' ');
    if (space < 0) {
      throw malformed(where + "has no space between the key name and the signature");
    }
    String keyName = rest.substring(0, space);
    if (!Encodings.isValidKeyName(keyName)) {
      throw malformed(where + "has an invalid key name: " + Ed25519NoteVerifier.KEY_NAME_RULE);
    }
    byte[] decoded = Encodings.decodeCanonicalBase64(rest.substring(space + 1));
    if (decoded == null) {
      throw malformed(where + "has a signature that is not canonical base64");
    }
    if (decoded.length < 5) {
      throw malformed(where + "has " + decoded.length + " signature bytes; a key ID and a signature need at least 5");
    }
    int keyId = (decoded[0] & 0xff) << 24 | (decoded[1] & 0xff) << 16 | (decoded[2] & 0xff) << 8 | (decoded[3] & 0xff);
    byte[] signature = new byte[decoded.length - 4];
    System.arraycopy(decoded, 4, signature, 0, signature.length);
    return new NoteSignature(keyName, keyId, signature);
  }

  /** The signed text, with its final newline. */
  public String text() {
    return text;
  }

  /** The signature lines, in order, verified or not. */
  public List<NoteSignature> signatures() {
    return signatures;
  }

  /**
   * The same text with these signature lines after its own, skipping any it already has: how a
   * witness's cosignature lines join the log's signature (c2sp.org/tlog-witness). Checks syntax only.
   */
  public SignedNote withSignatures(Collection<NoteSignature> added) {
    Objects.requireNonNull(added, "Cannot add signatures to a note: they are missing");
    Set<NoteSignature> all = new LinkedHashSet<>(signatures);
    added.forEach(signature -> all.add(Objects.requireNonNull(signature, "Cannot add signatures to a note: one is missing")));
    if (all.size() > MAX_SIGNATURES) {
      throw new IllegalArgumentException("Cannot add signatures to a note: at most " + MAX_SIGNATURES + " lines");
    }
    return new SignedNote(text, new ArrayList<>(all));
  }

  /** The whole note: text, blank line, signature lines. */
  public String encoded() {
    StringBuilder encoded = new StringBuilder(text).append('\n');
    signatures.forEach(signature -> encoded.append(signature.line()));
    return encoded.toString();
  }

  /**
   * Checks the signatures against the trusted keys and answers the ones that verify (each key
   * once). As c2sp.org/signed-note requires, lines by unknown keys are ignored (a key is known when
   * both name and key ID match), any line by a trusted key must verify, and at least one must.
   *
   * @throws NoteException {@link NoteException.Reason#INVALID_SIGNATURE} if a trusted key's signature
   *     fails, {@link NoteException.Reason#NO_TRUSTED_SIGNATURE} if no trusted key signed
   * @throws IllegalArgumentException if two trusted keys share a name and key ID
   */
  public List<NoteSignature> verify(Collection<? extends NoteVerifier> trusted) throws NoteException {
    Map<String, NoteVerifier> byIdentity = index(trusted);
    byte[] message = text.getBytes(StandardCharsets.UTF_8);
    Set<NoteSignature> verified = new LinkedHashSet<>();
    Set<String> verifiedKeys = new LinkedHashSet<>();
    for (NoteSignature signature : signatures) {
      String identity = identity(signature.keyName(), signature.keyId());
      NoteVerifier verifier = byIdentity.get(identity);
      if (verifier == null) {
        continue;
      }
      if (!signature.verifiedBy(verifier, message)) {
        throw new NoteException(NoteException.Reason.INVALID_SIGNATURE,
            "Cannot verify signed note: the signature by " + identity + " is not valid");
      }
      if (verifiedKeys.add(identity)) {
        verified.add(signature);
      }
    }
    if (verified.isEmpty()) {
      List<String> signers = new ArrayList<>();
      signatures.forEach(signature -> signers.add(identity(signature.keyName(), signature.keyId())));
      throw new NoteException(NoteException.Reason.NO_TRUSTED_SIGNATURE,
          "Cannot verify signed note: no signature is by a trusted key (signed by " + String.join(", ", signers)
              + "; trusted: " + String.join(", ", byIdentity.keySet()) + ")");
    }
    return List.copyOf(verified);
  }

  static Map<String, NoteVerifier> index(Collection<? extends NoteVerifier> trusted) {
    Objects.requireNonNull(trusted, "Cannot verify signed note: the trusted keys are missing");
    Map<String, NoteVerifier> byIdentity = new HashMap<>();
    for (NoteVerifier verifier : trusted) {
      Objects.requireNonNull(verifier, "Cannot verify signed note: a trusted key is missing");
      String identity = identity(verifier.keyName(), verifier.keyId());
      if (byIdentity.putIfAbsent(identity, verifier) != null) {
        throw new IllegalArgumentException(
            "Cannot trust two keys with the same name and key ID " + identity + ": signatures would be ambiguous");
      }
    }
    return byIdentity;
  }

  private static String identity(String keyName, int keyId) {
    return keyName + "+" + Ed25519NoteVerifier.hex(keyId);
  }

  static void requireValidText(String text, String action) {
    Objects.requireNonNull(text, action + ": the text is missing");
    if (!text.endsWith("\n")) {
      throw new IllegalArgumentException(action + ": the text must end in a newline");
    }
    int forbidden = Encodings.firstForbiddenCharacter(text);
    if (forbidden >= 0) {
      throw new IllegalArgumentException(action + ": the text contains the character " + Encodings.describe(forbidden)
          + " (only newline of the control characters is allowed)");
    }
  }

  private static NoteException malformed(String reason) {
    return new NoteException(NoteException.Reason.MALFORMED, "Cannot parse signed note: " + reason);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof SignedNote that && text.equals(that.text) && signatures.equals(that.signatures);
  }

  @Override
  public int hashCode() {
    return text.hashCode() * 31 + signatures.hashCode();
  }

  @Override
  public String toString() {
    return encoded();
  }
}
