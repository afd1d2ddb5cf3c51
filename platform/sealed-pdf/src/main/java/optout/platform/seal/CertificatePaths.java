package optout.platform.seal;

import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.security.cert.CRLReason;
import java.security.cert.CertPath;
import java.security.cert.CertPathBuilder;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertStore;
import java.security.cert.CertificateRevokedException;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.PKIXCertPathBuilderResult;
import java.security.cert.PKIXReason;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CRL;
import java.security.cert.X509CertSelector;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * RFC 5280 path validation with the JDK's PKIX implementation, at a given time, and revocation checked
 * against given CRLs only (never fetched from the network: the seal carries its own revocation data).
 * The path is built first and checked for revocation second, so that the error says which went wrong.
 */
final class CertificatePaths {

  private CertificatePaths() {}

  /**
   * Builds and validates a path from {@code target} to one of {@code roots}.
   *
   * @param what names the certificate in error messages ("the seal certificate")
   * @param crls the CRLs to check revocation with; {@code null} to skip revocation checking
   * @return the certificates of the path, {@code target} first, the root last
   * @throws GeneralSecurityException with a reason if there is no valid path, or a certificate of it
   *     is revoked or not covered by {@code crls}
   */
  static List<X509Certificate> validate(String what, X509Certificate target, Collection<X509Certificate> others,
      Collection<X509Certificate> roots, Date at, Collection<X509CRL> crls) throws GeneralSecurityException {
    String named = what + " (" + target.getSubjectX500Principal().getName() + ")";
    if (roots.isEmpty()) {
      throw new GeneralSecurityException("Cannot trust " + named + ": no trusted root is configured");
    }
    Set<TrustAnchor> anchors = new HashSet<>();
    for (X509Certificate root : roots) {
      anchors.add(new TrustAnchor(root, null));
    }
    X509CertSelector selector = new X509CertSelector();
    selector.setCertificate(target);
    PKIXBuilderParameters parameters;
    try {
      parameters = new PKIXBuilderParameters(anchors, selector);
    } catch (InvalidAlgorithmParameterException e) {
      throw new GeneralSecurityException("Cannot trust " + named + ": " + e.getMessage(), e);
    }
    List<Object> store = new ArrayList<>(others);
    store.add(target);
    if (crls != null) {
      store.addAll(crls);
    }
    parameters.addCertStore(CertStore.getInstance("Collection", new CollectionCertStoreParameters(store)));
    parameters.setDate(at);
    parameters.setRevocationEnabled(false);
    PKIXCertPathBuilderResult built;
    try {
      built = (PKIXCertPathBuilderResult) CertPathBuilder.getInstance("PKIX").build(parameters);
    } catch (CertPathBuilderException e) {
      String reason = e.getCause() != null && e.getCause().getMessage() != null ? e.getCause().getMessage() : e.getMessage();
      throw new GeneralSecurityException("Cannot trust " + named + " at " + at.toInstant() + ": no valid path to a trusted root (" + reason + ")", e);
    }
    CertPath path = built.getCertPath();
    if (crls != null) {
      parameters.setRevocationEnabled(true);
      try {
        CertPathValidator.getInstance("PKIX").validate(path, parameters);
      } catch (CertPathValidatorException e) {
        throw new GeneralSecurityException("Cannot trust " + named + " at " + at.toInstant() + ": " + revocationReason(e), e);
      }
    }
    List<X509Certificate> certificates = new ArrayList<>();
    path.getCertificates().forEach(c -> certificates.add((X509Certificate) c));
    certificates.add(built.getTrustAnchor().getTrustedCert());
    return certificates;
  }

  private static String revocationReason(CertPathValidatorException e) {
    X509Certificate failed = e.getIndex() >= 0 && e.getCertPath() != null && e.getIndex() < e.getCertPath().getCertificates().size()
        ? (X509Certificate) e.getCertPath().getCertificates().get(e.getIndex()) : null;
    String which = failed == null ? "a certificate of its path" : failed.getSubjectX500Principal().getName();
    if (e.getReason() == CertPathValidatorException.BasicReason.REVOKED) {
      CRLReason reason = e.getCause() instanceof CertificateRevokedException revoked ? revoked.getRevocationReason() : null;
      return which + " is revoked" + (reason == null ? "" : " (" + reason + ")");
    }
    if (e.getReason() == CertPathValidatorException.BasicReason.UNDETERMINED_REVOCATION_STATUS) {
      return "the embedded revocation data does not cover " + which;
    }
    if (e.getReason() == PKIXReason.NO_TRUST_ANCHOR) {
      return "no valid path to a trusted root";
    }
    return e.getMessage();
  }
}
