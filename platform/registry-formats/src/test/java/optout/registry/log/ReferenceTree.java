package optout.registry.log;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * RFC 9162's definitions written out literally (MTH, PATH, PROOF/SUBPROOF of sections 2.1.1,
 * 2.1.3.1 and 2.1.4.1) over a list of leaf hashes, to check the store-based log against. Subtree
 * hashes are memoised by range, which changes the cost, not the definition.
 */
final class ReferenceTree {

  private final List<Hash> leaves;
  private final Map<Long, Hash> memo = new HashMap<>();

  ReferenceTree(List<Hash> leaves) {
    this.leaves = leaves;
  }

  /** MTH(D[start:end]). */
  Hash mth(int start, int end) {
    int n = end - start;
    if (n == 0) {
      return MerkleHashing.emptyRoot();
    }
    if (n == 1) {
      return leaves.get(start);
    }
    long key = (long) start << 32 | end;
    Hash cached = memo.get(key);
    if (cached != null) {
      return cached;
    }
    int k = largestPowerOfTwoSmallerThan(n);
    Hash hash = MerkleHashing.nodeHash(mth(start, start + k), mth(start + k, end));
    memo.put(key, hash);
    return hash;
  }

  /** PATH(m, D[0:n]). */
  List<Hash> path(int m, int n) {
    return path(m, 0, n);
  }

  private List<Hash> path(int m, int start, int end) {
    int n = end - start;
    List<Hash> result = new ArrayList<>();
    if (n <= 1) {
      return result;
    }
    int k = largestPowerOfTwoSmallerThan(n);
    if (m < k) {
      result.addAll(path(m, start, start + k));
      result.add(mth(start + k, end));
    } else {
      result.addAll(path(m - k, start + k, end));
      result.add(mth(start, start + k));
    }
    return result;
  }

  /** PROOF(m, D[0:n]) = SUBPROOF(m, D[0:n], true), for 0 &lt; m &lt; n. */
  List<Hash> proof(int m, int n) {
    return subproof(m, 0, n, true);
  }

  private List<Hash> subproof(int m, int start, int end, boolean b) {
    int n = end - start;
    List<Hash> result = new ArrayList<>();
    if (m == n) {
      if (!b) {
        result.add(mth(start, end));
      }
      return result;
    }
    int k = largestPowerOfTwoSmallerThan(n);
    if (m <= k) {
      result.addAll(subproof(m, start, start + k, b));
      result.add(mth(start + k, end));
    } else {
      result.addAll(subproof(m - k, start + k, end, false));
      result.add(mth(start, start + k));
    }
    return result;
  }

  private static int largestPowerOfTwoSmallerThan(int n) {
    int k = 1;
    while (k << 1 < n) {
      k <<= 1;
    }
    return k;
  }
}
