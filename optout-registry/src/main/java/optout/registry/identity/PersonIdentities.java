package optout.registry.identity;

import java.security.GeneralSecurityException;
import optout.platform.keys.KeyCustodyConfiguration;
import optout.pseudonymizer.custody.KeyCustody;
import optout.pseudonymizer.id.PersonId;
import optout.pseudonymizer.identity.IdentitySealer;
import optout.pseudonymizer.pseudonym.WarehousePseudonymizer;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Component;

/**
 * The only place the registry meets a national ID: it turns it into the person's warehouse pseudonym
 * (what the registry stores and the warehouse excludes) and into a sealed copy that only the registry's
 * identity key opens (for the person's own view).
 *
 * <p>The primitives are not thread-safe, and making one unwraps its key from the keystore (some 100 ms
 * under BCFKS's key derivation), so there is one of each, made at start and used under a lock: a
 * pseudonym or a seal takes microseconds, far less than a filing's database work.
 */
@Component
public class PersonIdentities {

  private final WarehousePseudonymizer pseudonymizer;
  private final IdentitySealer sealer;

  PersonIdentities(@Qualifier(KeyCustodyConfiguration.WAREHOUSE) KeyCustody warehouse,
      @Qualifier(KeyCustodyConfiguration.IDENTITY) KeyCustody identity) throws GeneralSecurityException {
    this.pseudonymizer = onlyVersion(warehouse);  // at start: missing keys stop the service here
    this.sealer = identity.identitySealer();
  }

  /**
   * The one warehouse key version the registry's pseudonyms are under. Refused when the custody holds
   * more: the registry cannot re-key its stored pseudonyms yet, and filing new ones under a newer version
   * than the stored ones would make extracts miss opt-outs without any error. Deny rather than guess.
   */
  private static WarehousePseudonymizer onlyVersion(KeyCustody warehouse) throws GeneralSecurityException {
    java.util.List<Integer> versions = warehouse.keys().stream()
        .filter(key -> key.purpose() == optout.pseudonymizer.custody.KeyInfo.Purpose.WAREHOUSE_PSEUDONYM)
        .map(optout.pseudonymizer.custody.KeyInfo::version).sorted().toList();
    if (versions.size() > 1) {
      throw new IllegalStateException("Cannot start the registry: its warehouse custody holds warehouse key versions " + versions
          + ", and the registry cannot re-key the pseudonyms it stores yet; new filings under another version than the stored"
          + " ones would not exclude their people from extracts. Give it a warehouse custody holding only the version its"
          + " pseudonyms are under.");
    }
    return warehouse.warehousePseudonymizer();
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
