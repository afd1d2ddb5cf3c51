package optout.pad.envelope;

import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.MGF1ParameterSpec;
import java.time.Instant;
import java.util.Date;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1UTF8String;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cms.CMSAlgorithm;
import org.bouncycastle.cms.CMSAuthEnvelopedData;
import org.bouncycastle.cms.CMSAuthEnvelopedDataGenerator;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.KeyAgreeRecipientInformation;
import org.bouncycastle.cms.Recipient;
import org.bouncycastle.cms.RecipientInformation;
import org.bouncycastle.cms.jcajce.JceCMSContentEncryptorBuilder;
import org.bouncycastle.cms.jcajce.JceKeyAgreeEnvelopedRecipient;
import org.bouncycastle.cms.jcajce.JceKeyAgreeRecipientInfoGenerator;
import org.bouncycastle.cms.jcajce.JceKeyTransEnvelopedRecipient;
import org.bouncycastle.cms.jcajce.JceKeyTransRecipientInfoGenerator;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.OutputAEADEncryptor;
import org.bouncycastle.operator.jcajce.JceAsymmetricKeyWrapper;

/**
 * Seals a biometric record so that only a forensic examiner can open it: CMS AuthEnvelopedData
 * (RFC 5083) with AES-256-GCM content encryption (RFC 5084), the content key wrapped for the
 * examiner's certificate with RSA-OAEP (SHA-256) or ECDH (ephemeral-static, SHA-256 KDF, AES-256 key
 * wrap). AuthEnvelopedData rather than EnvelopedData because GCM is an authenticated cipher: the tag
 * is part of the structure, so any change to the envelope makes it fail to open.
 *
 * <p>The sealed content is DER: {@code SEQUENCE { version INTEGER (1), recordFormat UTF8String,
 * digestAlgorithm OBJECT IDENTIFIER (sha256), documentDigest OCTET STRING, record OCTET STRING }}.
 */
public final class BiometricEnvelope {

  private static final Provider BOUNCY_CASTLE = new BouncyCastleProvider();
  private static final int CONTENT_VERSION = 1;
  private static final int MIN_RSA_BITS = 3072;
  /** keyUsage bits (RFC 5280): 2 keyEncipherment, 4 keyAgreement. */
  private static final int KEY_ENCIPHERMENT = 2;
  private static final int KEY_AGREEMENT = 4;

  private BiometricEnvelope() {}

