package optout.platform.seal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CRLException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSBase;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSObject;
import org.apache.pdfbox.cos.COSStream;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.interactive.digitalsignature.PDSignature;
import org.apache.pdfbox.pdmodel.interactive.form.PDSignatureField;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.AttributeTable;
import org.bouncycastle.asn1.cms.CMSAttributes;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.asn1.ess.ESSCertIDv2;
import org.bouncycastle.asn1.ess.SigningCertificateV2;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.tsp.TSPException;
import org.bouncycastle.tsp.TimeStampToken;

/**
 * Checks a sealed form the way the platform relies on it, and says why when it does not hold: exactly
 * one seal; its byte range covers its revision except its own /Contents; what follows that revision is
 * only validation data (DSS, VRI) and document timestamps ({@link LaterRevisions}), the last of which
 * covers the whole file, so nothing was changed or appended; each document timestamp stamps the bytes
 * before it and comes from a timestamping certificate that chains to a trusted root; the CMS is a PAdES baseline signature (ETSI.CAdES.detached, signing-certificate-v2 naming
 * the signer, no signing-time) whose digest matches the signed bytes and whose signature verifies; its
 * signature timestamp stamps that signature value and comes from a timestamping certificate; both the
 * seal's and the TSA's certificates chain to a trusted root at the timestamp's time, checked against
 * the embedded CRLs when the document carries them.
 *
 * <p>The level it reports is the one EU DSS 6.4 gives the same file (the seal's tests compare them):
 * {@value #LEVEL_LTA} with revocation data issued after the signature timestamp and a document
 * timestamp over it, {@value #LEVEL_LT} with such revocation data only, else {@value #LEVEL_T}
 * (revocation data from before the signature timestamp cannot show the certificates unrevoked then).
 */
public final class SealVerifier {

  public static final String LEVEL_T = "PAdES-BASELINE-T";
  public static final String LEVEL_LT = "PAdES-BASELINE-LT";
  public static final String LEVEL_LTA = "PAdES-BASELINE-LTA";

  /** A claimed signing time this far after the timestamp is a lie, not clock skew. */
  static final Duration CLOCK_SKEW = Duration.ofMinutes(5);

  private final List<X509Certificate> trustedRoots;

  /** @param trustedRoots the roots a seal's and a timestamp's certificates must chain to */
  public SealVerifier(List<X509Certificate> trustedRoots) {
    if (trustedRoots.isEmpty()) {
      throw new IllegalArgumentException("Cannot verify seals: no trusted root is configured");
    }
    this.trustedRoots = List.copyOf(trustedRoots);
  }

  /**
   * @return what holds about the seal
   * @throws InvalidSealException with the reason if the PDF is not a sealed form that holds
   */
  public VerifiedSeal verify(byte[] pdf) throws InvalidSealException {
    try (PDDocument document = load(pdf)) {
      PDSignatureField sealField = null;
      List<PDSignature> documentTimestamps = new ArrayList<>();
      for (PDSignatureField field : document.getSignatureFields()) {
        PDSignature signature = field.getSignature();
        if (signature == null) {
          continue;
        }
        if (isDocumentTimestamp(signature)) {
          documentTimestamps.add(signature);
        } else if (sealField != null) {
          throw new InvalidSealException("Cannot accept the seal: the PDF carries 2 signatures; a sealed form has exactly one");
        } else {
          sealField = field;
        }
      }
      if (sealField == null) {
        throw new InvalidSealException("Cannot accept the seal: the PDF carries no signature (it is not sealed, or its seal was removed)");
      }
      PDSignature signature = sealField.getSignature();
      if (!PDSignature.SUBFILTER_ETSI_CADES_DETACHED.getName().equals(signature.getSubFilter())) {
        throw new InvalidSealException("Cannot accept the seal: its /SubFilter is " + signature.getSubFilter() + ", not ETSI.CAdES.detached");
      }
      documentTimestamps.sort(java.util.Comparator.comparingLong(t -> end(t.getByteRange())));
      int[] sealRange = signature.getByteRange();
      byte[] cms = contents(pdf, sealRange);
      long sealEnd = end(sealRange);
      long covered = documentTimestamps.isEmpty() ? sealEnd : end(documentTimestamps.get(documentTimestamps.size() - 1).getByteRange());
      if (covered < pdf.length) {
        throw new InvalidSealException("Cannot accept the seal: it does not cover the whole file: " + (pdf.length - covered)
            + " bytes were added after the " + (documentTimestamps.isEmpty() ? "seal" : "last document timestamp"));
      }
      if (!documentTimestamps.isEmpty() && end(documentTimestamps.get(0).getByteRange()) <= sealEnd) {
        throw new InvalidSealException("Cannot accept the seal: a document timestamp precedes the seal");
      }
      LaterRevisions.check(pdf, (int) sealEnd, document);
      byte[] signedBytes = signedBytes(pdf, sealRange);
      Dss dss = dss(document);
      Instant claimed = signature.getSignDate() == null ? null : signature.getSignDate().toInstant();
      return verifyCms(sealField.getFullyQualifiedName(), cms, signedBytes, dss, claimed, pdf, documentTimestamps);
    } catch (IOException e) {
      throw new InvalidSealException("Cannot accept the seal: the PDF cannot be read: " + e.getMessage(), e);
    }
  }

