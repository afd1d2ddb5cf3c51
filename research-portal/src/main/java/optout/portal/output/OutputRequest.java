package optout.portal.output;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import optout.disclosure.output.DifferencingCheck;
import optout.disclosure.output.OutputCheck;
import optout.disclosure.output.OutputRefusedException;
import optout.disclosure.output.ReleasedTable;
import optout.disclosure.output.Rules;
import optout.platform.logging.LogMasking;

/**
 * The automatic output check of an uploaded result, in plain Java: the bytes must be UTF-8 CSV of at most
 * {@link #MAX_BYTES}; the table is checked under the chosen rule set ({@link OutputCheck}: small-cell
 * suppression with complements, and rounding for {@code opensafely}); then the released table is compared
 * with every earlier release of the project ({@link DifferencingCheck}). A table whose categories are
 * shaped like national IDs or pseudonyms is no aggregate and is refused. Any refusal lists every problem;
 * no message repeats a national ID (masked as the logs mask it).
 */
public final class OutputRequest {

  /** The largest upload: an aggregate table of a few thousand cells is far smaller. */
  public static final int MAX_BYTES = 256 * 1024;

  private OutputRequest() {}

  /** What the check released, ready to store. */
  public record Checked(Rules rules, String originalCsv, String originalSha256, String releasedCsv, String releasedSha256,
      String report, int released, int primary, int secondary) {}

  /** One problem, at the part of the request it is about ({@code table}, {@code rules}, {@code differencing}). */
  public record Problem(String field, String rule, String message) {}

  /** The output may not be released as it is; nothing was stored. */
  public static final class RefusedOutputException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String problemType;
    private final transient List<Problem> problems;

    RefusedOutputException(String problemType, String message, List<Problem> problems) {
      super(message);
      this.problemType = problemType;
      this.problems = List.copyOf(problems);
    }

    public String problemType() {
      return problemType;
    }

    public List<Problem> problems() {
      return problems;
    }
  }

  /** An earlier release of the project: its number and the table as released. */
  public record Earlier(int number, ReleasedTable table) {}

  /**
   * Checks an upload.
   *
   * @param rulesName {@code small-cell} or {@code opensafely}
   * @param earlier every earlier output of the project that was not rejected
   * @throws RefusedOutputException if it is not a table, not releasable, or would give something away combined with the earlier ones
   */
  public static Checked check(byte[] upload, String rulesName, List<Earlier> earlier) {
    Rules rules = Rules.named(rulesName).orElseThrow(() -> refused("output-invalid",
        new Problem("rules", "unknown", "Choose the rule set: small-cell or opensafely.")));
    if (upload == null || upload.length == 0) {
      throw refused("output-invalid", new Problem("table", "empty", "The table is empty: send the CSV."));
    }
    if (upload.length > MAX_BYTES) {
      throw refused("body-too-large", new Problem("table", "too-large",
          "The table must be at most " + MAX_BYTES / 1024 + " KB: an aggregate result is far smaller."));
    }
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(upload)).toString();
    } catch (CharacterCodingException e) {
      throw refused("output-invalid", new Problem("table", "not-utf-8", "The table is not UTF-8 text: save the CSV as UTF-8."));
    }
    OutputCheck.Result result;
    ReleasedTable table;
    try {
      result = OutputCheck.check("the table", text, rules);
      table = result.table();
    } catch (OutputRefusedException e) {
      // the message names the line and the rule broken; it never repeats a count
      throw refused("output-invalid", new Problem("table", "not-a-table", LogMasking.mask(e.getMessage())));
    }
    for (Map<String, String> position : table.values().keySet()) {
      for (Map.Entry<String, String> category : position.entrySet()) {
        if (identifierLike(category.getValue())) {
          throw refused("output-invalid", new Problem("table", "identifier-category", "A category of " + LogMasking.mask(category.getKey())
              + " is shaped like a national ID or a pseudonym (10 or more digits): an output is an aggregate, never a list of people."));
        }
      }
    }
    List<DifferencingCheck.Earlier> others = new ArrayList<>();
    for (Earlier other : earlier) {
      others.add(new DifferencingCheck.Earlier("output " + other.number(), other.table()));
    }
    List<Problem> problems = DifferencingCheck.check(table, others).stream()
        .map(f -> new Problem("differencing", f.rule(), LogMasking.mask(f.message()))).toList();
    if (!problems.isEmpty()) {
      throw new RefusedOutputException("output-differencing", "Combined with the project's earlier outputs, this table would give away "
          + "what they or it hide (" + problems.size() + " problem(s) listed).", problems);
    }
    return new Checked(rules, text, sha256(upload), result.releasableCsv(), sha256(result.releasableCsv().getBytes(StandardCharsets.UTF_8)),
        result.report(), result.released(), result.primary(), result.secondary());
  }

  private static RefusedOutputException refused(String type, Problem problem) {
    return new RefusedOutputException(type, problem.message(), List.of(problem));
  }

  /** A person's ID, or a number as long as a pseudonym or a token: no category of an aggregate table. */
  static boolean identifierLike(String category) {
    return !LogMasking.mask(category).equals(category) || category.strip().matches("[0-9]{10,}");
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
