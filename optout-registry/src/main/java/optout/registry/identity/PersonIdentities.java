package optout.registry.identity;

import java.security.GeneralSecurityException;
import optout.pseudonymizer.custody.KeyCustody;
import optout.pseudonymizer.id.PersonId;
import optout.pseudonymizer.identity.IdentitySealer;
import optout.pseudonymizer.pseudonym.WarehousePseudonymizer;
import org.springframework.stereotype.Component;

/**
 * The only place the registry meets a national ID: it turns it into the person's warehouse pseudonym
 * (what the registry stores and the warehouse excludes) and into a sealed copy that only the registry's
 * identity key opens (for the person's own view). Primitives are per thread, as the custody requires.
 */
@Component
public class PersonIdentities {

  private final ThreadLocal<WarehousePseudonymizer> pseudonymizers;
  private final ThreadLocal<IdentitySealer> sealers;

  PersonIdentities(KeyCustody custody) throws GeneralSecurityException {
    custody.warehousePseudonymizer();  // fail at start, not at the first filing, if the keys are missing
    custody.identitySealer();
    this.pseudonymizers = ThreadLocal.withInitial(() -> call(custody::warehousePseudonymizer));
    this.sealers = ThreadLocal.withInitial(() -> call(custody::identitySealer));
  }

  /** A person as the registry knows them. */
  public record Identified(long pseudonym, byte[] sealedId) {}

  public Identified identify(PersonId person) {
    long pseudonym = pseudonymizers.get().pseudonym(person);
    try {
      return new Identified(pseudonym, sealers.get().seal(person, pseudonym));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Cannot seal the identity: " + e.getMessage(), e);
    }
  }

  public long pseudonym(PersonId person) {
    return pseudonymizers.get().pseudonym(person);
  }

  /** The ID behind a sealed copy, for the person's own view only. */
  public PersonId open(byte[] sealedId, long pseudonym) throws GeneralSecurityException {
    return sealers.get().open(sealedId, pseudonym);
  }

  private interface KeyCall<T> {
    T get() throws GeneralSecurityException;
  }

  private static <T> T call(KeyCall<T> call) {
    try {
      return call.get();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Cannot use the pseudonymisation keys: " + e.getMessage(), e);
    }
  }
}