  private static boolean isDocumentTimestamp(PDSignature signature) {
    return COSName.DOC_TIME_STAMP.equals(signature.getCOSObject().getCOSName(COSName.TYPE))
        || LongTermRevisions.ETSI_RFC3161.getName().equals(signature.getSubFilter());
  }

  private static long end(int[] range) {
    return range == null || range.length != 4 ? -1 : (long) range[2] + range[3];
  }

  private static PDDocument load(byte[] pdf) throws InvalidSealException {
    try {
      return Loader.loadPDF(pdf);
    } catch (IOException e) {
      throw new InvalidSealException("Cannot accept the seal: the file is not a readable PDF (" + e.getMessage() + ")", e);
    }
  }

  /**
   * The CMS bytes between the two signed ranges, after checking the ranges: they start at 0, leave a
   * gap that is exactly the hex string {@code <...>}, and end at the end of the file.
   */
  static byte[] contents(byte[] pdf, int[] range) throws InvalidSealException {
    if (range == null || range.length != 4) {
      throw new InvalidSealException("Cannot accept the seal: its /ByteRange is missing or does not have four numbers");
    }
    long start2 = range[2];
    long end = start2 + range[3];
    if (range[0] != 0 || range[1] <= 0 || range[3] < 0 || start2 <= range[1] + 1L || end > pdf.length) {
      throw new InvalidSealException("Cannot accept the seal: its /ByteRange " + Arrays.toString(range)
          + " does not describe a file of " + pdf.length + " bytes");
    }
    if (pdf[range[1]] != '<' || pdf[(int) start2 - 1] != '>') {
      throw new InvalidSealException("Cannot accept the seal: the gap in its /ByteRange is not exactly the /Contents hex string");
    }
    String hex = new String(pdf, range[1] + 1, (int) start2 - range[1] - 2, StandardCharsets.ISO_8859_1);
    byte[] bytes;
    try {
      bytes = HexFormat.of().parseHex(hex.length() % 2 == 0 ? hex : hex + "0");
    } catch (IllegalArgumentException e) {
      throw new InvalidSealException("Cannot accept the seal: its /Contents is not a hex string (" + e.getMessage() + ")", e);
    }
    int length = derLength(bytes);
    if (length < 0) {
      throw new InvalidSealException("Cannot accept the seal: its /Contents does not hold a DER-encoded CMS structure");
    }
    for (int i = length; i < bytes.length; i++) {
      if (bytes[i] != 0) {
        throw new InvalidSealException("Cannot accept the seal: its /Contents has data after the CMS structure (byte " + i + ")");
      }
    }
    return Arrays.copyOf(bytes, length);
  }

  /** The length of the DER SEQUENCE that starts {@code bytes}, header included, or -1 if there is none. */
  static int derLength(byte[] bytes) {
    if (bytes.length < 2 || bytes[0] != 0x30) {
      return -1;
    }
    int first = bytes[1] & 0xff;
    if (first < 0x80) {
      return 2 + first <= bytes.length ? 2 + first : -1;
    }
    int count = first & 0x7f;
    if (count == 0 || count > 3 || bytes.length < 2 + count) {
      return -1;
    }
    int length = 0;
    for (int i = 0; i < count; i++) {
      length = (length << 8) | (bytes[2 + i] & 0xff);
    }
    long total = 2L + count + length;
    return total <= bytes.length ? (int) total : -1;
  }

  private static byte[] signedBytes(byte[] pdf, int[] range) {
    byte[] signed = new byte[range[1] + range[3]];
    System.arraycopy(pdf, 0, signed, 0, range[1]);
    System.arraycopy(pdf, range[2], signed, range[1], range[3]);
    return signed;
  }

