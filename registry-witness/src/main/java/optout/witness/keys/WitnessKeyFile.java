package optout.witness.keys;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import optout.registry.log.Ed25519CosignatureSigner;

/**
 * The witness's cosigning key in a file outside git: one line {@code PRIVATE+KEY+<name>+<key ID>+<base64(0x04
 * || seed)>}, mode 0600. The oversight body provisions it; for the local demo {@link #main} (run by
 * {@code ./optout up} before the registry starts, so that the registry can be told the witness's verifier
 * key) or the witness itself ({@code optout.witness.create-signing-key}) makes it.
 */
public final class WitnessKeyFile {

  private WitnessKeyFile() {}

  /** Reads the key; errors name the file, never its content. */
  public static Ed25519CosignatureSigner load(Path file, Clock clock) throws IOException {
    if (!Files.exists(file)) {
      throw new IOException("The witness's key file " + file + " does not exist (set optout.witness.create-signing-key to create one,"
          + " or provision it)");
    }
    try {
      return Ed25519CosignatureSigner.fromSignerKey(Files.readString(file, StandardCharsets.US_ASCII).strip(), clock);
    } catch (IllegalArgumentException e) {
      throw new IOException("The witness's key file " + file + " holds no cosigning key: " + e.getMessage(), e);
    }
  }

  /** Creates the file (0600) with a new key named {@code keyName} if it is missing; answers the key either way. */
  public static Ed25519CosignatureSigner createIfMissing(Path file, String keyName, Clock clock) throws IOException {
    if (!Files.exists(file)) {
      Path directory = Files.createDirectories(file.toAbsolutePath().getParent());
      Path temporary = Files.createTempFile(directory, ".witness-key-", ".partial",
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      try {
        Files.writeString(temporary, Ed25519CosignatureSigner.generate(keyName).unmaskedSignerKey() + "\n", StandardCharsets.US_ASCII);
        try {
          Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException another) {
          // another process made it first: theirs is the key
        }
      } finally {
        Files.deleteIfExists(temporary);
      }
    }
    Ed25519CosignatureSigner signer = load(file, clock);
    if (!signer.keyName().equals(keyName)) {
      throw new IOException("The witness's key in " + file + " is named " + signer.keyName() + ", not " + keyName);
    }
    return signer;
  }

  /** {@code create KEY_FILE NAME VERIFIER_FILE}: makes the key if missing, writes and prints its verifier key (public). */
  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length != 4 || !args[0].equals("create")) {
      err.println("usage: create KEY_FILE NAME VERIFIER_FILE");
      return 2;
    }
    try {
      Ed25519CosignatureSigner signer = createIfMissing(Path.of(args[1]), args[2], Clock.systemUTC());
      Path verifier = Path.of(args[3]);
      Files.createDirectories(verifier.toAbsolutePath().getParent());
      Files.writeString(verifier, signer.verifierKey() + "\n", StandardCharsets.US_ASCII);
      out.println(signer.verifierKey());
      return 0;
    } catch (IOException | IllegalArgumentException e) {
      err.println("Cannot create the witness's key: " + e.getMessage());
      return 1;
    }
  }
}
