package optout.platform.seal;

import java.time.Instant;

/**
 * A sealed PDF and what the sealer put in it.
 *
 * @param pdf the whole sealed file
 * @param claimedSigningTime the signature dictionary's /M (PAdES puts the claimed time there, not in
 *     a CMS signing-time attribute)
 * @param timestampTime the signature timestamp's genTime: the time a third party vouches for
 * @param level {@code PAdES-BASELINE-LT} with revocation data embedded, else {@code PAdES-BASELINE-T}
 */
public record SealedPdf(byte[] pdf, Instant claimedSigningTime, Instant timestampTime, String level) {

  @Override
  public String toString() {
    return "SealedPdf[" + pdf.length + " bytes, " + level + ", signed " + claimedSigningTime + ", timestamped " + timestampTime + "]";
  }
}
