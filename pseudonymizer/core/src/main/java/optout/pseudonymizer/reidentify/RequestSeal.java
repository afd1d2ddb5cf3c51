package optout.pseudonymizer.reidentify;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;
import javax.crypto.spec.SecretKeySpec;
import optout.pseudonymizer.custody.CustodianShare;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;

/**
 * Carries the custodians' shares from their approvals to the release without the trust centre ever
 * holding both. Filing a request makes an RSA-3072 key pair for it: the public key is stored, the
 * private key is stored only encrypted (AES-256-GCM) under a release secret that goes to the requester
 * once and is never stored. Each approval encrypts its share to the public key (RSA-OAEP-SHA256) with
 * the request's {@link #context} as the OAEP label, so a sealed share opens only for that request as
 * approved: the same project, legal basis, reason and pseudonyms. The release needs the requester's
 * secret and both sealed shares; the trust centre's database and configuration alone hold neither share.
 */
public final class RequestSeal {

  /** What filing makes: the secret goes to the requester, the rest is stored. */
  public record Created(String releaseSecret, byte[] publicKey, byte[] sealedPrivateKey) {}

  private static final int SECRET_BYTES = 32;
  private static final int NONCE_BYTES = 12;
  private static final SecureRandom RANDOM = new SecureRandom();

  private RequestSeal() {}

  public static Created create(UUID request) throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(3072, RANDOM);
    KeyPair pair = generator.generateKeyPair();
    byte[] secret = new byte[SECRET_BYTES];
    RANDOM.nextBytes(secret);
    byte[] privateKey = pair.getPrivate().getEncoded();
    try {
      byte[] nonce = new byte[NONCE_BYTES];
      RANDOM.nextBytes(nonce);
      Cipher gcm = gcm(Cipher.ENCRYPT_MODE, secret, request, nonce);
      byte[] sealed = gcm.doFinal(privateKey);
      byte[] stored = ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce).put(sealed).array();
      return new Created(Base64.getUrlEncoder().withoutPadding().encodeToString(secret), pair.getPublic().getEncoded(), stored);
    } finally {
      Arrays.fill(secret, (byte) 0);
      Arrays.fill(privateKey, (byte) 0);
    }
  }

  /** A custodian's share encrypted to the request's public key, bound to what was approved. */
  public static byte[] sealShare(byte[] publicKey, CustodianShare share, byte[] context) throws GeneralSecurityException {
    PublicKey key = KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(publicKey));
    Cipher oaep = Cipher.getInstance("RSA/ECB/OAEPPadding");
    oaep.init(Cipher.ENCRYPT_MODE, key, label(context));
    byte[] bytes = share.copyOfBytes();
    try {
      return oaep.doFinal(bytes);
    } finally {
      Arrays.fill(bytes, (byte) 0);
    }
  }

  /**
   * The custodians' shares, opened with the requester's release secret. Fails if the secret is wrong,
   * or a sealed share belongs to another request or to this one as it was before a change.
   */
  public static List<CustodianShare> openShares(byte[] sealedPrivateKey, String releaseSecret, UUID request,
      List<byte[]> sealedShares, byte[] context) throws GeneralSecurityException {
    byte[] secret;
    try {
      secret = Base64.getUrlDecoder().decode(releaseSecret.strip());
    } catch (IllegalArgumentException e) {
      throw new GeneralSecurityException("the release secret is not base64url");
    }
    if (secret.length != SECRET_BYTES || sealedPrivateKey.length <= NONCE_BYTES) {
      throw new GeneralSecurityException("the release secret does not open this request");
    }
    byte[] privateKey = null;
    try {
      Cipher gcm = gcm(Cipher.DECRYPT_MODE, secret, request, Arrays.copyOf(sealedPrivateKey, NONCE_BYTES));
      privateKey = gcm.doFinal(sealedPrivateKey, NONCE_BYTES, sealedPrivateKey.length - NONCE_BYTES);
      PrivateKey key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(privateKey));
      List<CustodianShare> shares = new ArrayList<>();
      for (byte[] sealed : sealedShares) {
        Cipher oaep = Cipher.getInstance("RSA/ECB/OAEPPadding");
        oaep.init(Cipher.DECRYPT_MODE, key, label(context));
        byte[] bytes = oaep.doFinal(sealed);
        try {
          shares.add(CustodianShare.of(bytes));
        } finally {
          Arrays.fill(bytes, (byte) 0);
        }
      }
      return shares;
    } catch (javax.crypto.AEADBadTagException e) {
      throw new GeneralSecurityException("the release secret does not open this request");
    } finally {
      Arrays.fill(secret, (byte) 0);
      if (privateKey != null) {
        Arrays.fill(privateKey, (byte) 0);
      }
    }
  }

  /**
   * SHA-256 over what the custodians approve: the request, its project, the extract and warehouse key
   * version its pseudonyms come from, its purpose and its pseudonyms.
   */
  public static byte[] context(ReidentificationRequest request) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      digest.update("nhi-optout re-identification approval v2".getBytes(StandardCharsets.US_ASCII));
      for (String part : new String[] {request.id().toString(), request.project().value(), request.extract().id(),
          Integer.toString(request.extract().warehouseKeyVersion()), request.legalBasis(), request.reason()}) {
        byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
        digest.update(ByteBuffer.allocate(4).putInt(bytes.length).array());
        digest.update(bytes);
      }
      digest.update(ByteBuffer.allocate(4).putInt(request.pseudonyms().size()).array());
      for (long pseudonym : request.pseudonyms()) {
        digest.update(ByteBuffer.allocate(8).putLong(pseudonym).array());
      }
      return digest.digest();
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static OAEPParameterSpec label(byte[] context) {
    return new OAEPParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, new PSource.PSpecified(context));
  }

  private static Cipher gcm(int mode, byte[] secret, UUID request, byte[] nonce) throws GeneralSecurityException {
    byte[] requestBytes = ByteBuffer.allocate(16).putLong(request.getMostSignificantBits()).putLong(request.getLeastSignificantBits()).array();
    byte[] key = new byte[32];
    HKDFBytesGenerator hkdf = new HKDFBytesGenerator(new SHA256Digest());
    hkdf.init(new HKDFParameters(secret, "nhi-optout release secret".getBytes(StandardCharsets.US_ASCII), requestBytes));
    hkdf.generateBytes(key, 0, key.length);
    try {
      Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
      gcm.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
      gcm.updateAAD(requestBytes);
      return gcm;
    } finally {
      Arrays.fill(key, (byte) 0);
    }
  }
}
