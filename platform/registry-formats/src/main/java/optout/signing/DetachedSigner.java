package optout.signing;

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
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Detached signatures of the files the platform publishes (extract manifests, register snapshots): Ed25519
 * (RFC 8032, the JDK's implementation), base64 of the 64-byte signature over the file's exact bytes. The private
 * key is a PKCS#8 file outside git (owner-only); its public half is published beside it ({@code .pub}, X.509
 * SubjectPublicKeyInfo, PEM) for anyone to verify, e.g. with OpenSSL. {@code toString} shows the public key's
 * hash only.
 */
public final class DetachedSigner {

  private final PrivateKey key;
  private final PublicKey publicKey;

  private DetachedSigner(PrivateKey key, PublicKey publicKey) {
    this.key = key;
    this.publicKey = publicKey;
  }

  /**
   * The key in {@code file}; with {@code create}, made there first if missing (the local demo). {@code what} names
   * what it signs, for the messages (e.g. "extract manifests").
   *
   * @throws IllegalStateException if there is no key and none may be made, or the files hold no Ed25519 key pair
   */
  public static DetachedSigner open(Path file, boolean create, String what) throws IOException {
    try {
      if (!Files.exists(file)) {
        if (!create) {
          throw new IllegalStateException("Cannot sign " + what + ": the key file " + file + " does not exist");
        }
        createKey(file);
      }
      PrivateKey key = KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(Files.readAllBytes(file)));
      DetachedSigner signer = new DetachedSigner(key, publicKey(publicKeyFile(file)));
      if (!verify(signer.publicKey, new byte[] {1}, signer.sign(new byte[] {1}))) {
        throw new IllegalStateException("Cannot sign " + what + ": " + file + " and its .pub are not one key pair");
      }
      return signer;
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new IllegalStateException("Cannot sign " + what + ": " + file + " does not hold an Ed25519 key", e);
    }
  }

  /** Where the public half of {@code keyFile} is published. */
  public static Path publicKeyFile(Path keyFile) {
    return keyFile.resolveSibling(keyFile.getFileName() + ".pub");
  }

  private static void createKey(Path file) throws IOException, GeneralSecurityException {
    KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    Path directory = file.toAbsolutePath().getParent();
    Files.createDirectories(directory);
    Path temporary = Files.createTempFile(directory, ".signing-key", ".tmp");
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
        // another process made it meanwhile: keep theirs
      }
    } finally {
      Files.deleteIfExists(temporary);
    }
  }

  /** The public key as PEM text (SubjectPublicKeyInfo), as published. */
  public static String pem(PublicKey key) {
    return "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getEncoded())
        + "\n-----END PUBLIC KEY-----\n";
  }

  /** The Ed25519 public key in PEM text as {@link #pem} writes it. */
  public static PublicKey publicKey(String pem) throws GeneralSecurityException {
    String text = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    try {
      return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(text)));
    } catch (IllegalArgumentException notBase64) {
      throw new java.security.spec.InvalidKeySpecException("Not a PEM public key", notBase64);
    }
  }

  /** The Ed25519 public key in a PEM file as {@link #pem} writes it. */
  public static PublicKey publicKey(Path pemFile) throws IOException, GeneralSecurityException {
    return publicKey(Files.readString(pemFile, StandardCharsets.US_ASCII));
  }

  /** Base64 of the Ed25519 signature over exactly {@code content}. */
  public String sign(byte[] content) {
    try {
      Signature signature = Signature.getInstance("Ed25519");
      signature.initSign(key);
      signature.update(content);
      return Base64.getEncoder().encodeToString(signature.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Cannot sign", e);
    }
  }

  /** Whether {@code signatureBase64} is the signature of {@code publicKey}'s pair over exactly {@code content}; never throws. */
  public static boolean verify(PublicKey publicKey, byte[] content, String signatureBase64) {
    try {
      Signature signature = Signature.getInstance("Ed25519");
      signature.initVerify(publicKey);
      signature.update(content);
      return signature.verify(Base64.getDecoder().decode(signatureBase64.strip()));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return false;
    }
  }

  public PublicKey publicKey() {
    return publicKey;
  }

  public String publicKeyPem() {
    return pem(publicKey);
  }

  /** SHA-256 (hex) of the public key's SubjectPublicKeyInfo: how records and pages name the key. */
  public String keySha256() {
    return keySha256(publicKey);
  }

  /** SHA-256 (hex) of a public key's SubjectPublicKeyInfo. */
  public static String keySha256(PublicKey key) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getEncoded()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public String toString() {
    return "DetachedSigner[Ed25519, public key SHA-256 " + keySha256() + "]";
  }
}
