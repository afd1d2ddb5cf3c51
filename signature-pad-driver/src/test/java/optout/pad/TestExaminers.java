package optout.pad;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Escrow examiners' certificates and keys, made at test time (never committed). */
public final class TestExaminers {

  public record Examiner(X509Certificate certificate, KeyPair keys) {}

  private TestExaminers() {}

  /** An examiner with an RSA key of {@code size} bits or an EC key on P-256 ({@code size} 256). */
  public static Examiner examiner(String algorithm, int size, int keyUsage, Instant from, Instant until) throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
    if (algorithm.equals("EC")) {
      generator.initialize(new ECGenParameterSpec(size == 256 ? "secp256r1" : "secp384r1"));
    } else {
      generator.initialize(size);
    }
    KeyPair keys = generator.generateKeyPair();
    X500Name name = new X500Name("CN=Test escrow examiner " + algorithm + ",O=NHI opt-out tests");
    JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(System.nanoTime()),
        Date.from(from), Date.from(until), name, keys.getPublic());
    builder.addExtension(Extension.keyUsage, true, new KeyUsage(keyUsage));
    // Signed with a throw-away key: sealing uses only the subject key.
    KeyPair signer = KeyPairGenerator.getInstance("EC").generateKeyPair();
    X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(
        builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate())));
    return new Examiner(certificate, keys);
  }
}
