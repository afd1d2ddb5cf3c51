package optout.disclosure.output;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import optout.disclosure.LinearAttack;
import optout.disclosure.output.ReleasedTable.Kind;
import optout.disclosure.output.ReleasedTable.Value;

/**
 * The differencing check: a table about to be released, against every earlier release of the same
 * project. Each table was protected on its own; this asks whether two or more of them, taken together,
 * give away what each hides. Values are compared by {@linkplain ReleasedTable position}, whatever the
 * count column is called (renaming it must not escape the check). Two rules:
 *
 * <ol>
 *   <li><b>No small difference</b> ({@code small-difference}). A value shown exactly in both this table and an
 *       earlier one must be equal in both or differ by at least the threshold (the larger of the two rule
 *       sets'). Two tables of a cohort and of the cohort less a few people differ by those few: in their
 *       total, and in every cell they fall in.</li>
 *   <li><b>Nothing suppressed follows</b> ({@code derivable}). An attacker takes every earlier release and this
 *       one, each with its own equations, and assumes that a value is the same wherever its position is
 *       released: a value suppressed in one table and shown exactly in another is taken to be the shown
 *       one, and two suppressed values at one position to be equal. No other suppressed value may then be
 *       determined (exactly, by any linear combination: {@link LinearAttack}). The classic: a total in one
 *       release, and in another every cell of it but one.</li>
 * </ol>
 *
 * <p>A rounded value is never taken as exact: it is left out of rule 1, and an equation holding one is
 * left out of rule 2 (combined with rounded values, a suppressed value is only narrowed to an interval,
 * which is what rounding to 5 is there to allow, as in OpenSAFELY's rules). Plain Java, no state: the
 * caller supplies the earlier releases.
 */
public final class DifferencingCheck {

  private DifferencingCheck() {}

  /** An earlier release and what to call it in a finding, e.g. {@code output 3}. */
  public record Earlier(String label, ReleasedTable table) {}

  /** Why the table may not be released: {@code small-difference} or {@code derivable}, with a message for the researcher. */
  public record Finding(String rule, String message) {}

  /** What the table, combined with the earlier releases, would give away; empty if nothing. */
  public static List<Finding> check(ReleasedTable table, List<Earlier> earlier) {
    List<Finding> findings = new ArrayList<>();
    for (Earlier other : earlier) {
      int threshold = Math.max(table.rules().threshold(), other.table().rules().threshold());
      for (Map.Entry<Map<String, String>, Value> entry : table.values().entrySet()) {
        Value mine = entry.getValue();
        Value theirs = other.table().values().get(entry.getKey());
        if (theirs != null && mine.kind() == Kind.EXACT && theirs.kind() == Kind.EXACT) {
          long difference = Math.abs(mine.shown() - theirs.shown());
          if (difference > 0 && difference < threshold) {
            findings.add(new Finding("small-difference", mine.label() + ": this table and " + other.label() + " ("
                + theirs.label() + ") differ by fewer than " + threshold + ", so a group that small follows by subtraction"));
          }
        }
      }
    }
    findings.addAll(derivable(table, earlier));
    return findings;
  }

