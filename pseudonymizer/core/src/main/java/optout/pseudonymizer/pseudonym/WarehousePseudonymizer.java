package optout.pseudonymizer.pseudonym;

import optout.pseudonymizer.fpe.Ff1Radix10;
import optout.pseudonymizer.id.PersonId;

/**
 * Layer 1: a person identifier to the warehouse pseudonym, with the warehouse key, and back. The
 * same person always gets the same pseudonym under the same key version; different people never
 * share one. Obtain it from {@code KeyCustody}; not thread-safe, so take one per thread.
 */
public final class WarehousePseudonymizer {

  /** FF1 tweak of layer 1: separates it from every other use of the key. */
  public static final byte[] TWEAK = {'n', 'h', 'i', '-', 'L', '1'};

  private final Ff1Radix10 ff1;
  private final int keyVersion;

  public WarehousePseudonymizer(Ff1Radix10 ff1, int keyVersion) {
    if (ff1.digits() != Pseudonyms.DOMAIN_DIGITS) {
      throw new IllegalArgumentException("Cannot use FF1 over " + ff1.digits() + " digits for pseudonyms");
    }
    this.ff1 = ff1;
    this.keyVersion = keyVersion;
  }

  public int keyVersion() {
    return keyVersion;
  }

  public long pseudonym(PersonId person) {
    return Pseudonyms.LAYER1_FIRST + ff1.encrypt(person.code());
  }

  /**
   * The person behind a layer-1 pseudonym. Only the trust centre's re-identification, under dual
   * approval, calls this.
   *
   * @throws NotAPseudonymException if the number is not a layer-1 pseudonym of this key
   */
  public PersonId reveal(long pseudonym) {
    return PersonId.fromCode(personCode(pseudonym));
  }

  /**
   * The layer-1 pseudonym under {@code target} of the person behind {@code pseudonym} under this key:
   * the step of a warehouse re-keying job. The person is recovered only inside this call.
   */
  public long rekey(long pseudonym, WarehousePseudonymizer target) {
    return Pseudonyms.LAYER1_FIRST + target.ff1.encrypt(personCode(pseudonym));
  }

  /** The {@link PersonId#code()} behind a layer-1 pseudonym of this key. */
  private long personCode(long pseudonym) {
    long code = ff1.decrypt(Pseudonyms.requireLayer1(pseudonym) - Pseudonyms.LAYER1_FIRST);
    if (code >= PersonId.CODE_COUNT) {
      throw new NotAPseudonymException("Not a pseudonym made with warehouse key version " + keyVersion);
    }
    return code;
  }
}
