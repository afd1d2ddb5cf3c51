package optout.platform.seal;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.CertificateException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import org.bouncycastle.asn1.cmp.PKIStatus;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.tsp.TSPException;
import org.bouncycastle.tsp.TimeStampRequest;
import org.bouncycastle.tsp.TimeStampResponse;
import org.bouncycastle.tsp.TimeStampToken;
import org.bouncycastle.util.Selector;

/**
 * The checks every RFC 3161 token goes through before the platform relies on it, in one place: the
 * HTTP client checks a reply against its request, and the seal verifier checks the token it finds in
 * a sealed PDF. Each failure says which check failed.
 */
final class TimestampTokens {

  private TimestampTokens() {}

  /**
   * Checks a TSA's reply against the request it answers (RFC 3161 section 2.4.2): status granted, a
   * token present, the same nonce, the same message imprint, the certificate present if it was asked for.
   *
   * @return the token
   */
  static TimeStampToken checkReply(TimeStampRequest request, TimeStampResponse response) throws GeneralSecurityException {
    int status = response.getStatus();
    if (status != PKIStatus.GRANTED && status != PKIStatus.GRANTED_WITH_MODS) {
      String text = response.getStatusString();
      int failure = response.getFailInfo() == null ? 0 : response.getFailInfo().intValue();
      throw new GeneralSecurityException("Cannot use the timestamp: the TSA refused the request (status " + status
          + (text == null ? "" : ", \"" + text + "\"") + (failure == 0 ? "" : ", failure info " + failure) + ")");
    }
    TimeStampToken token = response.getTimeStampToken();
    if (token == null) {
      throw new GeneralSecurityException("Cannot use the timestamp: the TSA granted the request but sent no token");
    }
    if (request.getNonce() != null && !request.getNonce().equals(token.getTimeStampInfo().getNonce())) {
      throw new GeneralSecurityException("Cannot use the timestamp: the TSA's reply answers another request (its nonce differs from ours)");
    }
    if (!request.getMessageImprintAlgOID().equals(token.getTimeStampInfo().getMessageImprintAlgOID())
        || !MessageDigest.isEqual(request.getMessageImprintDigest(), token.getTimeStampInfo().getMessageImprintDigest())) {
      throw new GeneralSecurityException("Cannot use the timestamp: the TSA stamped another digest than the one we sent (message imprint differs)");
    }
    if (request.getReqPolicy() != null && !request.getReqPolicy().equals(token.getTimeStampInfo().getPolicy())) {
      throw new GeneralSecurityException("Cannot use the timestamp: the TSA used policy " + token.getTimeStampInfo().getPolicy()
          + " instead of the requested " + request.getReqPolicy());
    }
    try {
      response.validate(request);
    } catch (TSPException e) {
      throw new GeneralSecurityException("Cannot use the timestamp: " + e.getMessage(), e);
    }
    return token;
  }

  /** Checks that the token stamps exactly {@code sha256} with SHA-256. */
  static void checkImprint(TimeStampToken token, byte[] sha256, String stampedWhat) throws GeneralSecurityException {
    if (!NISTObjectIdentifiers.id_sha256.equals(token.getTimeStampInfo().getMessageImprintAlgOID())) {
      throw new GeneralSecurityException("Cannot accept the timestamp: it stamps a " + token.getTimeStampInfo().getMessageImprintAlgOID()
          + " digest, not SHA-256");
    }
    if (!MessageDigest.isEqual(sha256, token.getTimeStampInfo().getMessageImprintDigest())) {
      throw new GeneralSecurityException("Cannot accept the timestamp: it does not stamp " + stampedWhat + " (message imprint "
          + HexFormat.of().formatHex(token.getTimeStampInfo().getMessageImprintDigest()) + ", expected " + HexFormat.of().formatHex(sha256) + ")");
    }
  }

  /**
   * Verifies the token's own signature and its signer: the signer certificate (from the token, or
   * from {@code others}) has the critical timeStamping extended key usage (RFC 3161 section 2.3), was
   * valid at the token's time, matches the token's ESS signing-certificate attribute, and chains to
   * one of {@code roots} at that time.
   *
   * @param crls revocation data to check the TSA's chain with; {@code null} to skip revocation
   * @return the TSA's certificate path, its certificate first
   */
  static List<X509Certificate> verify(TimeStampToken token, Collection<X509Certificate> others, Collection<X509Certificate> roots,
      Collection<X509CRL> crls) throws GeneralSecurityException {
    X509Certificate signer = signerCertificate(token, others);
    try {
      token.validate(new JcaSimpleSignerInfoVerifierBuilder().build(signer));
    } catch (TSPException | OperatorCreationException e) {
      throw new GeneralSecurityException("Cannot accept the timestamp: " + e.getMessage(), e);
    } catch (IllegalArgumentException e) {
      throw new GeneralSecurityException("Cannot accept the timestamp: its signer certificate is unusable: " + e.getMessage(), e);
    }
    List<X509Certificate> pool = new ArrayList<>(others);
    pool.addAll(certificates(token));
    Date time = token.getTimeStampInfo().getGenTime();
    return CertificatePaths.validate("the timestamp authority's certificate", signer, pool, roots, time, crls);
  }

  /** The token's signer certificate: carried in the token, or else found among {@code others}. */
  static X509Certificate signerCertificate(TimeStampToken token, Collection<X509Certificate> others) throws GeneralSecurityException {
    @SuppressWarnings("unchecked")
    Selector<X509CertificateHolder> sid = (Selector<X509CertificateHolder>) (Selector<?>) token.getSID();
    Collection<X509CertificateHolder> inToken = token.getCertificates().getMatches(sid);
    if (!inToken.isEmpty()) {
      return convert(inToken.iterator().next());
    }
    for (X509Certificate candidate : others) {
      if (sid.match(new JcaX509CertificateHolder(candidate))) {
        return candidate;
      }
    }
    throw new GeneralSecurityException("Cannot accept the timestamp: its signer certificate is neither in the token nor known");
  }

  static List<X509Certificate> certificates(TimeStampToken token) throws GeneralSecurityException {
    List<X509Certificate> certificates = new ArrayList<>();
    for (X509CertificateHolder holder : token.getCertificates().getMatches(null)) {
      certificates.add(convert(holder));
    }
    return certificates;
  }

  static X509Certificate convert(X509CertificateHolder holder) throws GeneralSecurityException {
    try {
      return new JcaX509CertificateConverter().getCertificate(holder);
    } catch (CertificateException e) {
      throw new GeneralSecurityException("Cannot read a certificate: " + e.getMessage(), e);
    }
  }
}
