package optout.consent.seal;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * Where the sealer gets the revocation data it embeds (PAdES B-LT): CRLs that cover the seal's and
 * the timestamp authority's certificates at sealing time. The demo PKI issues a fresh CRL from its
 * root each time; a production CA's CRLs or OCSP responses would be fetched here.
 */
@FunctionalInterface
public interface RevocationSource {

  /**
   * @param certificates every certificate of the seal's and the TSA's chains
   * @return CRLs, current now, issued by the issuers of {@code certificates}; empty if there are none
   *     (the seal is then B-T, not B-LT)
   */
  List<X509CRL> crlsFor(List<X509Certificate> certificates) throws IOException, GeneralSecurityException;

  /** No revocation data: seals stay at level B-T. */
  static RevocationSource none() {
    return certificates -> List.of();
  }
}
