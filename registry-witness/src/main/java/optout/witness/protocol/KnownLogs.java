package optout.witness.protocol;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import optout.registry.log.Ed25519NoteVerifier;
import optout.registry.log.NoteVerifier;

/**
 * The logs this witness witnesses: each origin with the verifier key(s) of the log. Configured, never
 * learnt from requests: a checkpoint of any other origin is refused (deny by default). One entry a line,
 * {@code <log verifier key> <origin>} (the origin is the rest of the line and may contain spaces); blank
 * lines and lines starting with {@code #} are skipped. An origin may be listed with several keys (a key
 * rotation); a checkpoint signed by any one of them is the log's.
 */
public final class KnownLogs {

  private final Map<String, List<NoteVerifier>> keysByOrigin;

  private KnownLogs(Map<String, List<NoteVerifier>> keysByOrigin) {
    this.keysByOrigin = keysByOrigin;
  }

  /** Parses entries; the error names the entry's position, the keys are public anyway. */
  public static KnownLogs parse(Collection<String> entries) {
    Map<String, List<NoteVerifier>> keys = new LinkedHashMap<>();
    int number = 0;
    for (String entry : entries) {
      number++;
      String line = entry.strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      int space = line.indexOf(' ');
      if (space < 0 || line.substring(space + 1).isBlank()) {
        throw new IllegalArgumentException("Cannot read known log " + number + ": expected \"<log verifier key> <origin>\"");
      }
      Ed25519NoteVerifier key;
      try {
        key = Ed25519NoteVerifier.fromVerifierKey(line.substring(0, space));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("Cannot read known log " + number + ": " + e.getMessage(), e);
      }
      keys.computeIfAbsent(line.substring(space + 1).strip(), origin -> new ArrayList<>()).add(key);
    }
    Map<String, List<NoteVerifier>> frozen = new LinkedHashMap<>();
    keys.forEach((origin, verifiers) -> frozen.put(origin, List.copyOf(verifiers)));
    return new KnownLogs(Map.copyOf(frozen));
  }

  /** The keys of the log with this origin, if it is known. */
  public Optional<List<NoteVerifier>> keys(String origin) {
    return Optional.ofNullable(keysByOrigin.get(origin));
  }

  public java.util.Set<String> origins() {
    return keysByOrigin.keySet();
  }

  public boolean isEmpty() {
    return keysByOrigin.isEmpty();
  }

  @Override
  public String toString() {
    return "KnownLogs" + keysByOrigin.keySet();
  }
}
