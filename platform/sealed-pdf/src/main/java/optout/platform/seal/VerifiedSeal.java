package optout.platform.seal;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;

/**
 * What {@link SealVerifier} established about a seal that holds.
 *
 * @param fieldName the signature field that carries the seal
 * @param signerPath the seal certificate's path, the seal certificate first, the trusted root last
 * @param claimedSigningTime the signature dictionary's /M, or {@code null} if absent
 * @param timestampTime the signature timestamp's genTime
 * @param timestampAuthority the subject of the timestamp authority's certificate
 * @param level the PAdES baseline level, as EU DSS names it: {@link SealVerifier#LEVEL_LTA},
 *     {@link SealVerifier#LEVEL_LT} or {@link SealVerifier#LEVEL_T}
 * @param documentTimestampTimes the genTimes of the document (archive) timestamps, oldest first
 * @param lastTimestampCertificate the certificate of the newest timestamp's authority: the seal must be
 *     timestamped again before it ends ({@link ArchiveStamper})
 */
public record VerifiedSeal(String fieldName, List<X509Certificate> signerPath, Instant claimedSigningTime, Instant timestampTime,
    String timestampAuthority, String level, List<Instant> documentTimestampTimes, X509Certificate lastTimestampCertificate) {

  /** The seal certificate's subject. */
  public String signer() {
    return signerPath.get(0).getSubjectX500Principal().getName();
  }

  @Override
  public String toString() {
    return "VerifiedSeal[" + fieldName + ", " + signer() + ", " + level + ", signed " + claimedSigningTime + ", timestamped "
        + timestampTime + " by " + timestampAuthority + ", " + documentTimestampTimes.size() + " document timestamps]";
  }
}
