package optout.warehouse.extract;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/**
 * Signs extract manifests with the warehouse's Ed25519 key (RFC 8032, the JDK's implementation), and
 * checks them with its public key. The private key is a PKCS#8 file outside git (owner-only); the public
 * key is published beside it ({@code .pub}, X.509 SubjectPublicKeyInfo, PEM) for anyone to verify.
 * Signatures are base64 of the 64-byte Ed25519 signature over the manifest's exact bytes.
 */
public final class ManifestSigner {

  private final PrivateKey key;
  private final PublicKey publicKey;

  private ManifestSigner(PrivateKey key, PublicKey publicKey) {
    this.key = key;
    this.publicKey = publicKey;
  }

  /**
   * The key in {@code file}; with {@code create}, made there first if missing (the local demo).
   *
   * @throws IllegalStateException if there is no key and none may be made, or the file holds no Ed25519 key
   */
  public static ManifestSigner open(Path file, boolean create) throws IOException {
    try {
      if (!Files.exists(file)) {
        if (!create) {
          throw new IllegalStateException("Cannot sign extract manifests: the key file " + file + " does not exist");
        }
        createKey(file);
      }
      KeyFactory factory = KeyFactory.getInstance("Ed25519");
      PrivateKey key = factory.generatePrivate(new PKCS8EncodedKeySpec(Files.readAllBytes(file)));
      PublicKey publicKey = publicKey(publicKeyFile(file));
      return new ManifestSigner(key, publicKey);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Cannot sign extract manifests: " + file + " does not hold an Ed25519 key", e);
    }
  }

  public static Path publicKeyFile(Path keyFile) {
    return keyFile.resolveSibling(keyFile.getFileName() + ".pub");
  }

  private static void createKey(Path file) throws IOException, GeneralSecurityException {
    KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    Files.createDirectories(file.toAbsolutePath().getParent());
    Path temporary = Files.createTempFile(file.toAbsolutePath().getParent(), ".manifest-key", ".tmp");
    try {
      try {
        Files.setPosixFilePermissions(temporary, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException notPosix) {
        // the directory's own protection must do
      }
      Files.write(temporary, pair.getPrivate().getEncoded(), StandardOpenOption.TRUNCATE_EXISTING);
      Files.writeString(publicKeyFile(file), pem(pair.getPublic()), StandardCharsets.US_ASCII);
      try {
        Files.createLink(file, temporary);
      } catch (FileAlreadyExistsException someoneElse) {
        // another run made it meanwhile: keep theirs
      }
    } finally {
      Files.deleteIfExists(temporary);
    }
  }

  private static String pem(PublicKey key) {
    return "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getEncoded())
        + "\n-----END PUBLIC KEY-----\n";
  }

  /** The public key in a PEM file as {@link #open} writes it. */
  public static PublicKey publicKey(Path pem) throws IOException, GeneralSecurityException {
    String text = Files.readString(pem, StandardCharsets.US_ASCII).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(text)));
  }

  public String sign(byte[] manifest) {
    try {
      Signature signature = Signature.getInstance("Ed25519");
      signature.initSign(key);
      signature.update(manifest);
      return Base64.getEncoder().encodeToString(signature.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Cannot sign the manifest", e);
    }
  }

  /** Whether {@code signatureBase64} is this key's signature over exactly {@code manifest}. */
  public static boolean verify(PublicKey publicKey, byte[] manifest, String signatureBase64) {
    try {
      Signature signature = Signature.getInstance("Ed25519");
      signature.initVerify(publicKey);
      signature.update(manifest);
      return signature.verify(Base64.getDecoder().decode(signatureBase64.strip()));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return false;
    }
  }

  public PublicKey publicKey() {
    return publicKey;
  }
}
