package optout.registry.identity;

import java.security.GeneralSecurityException;
import java.util.NavigableMap;
import java.util.TreeMap;
import optout.platform.keys.KeyCustodyConfiguration;
import optout.pseudonymizer.custody.KeyCustody;
import optout.pseudonymizer.custody.KeyInfo;
import optout.pseudonymizer.id.PersonId;
import optout.pseudonymizer.identity.IdentitySealer;
import optout.pseudonymizer.pseudonym.WarehousePseudonymizer;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Component;

/**
 * The only place the registry meets a national ID: it turns it into the person's warehouse pseudonym
 * (what the registry stores and the warehouse excludes) and into a sealed copy that only the registry's
 * identity key opens (for the person's own view). Its pseudonyms are under the warehouse key version
 * {@link WarehouseKeyVersions} settles at start.
 *
 * <p>The primitives are not thread-safe, and making one unwraps its key from the keystore (some 100 ms
 * under BCFKS's key derivation), so there is one of each, made at start and used under a lock: a
 * pseudonym or a seal takes microseconds, far less than a filing's database work.
 */
@Component
public class PersonIdentities {

  private final WarehousePseudonymizer pseudonymizer;
  private final IdentitySealer sealer;
  private final WarehouseKeyVersions versions;
  private final int version;

  PersonIdentities(@Qualifier(KeyCustodyConfiguration.WAREHOUSE) KeyCustody warehouse,
      @Qualifier(KeyCustodyConfiguration.IDENTITY) KeyCustody identity, WarehouseKeyVersions versions) throws GeneralSecurityException {
    // at start: missing keys stop the service here, and a newer warehouse key re-keys the stored pseudonyms
    this.sealer = identity.identitySealer();
    NavigableMap<Integer, WarehousePseudonymizer> held = new TreeMap<>();
    for (KeyInfo key : warehouse.keys()) {
      if (key.purpose() == KeyInfo.Purpose.WAREHOUSE_PSEUDONYM) {
        held.put(key.version(), warehouse.warehousePseudonymizer(key.version()));
      }
    }
    this.versions = versions;
    this.version = versions.adopt(held, sealer);
    this.pseudonymizer = held.get(version);
  }

  /** The warehouse key version of every pseudonym this process makes (see {@link WarehouseKeyVersions}). */
  public int version() {
    return version;
  }

  /**
   * Inside a filing's transaction, before anything is stored: holds off a re-key until it ends and refuses
   * if another registry process re-keyed since this one started.
   */
  public void requireCurrentVersion() {
    versions.requireCurrent(version);
  }

  /** A person as the registry knows them. */
  public record Identified(long pseudonym, byte[] sealedId) {}

  public Identified identify(PersonId person) {
    long pseudonym = pseudonym(person);
    try {
      synchronized (sealer) {
        return new Identified(pseudonym, sealer.seal(person, pseudonym));
      }
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Cannot seal the identity: " + e.getMessage(), e);
    }
  }

  public long pseudonym(PersonId person) {
    synchronized (pseudonymizer) {
      return pseudonymizer.pseudonym(person);
    }
  }

  /** The ID behind a sealed copy, for the person's own view only. */
  public PersonId open(byte[] sealedId, long pseudonym) throws GeneralSecurityException {
    synchronized (sealer) {
      return sealer.open(sealedId, pseudonym);
    }
  }
}
