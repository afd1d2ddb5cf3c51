package optout.pseudonymizer.custody;

import java.security.GeneralSecurityException;
import java.util.List;
import optout.pseudonymizer.id.ProjectId;
import optout.pseudonymizer.identity.IdentitySealer;
import optout.pseudonymizer.pseudonym.ProjectPseudonymizer;
import optout.pseudonymizer.pseudonym.WarehousePseudonymizer;
import optout.pseudonymizer.token.ProjectRecordKeys;
import optout.pseudonymizer.token.ProjectTokenizer;

/**
 * Where the pseudonymisation keys live. Keys never leave it: callers get primitives that use them
 * (pseudonymizers, tokenizers, the identity sealer) and {@link KeyInfo} metadata, nothing else.
 * Primitives are not thread-safe; ask for one per thread.
 *
 * <p>Destroying a project's keys is crypto-shredding: from then on nothing can produce or reverse
 * that project's pseudonyms or tokens through this custody. Primitives handed out before keep working
 * until they are dropped, so close long-lived holders after a destruction.
 */
public interface KeyCustody extends AutoCloseable {

  /**
   * Creates the first warehouse key, or the next version of it (rotation: the old version stays, so
   * that a re-keying job can map old pseudonyms to new ones, and is destroyed after that).
   */
  KeyInfo createWarehouseKey() throws GeneralSecurityException;

  /**
   * Creates the first identity key, which seals person IDs for their own view, or the next version of
   * it (rotation: old versions stay, so that values sealed under them keep opening until they are
   * resealed).
   */
  KeyInfo createIdentityKey() throws GeneralSecurityException;

  /** Creates a project's pseudonym and token keys. Refused if the project has keys or had them. */
  List<KeyInfo> createProjectKeys(ProjectId project) throws GeneralSecurityException;

  /** Destroys a project's keys for good and records when. */
  KeyInfo destroyProjectKeys(ProjectId project) throws GeneralSecurityException;

  /** Every key and destroyed project, metadata only. */
  List<KeyInfo> keys() throws GeneralSecurityException;

  /** Layer 1 with the newest warehouse key. */
  WarehousePseudonymizer warehousePseudonymizer() throws GeneralSecurityException;

  /** Layer 1 with a given warehouse key version (for re-keying). */
  WarehousePseudonymizer warehousePseudonymizer(int version) throws GeneralSecurityException;

  /**
   * Seals person IDs with the newest identity key, and opens values sealed with any version held now.
   * Versions created later are not seen by this sealer: take a new one after a rotation.
   */
  IdentitySealer identitySealer() throws GeneralSecurityException;

  ProjectPseudonymizer projectPseudonymizer(ProjectId project) throws GeneralSecurityException;

  ProjectTokenizer projectTokenizer(ProjectId project) throws GeneralSecurityException;

  /**
   * The project's record keys (visit, admission and prescription numbers as released). Their key is
   * derived from the project's token key, so it needs no entry of its own and is destroyed with it.
   */
  ProjectRecordKeys projectRecordKeys(ProjectId project) throws GeneralSecurityException;

  @Override
  void close();
}
