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
  private final NavigableMap<Integer, WarehousePseudonymizer> held;

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
    this.held = held;
  }

  /**
   * The same persons' pseudonyms under an older warehouse key version the custody still holds, sorted: for
   * projects built before a rotation, whose tables stay under their version. Each is made from the person's
   * sealed ID in the current state (the ID exists only inside this call).
   *
   * @param pseudonyms pseudonyms under {@link #version()}, each a person the registry knows
   * @throws IllegalArgumentException if the custody holds no such version
   */
  public long[] under(int olderVersion, long[] pseudonyms) {
    if (olderVersion == version) {
      return pseudonyms;
    }
    WarehousePseudonymizer older = held.get(olderVersion);
    if (older == null) {
      throw new IllegalArgumentException("The registry's warehouse custody holds no warehouse key version " + olderVersion
          + ": it makes snapshots under versions " + held.headMap(version, true).keySet());
    }
    long[] out = new long[pseudonyms.length];
    int[] count = {0};
    versions.sealedIds(version, pseudonyms, (pseudonym, sealed) -> {
      try {
        PersonId person;
        synchronized (sealer) {
          person = sealer.open(sealed, pseudonym);
        }
        synchronized (older) {
          out[count[0]++] = older.pseudonym(person);
        }
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("Cannot open a sealed ID with the registry's identity key: " + e.getMessage(), e);
      }
    });
    if (count[0] != pseudonyms.length) {
      throw new IllegalStateException("Cannot make the snapshot under warehouse key version " + olderVersion + ": "
          + (pseudonyms.length - count[0]) + " persons have no current state; run ./optout registry audit");
    }
    java.util.Arrays.sort(out);
    return out;
  }

  /**
   * The person's pseudonyms under every older warehouse key version the custody still holds, oldest first: the
   * same person in usage-ledger rows and project tables made before a rotation (a version that has left the
   * custody cannot be computed here any more).
   */
  public java.util.SortedMap<Integer, Long> olderPseudonyms(PersonId person) {
    java.util.SortedMap<Integer, Long> older = new TreeMap<>();
    for (var held : this.held.headMap(version, false).entrySet()) {
      WarehousePseudonymizer pseudonymizer = held.getValue();
      synchronized (pseudonymizer) {
        older.put(held.getKey(), pseudonymizer.pseudonym(person));
      }
    }
    return older;
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
