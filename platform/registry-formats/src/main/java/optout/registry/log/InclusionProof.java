package optout.registry.log;

import java.util.List;
import java.util.Objects;

/**
 * The inclusion proof (RFC 9162 section 2.1.3, "audit path") of the leaf at {@code leafIndex} in
 * the tree of {@code treeSize} leaves: the sibling hashes from the leaf up to the root. Plain data,
 * as received or as sent; {@link ProofVerifier} checks it.
 */
public record InclusionProof(long leafIndex, long treeSize, List<Hash> path) {

  public InclusionProof {
    path = List.copyOf(Objects.requireNonNull(path, "Cannot make an inclusion proof: the path is missing"));
  }
}
