package optout.portal.citizen;

import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Every {@code optout.portal.citizen.watch-interval} looks at each subscription: new usage-ledger rows of the
 * citizen's pseudonym (under the subscription's key version) are told once as "my data was used"; a registry
 * history that changed is told once as "my status changed" (only with a status client configured). Logs
 * count, never name.
 */
@Component
class SubscriptionWatch implements DisposableBean {

  private static final Logger LOG = LoggerFactory.getLogger(SubscriptionWatch.class);

  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread thread = new Thread(r, "citizen-subscriptions");
    thread.setDaemon(true);
    return thread;
  });
  private final Subscriptions subscriptions;
  private final DataUses uses;
  private final RegistryStatus registry;
  private final Clock clock;

  SubscriptionWatch(Subscriptions subscriptions, DataUses uses, RegistryStatus registry, Clock clock, CitizenProperties properties) {
    this.subscriptions = subscriptions;
    this.uses = uses;
    this.registry = registry;
    this.clock = clock;
    long every = properties.watchInterval().toMillis();
    timer.scheduleWithFixedDelay(this::round, every, every, TimeUnit.MILLISECONDS);
  }

  void round() {
    int told = 0;
    int stale = 0;
    try {
      for (Subscriptions.Subscription subscription : subscriptions.all()) {
        int now = uses.count(java.util.Map.of(subscription.keyVersion(), subscription.pseudonym()));
        if (now > subscription.usageTold() && subscriptions.tellUsage(subscription, now, clock.instant())) {
          told++;
        }
        if (subscription.statusChanged() && registry.watchesStatus()) {
          try {
            RegistryStatus.Status status = registry.of(subscription.pseudonym());
            if (status.keyVersion() != subscription.keyVersion()) {
              // the warehouse key was rotated: the kept pseudonym no longer finds the person's events, and an empty history
              // is not news; the subscription follows the new version when the citizen next opens their page
              stale++;
              continue;
            }
            String fingerprint = status.fingerprint();
            if (!fingerprint.equals(subscription.statusFingerprint()) && subscriptions.tellStatus(subscription, fingerprint, clock.instant())) {
              told++;
            }
          } catch (RuntimeException e) {
            LOG.info("Cannot check a subscribed status now ({})", e.getClass().getSimpleName());
          }
        }
      }
      if (told > 0) {
        LOG.info("Queued {} citizen e-mail(s)", told);
      }
      if (stale > 0) {
        LOG.info("{} status subscription(s) wait for their citizen's next visit to follow the warehouse key's rotation", stale);
      }
    } catch (RuntimeException e) {
      LOG.warn("Cannot look at the citizens' subscriptions this time ({})", e.getClass().getSimpleName());
    }
  }

  @Override
  public void destroy() {
    timer.shutdownNow();
  }
}
