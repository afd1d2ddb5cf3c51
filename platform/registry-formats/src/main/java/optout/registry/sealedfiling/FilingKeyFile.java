package optout.registry.sealedfiling;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import optout.registry.log.Ed25519NoteSigner;

/**
 * The consent service's filing key in a file outside git: one line {@code PRIVATE+KEY+<name>+...}
 * (0600), the same form as the registry's log key. {@link #main} creates it for the local demo
 * before the services start, with its verifier key beside it for the registry to trust; a real
 * deployment provisions both and never creates one.
 */
public final class FilingKeyFile {

  private FilingKeyFile() {}

  /** Reads the signer key; the error names the file, never its content. */
  public static Ed25519NoteSigner load(Path file) throws IOException {
    if (!Files.exists(file)) {
      throw new IOException("The consent service's filing key file " + file + " does not exist (create it with"
          + " optout.consent.create-filing-key for the local demo, or provision it)");
    }
    return Ed25519NoteSigner.fromSignerKey(Files.readString(file, StandardCharsets.US_ASCII).strip());
  }

  /**
   * Creates the key file with a new key named {@code keyName} if it is missing, and (re)writes its
   * verifier key to {@code verifierFile}; answers the signer either way.
   */
  public static Ed25519NoteSigner createIfMissing(Path file, String keyName, Path verifierFile) throws IOException {
    Path directory = file.toAbsolutePath().getParent();
    if (!Files.exists(file)) {
      Ed25519NoteSigner generated = Ed25519NoteSigner.generate(keyName);
      Files.createDirectories(directory);
      Path temporary = Files.createTempFile(directory, ".filing-key-", ".partial",
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      try {
        Files.writeString(temporary, generated.unmaskedSignerKey() + "\n", StandardCharsets.US_ASCII);
        try {
          Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException another) {
          // another process made it first: theirs is the key
        }
      } finally {
        Files.deleteIfExists(temporary);
      }
    }
    Ed25519NoteSigner signer = load(file);
    if (verifierFile != null) {
      Files.createDirectories(verifierFile.toAbsolutePath().getParent());
      Files.writeString(verifierFile, signer.verifierKey() + "\n", StandardCharsets.US_ASCII);
    }
    return signer;
  }

  /** {@code create KEY_FILE KEY_NAME VERIFIER_FILE}: prints the verifier key (public), never the signer key. */
  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length != 4 || !args[0].equals("create")) {
      err.println("usage: create KEY_FILE KEY_NAME VERIFIER_FILE");
      return 2;
    }
    try {
      Ed25519NoteSigner signer = createIfMissing(Path.of(args[1]), args[2], Path.of(args[3]));
      if (!signer.keyName().equals(args[2])) {
        err.println("The filing key in " + args[1] + " is named " + signer.keyName() + ", not " + args[2]);
        return 1;
      }
      out.println(signer.verifierKey());
      return 0;
    } catch (IOException | IllegalArgumentException e) {
      err.println("Cannot create the filing key: " + e.getMessage());
      return 1;
    }
  }
}
