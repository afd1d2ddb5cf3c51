package optout.platform.seal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.Map;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.AttributeTable;
import org.bouncycastle.asn1.cms.CMSAttributes;
import org.bouncycastle.asn1.ess.ESSCertIDv2;
import org.bouncycastle.asn1.ess.SigningCertificateV2;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.IssuerSerial;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cms.CMSAttributeTableGenerator;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.SignerInfoGeneratorBuilder;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.SignerInformationStore;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.DefaultSignatureAlgorithmIdentifierFinder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.RuntimeOperatorException;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.bouncycastle.tsp.TimeStampToken;

/**
 * The CMS inside a PAdES baseline seal (ETSI EN 319 142-1 with ETSI EN 319 122-1): a detached
 * SignedData over the PDF's byte range whose signed attributes are exactly content-type (id-data),
 * message-digest and ESS signing-certificate-v2 (RFC 5035). There is no signing-time attribute:
 * PAdES baseline forbids it and takes the claimed signing time from the signature dictionary's /M.
 * The signature timestamp (id-aa-signatureTimeStampToken over the signature value) is the one
 * unsigned attribute, which makes the signature B-T.
 */
final class CadesSignature {

  private CadesSignature() {}

  /** The signature and the token that stamps it. */
  record Result(byte[] der, TimeStampToken timestamp) {}

  static Result sign(byte[] signedContent, SealingKey key, TimestampAuthority tsa) throws IOException, GeneralSecurityException {
    X509Certificate certificate = key.certificate();
    CMSSignedData signed;
    try {
      CMSSignedDataGenerator generator = new CMSSignedDataGenerator();
      generator.addSignerInfoGenerator(new SignerInfoGeneratorBuilder(new JcaDigestCalculatorProviderBuilder().build())
          .setSignedAttributeGenerator(new PadesSignedAttributes(signingCertificateV2(certificate)))
          .build(new KeyContentSigner(key), new JcaX509CertificateHolder(certificate)));
      generator.addCertificates(new JcaCertStore(key.certificateChain()));
      signed = generator.generate(new CMSProcessableByteArray(signedContent), false);
    } catch (RuntimeOperatorException e) {
      throw e.getCause() instanceof GeneralSecurityException cause ? cause
          : new GeneralSecurityException("Cannot seal: signing failed: " + e.getMessage(), e);
    } catch (CMSException | OperatorCreationException e) {
      if (e.getCause() instanceof RuntimeOperatorException operator && operator.getCause() instanceof GeneralSecurityException cause) {
        throw cause;
      }
      throw new GeneralSecurityException("Cannot seal: the CMS signature cannot be made: " + e.getMessage(), e);
    }
    SignerInformation signer = signed.getSignerInfos().getSigners().iterator().next();
    byte[] imprint = MessageDigest.getInstance("SHA-256").digest(signer.getSignature());
    TimeStampToken token = tsa.timestamp(imprint);
    TimestampTokens.checkImprint(token, imprint, "this seal's signature value");
    Attribute stamp = new Attribute(PKCSObjectIdentifiers.id_aa_signatureTimeStampToken,
        new DERSet(token.toCMSSignedData().toASN1Structure()));
    signer = SignerInformation.replaceUnsignedAttributes(signer, new AttributeTable(stamp));
    signed = CMSSignedData.replaceSigners(signed, new SignerInformationStore(signer));
    return new Result(signed.getEncoded(ASN1Encoding.DER), token);
  }

  /** ESS signing-certificate-v2 with a SHA-256 hash of the certificate and its issuer and serial number. */
  static SigningCertificateV2 signingCertificateV2(X509Certificate certificate) throws GeneralSecurityException {
    byte[] hash = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
    IssuerSerial issuerSerial = new IssuerSerial(
        new GeneralNames(new GeneralName(X500Name.getInstance(certificate.getIssuerX500Principal().getEncoded()))),
        certificate.getSerialNumber());
    return new SigningCertificateV2(new ESSCertIDv2(hash, issuerSerial));
  }

  /** The three signed attributes PAdES baseline B-B asks for, and no signing-time. */
  private record PadesSignedAttributes(SigningCertificateV2 signingCertificate) implements CMSAttributeTableGenerator {

    @Override
    public AttributeTable getAttributes(@SuppressWarnings("rawtypes") Map parameters) {
      ASN1EncodableVector attributes = new ASN1EncodableVector();
      attributes.add(new Attribute(CMSAttributes.contentType, new DERSet((ASN1ObjectIdentifier) parameters.get(CMSAttributeTableGenerator.CONTENT_TYPE))));
      attributes.add(new Attribute(CMSAttributes.messageDigest, new DERSet(new DEROctetString((byte[]) parameters.get(CMSAttributeTableGenerator.DIGEST)))));
      attributes.add(new Attribute(PKCSObjectIdentifiers.id_aa_signingCertificateV2, new DERSet(signingCertificate)));
      return new AttributeTable(attributes);
    }
  }

  /** Bouncy Castle's view of a {@link SealingKey}: it collects the signed attributes and has the key sign them. */
  private static final class KeyContentSigner implements ContentSigner {

    private final SealingKey key;
    private final AlgorithmIdentifier algorithm;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();

    KeyContentSigner(SealingKey key) {
      this.key = key;
      this.algorithm = new DefaultSignatureAlgorithmIdentifierFinder().find(key.signatureAlgorithm());
    }

    @Override
    public AlgorithmIdentifier getAlgorithmIdentifier() {
      return algorithm;
    }

    @Override
    public OutputStream getOutputStream() {
      return buffer;
    }

    @Override
    public byte[] getSignature() {
      try {
        return key.sign(buffer.toByteArray());
      } catch (GeneralSecurityException e) {
        throw new RuntimeOperatorException("Cannot seal: the seal key did not sign: " + e.getMessage(), e);
      }
    }
  }
}