  /** Rule 2: the suppressed values that every release together determines. */
  private static List<Finding> derivable(ReleasedTable table, List<Earlier> earlier) {
    List<String> labels = new ArrayList<>();
    List<ReleasedTable> tables = new ArrayList<>();
    labels.add("this table");
    tables.add(table);
    for (Earlier other : earlier) {
      labels.add(other.label());
      tables.add(other.table());
    }
    // one variable per value of every release
    List<Integer> releaseOf = new ArrayList<>();
    List<Value> valueOf = new ArrayList<>();
    List<Map<String, String>> positionOf = new ArrayList<>();
    List<Map<Map<String, String>, Integer>> ids = new ArrayList<>();
    Map<Map<String, String>, List<Integer>> byPosition = new LinkedHashMap<>();
    for (int r = 0; r < tables.size(); r++) {
      Map<Map<String, String>, Integer> mine = new HashMap<>();
      for (Map.Entry<Map<String, String>, Value> entry : tables.get(r).values().entrySet()) {
        int id = valueOf.size();
        mine.put(entry.getKey(), id);
        releaseOf.add(r);
        valueOf.add(entry.getValue());
        positionOf.add(entry.getKey());
        byPosition.computeIfAbsent(entry.getKey(), k -> new ArrayList<>()).add(id);
      }
      ids.add(mine);
    }
    // unknown: suppressed, and shown exactly by no other release (else the attacker takes that value)
    boolean[] unknown = new boolean[valueOf.size()];
    for (List<Integer> same : byPosition.values()) {
      boolean shownExactly = same.stream().anyMatch(id -> valueOf.get(id).kind() == Kind.EXACT);
      for (int id : same) {
        unknown[id] = valueOf.get(id).kind() == Kind.SUPPRESSED && !shownExactly;
      }
    }
    List<int[]> equations = new ArrayList<>();
    for (int r = 0; r < tables.size(); r++) {
      for (List<Map<String, String>> equation : tables.get(r).equations()) {
        int[] e = new int[equation.size()];
        boolean rounded = false;
        boolean touchesUnknown = false;
        for (int k = 0; k < e.length; k++) {
          e[k] = ids.get(r).get(equation.get(k));
          rounded |= valueOf.get(e[k]).kind() == Kind.ROUNDED;
          touchesUnknown |= unknown[e[k]];
        }
        if (!rounded && touchesUnknown) {
          equations.add(e);
        }
      }
    }
    for (List<Integer> same : byPosition.values()) {
      List<Integer> hidden = same.stream().filter(id -> unknown[id]).toList();
      for (int k = 1; k < hidden.size(); k++) {
        equations.add(new int[] {hidden.get(k - 1), hidden.get(k)});  // "equal": one is the sum of the other alone
      }
    }
    // the unknowns fall apart into groups that share no equation; each is solved on its own
    int[] parent = new int[valueOf.size()];
    for (int i = 0; i < parent.length; i++) {
      parent[i] = i;
    }
    for (int[] e : equations) {
      int first = -1;
      for (int id : e) {
        if (unknown[id]) {
          if (first < 0) {
            first = id;
          } else {
            parent[find(parent, id)] = find(parent, first);
          }
        }
      }
    }
    Map<Integer, List<int[]>> groups = new LinkedHashMap<>();
    for (int[] e : equations) {
      for (int id : e) {
        if (unknown[id]) {
          groups.computeIfAbsent(find(parent, id), k -> new ArrayList<>()).add(e);
          break;
        }
      }
    }
    List<Finding> findings = new ArrayList<>();
    for (List<int[]> group : groups.values()) {
      Map<Integer, Integer> local = new LinkedHashMap<>();
      List<int[]> localEquations = new ArrayList<>();
      for (int[] e : group) {
        int[] l = new int[e.length];
        for (int k = 0; k < e.length; k++) {
          l[k] = local.computeIfAbsent(e[k], id -> local.size());
        }
        localEquations.add(l);
      }
      List<Integer> globalOf = new ArrayList<>(local.keySet());
      boolean[] localUnknown = new boolean[globalOf.size()];
      for (int i = 0; i < localUnknown.length; i++) {
        localUnknown[i] = unknown[globalOf.get(i)];
      }
      List<Integer> determined = LinearAttack.determined(localEquations, localUnknown);
      if (determined.isEmpty()) {
        continue;
      }
      Set<String> from = new TreeSet<>();
      for (int id : globalOf) {
        from.add(labels.get(releaseOf.get(id)));
        if (valueOf.get(id).kind() == Kind.SUPPRESSED && !unknown[id]) {
          for (int same : byPosition.get(positionOf.get(id))) {  // the release the attacker takes its value from
            if (valueOf.get(same).kind() == Kind.EXACT) {
              from.add(labels.get(releaseOf.get(same)));
            }
          }
        }
      }
      Set<String> exposed = new LinkedHashSet<>();
      for (int l : determined) {
        int id = globalOf.get(l);
        exposed.add(valueOf.get(id).label() + " of " + labels.get(releaseOf.get(id)));
      }
      for (String what : exposed) {
        findings.add(new Finding("derivable", "the suppressed value " + what + " follows by subtraction from what "
            + String.join(" and ", from) + " show (a value is taken to be the same wherever its position is released)"));
      }
    }
    return findings;
  }

  private static int find(int[] parent, int i) {
    while (parent[i] != i) {
      parent[i] = parent[parent[i]];
      i = parent[i];
    }
    return i;
  }
}
