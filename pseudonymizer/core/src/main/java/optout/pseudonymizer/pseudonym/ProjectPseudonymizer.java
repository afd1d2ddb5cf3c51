package optout.pseudonymizer.pseudonym;

import optout.pseudonymizer.fpe.Ff1Radix10;
import optout.pseudonymizer.id.ProjectId;

/**
 * Layer 2: a warehouse (layer-1) pseudonym to the pseudonym of one research project, with that
 * project's own key, and back. The same person looks different in every project. Obtain it from
 * {@code KeyCustody}; not thread-safe, so take one per thread.
 */
public final class ProjectPseudonymizer {

  private final Ff1Radix10 ff1;
  private final ProjectId project;

  public ProjectPseudonymizer(Ff1Radix10 ff1, ProjectId project) {
    if (ff1.digits() != Pseudonyms.DOMAIN_DIGITS) {
      throw new IllegalArgumentException("Cannot use FF1 over " + ff1.digits() + " digits for pseudonyms");
    }
    this.ff1 = ff1;
    this.project = project;
  }

  /**
   * The FF1 tweak of a project: "L2" and 8 bytes of SHA-256 of the project ID (12 bytes in all, so one
   * AES block a round). Keys are per project already; the tweak keeps projects apart even if a key
   * were ever reused.
   */
  public static byte[] tweak(ProjectId project) {
    return Ff1Radix10.tweak("nhL2", "nhi-optout project " + project.value());
  }

  public ProjectId project() {
    return project;
  }

  /** @throws NotAPseudonymException if {@code layer1} is not a layer-1 pseudonym */
  public long pseudonym(long layer1) {
    return Pseudonyms.LAYER2_FIRST + ff1.encrypt(Pseudonyms.requireLayer1(layer1) - Pseudonyms.LAYER1_FIRST);
  }

  /** The layer-1 pseudonym behind a project pseudonym: the first step of re-identification. */
  public long layer1(long projectPseudonym) {
    return Pseudonyms.LAYER1_FIRST + ff1.decrypt(Pseudonyms.requireLayer2(projectPseudonym) - Pseudonyms.LAYER2_FIRST);
  }

  @Override
  public String toString() {
    return "ProjectPseudonymizer[" + project + "]";
  }
}
