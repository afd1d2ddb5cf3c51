package optout.disclosure;

import java.util.ArrayList;
import java.util.List;

/**
 * The suppression itself, over a table seen as values (cells and margins) and additivity equations, each
 * "the parts sum to the total". See the package documentation for the rules and their limits.
 */
final class SuppressionEngine {

  /** A prime: the equations' coefficients are 0 and ±1 in a totally unimodular matrix, so ranks modulo p are exact. */
  private static final long P = 2_147_483_647L;

  private final long[] counts;
  private final int[][] equations;
  private final int threshold;
  private final SuppressionReason[] reasons;

  /**
   * @param counts every publishable value
   * @param equations each {@code [total, part, part, ...]}, indices into {@code counts}
   */
  SuppressionEngine(long[] counts, int[][] equations, int threshold) {
    this.counts = counts;
    this.equations = equations;
    this.threshold = threshold;
    this.reasons = new SuppressionReason[counts.length];
  }

  SuppressionReason[] run() {
    for (int i = 0; i < counts.length; i++) {
      if (counts[i] > 0 && counts[i] < threshold) {
        reasons[i] = SuppressionReason.PRIMARY;
      }
    }
    while (true) {
      protectLines();
      int derivable = firstDerivable();
      if (derivable < 0) {
        return reasons.clone();
      }
      List<Integer> candidates = new ArrayList<>();
      for (int[] equation : equations) {
        if (contains(equation, derivable)) {
          for (int item : equation) {
            if (reasons[item] == null && !candidates.contains(item)) {
              candidates.add(item);
            }
          }
        }
      }
      if (candidates.isEmpty()) {
        for (int i = 0; i < counts.length; i++) {
          if (reasons[i] == null) {
            candidates.add(i);
          }
        }
      }
      if (candidates.isEmpty()) {
        throw new IllegalStateException("Cannot protect the table: a suppressed value stays derivable with everything suppressed");
      }
      reasons[best(candidates, -1)] = SuppressionReason.SECONDARY;
    }
  }

  /**
   * Until stable: every equation with exactly one suppressed value gets a complement, and so does every
   * equation with a published total whose suppressed parts hold fewer than {@code threshold} people
   * together (their sum would be a small count by subtraction).
   */
  private void protectLines() {
    boolean changed = true;
    while (changed) {
      changed = false;
      for (int e = 0; e < equations.length; e++) {
        int[] equation = equations[e];
        int suppressed = 0;
        long suppressedParts = 0;
        for (int k = 0; k < equation.length; k++) {
          if (reasons[equation[k]] != null) {
            suppressed++;
            if (k > 0) {
              suppressedParts += counts[equation[k]];
            }
          }
        }
        boolean totalShown = reasons[equation[0]] == null;
        boolean needsComplement = suppressed == 1
            || (totalShown && suppressedParts > 0 && suppressedParts < threshold);
        if (needsComplement) {
          List<Integer> candidates = new ArrayList<>();
          for (int item : equation) {
            if (reasons[item] == null) {
              candidates.add(item);
            }
          }
          if (!candidates.isEmpty()) {
            reasons[best(candidates, e)] = SuppressionReason.SECONDARY;
            changed = true;
          }
        }
      }
    }
  }

  /**
   * The complement to suppress: positive inner values first, then totals, then zeros (a true zero is
   * shown, and hiding it protects little); within each, one that also completes another line with a single
   * suppressed value (fewer cascades), then the smallest count, then table order.
   */
  private int best(List<Integer> candidates, int equation) {
    int best = -1;
    long[] bestKey = null;
    for (int item : candidates) {
      long kind = counts[item] > 0 ? (isTotal(item, equation) ? 1 : 0) : 2;
      long helps = helpsAnotherLine(item, equation) ? 0 : 1;
      long[] key = {kind, helps, counts[item], item};
      if (bestKey == null || compare(key, bestKey) < 0) {
        best = item;
        bestKey = key;
      }
    }
    return best;
  }