  /**
   * Seals {@code content} for the examiner's certificate.
   *
   * @throws GeneralSecurityException if the certificate is not valid at {@code now}, does not allow
   *     key encipherment (RSA) or key agreement (EC), or has a key too weak to protect biometric data
   */
  public static byte[] seal(SealedContent content, X509Certificate examiner, Instant now) throws GeneralSecurityException {
    checkSuitable(examiner, now);
    try {
      CMSAuthEnvelopedDataGenerator generator = new CMSAuthEnvelopedDataGenerator();
      PublicKey key = examiner.getPublicKey();
      if (key instanceof RSAPublicKey) {
        OAEPParameterSpec oaep = new OAEPParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, PSource.PSpecified.DEFAULT);
        generator.addRecipientInfoGenerator(
            new JceKeyTransRecipientInfoGenerator(examiner, new JceAsymmetricKeyWrapper(oaep, key).setProvider(BOUNCY_CASTLE))
                .setProvider(BOUNCY_CASTLE));
      } else {
        KeyPairGenerator ephemeral = KeyPairGenerator.getInstance("EC", BOUNCY_CASTLE);
        ephemeral.initialize(((ECPublicKey) key).getParams());
        KeyPair sender = ephemeral.generateKeyPair();
        JceKeyAgreeRecipientInfoGenerator agreement = new JceKeyAgreeRecipientInfoGenerator(
            CMSAlgorithm.ECDH_SHA256KDF, sender.getPrivate(), sender.getPublic(), CMSAlgorithm.AES256_WRAP);
        agreement.addRecipient(examiner);
        generator.addRecipientInfoGenerator(agreement.setProvider(BOUNCY_CASTLE));
      }
      OutputAEADEncryptor encryptor = (OutputAEADEncryptor) new JceCMSContentEncryptorBuilder(CMSAlgorithm.AES256_GCM)
          .setProvider(BOUNCY_CASTLE).build();
      return generator.generate(new CMSProcessableByteArray(encode(content)), encryptor).getEncoded();
    } catch (CMSException | IOException e) {
      throw new GeneralSecurityException("Cannot seal the biometric record: " + e.getMessage(), e);
    }
  }

  /**
   * Opens an envelope with the examiner's key.
   *
   * @throws GeneralSecurityException if the envelope was not sealed for this examiner, was changed,
   *     or is not a biometric envelope
   */
  public static SealedContent open(byte[] envelope, X509Certificate examiner, PrivateKey examinerKey)
      throws GeneralSecurityException {
    try {
      CMSAuthEnvelopedData data = new CMSAuthEnvelopedData(envelope);
      JcaX509CertificateHolder holder = new JcaX509CertificateHolder(examiner);
      for (RecipientInformation recipient : data.getRecipientInfos()) {
        if (!recipient.getRID().match(holder)) {
          continue;
        }
        Recipient opener = recipient instanceof KeyAgreeRecipientInformation
            ? new JceKeyAgreeEnvelopedRecipient(examinerKey).setProvider(BOUNCY_CASTLE)
            : new JceKeyTransEnvelopedRecipient(examinerKey).setProvider(BOUNCY_CASTLE);
        return decode(recipient.getContent(opener));
      }
      throw new GeneralSecurityException("Cannot open the envelope: it was not sealed for this examiner's certificate");
    } catch (CMSException | IllegalArgumentException | ClassCastException e) {
      throw new GeneralSecurityException("Cannot open the envelope: it is damaged, was changed, or is not a biometric envelope", e);
    }
  }

  private static void checkSuitable(X509Certificate examiner, Instant now) throws GeneralSecurityException {
    try {
      examiner.checkValidity(Date.from(now));
    } catch (CertificateExpiredException e) {
      throw new GeneralSecurityException("Cannot seal for this certificate: it expired on " + examiner.getNotAfter().toInstant(), e);
    } catch (CertificateNotYetValidException e) {
      throw new GeneralSecurityException("Cannot seal for this certificate: it is valid only from " + examiner.getNotBefore().toInstant(), e);
    }
    boolean[] usage = examiner.getKeyUsage();
    PublicKey key = examiner.getPublicKey();
    if (key instanceof RSAPublicKey rsa) {
      if (usage == null || !usage[KEY_ENCIPHERMENT]) {
        throw new GeneralSecurityException("Cannot seal for this certificate: its key usage does not allow key encipherment");
      }
      if (rsa.getModulus().bitLength() < MIN_RSA_BITS) {
        throw new GeneralSecurityException("Cannot seal for this certificate: its RSA key has fewer than " + MIN_RSA_BITS + " bits");
      }
    } else if (key instanceof ECPublicKey ec) {
      if (usage == null || !usage[KEY_AGREEMENT]) {
        throw new GeneralSecurityException("Cannot seal for this certificate: its key usage does not allow key agreement");
      }
      if (ec.getParams().getOrder().bitLength() < 256) {
        throw new GeneralSecurityException("Cannot seal for this certificate: its EC key is smaller than 256 bits");
      }
    } else {
      throw new GeneralSecurityException("Cannot seal for this certificate: it needs an RSA or EC key, not " + key.getAlgorithm());
    }
  }

  private static byte[] encode(SealedContent content) throws IOException {
    ASN1EncodableVector fields = new ASN1EncodableVector();
    fields.add(new ASN1Integer(CONTENT_VERSION));
    fields.add(new DERUTF8String(content.recordFormat()));
    fields.add(NISTObjectIdentifiers.id_sha256);
    fields.add(new DEROctetString(content.documentSha256()));
    fields.add(new DEROctetString(content.record()));
    return new DERSequence(fields).getEncoded("DER");
  }

  private static SealedContent decode(byte[] der) throws GeneralSecurityException {
    ASN1Sequence fields = ASN1Sequence.getInstance(der);
    if (fields.size() != 5 || !ASN1Integer.getInstance(fields.getObjectAt(0)).getValue().equals(BigInteger.valueOf(CONTENT_VERSION))
        || !NISTObjectIdentifiers.id_sha256.equals(ASN1ObjectIdentifier.getInstance(fields.getObjectAt(2)))) {
      throw new GeneralSecurityException("Cannot open the envelope: its content is not a version-1 biometric envelope");
    }
    return new SealedContent(ASN1UTF8String.getInstance(fields.getObjectAt(1)).getString(),
        ASN1OctetString.getInstance(fields.getObjectAt(3)).getOctets(),
        ASN1OctetString.getInstance(fields.getObjectAt(4)).getOctets());
  }
}