  private VerifiedSeal verifyCms(String fieldName, byte[] der, byte[] signedBytes, Dss dss, Instant claimed, byte[] pdf,
      List<PDSignature> documentTimestamps) throws InvalidSealException {
    CMSSignedData cms;
    try {
      cms = new CMSSignedData(new CMSProcessableByteArray(signedBytes), ContentInfo.getInstance(der));
    } catch (CMSException | IllegalArgumentException | IllegalStateException | ClassCastException e) {
      throw new InvalidSealException("Cannot accept the seal: its CMS structure is damaged (" + e.getMessage() + ")", e);
    }
    if (cms.getSignerInfos().size() != 1) {
      throw new InvalidSealException("Cannot accept the seal: its CMS has " + cms.getSignerInfos().size() + " signers, not one");
    }
    SignerInformation signer = cms.getSignerInfos().getSigners().iterator().next();
    X509Certificate certificate = signerCertificate(cms, signer);
    AttributeTable signed = signer.getSignedAttributes();
    if (signed == null) {
      throw new InvalidSealException("Cannot accept the seal: its CMS signature has no signed attributes");
    }
    Attribute contentType = signed.get(CMSAttributes.contentType);
    if (contentType == null || !CMSObjectIdentifiers.data.equals(contentType.getAttrValues().getObjectAt(0))) {
      throw new InvalidSealException("Cannot accept the seal: its content-type attribute is missing or not id-data");
    }
    if (signed.get(CMSAttributes.signingTime) != null) {
      throw new InvalidSealException("Cannot accept the seal: it has a CMS signing-time attribute, which PAdES baseline forbids");
    }
    checkSigningCertificate(signed, certificate);
    Attribute messageDigest = signed.get(CMSAttributes.messageDigest);
    if (messageDigest == null) {
      throw new InvalidSealException("Cannot accept the seal: its message-digest attribute is missing");
    }
    byte[] sealedDigest = ASN1OctetString.getInstance(messageDigest.getAttrValues().getObjectAt(0)).getOctets();
    if (!MessageDigest.isEqual(sealedDigest, digest(new ASN1ObjectIdentifier(signer.getDigestAlgOID()), signedBytes))) {
      throw new InvalidSealException("Cannot accept the seal: the document was changed after it was sealed "
          + "(the digest of the signed bytes differs from the sealed digest)");
    }
    try {
      if (!signer.verify(new JcaSimpleSignerInfoVerifierBuilder().build(certificate))) {
        throw new InvalidSealException("Cannot accept the seal: its signature value does not verify with the seal certificate");
      }
    } catch (CMSException | OperatorCreationException e) {
      throw new InvalidSealException("Cannot accept the seal: its signature value does not verify with the seal certificate ("
          + e.getMessage() + ")", e);
    }
    boolean[] usage = certificate.getKeyUsage();
    if (usage != null && !usage[0] && !usage[1]) {
      throw new InvalidSealException("Cannot accept the seal: its certificate's key usage allows neither digitalSignature nor nonRepudiation");
    }

    TimeStampToken token = signatureTimestamp(signer);
    List<X509Certificate> pool = new ArrayList<>(dss.certificates());
    pool.addAll(certificates(cms));
    List<X509CRL> crls = dss.crls().isEmpty() ? null : dss.crls();
    List<X509Certificate> tsaPath;
    List<X509Certificate> signerPath;
    try {
      TimestampTokens.checkImprint(token, digest(NISTObjectIdentifiers.id_sha256, signer.getSignature()), "the seal's signature value");
      tsaPath = TimestampTokens.verify(token, pool, trustedRoots, crls);
      signerPath = CertificatePaths.validate("the seal certificate", certificate, pool, trustedRoots,
          token.getTimeStampInfo().getGenTime(), crls);
    } catch (GeneralSecurityException e) {
      String reason = e.getMessage();
      throw new InvalidSealException("Cannot accept the seal: " + Character.toLowerCase(reason.charAt(0)) + reason.substring(1), e);
    }
    Instant stamped = token.getTimeStampInfo().getGenTime().toInstant();
    if (claimed != null && claimed.isAfter(stamped.plus(CLOCK_SKEW))) {
      throw new InvalidSealException("Cannot accept the seal: it claims to be signed at " + claimed + ", after its timestamp " + stamped);
    }
    boolean fresh = crls != null && crls.stream().anyMatch(crl -> crl.getThisUpdate().toInstant().isAfter(stamped));

    List<Instant> archiveTimes = new ArrayList<>();
    Instant previous = stamped;
    X509Certificate lastTimestampCertificate = tsaPath.get(0);
    for (int i = 0; i < documentTimestamps.size(); i++) {
      PDSignature timestamp = documentTimestamps.get(i);
      boolean last = i == documentTimestamps.size() - 1;
      TimeStampToken archive = documentTimestamp(pdf, timestamp, pool, last ? null : crls, i + 1);
      Instant time = archive.getTimeStampInfo().getGenTime().toInstant();
      if (time.isBefore(previous)) {
        throw new InvalidSealException("Cannot accept the seal: document timestamp " + (i + 1) + " (" + time + ") is older than what it follows ("
            + previous + ")");
      }
      previous = time;
      archiveTimes.add(time);
      try {
        lastTimestampCertificate = TimestampTokens.signerCertificate(archive, pool);
      } catch (GeneralSecurityException e) {
        throw new InvalidSealException("Cannot accept the seal: document timestamp " + (i + 1) + " names no certificate", e);
      }
    }
    String level = !fresh ? LEVEL_T : archiveTimes.isEmpty() ? LEVEL_LT : LEVEL_LTA;
    return new VerifiedSeal(fieldName, List.copyOf(signerPath), claimed, stamped, tsaPath.get(0).getSubjectX500Principal().getName(),
        level, List.copyOf(archiveTimes), lastTimestampCertificate);
  }

