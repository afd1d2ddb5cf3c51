package optout.registry.log;

import java.util.HexFormat;
import java.util.List;

/**
 * Published RFC 6962 / RFC 9162 test vectors (values only; the code is ours).
 *
 * <p>Source: github.com/transparency-dev/merkle, {@code testonly/constants.go} (LeafInputs, NodeHashes,
 * RootHashes), {@code testonly/reference_test.go} (TestRefInclusionProof, TestRefConsistencyProof)
 * and {@code proof/verify_test.go} (inclusionProofs with 1-based leaf numbers, consistencyProofs).
 * The same tree is in google/certificate-transparency-go's merkle tests.
 */
final class MerkleVectors {

  private MerkleVectors() {}

  /** The eight leaf inputs, as hex. */
  static final List<String> LEAF_INPUTS = List.of(
      "",
      "00",
      "10",
      "2021",
      "3031",
      "40414243",
      "5051525354555657",
      "606162636465666768696a6b6c6d6e6f");

  /** NodeHashes: the hash of every complete subtree of the 8-leaf tree, by level then index. */
  static final List<List<String>> NODE_HASHES = List.of(
      List.of(
          "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
          "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
          "0298d122906dcfc10892cb53a73992fc5b9f493ea4c9badb27b791b4127a7fe7",
          "07506a85fd9dd2f120eb694f86011e5bb4662e5c415a62917033d4a9624487e7",
          "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
          "4271a26be0d8a84f0bd54c8c302e7cb3a3b5d1fa6780a40bcce2873477dab658",
          "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
          "46f6ffadd3d06a09ff3c5860d2755c8b9819db7df44251788c7d8e3180de8eb1"),
      List.of(
          "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
          "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
          "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
          "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0"),
      List.of(
          "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
          "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"),
      List.of(
          "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"));

  /** RootHashes: the root of the tree of the first n leaves, n = 0..8. */
  static final List<String> ROOTS = List.of(
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
      "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
      "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
      "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
      "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
      "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
      "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
      "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
      "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328");

  /** An inclusion proof: 0-based leaf index, tree size, path. */
  record InclusionVector(long leafIndex, long treeSize, List<String> path) {}

  /** A consistency proof: sizes and path. */
  record ConsistencyVector(long size1, long size2, List<String> path) {}

  /**
   * reference_test.go TestRefInclusionProof, and verify_test.go inclusionProofs (there numbered from
   * 1: {1, 8} is leaf 0, {6, 8} leaf 5, {3, 3} leaf 2, {2, 5} leaf 1).
   */
  static final List<InclusionVector> INCLUSION_PROOFS = List.of(
      new InclusionVector(0, 1, List.of()),
      new InclusionVector(0, 2, List.of(
          "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7")),
      new InclusionVector(1, 2, List.of(
          "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d")),
      new InclusionVector(2, 3, List.of(
          "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125")),
      new InclusionVector(1, 5, List.of(
          "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
          "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
          "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b")),
      new InclusionVector(0, 8, List.of(
          "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
          "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
          "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4")),
      new InclusionVector(5, 8, List.of(
          "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
          "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
          "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7")));

  /** reference_test.go TestRefConsistencyProof and verify_test.go consistencyProofs. */
  static final List<ConsistencyVector> CONSISTENCY_PROOFS = List.of(
      new ConsistencyVector(1, 1, List.of()),
      new ConsistencyVector(1, 8, List.of(
          "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
          "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
          "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4")),
      new ConsistencyVector(6, 8, List.of(
          "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
          "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
          "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7")),
      new ConsistencyVector(2, 5, List.of(
          "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
          "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b")),
      new ConsistencyVector(6, 7, List.of(
          "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
          "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
          "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7")));

  static byte[] leafInput(int index) {
    return HexFormat.of().parseHex(LEAF_INPUTS.get(index));
  }

  static Hash root(int size) {
    return Hash.fromHex(ROOTS.get(size));
  }

  static Hash node(int level, int index) {
    return Hash.fromHex(NODE_HASHES.get(level).get(index));
  }

  static List<Hash> hashes(List<String> hex) {
    return hex.stream().map(Hash::fromHex).toList();
  }

  /** A log holding the first {@code size} vector leaves, appended one by one. */
  static MerkleLog logOf(int size) {
    MerkleLog log = new MerkleLog(new InMemoryNodeStore());
    for (int i = 0; i < size; i++) {
      log.append(MerkleHashing.leafHash(leafInput(i)));
    }
    return log;
  }
}
