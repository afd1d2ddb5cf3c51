package optout.platform.seal.dss;

import eu.europa.esig.dss.model.InMemoryDocument;
import eu.europa.esig.dss.model.x509.CertificateToken;
import eu.europa.esig.dss.simplereport.SimpleReport;
import eu.europa.esig.dss.spi.DSSUtils;
import eu.europa.esig.dss.spi.validation.CommonCertificateVerifier;
import eu.europa.esig.dss.spi.x509.CommonTrustedCertificateSource;
import eu.europa.esig.dss.validation.SignedDocumentValidator;
import eu.europa.esig.dss.validation.reports.Reports;

/**
 * Runs inside {@link optout.platform.seal.EuDss}'s own class loader (DSS with the Bouncy Castle it is
 * built for), so it takes and returns only JDK types.
 */
public final class DssBridge {

  private DssBridge() {}

  /**
   * @return the first signature's format, indication, sub-indication (or empty), the number of
   *     signatures, the simple report as XML, and the indication of each of its timestamps (signature
   *     and document timestamps), comma-separated
   */
  public static String[] validate(byte[] pdf, byte[] trustedRootDer) {
    SignedDocumentValidator validator = SignedDocumentValidator.fromDocument(new InMemoryDocument(pdf, "sealed-form.pdf"));
    CommonTrustedCertificateSource trusted = new CommonTrustedCertificateSource();
    CertificateToken root = DSSUtils.loadCertificate(trustedRootDer);
    trusted.addCertificate(root);
    CommonCertificateVerifier verifier = new CommonCertificateVerifier();
    verifier.setTrustedCertSources(trusted);
    verifier.setAIASource(null);
    verifier.setCrlSource(null);
    verifier.setOcspSource(null);
    validator.setCertificateVerifier(verifier);
    Reports reports = validator.validateDocument();
    SimpleReport simple = reports.getSimpleReport();
    String id = simple.getFirstSignatureId();
    return new String[] {
        id == null ? "" : String.valueOf(simple.getSignatureFormat(id)),
        id == null ? "" : String.valueOf(simple.getIndication(id)),
        id == null || simple.getSubIndication(id) == null ? "" : String.valueOf(simple.getSubIndication(id)),
        String.valueOf(simple.getSignaturesCount()),
        reports.getXmlSimpleReport(),
        id == null ? "" : String.join(",", simple.getSignatureTimestamps(id).stream().map(t -> String.valueOf(t.getIndication())).toList())};
  }
}
