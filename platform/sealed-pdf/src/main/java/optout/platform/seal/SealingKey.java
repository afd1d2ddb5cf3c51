package optout.platform.seal;

import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * The agency's seal key as the sealer sees it: something that signs and names its certificate chain.
 * The private key stays behind this interface (a software key store or a PKCS#11 token), so the
 * sealer works the same with either and no caller ever holds key material.
 */
public interface SealingKey {

  /** The certificate chain, the signer's certificate first; the root may be included last. */
  List<X509Certificate> certificateChain();

  /** The JCA name of the signature algorithm {@link #sign} uses, e.g. {@code SHA256withECDSA}. */
  String signatureAlgorithm();

  /**
   * Signs {@code data} (the DER of the CMS signed attributes) with {@link #signatureAlgorithm()}.
   *
   * @return the signature value as the algorithm encodes it (DER for ECDSA)
   */
  byte[] sign(byte[] data) throws GeneralSecurityException;

  /** The signer's certificate: the first of {@link #certificateChain()}. */
  default X509Certificate certificate() {
    return certificateChain().get(0);
  }
}