  /**
   * A document timestamp that holds: its range is well formed, its token stamps the SHA-256 of exactly
   * the bytes it covers, and its signer chains to a trusted root at its time (against the DSS's CRLs
   * where a later revision added them; the last one's revocation data comes with the next archive timestamp).
   */
  private TimeStampToken documentTimestamp(byte[] pdf, PDSignature timestamp, List<X509Certificate> pool, List<X509CRL> crls, int number)
      throws InvalidSealException {
    String which = "document timestamp " + number;
    if (!COSName.DOC_TIME_STAMP.equals(timestamp.getCOSObject().getCOSName(COSName.TYPE))
        || !LongTermRevisions.ETSI_RFC3161.getName().equals(timestamp.getSubFilter())) {
      throw new InvalidSealException("Cannot accept the seal: " + which + " is not /Type /DocTimeStamp with /SubFilter /ETSI.RFC3161");
    }
    byte[] der;
    try {
      der = contents(pdf, timestamp.getByteRange());
    } catch (InvalidSealException e) {
      throw new InvalidSealException(e.getMessage().replace("the seal: its", "the seal: " + which + "'s"), e);
    }
    TimeStampToken token;
    try {
      token = new TimeStampToken(ContentInfo.getInstance(der));
    } catch (TSPException | IOException | IllegalArgumentException | IllegalStateException | ClassCastException e) {
      throw new InvalidSealException("Cannot accept the seal: " + which + " is damaged (" + e.getMessage() + ")", e);
    }
    try {
      TimestampTokens.checkImprint(token, digest(NISTObjectIdentifiers.id_sha256, signedBytes(pdf, timestamp.getByteRange())),
          "the bytes it covers");
      TimestampTokens.verify(token, pool, trustedRoots, crls);
    } catch (GeneralSecurityException e) {
      String reason = e.getMessage();
      throw new InvalidSealException("Cannot accept the seal: " + which + ": " + Character.toLowerCase(reason.charAt(0)) + reason.substring(1), e);
    }
    return token;
  }

  private static X509Certificate signerCertificate(CMSSignedData cms, SignerInformation signer) throws InvalidSealException {
    @SuppressWarnings("unchecked")
    Collection<X509CertificateHolder> matches = cms.getCertificates().getMatches(signer.getSID());
    if (matches.isEmpty()) {
      throw new InvalidSealException("Cannot accept the seal: its CMS does not carry the seal certificate");
    }
    try {
      return TimestampTokens.convert(matches.iterator().next());
    } catch (GeneralSecurityException e) {
      throw new InvalidSealException("Cannot accept the seal: its certificate cannot be read", e);
    }
  }

  private static List<X509Certificate> certificates(CMSSignedData cms) throws InvalidSealException {
    List<X509Certificate> certificates = new ArrayList<>();
    try {
      for (X509CertificateHolder holder : cms.getCertificates().getMatches(null)) {
        certificates.add(TimestampTokens.convert(holder));
      }
    } catch (GeneralSecurityException e) {
      throw new InvalidSealException("Cannot accept the seal: a certificate in its CMS cannot be read", e);
    }
    return certificates;
  }

