package optout.consent.filing;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.time.Duration;
import optout.platform.seal.ArchiveStamper;
import optout.platform.seal.InvalidSealException;
import optout.platform.seal.SealVerifier;
import optout.platform.seal.VerifiedSeal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Goes through the archive and gives every form whose newest timestamp's certificate ends within the
 * window an archive timestamp ({@link ArchiveStamper}), kept as a new version beside the ones before
 * ({@link FilingStore#storeRestamp}). A form whose seal does not hold is reported, never stamped.
 */
public final class FormRestamping {

  private static final Logger LOG = LoggerFactory.getLogger(FormRestamping.class);

  /** What one pass did. */
  public record Outcome(int checked, int restamped, int failed) {}

  private final FilingStore store;
  private final SealVerifier verifier;
  private final ArchiveStamper stamper;

  public FormRestamping(FilingStore store, SealVerifier verifier, ArchiveStamper stamper) {
    this.store = store;
    this.verifier = verifier;
    this.stamper = stamper;
  }

  public Outcome run(Duration window) {
    if (window.isNegative() || window.isZero()) {
      throw new IllegalArgumentException("Cannot restamp: the window must be positive, not " + window);
    }
    int checked = 0;
    int restamped = 0;
    int failed = 0;
    for (String filingId : store.filingIds()) {
      checked++;
      byte[] current = store.document(store.currentFormSha256(filingId))
          .orElseThrow(() -> new IllegalStateException("An archived document is missing")).content();
      try {
        VerifiedSeal seal = verifier.verify(current);
        if (!stamper.isDue(seal, window)) {
          continue;
        }
        byte[] stamped = stamper.restamp(current);
        store.storeRestamp(filingId, stamped, verifier.verify(stamped).lastTimestampCertificate().getNotAfter().toInstant());
        restamped++;
        LOG.info("Filing {}: archive timestamp added (its newest timestamp certificate ends {})", filingId,
            seal.lastTimestampCertificate().getNotAfter().toInstant());
      } catch (InvalidSealException e) {
        failed++;
        LOG.error("Filing {}: not stamped again, its seal does not hold: {}", filingId, e.getMessage());
      } catch (IOException | GeneralSecurityException | RuntimeException e) {
        failed++;
        LOG.error("Filing {}: the archive timestamp failed: {}", filingId, e.getMessage());
      }
    }
    return new Outcome(checked, restamped, failed);
  }
}
