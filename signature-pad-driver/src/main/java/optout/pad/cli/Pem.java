package optout.pad.cli;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.pkcs.PKCSException;

/** Reads the examiner's certificate and key from PEM files. */
final class Pem {

  static final String KEY_PASSWORD_VARIABLE = "OPTOUT_EXAMINER_KEY_PASSWORD";
  private static final java.security.Provider BOUNCY_CASTLE = new org.bouncycastle.jce.provider.BouncyCastleProvider();

  private Pem() {}

  static X509Certificate certificate(Path file) throws IOException, GeneralSecurityException {
    Object object = first(file);
    if (!(object instanceof X509CertificateHolder holder)) {
      throw new GeneralSecurityException("Cannot read " + file + ": it holds no PEM certificate");
    }
    return new JcaX509CertificateConverter().getCertificate(holder);
  }

  /** A PKCS#8 key (encrypted ones with the password from {@value #KEY_PASSWORD_VARIABLE}) or an OpenSSL key pair. */
  static PrivateKey privateKey(Path file, String password) throws IOException, GeneralSecurityException {
    Object object = first(file);
    JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
    if (object instanceof PKCS8EncryptedPrivateKeyInfo encrypted) {
      if (password == null || password.isEmpty()) {
        throw new GeneralSecurityException("Cannot read " + file + ": the key is encrypted; set " + KEY_PASSWORD_VARIABLE);
      }
      try {
        return converter.getPrivateKey(encrypted.decryptPrivateKeyInfo(
            new JceOpenSSLPKCS8DecryptorProviderBuilder().setProvider(BOUNCY_CASTLE).build(password.toCharArray())));
      } catch (OperatorCreationException | PKCSException e) {
        throw new GeneralSecurityException("Cannot read " + file + ": wrong password for the key", e);
      }
    }
    if (object instanceof PrivateKeyInfo info) {
      return converter.getPrivateKey(info);
    }
    if (object instanceof PEMKeyPair pair) {
      return converter.getKeyPair(pair).getPrivate();
    }
    throw new GeneralSecurityException("Cannot read " + file + ": it holds no PEM private key");
  }

  private static Object first(Path file) throws IOException {
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII); PEMParser pem = new PEMParser(reader)) {
      return pem.readObject();
    }
  }
}
