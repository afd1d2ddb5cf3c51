package optout.platform.seal;

import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECKey;
import java.util.List;

/**
 * A seal key held by a JCA provider: a software key loaded from a key store, or a key that stays on a
 * PKCS#11 token (SunPKCS11). Every signature is checked against the certificate before it is used,
 * so a key that does not belong to its certificate fails here rather than in a verifier later.
 */
public final class JcaSealingKey implements SealingKey {

  private final PrivateKey key;
  private final Provider provider;
  private final List<X509Certificate> chain;
  private final String algorithm;

  private JcaSealingKey(PrivateKey key, Provider provider, List<X509Certificate> chain, String algorithm) {
    this.key = key;
    this.provider = provider;
    this.chain = chain;
    this.algorithm = algorithm;
  }

  /**
   * @param key the private key (never leaves this object)
   * @param provider the provider that holds or runs the key; {@code null} for the JDK's default choice
   * @param chain the certificate chain, the key's certificate first
   */
  public static JcaSealingKey of(PrivateKey key, Provider provider, List<X509Certificate> chain) throws GeneralSecurityException {
    if (chain == null || chain.isEmpty()) {
      throw new InvalidKeyException("Cannot use the seal key: it has no certificate");
    }
    return new JcaSealingKey(key, provider, List.copyOf(chain), algorithmFor(chain.get(0)));
  }

  /** SHA-256 with the certificate's key type: ECDSA for P-256 (SHA-384 for larger curves), PKCS#1 v1.5 for RSA, which every PAdES validator accepts. */
  static String algorithmFor(X509Certificate certificate) throws GeneralSecurityException {
    String type = certificate.getPublicKey().getAlgorithm();
    if (type.equals("EC")) {
      int bits = ((ECKey) certificate.getPublicKey()).getParams().getOrder().bitLength();
      return bits > 256 ? "SHA384withECDSA" : "SHA256withECDSA";
    }
    if (type.equals("RSA")) {
      return "SHA256withRSA";
    }
    throw new InvalidKeyException("Cannot use the seal key: it needs an EC or RSA certificate, not " + type);
  }

  @Override
  public List<X509Certificate> certificateChain() {
    return chain;
  }

  @Override
  public String signatureAlgorithm() {
    return algorithm;
  }

  @Override
  public byte[] sign(byte[] data) throws GeneralSecurityException {
    Signature signer = provider == null ? Signature.getInstance(algorithm) : Signature.getInstance(algorithm, provider);
    signer.initSign(key);
    signer.update(data);
    byte[] value = signer.sign();
    Signature check = Signature.getInstance(algorithm);
    check.initVerify(chain.get(0).getPublicKey());
    check.update(data);
    if (!check.verify(value)) {
      throw new InvalidKeyException("Cannot seal: the seal key does not belong to the certificate " + chain.get(0).getSubjectX500Principal().getName());
    }
    return value;
  }

  @Override
  public String toString() {
    return "JcaSealingKey[" + chain.get(0).getSubjectX500Principal().getName() + ", " + algorithm
        + (provider == null ? "" : ", " + provider.getName()) + "]";
  }
}
