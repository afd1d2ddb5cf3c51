package optout.portal.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.util.List;
import optout.registry.log.Checkpoint;
import optout.registry.log.CheckpointSigner;
import optout.registry.log.Ed25519CosignatureSigner;
import optout.registry.log.Ed25519NoteSigner;
import optout.registry.log.Hash;
import optout.registry.log.SignedNote;
import org.junit.jupiter.api.Test;

/**
 * The check of a manifest's registry checkpoint: the registry's signature, the witness's cosignature and the
 * tree the manifest names, each on its own; a forged, an unwitnessed, a wrongly witnessed and another tree's
 * checkpoint are each refused, and so is everything when no key is configured.
 */
class CheckpointCheckTest {

  private static final String ORIGIN = "localhost/nhi-optout-registry";
  private static final Ed25519NoteSigner LOG = Ed25519NoteSigner.generate(ORIGIN);
  private static final Ed25519CosignatureSigner WITNESS = Ed25519CosignatureSigner.generate("witness.test");
  private static final Hash ROOT = root();
  private static final Checkpoint TREE = new Checkpoint(ORIGIN, 48, ROOT, List.of());

  private final CheckpointCheck check = new CheckpointCheck(ORIGIN, LOG.verifierKey(), WITNESS.verifierKey());

  private static Hash root() {
    byte[] bytes = new byte[32];
    new SecureRandom().nextBytes(bytes);
    return Hash.of(bytes);
  }

  private static String witnessed(Ed25519NoteSigner log, Ed25519CosignatureSigner witness, Checkpoint tree) {
    SignedNote signed = new CheckpointSigner(log).sign(tree);
    return (witness == null ? signed : signed.withSignatures(List.of(witness.cosign(tree)))).encoded();
  }

  @Test
  void aCheckpointSignedByTheRegistryAndCosignedByTheWitnessVerifies() {
    CheckpointCheck.Verdict verdict = check.check(ORIGIN, 48L, ROOT.base64(), witnessed(LOG, WITNESS, TREE));
    assertThat(verdict.verified()).isTrue();
    assertThat(verdict.registrySignatureVerified()).isTrue();
    assertThat(verdict.witnessCosignatureVerified()).isTrue();
    assertThat(verdict.matchesManifest()).isTrue();
    assertThat(verdict.problem()).isNull();
    assertThat(verdict.size()).isEqualTo(48);
    assertThat(verdict.rootHash()).isEqualTo(ROOT.base64());
  }

  @Test
  void aCheckpointForgedUnderAnotherKeyOfTheSameNameIsRefusedEvenWithTheWitnessCosigning() {
    Ed25519NoteSigner forger = Ed25519NoteSigner.generate(ORIGIN);
    CheckpointCheck.Verdict verdict = check.check(ORIGIN, 48L, ROOT.base64(), witnessed(forger, WITNESS, TREE));
    assertThat(verdict.verified()).isFalse();
    assertThat(verdict.registrySignatureVerified()).isFalse();
    assertThat(verdict.witnessCosignatureVerified()).isFalse();
    assertThat(verdict.problem()).contains("registry's signature does not verify");
  }

  @Test
  void anUnwitnessedOrWronglyWitnessedCheckpointIsRefused() {
    CheckpointCheck.Verdict unwitnessed = check.check(ORIGIN, 48L, ROOT.base64(), witnessed(LOG, null, TREE));
    assertThat(unwitnessed.verified()).isFalse();
    assertThat(unwitnessed.registrySignatureVerified()).isTrue();
    assertThat(unwitnessed.witnessCosignatureVerified()).isFalse();
    assertThat(unwitnessed.problem()).contains("not-cosigned");

    Ed25519CosignatureSigner stranger = Ed25519CosignatureSigner.generate("witness.test");
    CheckpointCheck.Verdict otherWitness = check.check(ORIGIN, 48L, ROOT.base64(), witnessed(LOG, stranger, TREE));
    assertThat(otherWitness.verified()).isFalse();
    assertThat(otherWitness.witnessCosignatureVerified()).isFalse();

    // a witness line copied from another checkpoint does not count for this one
    Checkpoint other = new Checkpoint(ORIGIN, 49, ROOT, List.of());
    String copied = new CheckpointSigner(LOG).sign(TREE).withSignatures(List.of(WITNESS.cosign(other))).encoded();
    assertThat(check.check(ORIGIN, 48L, ROOT.base64(), copied).witnessCosignatureVerified()).isFalse();
  }

  @Test
  void aManifestNamingAnotherTreeThanTheSignedOneIsRefused() {
    String signed = witnessed(LOG, WITNESS, TREE);
    CheckpointCheck.Verdict otherRoot = check.check(ORIGIN, 48L, root().base64(), signed);
    assertThat(otherRoot.verified()).isFalse();
    assertThat(otherRoot.registrySignatureVerified()).isTrue();
    assertThat(otherRoot.witnessCosignatureVerified()).isTrue();
    assertThat(otherRoot.matchesManifest()).isFalse();
    assertThat(check.check(ORIGIN, 47L, ROOT.base64(), signed).matchesManifest()).isFalse();
    assertThat(check.check("elsewhere/registry", 48L, ROOT.base64(), signed).matchesManifest()).isFalse();
  }

  @Test
  void anotherLogsCheckpointGarbageNothingAndNoKeysAreNeverVerified() {
    Ed25519NoteSigner otherLog = Ed25519NoteSigner.generate("elsewhere/registry");
    Checkpoint elsewhere = new Checkpoint("elsewhere/registry", 48, ROOT, List.of());
    assertThat(check.check(ORIGIN, 48L, ROOT.base64(), witnessed(otherLog, WITNESS, elsewhere)).verified()).isFalse();
    assertThat(check.check(ORIGIN, 48L, ROOT.base64(), "not a signed note").problem()).contains("malformed");
    assertThat(check.check(ORIGIN, 48L, ROOT.base64(), null).problem()).contains("could not be fetched");
    assertThat(check.check(null, null, null, witnessed(LOG, WITNESS, TREE)).problem()).contains("names no registry checkpoint");

    CheckpointCheck noKeys = new CheckpointCheck(ORIGIN, null, null);
    assertThat(noKeys.check(ORIGIN, 48L, ROOT.base64(), witnessed(LOG, WITNESS, TREE)).verified()).isFalse();
    CheckpointCheck noWitness = new CheckpointCheck(ORIGIN, LOG.verifierKey(), null);
    CheckpointCheck.Verdict logOnly = noWitness.check(ORIGIN, 48L, ROOT.base64(), witnessed(LOG, WITNESS, TREE));
    assertThat(logOnly.registrySignatureVerified()).isTrue();
    assertThat(logOnly.verified()).isFalse();
    assertThat(logOnly.problem()).contains("No witness key");
  }
}
