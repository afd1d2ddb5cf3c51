package optout.pseudonymizer.custody;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * The keystore passphrase, from {@value #VARIABLE} or from the file named by {@value #FILE_VARIABLE}
 * (first line), never from the command line or a file in git. Held as a char array that
 * {@link #close()} wipes.
 */
public final class Passphrase implements AutoCloseable {

  public static final String VARIABLE = "OPTOUT_KEYSTORE_PASSWORD";
  public static final String FILE_VARIABLE = "OPTOUT_KEYSTORE_PASSWORD_FILE";
  static final int MINIMUM_LENGTH = 12;

  private final char[] characters;

  private Passphrase(char[] characters) {
    if (characters.length < MINIMUM_LENGTH) {
      Arrays.fill(characters, '\0');
      throw new IllegalArgumentException("Cannot use the keystore passphrase: it must have at least " + MINIMUM_LENGTH + " characters");
    }
    this.characters = characters;
  }

  public static Passphrase of(char[] characters) {
    return new Passphrase(characters.clone());
  }

  public static Passphrase fromEnvironment(Map<String, String> environment) throws IOException {
    return fromEnvironment(environment, VARIABLE, FILE_VARIABLE);
  }

  /** A passphrase from {@code variable}, or the first line of the file named by {@code fileVariable}. */
  public static Passphrase fromEnvironment(Map<String, String> environment, String variable, String fileVariable) throws IOException {
    String file = environment.get(fileVariable);
    if (file != null && !file.isBlank()) {
      String firstLine = Files.readAllLines(Path.of(file), StandardCharsets.UTF_8).stream().findFirst().orElse("");
      return new Passphrase(firstLine.strip().toCharArray());
    }
    String value = environment.get(variable);
    if (value == null || value.isEmpty()) {
      throw new IllegalArgumentException("Cannot open the keystore: set " + variable + " (or " + fileVariable + ")");
    }
    return new Passphrase(value.toCharArray());
  }

  char[] characters() {
    return characters;
  }

  @Override
  public void close() {
    Arrays.fill(characters, '\0');
  }

  @Override
  public String toString() {
    return "Passphrase[hidden]";
  }
}
