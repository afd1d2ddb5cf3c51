package optout.registry.scope;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The rules that decide whom an exclusion set holds, as the log records them: for every purpose (a
 * scope code), the scopes whose opt-out excludes a person from it; for every legal exemption, the
 * purposes it overrides. Logged as a leaf whenever the registry starts with rules other than the last
 * logged, so that a snapshot at a checkpoint is computed, and can be recomputed, with the rules in
 * force there, never with today's configuration. Canonical UTF-8 text, every line ending in
 * {@code \n}, single spaces:
 *
 * <pre>
 * nhi-optout-registry-scope-rules/1
 * scope academic-research excluded-by academic-research,all-secondary-use
 * scope all-secondary-use excluded-by all-secondary-use
 * exemption communicable-disease-control overrides government-statistics
 * </pre>
 *
 * One {@code scope} line per purpose, at least one, sorted by code; then one {@code exemption} line per
 * legal exemption, sorted by code (none is fine). Lists are sorted, distinct, comma-separated, never
 * empty, and name only scopes that have a {@code scope} line. Codes are lower-case words joined by
 * hyphens, at most 64 characters. Parsing is strict, so one set of rules has exactly one text.
 *
 * <p>A person is excluded from a purpose when the scopes they opted out of (the fold of their events,
 * {@link optout.registry.event.PersonState}) include one of the purpose's {@code excluded-by} scopes.
 */
public final class ScopeRules {

  /** The first line: names the format and its version. */
  public static final String FORMAT = "nhi-optout-registry-scope-rules/1";

  private final SortedMap<String, SortedSet<String>> excludedBy;
  private final SortedMap<String, SortedSet<String>> overrides;

  private ScopeRules(SortedMap<String, SortedSet<String>> excludedBy, SortedMap<String, SortedSet<String>> overrides) {
    this.excludedBy = excludedBy;
    this.overrides = overrides;
  }

  /**
   * The rules from purpose to excluding scopes and from exemption to overridden purposes.
   *
   * @throws IllegalArgumentException if a code is malformed, a list is empty or names a scope without rules
   */
  public static ScopeRules of(Map<String, ? extends Set<String>> excludedBy, Map<String, ? extends Set<String>> overrides) {
    if (excludedBy == null || excludedBy.isEmpty()) {
      throw new IllegalArgumentException("Cannot make scope rules: at least one scope is needed");
    }
    SortedMap<String, SortedSet<String>> scopes = copy(excludedBy, "scope", "excluded-by");
    SortedMap<String, SortedSet<String>> exemptions = copy(overrides == null ? Map.of() : overrides, "exemption", "overrides");
    for (Map.Entry<String, SortedSet<String>> rule : concat(scopes, exemptions)) {
      for (String scope : rule.getValue()) {
        if (!scopes.containsKey(scope)) {
          throw new IllegalArgumentException("Cannot make scope rules: the rule of " + rule.getKey() + " names " + scope
              + ", which is not a scope");
        }
      }
    }
    return new ScopeRules(scopes, exemptions);
  }

  private static SortedMap<String, SortedSet<String>> copy(Map<String, ? extends Set<String>> rules, String kind, String relation) {
    SortedMap<String, SortedSet<String>> copy = new TreeMap<>();
    rules.forEach((code, scopes) -> {
      requireCode(code, kind);
      if (scopes == null || scopes.isEmpty()) {
        throw new IllegalArgumentException("Cannot make scope rules: " + kind + " " + code + " has no " + relation + " scope");
      }
      scopes.forEach(scope -> requireCode(scope, "scope"));
      copy.put(code, Collections.unmodifiableSortedSet(new TreeSet<>(scopes)));
    });
    return Collections.unmodifiableSortedMap(copy);
  }

  private static void requireCode(String code, String kind) {
    if (code == null || code.length() > 64 || !Scope.CODE.matcher(code).matches()) {
      throw new IllegalArgumentException("Cannot make scope rules: a " + kind + " code must be lower-case words joined by hyphens,"
          + " at most 64 characters");
    }
  }

