package optout.registry.log;

import java.util.List;
import java.util.Objects;

/**
 * The consistency proof (RFC 9162 section 2.1.4) that the tree of {@code size2} leaves extends the
 * tree of {@code size1} leaves: the hashes that rebuild both roots from shared subtrees. Plain data,
 * as received or as sent; {@link ProofVerifier} checks it.
 */
public record ConsistencyProof(long size1, long size2, List<Hash> path) {

  public ConsistencyProof {
    path = List.copyOf(Objects.requireNonNull(path, "Cannot make a consistency proof: the path is missing"));
  }
}
