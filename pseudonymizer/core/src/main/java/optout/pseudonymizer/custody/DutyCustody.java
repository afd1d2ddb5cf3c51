package optout.pseudonymizer.custody;

import java.security.GeneralSecurityException;
import java.util.List;
import optout.pseudonymizer.custody.KeyCustodies.Duty;
import optout.pseudonymizer.id.ProjectId;
import optout.pseudonymizer.identity.IdentitySealer;
import optout.pseudonymizer.pseudonym.ProjectPseudonymizer;
import optout.pseudonymizer.pseudonym.WarehousePseudonymizer;
import optout.pseudonymizer.token.ProjectRecordKeys;
import optout.pseudonymizer.token.ProjectTokenizer;

/**
 * One duty's custody: it answers only for that duty. A component given the warehouse custody cannot be
 * made to produce project pseudonyms, and one given the release custody cannot make layer 1, whatever
 * its code asks; the refusal names the duty, never a key.
 */
final class DutyCustody implements KeyCustody {

  private final Duty duty;
  private final KeyCustody keys;

  DutyCustody(Duty duty, KeyCustody keys) {
    this.duty = duty;
    this.keys = keys;
  }

  private void require(Duty needed, String what) throws KeyUnavailableException {
    if (duty != needed) {
      throw new KeyUnavailableException("Cannot " + what + " with the " + duty.lowerCaseName() + " custody: that is the "
          + needed.lowerCaseName() + " custody's duty");
    }
  }

  private static Duty dutyOf(ProjectId project) {
    return KeyCustodies.WAREHOUSE_TOKENS_PROJECT.equals(project) ? Duty.WAREHOUSE : Duty.RELEASE;
  }

  @Override
  public KeyInfo createWarehouseKey() throws GeneralSecurityException {
    require(Duty.WAREHOUSE, "create a warehouse key");
    return keys.createWarehouseKey();
  }

  @Override
  public KeyInfo createIdentityKey() throws GeneralSecurityException {
    require(Duty.IDENTITY, "create an identity key");
    return keys.createIdentityKey();
  }

  @Override
  public List<KeyInfo> createProjectKeys(ProjectId project) throws GeneralSecurityException {
    require(dutyOf(project), "create project keys");
    return keys.createProjectKeys(project);
  }

  @Override
  public KeyInfo destroyProjectKeys(ProjectId project) throws GeneralSecurityException {
    require(dutyOf(project), "destroy project keys");
    return keys.destroyProjectKeys(project);
  }

  @Override
  public List<KeyInfo> keys() throws GeneralSecurityException {
    return keys.keys();
  }

  @Override
  public WarehousePseudonymizer warehousePseudonymizer() throws GeneralSecurityException {
    require(Duty.WAREHOUSE, "make layer-1 pseudonyms");
    return keys.warehousePseudonymizer();
  }

  @Override
  public WarehousePseudonymizer warehousePseudonymizer(int version) throws GeneralSecurityException {
    require(Duty.WAREHOUSE, "make layer-1 pseudonyms");
    return keys.warehousePseudonymizer(version);
  }

  @Override
  public IdentitySealer identitySealer() throws GeneralSecurityException {
    require(Duty.IDENTITY, "seal person IDs");
    return keys.identitySealer();
  }

  @Override
  public ProjectPseudonymizer projectPseudonymizer(ProjectId project) throws GeneralSecurityException {
    require(Duty.RELEASE, "make project pseudonyms");
    return keys.projectPseudonymizer(project);
  }

  @Override
  public ProjectTokenizer projectTokenizer(ProjectId project) throws GeneralSecurityException {
    require(dutyOf(project), "make tokens of project " + project);
    return keys.projectTokenizer(project);
  }

  @Override
  public ProjectRecordKeys projectRecordKeys(ProjectId project) throws GeneralSecurityException {
    require(Duty.RELEASE, "release record keys");
    return keys.projectRecordKeys(project);
  }

  @Override
  public void close() {
    keys.close();
  }

  @Override
  public String toString() {
    return "KeyCustody[" + duty.lowerCaseName() + " duty, " + keys + "]";
  }
}
