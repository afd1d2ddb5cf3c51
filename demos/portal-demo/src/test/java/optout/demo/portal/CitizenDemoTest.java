package optout.demo.portal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import optout.registry.log.Checkpoint;
import optout.registry.log.CheckpointSigner;
import optout.registry.log.Ed25519CosignatureSigner;
import optout.registry.log.Ed25519NoteSigner;
import optout.registry.log.InMemoryNodeStore;
import optout.registry.log.MerkleHashing;
import optout.registry.log.MerkleLog;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/** The citizens' check of a receipt, against a real Merkle log, a signed checkpoint and a witness's cosignature. */
class CitizenDemoTest {

  private static final String ORIGIN = "registry.test/nhi-optout";

  private final Ed25519NoteSigner logKey = Ed25519NoteSigner.generate(ORIGIN);
  private final Ed25519CosignatureSigner witnessKey = Ed25519CosignatureSigner.generate("witness.test");
  private final MerkleLog log = new MerkleLog(new InMemoryNodeStore());
  private final byte[] leaf = "event opt-out-filed academic-research".getBytes(StandardCharsets.UTF_8);

  private CitizenDemo demo(String registryKey, String witness) {
    PortalApi api = new PortalApi(URI.create("http://127.0.0.1:1"), URI.create("http://127.0.0.1:1/realms/x"), "unused",
        HttpClient.newHttpClient());
    return new CitizenDemo(api, System.out, ORIGIN, registryKey, witness);
  }

  /** A receipt of leaf 3 in a log of 7, its checkpoint signed and (if {@code witnessed}) cosigned. */
  private ObjectNode receipt(boolean witnessed) {
    for (int i = 0; i < 3; i++) {
      log.append(MerkleHashing.leafHash(("other " + i).getBytes(StandardCharsets.UTF_8)));
    }
    log.append(MerkleHashing.leafHash(leaf));
    for (int i = 3; i < 6; i++) {
      log.append(MerkleHashing.leafHash(("other " + i).getBytes(StandardCharsets.UTF_8)));
    }
    Checkpoint checkpoint = Checkpoint.of(ORIGIN, log.treeHead());
    var signed = new CheckpointSigner(logKey).sign(checkpoint);
    ObjectNode receipt = PortalApi.JSON.createObjectNode();
    receipt.put("logIndex", 3);
    receipt.put("leaf", Base64.getEncoder().encodeToString(leaf));
    receipt.put("leafHash", MerkleHashing.leafHash(leaf).base64());
    receipt.put("treeSize", log.size());
    var path = receipt.putArray("inclusionProof");
    log.inclusionProof(3, log.size()).path().forEach(h -> path.add(h.base64()));
    receipt.put("checkpoint", (witnessed ? signed.withSignatures(List.of(witnessKey.cosign(checkpoint))) : signed).encoded());
    return receipt;
  }

  @Test
  void anIntactReceiptVerifiesAgainstTheWitnessedCheckpoint() {
    Checkpoint checkpoint = demo(logKey.verifierKey(), witnessKey.verifierKey()).verifyReceipt(receipt(true));

    assertThat(checkpoint.size()).isEqualTo(7);
  }

  @Test
  void aTamperedPathAnotherLeafAnUnwitnessedOrForeignCheckpointFail() {
    CitizenDemo demo = demo(logKey.verifierKey(), witnessKey.verifierKey());
    ObjectNode tampered = receipt(true);
    byte[] first = Base64.getDecoder().decode(tampered.get("inclusionProof").get(0).asString());
    first[5] ^= 1;
    tampered.withArray("inclusionProof").set(0, Base64.getEncoder().encodeToString(first));
    assertThatThrownBy(() -> demo.verifyReceipt(tampered)).isInstanceOf(PortalApi.StepFailed.class)
        .hasMessageContaining("does not lead to the witnessed checkpoint");

    ObjectNode otherLeaf = receipt(true);
    otherLeaf.put("leaf", Base64.getEncoder().encodeToString("event opt-out-withdrawn".getBytes(StandardCharsets.UTF_8)));
    assertThatThrownBy(() -> demo.verifyReceipt(otherLeaf)).hasMessageContaining("leaf hash");

    assertThatThrownBy(() -> demo.verifyReceipt(receipt(false))).hasMessageContaining("does not verify");

    ObjectNode wrongSize = receipt(true);
    wrongSize.put("treeSize", 6);
    assertThatThrownBy(() -> demo.verifyReceipt(wrongSize)).hasMessageContaining("tree size");

    CitizenDemo foreign = demo(Ed25519NoteSigner.generate(ORIGIN).verifierKey(), witnessKey.verifierKey());
    assertThatThrownBy(() -> foreign.verifyReceipt(receipt(true))).hasMessageContaining("does not verify");
    assertThatThrownBy(() -> demo("not a key", witnessKey.verifierKey())).isInstanceOf(PortalApi.StepFailed.class);
  }
}
