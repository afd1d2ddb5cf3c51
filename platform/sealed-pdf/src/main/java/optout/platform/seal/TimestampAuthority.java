package optout.platform.seal;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.List;
import org.bouncycastle.tsp.TimeStampToken;

/**
 * An RFC 3161 timestamp authority as the sealer uses it: it binds a digest to a time it vouches for.
 * The seal's signature timestamp (PAdES B-T) comes from here: the built-in authority
 * ({@link LocalTimestampAuthority}) by default, an external one over HTTP
 * ({@link HttpTimestampAuthority}) where the agency has a qualified TSA.
 */
public interface TimestampAuthority {

  /**
   * Timestamps a SHA-256 digest. Implementations return only tokens they have checked: status
   * granted, the imprint is {@code sha256}, the signer certificate is a timestamping certificate.
   *
   * @param sha256 the 32-byte SHA-256 digest to stamp
   */
  TimeStampToken timestamp(byte[] sha256) throws IOException, GeneralSecurityException;

  /**
   * The authority's certificate chain, its signing certificate first, up to and including the root
   * where known. The sealer embeds it as validation data (DSS), so it must be known before sealing.
   */
  List<X509Certificate> certificateChain() throws IOException, GeneralSecurityException;
}
