package optout.portal.delivery;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import optout.portal.launch.Jobs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * New opt-outs reach live projects without anyone asking: every {@code optout.portal.propagation-interval}
 * (a day by default) a propagation job is queued for each project whose extract was delivered, unless one
 * is still queued or running; the warehouse runner carries it out.
 */
@Component
class PropagationSchedule implements DisposableBean {

  private static final Logger LOG = LoggerFactory.getLogger(PropagationSchedule.class);

  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread thread = new Thread(r, "propagation-schedule");
    thread.setDaemon(true);
    return thread;
  });

  PropagationSchedule(Jobs jobs, DeliveryProperties properties) {
    long every = properties.propagationInterval().toMillis();
    timer.scheduleWithFixedDelay(() -> {
      try {
        int queued = jobs.queuePropagations();
        if (queued > 0) {
          LOG.info("Queued propagation into {} live project(s)", queued);
        }
      } catch (RuntimeException e) {
        LOG.warn("Cannot queue propagations this time: {}", e.getMessage());
      }
    }, every, every, TimeUnit.MILLISECONDS);
  }

  @Override
  public void destroy() {
    timer.shutdownNow();
  }
}