  private static List<Map.Entry<String, SortedSet<String>>> concat(SortedMap<String, SortedSet<String>> a,
      SortedMap<String, SortedSet<String>> b) {
    List<Map.Entry<String, SortedSet<String>>> all = new java.util.ArrayList<>(a.entrySet());
    all.addAll(b.entrySet());
    return all;
  }

  /** The canonical text, as the leaf holds it. */
  public byte[] encode() {
    StringBuilder text = new StringBuilder(FORMAT).append('\n');
    excludedBy.forEach((scope, by) -> text.append("scope ").append(scope).append(" excluded-by ").append(String.join(",", by)).append('\n'));
    overrides.forEach((exemption, purposes) -> text.append("exemption ").append(exemption).append(" overrides ")
        .append(String.join(",", purposes)).append('\n'));
    return text.toString().getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Reads a leaf strictly: it must be exactly the text {@link #encode} gives for the rules it states.
   *
   * @throws IllegalArgumentException naming the line that is wrong
   */
  public static ScopeRules parse(byte[] leaf) {
    String text = new String(leaf, StandardCharsets.UTF_8);
    if (!text.endsWith("\n")) {
      throw new IllegalArgumentException("Cannot read scope rules: the text must end in a newline");
    }
    String[] lines = text.substring(0, text.length() - 1).split("\n", -1);
    if (!lines[0].equals(FORMAT)) {
      throw new IllegalArgumentException("Cannot read scope rules: line 1 must be " + FORMAT);
    }
    Map<String, Set<String>> scopes = new TreeMap<>();
    Map<String, Set<String>> exemptions = new TreeMap<>();
    for (int i = 1; i < lines.length; i++) {
      String[] fields = lines[i].split(" ", -1);
      boolean scope = fields.length == 4 && fields[0].equals("scope") && fields[2].equals("excluded-by");
      boolean exemption = fields.length == 4 && fields[0].equals("exemption") && fields[2].equals("overrides");
      if (!scope && !exemption || scope && !exemptions.isEmpty()) {
        throw new IllegalArgumentException("Cannot read scope rules: line " + (i + 1)
            + " must be \"scope <code> excluded-by <codes>\" or, after every scope line, \"exemption <code> overrides <codes>\"");
      }
      Map<String, Set<String>> into = scope ? scopes : exemptions;
      if (into.put(fields[1], new TreeSet<>(Arrays.asList(fields[3].split(",", -1)))) != null) {
        throw new IllegalArgumentException("Cannot read scope rules: line " + (i + 1) + " repeats " + fields[1]);
      }
    }
    ScopeRules rules;
    try {
      rules = of(scopes, exemptions);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("Cannot read scope rules: " + e.getMessage(), e);
    }
    if (!Arrays.equals(rules.encode(), leaf)) {
      throw new IllegalArgumentException("Cannot read scope rules: the text is not canonical (lines and lists sorted, no repeats)");
    }
    return rules;
  }

  /** Every purpose with its excluding scopes, sorted. */
  public SortedMap<String, SortedSet<String>> excludedBy() {
    return excludedBy;
  }

  /** Every legal exemption with the purposes it overrides, sorted. */
  public SortedMap<String, SortedSet<String>> overrides() {
    return overrides;
  }

  /** The purposes an exemption overrides, if these rules know it. */
  public Optional<SortedSet<String>> overrides(String exemption) {
    return Optional.ofNullable(overrides.get(exemption));
  }

  public boolean knows(String purpose) {
    return excludedBy.containsKey(purpose);
  }

  /**
   * Whether a person who opted out of {@code optedOut} may not be used for {@code purpose}.
   *
   * @throws IllegalArgumentException if the purpose is not a scope of these rules
   */
  public boolean excludes(Set<String> optedOut, String purpose) {
    SortedSet<String> by = excludedBy.get(purpose);
    if (by == null) {
      throw new IllegalArgumentException("Unknown purpose " + purpose + " in the scope rules");
    }
    return optedOut.stream().anyMatch(by::contains);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ScopeRules r && r.excludedBy.equals(excludedBy) && r.overrides.equals(overrides);
  }

  @Override
  public int hashCode() {
    return excludedBy.hashCode() * 31 + overrides.hashCode();
  }

  @Override
  public String toString() {
    return "ScopeRules" + excludedBy + overrides;
  }
}
