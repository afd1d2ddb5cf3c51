package optout.pseudonymizer;

import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;
import optout.pseudonymizer.fpe.Ff1Radix10;
import optout.pseudonymizer.pseudonym.Pseudonyms;

/** Test keys that differ only in their first byte, for tests of what sits on top of key custody. */
public final class FixedKeys {

  private FixedKeys() {}

  /** FF1 over the pseudonym domain with the AES-256 key {@code keyByte, 0, 0, ...}. */
  public static Ff1Radix10 pseudonymFf1(int keyByte, byte[] tweak) throws GeneralSecurityException {
    byte[] key = new byte[32];
    key[0] = (byte) keyByte;
    Cipher aes = Cipher.getInstance("AES/ECB/NoPadding");
    aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"));
    return new Ff1Radix10(aes, Pseudonyms.DOMAIN_DIGITS, tweak);
  }
}
