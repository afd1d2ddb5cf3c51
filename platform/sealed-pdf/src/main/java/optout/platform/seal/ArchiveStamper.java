package optout.platform.seal;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps a B-LTA seal verifiable beyond its newest timestamp's certificate (ETSI EN 319 142-1 5.5): adds
 * revocation data for that timestamp's authority, issued now, to the DSS with a /VRI entry for it, then
 * a new document timestamp over everything. The result keeps the stamped file as an exact byte prefix,
 * so the SHA-256 the registry knows stays checkable on that prefix.
 */
public final class ArchiveStamper {

  private final SealVerifier verifier;
  private final TimestampAuthority tsa;
  private final RevocationSource revocation;
  private final Clock clock;

  /**
   * @param verifier checks a form before it is stamped again: only a seal that holds is prolonged
   * @param tsa the authority for the new document timestamp
   * @param revocation revocation data for the newest timestamp's authority (its own CRL or OCSP for a real one)
   */
  public ArchiveStamper(SealVerifier verifier, TimestampAuthority tsa, RevocationSource revocation, Clock clock) {
    this.verifier = verifier;
    this.tsa = tsa;
    this.revocation = revocation;
    this.clock = clock;
  }

  /** Whether the newest timestamp's certificate ends within {@code window} from now. */
  public boolean isDue(VerifiedSeal seal, Duration window) {
    return seal.lastTimestampCertificate().getNotAfter().toInstant().isBefore(clock.instant().plus(window));
  }

  /**
   * @return the form followed by two incremental updates: validation data, then a document timestamp
   * @throws InvalidSealException if the form's seal does not hold (it is not stamped again)
   * @throws GeneralSecurityException if the new timestamp or the revocation data cannot be had
   */
  public byte[] restamp(byte[] pdf) throws IOException, GeneralSecurityException {
    VerifiedSeal seal = verifier.verify(pdf);
    X509Certificate last = seal.lastTimestampCertificate();
    List<X509Certificate> chain = new ArrayList<>(List.of(last));
    for (X509Certificate certificate : tsa.certificateChain()) {
      if (certificate.getSubjectX500Principal().equals(last.getIssuerX500Principal()) && !chain.contains(certificate)) {
        chain.add(certificate);
      }
    }
    chain.addAll(seal.signerPath().subList(seal.signerPath().size() - 1, seal.signerPath().size()).stream()
        .filter(root -> root.getSubjectX500Principal().equals(last.getIssuerX500Principal()) && !chain.contains(root)).toList());
    List<X509CRL> crls = revocation.crlsFor(chain);
    Instant lastTime = seal.documentTimestampTimes().isEmpty() ? seal.timestampTime()
        : seal.documentTimestampTimes().get(seal.documentTimestampTimes().size() - 1);
    for (X509CRL crl : crls) {
      if (!crl.getThisUpdate().toInstant().isAfter(lastTime.minusSeconds(1))) {
        throw new GeneralSecurityException("Cannot stamp the form again: the revocation data was issued before its newest timestamp " + lastTime);
      }
    }
    byte[] withData = LongTermRevisions.addValidationData(pdf, chain, crls, clock.instant());
    byte[] stamped = LongTermRevisions.addDocumentTimestamp(withData, tsa).pdf();
    verifier.verify(stamped); // never hand back a form that does not hold
    return stamped;
  }

  @Override
  public String toString() {
    return "ArchiveStamper[" + tsa + "]";
  }
}