  private boolean isTotal(int item, int equation) {
    if (equation >= 0) {
      return equations[equation][0] == item;
    }
    for (int[] e : equations) {
      if (e[0] == item) {
        return true;
      }
    }
    return false;
  }

  private boolean helpsAnotherLine(int item, int equation) {
    for (int e = 0; e < equations.length; e++) {
      if (e != equation && contains(equations[e], item)) {
        int suppressed = 0;
        for (int other : equations[e]) {
          if (reasons[other] != null) {
            suppressed++;
          }
        }
        if (suppressed == 1) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * The first suppressed value that the published values determine through any linear combination of the
   * equations, or -1. Unknowns are the suppressed values; a value is determined exactly when no solution of
   * the homogeneous system moves it, i.e. when its column is a pivot whose row touches no free column in
   * the reduced row echelon form.
   */
  int firstDerivable() {
    int[] unknowns = suppressedItems();
    int n = unknowns.length;
    if (n == 0 || equations.length == 0) {
      return -1;
    }
    int[] column = new int[counts.length];
    java.util.Arrays.fill(column, -1);
    for (int j = 0; j < n; j++) {
      column[unknowns[j]] = j;
    }
    long[][] m = new long[equations.length][n];
    for (int e = 0; e < equations.length; e++) {
      for (int k = 0; k < equations[e].length; k++) {
        int j = column[equations[e][k]];
        if (j >= 0) {
          m[e][j] = k == 0 ? P - 1 : 1;
        }
      }
    }
    int[] pivotColumnOfRow = new int[m.length];
    boolean[] pivot = new boolean[n];
    int rank = 0;
    for (int j = 0; j < n && rank < m.length; j++) {
      int row = -1;
      for (int i = rank; i < m.length; i++) {
        if (m[i][j] != 0) {
          row = i;
          break;
        }
      }
      if (row < 0) {
        continue;
      }
      long[] swap = m[row];
      m[row] = m[rank];
      m[rank] = swap;
      long inverse = power(m[rank][j], P - 2);
      for (int k = 0; k < n; k++) {
        m[rank][k] = m[rank][k] * inverse % P;
      }
      for (int i = 0; i < m.length; i++) {
        if (i != rank && m[i][j] != 0) {
          long factor = m[i][j];
          for (int k = 0; k < n; k++) {
            m[i][k] = Math.floorMod(m[i][k] - factor * m[rank][k] % P, P);
          }
        }
      }
      pivot[j] = true;
      pivotColumnOfRow[rank] = j;
      rank++;
    }
    int first = -1;
    for (int r = 0; r < rank; r++) {
      boolean touchesFree = false;
      for (int k = 0; k < n && !touchesFree; k++) {
        touchesFree = !pivot[k] && m[r][k] != 0;
      }
      if (!touchesFree) {
        int item = unknowns[pivotColumnOfRow[r]];
        first = first < 0 ? item : Math.min(first, item);
      }
    }
    return first;
  }

  private int[] suppressedItems() {
    int n = 0;
    for (SuppressionReason reason : reasons) {
      if (reason != null) {
        n++;
      }
    }
    int[] items = new int[n];
    int j = 0;
    for (int i = 0; i < reasons.length; i++) {
      if (reasons[i] != null) {
        items[j++] = i;
      }
    }
    return items;
  }

  private static long power(long base, long exponent) {
    long result = 1;
    long b = base % P;
    long e = exponent;
    while (e > 0) {
      if ((e & 1) == 1) {
        result = result * b % P;
      }
      b = b * b % P;
      e >>= 1;
    }
    return result;
  }

  private static boolean contains(int[] equation, int item) {
    for (int i : equation) {
      if (i == item) {
        return true;
      }
    }
    return false;
  }

  private static int compare(long[] a, long[] b) {
    for (int i = 0; i < a.length; i++) {
      int c = Long.compare(a[i], b[i]);
      if (c != 0) {
        return c;
      }
    }
    return 0;
  }
}
