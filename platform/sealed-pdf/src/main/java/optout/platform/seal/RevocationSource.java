package optout.platform.seal;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * Where the sealer and the archive stamper get the revocation data they embed (PAdES B-LT, B-LTA): CRLs
 * that cover the seal's and the timestamp authorities' certificates, issued after the timestamp they
 * vouch for (the sealer asks again for up to three seconds, then refuses to seal at level LTA). The
 * demo PKI issues a fresh CRL from its root each time; a production CA's own CRLs would be fetched here
 * (OCSP responses would need this interface to carry them too).
 */
@FunctionalInterface
public interface RevocationSource {

  /**
   * @param certificates every certificate of the seal's and the TSA's chains
   * @return CRLs issued now by the issuers of {@code certificates}; empty if there are none (the seal
   *     is then B-T, in one revision)
   */
  List<X509CRL> crlsFor(List<X509Certificate> certificates) throws IOException, GeneralSecurityException;

  /** No revocation data: seals stay at level B-T. */
  static RevocationSource none() {
    return certificates -> List.of();
  }
}
