package optout.trustcentre.reidentify;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/** Closes stale requests on a schedule, so none waits for approval or release for ever. */
@Component
class ExpiryJob {

  private static final Logger log = LoggerFactory.getLogger(ExpiryJob.class);

  private final ReidentificationService service;

  ExpiryJob(ReidentificationService service) {
    this.service = service;
  }

  @Scheduled(fixedDelayString = "${optout.trust-centre.expiry-check-interval}", initialDelayString = "${optout.trust-centre.expiry-check-interval}")
  void expireStale() {
    int expired = service.expireStale();
    if (expired > 0) {
      log.info("Expired {} stale re-identification requests", expired);
    }
  }
}