  /** The ESS signing-certificate-v2 attribute must be there and name exactly the signer's certificate (RFC 5035). */
  private static void checkSigningCertificate(AttributeTable signed, X509Certificate certificate) throws InvalidSealException {
    Attribute attribute = signed.get(PKCSObjectIdentifiers.id_aa_signingCertificateV2);
    if (attribute == null) {
      throw new InvalidSealException("Cannot accept the seal: its signing-certificate-v2 attribute is missing");
    }
    ESSCertIDv2[] ids = SigningCertificateV2.getInstance(attribute.getAttrValues().getObjectAt(0)).getCerts();
    try {
      if (ids.length == 0 || !MessageDigest.isEqual(ids[0].getCertHash(),
          digest(ids[0].getHashAlgorithm().getAlgorithm(), certificate.getEncoded()))) {
        throw new InvalidSealException("Cannot accept the seal: its signing-certificate-v2 attribute names another certificate than the signer's");
      }
    } catch (CertificateException e) {
      throw new InvalidSealException("Cannot accept the seal: its certificate cannot be encoded", e);
    }
  }

  private static TimeStampToken signatureTimestamp(SignerInformation signer) throws InvalidSealException {
    AttributeTable unsigned = signer.getUnsignedAttributes();
    Attribute attribute = unsigned == null ? null : unsigned.get(PKCSObjectIdentifiers.id_aa_signatureTimeStampToken);
    if (attribute == null) {
      throw new InvalidSealException("Cannot accept the seal: it has no signature timestamp");
    }
    ASN1Encodable value = attribute.getAttrValues().getObjectAt(0);
    try {
      return new TimeStampToken(ContentInfo.getInstance(value));
    } catch (TSPException | IOException | IllegalArgumentException e) {
      throw new InvalidSealException("Cannot accept the seal: its signature timestamp is damaged (" + e.getMessage() + ")", e);
    }
  }

  private static byte[] digest(ASN1ObjectIdentifier algorithm, byte[] data) throws InvalidSealException {
    String name;
    if (NISTObjectIdentifiers.id_sha256.equals(algorithm)) {
      name = "SHA-256";
    } else if (NISTObjectIdentifiers.id_sha384.equals(algorithm)) {
      name = "SHA-384";
    } else if (NISTObjectIdentifiers.id_sha512.equals(algorithm)) {
      name = "SHA-512";
    } else {
      throw new InvalidSealException("Cannot accept the seal: it uses the digest " + algorithm + ", not SHA-256, SHA-384 or SHA-512");
    }
    try {
      return MessageDigest.getInstance(name).digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new InvalidSealException("Cannot accept the seal: " + name + " is not available", e);
    }
  }

  /** The validation data the document carries in its DSS. */
  record Dss(List<X509Certificate> certificates, List<X509CRL> crls) {}

  static Dss dss(PDDocument document) throws InvalidSealException {
    COSDictionary dss = document.getDocumentCatalog().getCOSObject().getCOSDictionary(LongTermRevisions.DSS);
    List<X509Certificate> certificates = new ArrayList<>();
    List<X509CRL> crls = new ArrayList<>();
    if (dss == null) {
      return new Dss(certificates, crls);
    }
    try {
      CertificateFactory factory = CertificateFactory.getInstance("X.509");
      for (byte[] der : streams(dss.getDictionaryObject(LongTermRevisions.CERTS))) {
        certificates.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(der)));
      }
      for (byte[] der : streams(dss.getDictionaryObject(LongTermRevisions.CRLS))) {
        crls.add((X509CRL) factory.generateCRL(new ByteArrayInputStream(der)));
      }
    } catch (CertificateException | CRLException | IOException e) {
      throw new InvalidSealException("Cannot accept the seal: its embedded validation data (DSS) is damaged (" + e.getMessage() + ")", e);
    }
    return new Dss(certificates, crls);
  }

  private static List<byte[]> streams(COSBase array) throws IOException {
    List<byte[]> contents = new ArrayList<>();
    if (array instanceof COSArray items) {
      for (COSBase item : items) {
        COSBase value = item instanceof COSObject object ? object.getObject() : item;
        if (value instanceof COSStream stream) {
          try (InputStream in = stream.createInputStream()) {
            contents.add(in.readAllBytes());
          }
        }
      }
    }
    return contents;
  }
}
