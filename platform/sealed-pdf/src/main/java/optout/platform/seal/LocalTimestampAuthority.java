package optout.platform.seal;

import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Date;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.cmp.PKIFailureInfo;
import org.bouncycastle.asn1.cmp.PKIStatus;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cms.SignerInfoGenerator;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoGeneratorBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.bouncycastle.tsp.TSPAlgorithms;
import org.bouncycastle.tsp.TSPException;
import org.bouncycastle.tsp.TimeStampRequest;
import org.bouncycastle.tsp.TimeStampRequestGenerator;
import org.bouncycastle.tsp.TimeStampResponse;
import org.bouncycastle.tsp.TimeStampResponseGenerator;
import org.bouncycastle.tsp.TimeStampToken;
import org.bouncycastle.tsp.TimeStampTokenGenerator;

/**
 * The built-in RFC 3161 timestamp authority, so that the platform seals at level B-T with no outside
 * service. It answers in-process ({@link #timestamp}) and, for an HTTP endpoint the service may
 * expose, request bytes to reply bytes ({@link #respond}). Tokens carry the ESS
 * signing-certificate-v2 attribute, the policy {@link #POLICY}, a one-second accuracy and a random
 * 128-bit serial number (unique without shared state, so several instances may run).
 */
public final class LocalTimestampAuthority implements TimestampAuthority {

  /**
   * The demo TSA's policy: a UUID-based OID (ITU-T X.667, arc 2.25), which needs no registration
   * and cannot collide with a real TSA's policy.
   */
  public static final ASN1ObjectIdentifier POLICY = new ASN1ObjectIdentifier("2.25.14033738858585856524012868786128198441");

  private static final Set<ASN1ObjectIdentifier> DIGESTS = Set.of(TSPAlgorithms.SHA256, TSPAlgorithms.SHA384, TSPAlgorithms.SHA512);

  private final TimeStampTokenGenerator tokens;
  private final List<X509Certificate> chain;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();

  private LocalTimestampAuthority(TimeStampTokenGenerator tokens, List<X509Certificate> chain, Clock clock) {
    this.tokens = tokens;
    this.chain = chain;
    this.clock = clock;
  }

  /**
   * @param key the TSA's signing key
   * @param chain the TSA's certificate first (it must have the critical timeStamping extended key
   *     usage), then its issuers up to the root
   * @param clock the time source the authority vouches for
   */
  public static LocalTimestampAuthority create(PrivateKey key, List<X509Certificate> chain, Clock clock) throws GeneralSecurityException {
    X509Certificate certificate = chain.get(0);
    List<String> usages = certificate.getExtendedKeyUsage();
    if (usages == null || !usages.equals(List.of("1.3.6.1.5.5.7.3.8")) || !certificate.getCriticalExtensionOIDs().contains("2.5.29.37")) {
      throw new GeneralSecurityException("Cannot run the timestamp authority: its certificate needs the critical timeStamping extended key usage and no other");
    }
    try {
      SignerInfoGenerator signer = new JcaSimpleSignerInfoGeneratorBuilder().build(JcaSealingKey.algorithmFor(certificate), key, certificate);
      TimeStampTokenGenerator tokens = new TimeStampTokenGenerator(signer,
          new JcaDigestCalculatorProviderBuilder().build().get(new AlgorithmIdentifier(NISTObjectIdentifiers.id_sha256)), POLICY);
      tokens.setAccuracySeconds(1);
      tokens.addCertificates(new JcaCertStore(List.of(certificate)));
      return new LocalTimestampAuthority(tokens, List.copyOf(chain), clock);
    } catch (OperatorCreationException | TSPException | IllegalArgumentException e) {
      throw new GeneralSecurityException("Cannot run the timestamp authority: " + e.getMessage(), e);
    }
  }

  @Override
  public TimeStampToken timestamp(byte[] sha256) throws IOException, GeneralSecurityException {
    if (sha256.length != 32) {
      throw new IllegalArgumentException("Cannot timestamp: a SHA-256 digest has 32 bytes, not " + sha256.length);
    }
    TimeStampRequestGenerator requests = new TimeStampRequestGenerator();
    requests.setCertReq(true);
    TimeStampRequest request = requests.generate(TSPAlgorithms.SHA256, sha256, new BigInteger(64, random));
    try {
      return TimestampTokens.checkReply(request, new TimeStampResponse(respond(request.getEncoded())));
    } catch (TSPException e) {
      throw new IOException("Cannot read the timestamp authority's own reply: " + e.getMessage(), e);
    }
  }

  /**
   * Answers an RFC 3161 request ({@code application/timestamp-query}) with an RFC 3161 reply
   * ({@code application/timestamp-reply}). A request this authority will not grant (an unknown
   * digest, another policy, malformed bytes) gets a rejection reply, as the RFC asks, never an exception.
   */
  public byte[] respond(byte[] timestampQuery) throws IOException {
    // A response generator per request: Bouncy Castle's accumulates failure bits and status texts.
    TimeStampResponseGenerator responses = new TimeStampResponseGenerator(tokens, DIGESTS, Set.of(POLICY));
    try {
      TimeStampRequest request;
      try {
        request = new TimeStampRequest(timestampQuery);
      } catch (IOException | IllegalArgumentException | IllegalStateException | ClassCastException e) {
        return responses.generateFailResponse(PKIStatus.REJECTION, PKIFailureInfo.badDataFormat, "not a timestamp request").getEncoded();
      }
      synchronized (tokens) {
        return responses.generate(request, new BigInteger(1, serial()), Date.from(clock.instant())).getEncoded();
      }
    } catch (TSPException e) {
      throw new IOException("Cannot answer the timestamp request: " + e.getMessage(), e);
    }
  }

  private byte[] serial() {
    byte[] serial = new byte[16];
    random.nextBytes(serial);
    serial[0] |= 0x40; // 127 significant bits at least: never a short or zero serial
    serial[0] &= 0x7f;
    return serial;
  }

  @Override
  public List<X509Certificate> certificateChain() {
    return chain;
  }

  @Override
  public String toString() {
    return "LocalTimestampAuthority[" + chain.get(0).getSubjectX500Principal().getName() + ", policy " + POLICY + "]";
  }
}
